"""The data folder is private: made 0700, every file the server writes in it 0600, and an existing folder others
can open is reported at start-up."""

import logging
import os
import stat

import pytest
import requests

from facilitator.app import create_app
from tests.support.admin import ADMIN_TOKEN, GOALS, admin_headers
from tests.support.servers import serve, stopped
from tests.support.waiting import wait_until

OPEN_TO_OTHERS = "open to other users of this computer"


def modes(folder) -> dict[str, int]:
    """Every folder and file under ``folder`` (itself as "."), with its permission bits."""
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = stat.S_IMODE(path.stat().st_mode)
    return found


@pytest.mark.live
def test_a_new_data_folder_is_0700_and_every_file_the_server_writes_in_it_0600(tmp_path, peers):
    data_dir = tmp_path / "new" / "data"
    process, port = serve(data_dir)
    url = f"http://127.0.0.1:{port}"
    try:
        token = (data_dir / "admin_token").read_text().strip()
        created = requests.post(f"{url}/api/sessions", json={"title": "Day", "system_goals": GOALS},
                                headers=admin_headers(token), timeout=10).json()  # fmt: skip
        console = peers(url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
        phone = peers(url, "/participant", code=created["code"], name="Ana").connect()
        phone.wait_for("welcome")
        step = console.call("next")
        assert phone.call("answer", {"step_id": step["step_id"], "answer_id": "a",
                                     "value": created["system_goals"][0]["id"]})["ok"]  # fmt: skip
        export = f"{url}/api/sessions/{created['code']}/export"
        headers = {"X-Facilitator-Key": created["facilitator_key"]}
        assert requests.post(export, headers=headers, timeout=10).status_code == 202
        wait_until(lambda: requests.get(export, headers=headers, timeout=10).json()["state"] == "done", timeout=60,
                   message="the export to finish")  # fmt: skip
        assert requests.get(f"{export}.zip", headers=headers, timeout=30).status_code == 200
        found = modes(data_dir)  # while the server runs, so the database's WAL and SHM files are there
    finally:
        stopped(process)
    names = {name.rsplit("/", 1)[-1] for name in found}
    assert {"pathways.sqlite3", "pathways.sqlite3-wal", "pathways.sqlite3-shm", "admin_token"} <= names, found
    assert any(name.endswith(".zip") for name in names), found
    for name, mode in found.items():
        is_folder = (data_dir / name).is_dir()
        assert mode == (0o700 if is_folder else 0o600), f"{name} is {mode:o}"


@pytest.mark.live
def test_an_existing_data_folder_open_to_others_is_reported_on_stderr_at_start(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    data_dir.chmod(0o755)
    process, _ = serve(data_dir)
    _, err = stopped(process)
    assert OPEN_TO_OTHERS in err and str(data_dir) in err and "chmod 700" in err, err
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o755, "reported, never changed behind the owner's back"


@pytest.mark.parametrize(("mode", "reported"), [(0o755, True), (0o750, True), (0o700, False)])
def test_the_start_up_check_logs_a_warning_for_a_folder_others_can_open(tmp_path, caplog, mode, reported):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    data_dir.chmod(mode)
    with caplog.at_level(logging.WARNING):
        app = create_app({"DATA_DIR": str(data_dir), "ADMIN_TOKEN": ADMIN_TOKEN, "ASYNC_MODE": "threading"})
    app.extensions["pathways.store"].close()
    warned = [r for r in caplog.records if r.levelno == logging.WARNING and OPEN_TO_OTHERS in r.getMessage()]
    assert len(warned) == int(reported), caplog.text


def test_the_app_makes_a_missing_data_folder_0700_whatever_the_umask(tmp_path):
    data_dir = tmp_path / "made" / "data"
    previous = os.umask(0o022)
    try:
        app = create_app({"DATA_DIR": str(data_dir), "ADMIN_TOKEN": ADMIN_TOKEN, "ASYNC_MODE": "threading"})
    finally:
        os.umask(previous)
    app.extensions["pathways.store"].close()
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
