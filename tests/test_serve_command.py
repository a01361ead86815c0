"""``pathways serve``: the data folder, the admin token made once and printed once, the LAN address."""

import re
import resource
import stat
import subprocess
from pathlib import Path

import pytest
import requests

from tests.support.admin import GOALS
from tests.support.servers import serve, stopped

pytestmark = pytest.mark.live


def banner(process: subprocess.Popen) -> str:
    return stopped(process)[0]


def test_first_start_makes_the_admin_token_prints_it_once_and_keeps_it_private(tmp_path):
    data_dir = tmp_path / "data"
    process, port = serve(data_dir)
    token_file = data_dir / "admin_token"
    token = token_file.read_text().strip()
    response = requests.post(f"http://127.0.0.1:{port}/api/sessions", json={"title": "Day", "system_goals": GOALS},
                             headers={"Authorization": f"Bearer {token}"}, timeout=10)  # fmt: skip
    assert response.status_code == 201
    first = banner(process)
    assert token in first and "shown once" in first
    assert f"http://127.0.0.1:{port}/admin" in first
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert (data_dir / "pathways.sqlite3").is_file()

    process, port = serve(data_dir)
    second = banner(process)
    assert token not in second and str(token_file) in second
    assert token_file.read_text().strip() == token


def test_admin_token_and_data_folder_come_from_the_environment(tmp_path):
    data_dir = tmp_path / "from-env"
    process, port = serve(None, env={"PATHWAYS_DATA_DIR": str(data_dir), "PATHWAYS_ADMIN_TOKEN": "env-token-123"})
    response = requests.post(f"http://127.0.0.1:{port}/api/sessions", json={"title": "Day", "system_goals": GOALS},
                             headers={"Authorization": "Bearer env-token-123"}, timeout=10)  # fmt: skip
    assert response.status_code == 201
    output = banner(process)
    assert "env-token-123" not in output and "PATHWAYS_ADMIN_TOKEN" in output
    assert (data_dir / "pathways.sqlite3").is_file() and not (data_dir / "admin_token").exists()


def test_listening_on_all_interfaces_prints_the_address_phones_will_use(tmp_path):
    process, port = serve(tmp_path / "data", "--host", "0.0.0.0")
    token = (tmp_path / "data" / "admin_token").read_text().strip()
    response = requests.post(f"http://127.0.0.1:{port}/api/sessions", json={"title": "Day", "system_goals": GOALS},
                             headers={"Authorization": f"Bearer {token}"}, timeout=10)  # fmt: skip
    output = banner(process)
    phones = re.search(r"Phones join at:\s+(http://\S+)/j", output)
    assert phones, output
    assert "0.0.0.0" not in phones.group(1) and "127.0.0.1" not in phones.group(1)
    assert response.json()["join_url"].startswith(phones.group(1) + "/j/")


def test_serve_raises_its_open_file_limit_so_a_hall_of_phones_can_connect(tmp_path):
    """Each phone is an open socket: a service started with the usual soft limit of 1,024 open files would turn the
    1,000th phone of a hall away. ``pathways serve`` lifts its soft limit to the hard one as it starts."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    low = 256

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (low, hard))

    process, _ = serve(tmp_path / "data", preexec_fn=limited)
    try:
        limits = (Path("/proc") / str(process.pid) / "limits").read_text()
        soft_now = int(re.search(r"Max open files\s+(\d+)", limits).group(1))
        assert soft_now == hard > low
    finally:
        stopped(process)
