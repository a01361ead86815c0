"""PostgreSQL and Redis for the tests that start them: found, or the test skips (and fails in CI: ``CI=true``)."""

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

from facilitator.loadtest.postgres import postgresql_programs as find_postgresql_programs

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
    """The folder holding ``initdb`` and ``pg_ctl`` (the load test finds it the same way)."""
    found = find_postgresql_programs()
    if found is None:
        missing(POSTGRESQL_MISSING)
    return found


def redis_server_program() -> str:
    """Where ``redis-server`` is."""
    found = shutil.which("redis-server")
    if found is None:
        missing(REDIS_MISSING)
    return found
