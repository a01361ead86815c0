"""A test that needs PostgreSQL or Redis and finds it missing is skipped on a developer's machine, saying what to
install, and fails in CI (``CI=true``), so a broken install step cannot pass in silence."""

import shutil

import pytest

from facilitator.loadtest import postgres
from tests.support import services

LOOKUPS = [
    (services.postgresql_programs, services.POSTGRESQL_MISSING),
    (services.redis_server_program, services.REDIS_MISSING),
]


@pytest.fixture
def nothing_installed(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """A machine with neither service: no Debian PostgreSQL folder, nothing on PATH."""
    monkeypatch.setattr(postgres, "POSTGRESQL_VERSIONS", tmp_path / "no-postgresql")
    monkeypatch.setattr(shutil, "which", lambda *args, **kwargs: None)


@pytest.mark.parametrize(("lookup", "message"), LOOKUPS, ids=["postgresql", "redis"])
@pytest.mark.parametrize("ci", [None, "", "false"])
def test_a_missing_service_skips_the_test_off_ci_saying_what_to_install(
    nothing_installed, monkeypatch, lookup, message, ci
):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match="apt-get install") as skipped:
        lookup()
    assert str(skipped.value) == message


@pytest.mark.parametrize(("lookup", "message"), LOOKUPS, ids=["postgresql", "redis"])
@pytest.mark.parametrize("ci", ["true", "TRUE", "1"])
def test_a_missing_service_fails_the_test_in_ci(nothing_installed, monkeypatch, lookup, message, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception) as failed:
        lookup()
    assert message in str(failed.value) and "CI=true" in str(failed.value)


def test_an_installed_service_is_found_whatever_ci_says(monkeypatch, tmp_path):
    programs = tmp_path / "usr-lib-postgresql" / "16" / "bin"
    programs.mkdir(parents=True)
    (programs / "pg_ctl").touch()
    monkeypatch.setattr(postgres, "POSTGRESQL_VERSIONS", tmp_path / "usr-lib-postgresql")
    monkeypatch.setattr(shutil, "which", lambda name, **kwargs: f"/usr/bin/{name}")
    monkeypatch.setenv("CI", "true")
    assert services.postgresql_programs() == programs
    assert services.redis_server_program() == "/usr/bin/redis-server"
