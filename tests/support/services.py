"""PostgreSQL and Redis for the tests that start them: found, or the test skips (and fails in CI: ``CI=true``)."""

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

POSTGRESQL_VERSIONS = Path("/usr/lib/postgresql")  # Debian's postgresql package: one N/bin folder per version
POSTGRESQL_MISSING = "PostgreSQL is not installed: apt-get install postgresql"
REDIS_MISSING = "redis-server is not installed: apt-get install redis-server"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def missing(message: str) -> NoReturn:
    """Skip the test that needs a missing service, saying what to install; in CI fail it, so that a broken install
    step cannot pass in silence."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: a test that needs it fails instead of skipping)", pytrace=False)
    pytest.skip(message)


def postgresql_programs() -> Path:
    """The folder holding ``initdb`` and ``pg_ctl``: Debian's newest ``/usr/lib/postgresql/N/bin``, else PATH."""
    versions = POSTGRESQL_VERSIONS.glob("*/bin/pg_ctl")
    debian = sorted((path for path in versions if path.parts[-3].isdigit()), key=lambda path: int(path.parts[-3]))
    if debian:
        return debian[-1].parent
    on_path = shutil.which("pg_ctl")
    if on_path is None or shutil.which("initdb", path=str(Path(on_path).parent)) is None:
        missing(POSTGRESQL_MISSING)
    return Path(on_path).parent


def redis_server_program() -> str:
    """Where ``redis-server`` is."""
    found = shutil.which("redis-server")
    if found is None:
        missing(REDIS_MISSING)
    return found
