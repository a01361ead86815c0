"""The stop-reminders link at the end of every reminder e-mail, opened over real HTTP: opening it changes nothing
(mail scanners open links), its one button stops reminders to that address, and so does a mail program's own
one-click "unsubscribe"; a link Pathways never sent is a 404 page."""

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from werkzeug.serving import make_server

from facilitator.app import create_app
from facilitator.mail.delivery import deliver_due
from facilitator.mail.settings import parse_mail_settings
from facilitator.routes import reminders as reminder_routes
from facilitator.store import DATABASE_FILE, Store
from facilitator.store.facade import EXTENSION_KEY
from facilitator.store.outbox import MailState, Outbox
from protocols.coaching.reminders import Recipient, Reminder, ReminderKind
from tests.support.admin import ADMIN_TOKEN
from tests.support.servers import free_port
from tests.support.smtp import SmtpServer

NOW = 1_900_000_000.0


class OutboxStore(Store, Outbox):
    """The store with its outbox, as the app's store is once ``Outbox`` joins ``facade.Store``."""


def reminder(key: str, address: str) -> Reminder:
    return Reminder(key=key, kind=ReminderKind.CHECK_IN_SOON, organisation_id=1, recipient=Recipient.PERSON,
                    recipient_id=7, address=address, subject="Your check-in is on Friday",
                    body="You planned to check in on your goal on Friday.", about_person=7)  # fmt: skip


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Outbox]]:
    """The app on a real port (a thread of this process, as ``pathways serve`` may not register the stop route
    yet), and its store."""
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "ADMIN_TOKEN": ADMIN_TOKEN, "ASYNC_MODE": "threading",
                      "TESTING": True})  # fmt: skip
    if reminder_routes.bp.name not in app.blueprints:
        app.register_blueprint(reminder_routes.bp)
    if not isinstance(app.extensions[EXTENSION_KEY], Outbox):
        app.extensions[EXTENSION_KEY].close()
        app.extensions[EXTENSION_KEY] = OutboxStore(tmp_path / "data" / DATABASE_FILE)
    http = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_port}", app.extensions[EXTENSION_KEY]
    finally:
        http.shutdown()
        thread.join(timeout=10)
        app.extensions[EXTENSION_KEY].close()


def mailed_stop_links(store: Outbox, base_url: str, *addresses: str) -> list[str]:
    """Send a reminder to each address through a real mail server; the stop link each message's header carries."""
    with SmtpServer() as mail:
        store.record_reminders([reminder(f"soon:{a}", a) for a in addresses], mail=True, now=NOW)
        settings = parse_mail_settings(f"smtp://127.0.0.1:{mail.port}", "pd@example.org")
        assert deliver_due(store, settings, base_url, NOW, logger=logging.getLogger("test")).sent == len(addresses)
        received = sorted(mail.wait_for(len(addresses)), key=lambda m: m.recipients)
    return [m.message["List-Unsubscribe"].strip("<>") for m in received]


def test_opening_the_stop_link_asks_and_its_button_stops_reminders_to_that_address(server):
    base_url, store = server
    (link,) = mailed_stop_links(store, base_url, "ann@school.org")
    token = urlsplit(link).path.rsplit("/", 1)[1]
    assert link.startswith(f"{base_url}/stop/")
    for _ in range(2):  # a mail scanner, then the person
        opened = requests.get(link, timeout=10)
        assert opened.status_code == 200 and "Stop e-mail reminders?" in opened.text
        assert f'action="/stop/{token}"' in opened.text and 'method="post"' in opened.text
    assert store.stopped_for(token) is False

    stopped = requests.post(link, timeout=10)
    assert stopped.status_code == 200 and "Reminders stopped" in stopped.text
    assert "Content-Security-Policy" in stopped.headers and "<script" not in stopped.text
    again = requests.get(link, timeout=10)
    assert again.status_code == 200 and "already stopped" in again.text and "<form" not in again.text
    store.record_reminders([reminder("later", "Ann@School.org")], mail=True, now=NOW + 60)
    newest = store.reminders_for(Recipient.PERSON, 7, 1)[0]
    assert (newest.key, newest.state) == ("later", MailState.APP)  # shown in the app, never mailed


def test_a_mail_programs_one_click_unsubscribe_stops_them_too(server):
    base_url, store = server
    ann, bo = mailed_stop_links(store, base_url, "ann@school.org", "bo@school.org")
    clicked = requests.post(bo, data={"List-Unsubscribe": "One-Click"}, timeout=10)  # RFC 8058
    assert clicked.status_code == 200
    assert store.stopped_for(urlsplit(bo).path.rsplit("/", 1)[1]) is True
    assert store.stopped_for(urlsplit(ann).path.rsplit("/", 1)[1]) is False


@pytest.mark.parametrize("token", ["never-sent-aaaaaaaaaaaaaaaaaaaaaaaaaaaa", "x" * 300])
def test_a_stop_link_pathways_never_sent_is_a_404_page_that_changes_nothing(server, token):
    base_url, store = server
    for method in (requests.get, requests.post):
        answered = method(f"{base_url}/stop/{token}", timeout=10)
        assert answered.status_code == 404 and "This link does not work" in answered.text
        assert answered.headers["Content-Type"].startswith("text/html")
    store.record_reminders([reminder("after", "ann@school.org")], mail=True, now=NOW)
    assert store.reminders_for(Recipient.PERSON, 7, 1)[0].state is MailState.PENDING
