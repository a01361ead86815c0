"""One public address: every link Pathways hands out uses it, and a server whose links only work on this network
says so, on ``pathways serve``'s stderr and on the admin page."""

import html
import re
import subprocess
import sys

import pytest
import requests

from facilitator.app import create_app
from facilitator.edge.urls import is_local_address
from tests.support import ROOT
from tests.support.admin import ADMIN_TOKEN, admin_headers
from tests.support.qr import scanned
from tests.support.servers import serve, stopped
from tests.support.sockets import events

PUBLIC = "https://pd.example.org"
LAN = "http://192.168.1.20:5000"
STOPS_WORKING = "will stop working once this laptop leaves the network"


WARNING = (
    "Personal plan links use {address}, which only this computer and its network can reach: they will stop working"
    " once this laptop leaves the network. To keep them working after the day, run Pathways where people can reach"
    " it from anywhere and give that address with --public-url (or PATHWAYS_PUBLIC_URL); see the README."
)


def warning_for(address: str) -> str:
    return WARNING.replace("{address}", address)


def shown_warning(page: str) -> str | None:
    """The admin page's address warning as a reader sees it, or None when the page shows none."""
    found = re.search(r'<p [^>]*data-testid="public-address-warning"[^>]*>(.*?)</p>', page, re.S)
    return " ".join(html.unescape(found.group(1)).split()) if found else None


@pytest.fixture
def make_app(tmp_path):
    """An app as ``pathways serve`` would make it, with the addresses a test gives."""
    made = []

    def make(**config):
        app = create_app({"DATA_DIR": str(tmp_path / f"data{len(made)}"), "ADMIN_TOKEN": ADMIN_TOKEN,
                          "ASYNC_MODE": "threading", "TESTING": True, **config})  # fmt: skip
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["pathways.store"].close()


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:5000", True),
        ("http://localhost:5000", True),
        ("http://192.168.1.20:5000", True),
        ("http://10.0.0.7", True),
        ("http://172.20.1.2:8080", True),
        ("http://169.254.3.4", True),
        ("http://[::1]:5000", True),
        ("http://[fd12:3456::1]", True),
        ("http://teachers-laptop:5000", True),  # a bare machine name resolves on its own network only
        ("http://teachers-laptop.local:5000", True),
        ("https://pd.example.org", False),
        ("http://203.0.113.9:5000", True),  # documentation range: not reachable from the internet either
        ("http://8.8.8.8", False),
        ("https://[2001:4860:4860::8888]", False),
    ],
)
def test_an_address_reachable_only_from_this_network_is_local(url, local):
    assert is_local_address(url) is local


def test_serve_on_a_loopback_address_without_a_public_url_warns_on_stderr_and_on_the_admin_page(tmp_path):
    process, port = serve(tmp_path / "data")
    admin = requests.get(f"http://127.0.0.1:{port}/admin", timeout=10)
    _, err = stopped(process)
    expected = warning_for(f"http://127.0.0.1:{port}")
    assert STOPS_WORKING in expected
    assert expected in " ".join(err.split()), err
    assert shown_warning(admin.text) == expected


@pytest.mark.parametrize("given_by", ["option", "environment"])
def test_serve_with_a_public_url_uses_it_for_every_link_and_warns_nowhere(tmp_path, given_by):
    options = ("--public-url", PUBLIC + "/") if given_by == "option" else ()
    env = {"PATHWAYS_PUBLIC_URL": PUBLIC} if given_by == "environment" else {}
    process, port = serve(tmp_path / "data", *options, env={"PATHWAYS_ADMIN_TOKEN": ADMIN_TOKEN, **env})
    created = requests.post(f"http://127.0.0.1:{port}/api/sessions", json={"title": "Day", "system_goals": [
        {"title": "Belonging"}]}, headers=admin_headers(), timeout=10).json()  # fmt: skip
    admin = requests.get(f"http://127.0.0.1:{port}/admin", timeout=10)
    projector = requests.get(f"http://127.0.0.1:{port}/projector/{created['code']}", timeout=10)
    out, err = stopped(process)
    assert f"Phones join at:   {PUBLIC}/j" in out
    for link in ("join_url", "projector_url", "console_url"):
        assert created[link].startswith(PUBLIC + "/"), created
    assert f"{PUBLIC.split('://')[1]}/j/{created['code']}" in projector.text  # shown without its scheme
    assert STOPS_WORKING not in err and shown_warning(admin.text) is None


def test_a_public_url_that_is_not_a_web_address_is_refused(tmp_path):
    result = subprocess.run([sys.executable, "-m", "facilitator", "serve", "--public-url", "pd.example.org",
                             "--data-dir", str(tmp_path / "data")], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)  # fmt: skip
    assert result.returncode == 2
    assert "--public-url" in result.stderr and "https://" in result.stderr
    assert not (tmp_path / "data").exists()


def test_without_a_public_url_links_use_the_address_serve_found_and_the_admin_page_warns(make_app):
    app = make_app(PUBLIC_URL=None, LISTEN_URL=LAN)
    client = app.test_client()
    created = client.post("/api/sessions", json={"title": "Day", "system_goals": [{"title": "Belonging"}]},
                          headers=admin_headers(), base_url="http://127.0.0.1:5000").get_json()  # fmt: skip
    assert created["join_url"] == f"{LAN}/j/{created['code']}"
    assert shown_warning(client.get("/admin").get_data(as_text=True)) == warning_for(LAN)


def test_a_public_url_silences_the_warning(make_app):
    app = make_app(PUBLIC_URL=PUBLIC, LISTEN_URL=LAN)
    assert shown_warning(app.test_client().get("/admin").get_data(as_text=True)) is None


def test_a_server_whose_own_address_is_public_gives_no_warning(make_app):
    app = make_app(PUBLIC_URL=None, LISTEN_URL="http://8.8.8.8:5000")
    assert shown_warning(app.test_client().get("/admin").get_data(as_text=True)) is None


def test_the_plan_page_its_pdfs_qr_code_and_the_calendar_use_the_public_address(client, sio, create_session, tmp_path):
    """Asked through another address (the laptop's LAN address, say), a plan still points at the public one."""
    created = create_session()
    console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
    phone = sio("/participant", code=created["code"], name="Ana")
    token = events(phone, "welcome", "/participant")[0]["token"]
    while (step := console.emit("next", callback=True, namespace="/facilitator"))["phase"] == "step":
        if step["step_id"].endswith(":check-in"):
            assert phone.emit("answer", {"step_id": step["step_id"], "answer_id": "c", "value": "2027-04-20"},
                              callback=True, namespace="/participant")["ok"]  # fmt: skip
    elsewhere = {"base_url": LAN}
    page = client.get(f"/p/{token}/plan", **elsewhere).get_data(as_text=True)
    pdf = client.get(f"/p/{token}/plan.pdf", **elsewhere).data
    calendar = client.get(f"/p/{token}/checkin.ics", **elsewhere)
    assert calendar.status_code == 200
    found = [*re.findall(r"https?://\w[^\s\"'<]*", page), *scanned(pdf, tmp_path),
             *re.findall(r"https?://\w\S*", calendar.get_data(as_text=True).replace("\r\n ", ""))]  # fmt: skip
    assert scanned(pdf, tmp_path), "the plan PDF carries a QR code"
    assert found and all(url.startswith("http://pathways.test/") for url in found), found
