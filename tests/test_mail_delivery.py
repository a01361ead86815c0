"""Reminder e-mail from the outbox to a real mail server (aiosmtpd on a loopback port): recorded once, claimed by
one sender, sent as plain text with its links, retried with growing delays when the server is down, never sent
twice after a crash, and never sent to an address that stopped them. The store's part runs on SQLite and
PostgreSQL."""

import logging
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from facilitator.mail.delivery import FIRST_RETRY, MAX_ATTEMPTS, DeliveryReport, deliver_due
from facilitator.mail.links import stop_url
from facilitator.mail.settings import MailConfigError, MailSettings, Security, mail_settings, parse_mail_settings
from facilitator.store import Store
from facilitator.store.outbox import SENDING_AT_MOST, MailState
from facilitator.store.schema import reminders
from protocols.coaching.reminders import Recipient, Reminder, ReminderKind
from tests.support.database import behind_the_store
from tests.support.servers import free_port
from tests.support.smtp import SmtpServer, make_certificate

NOW = 1_900_000_000.0
BASE_URL = "https://pd.example.org"
SENDER = "Pathways <pd@example.org>"
# aiosmtpd warns that a login without TLS is unsafe: the tests do it on loopback, and Pathways only there.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
PASSWORD = "S3cret-mail-pw"


def reminder(key: str, address: str = "ann@school.org", recipient: Recipient = Recipient.PERSON, **fields) -> Reminder:
    values = {
        "kind": ReminderKind.CHECK_IN_DUE if recipient is Recipient.PERSON else ReminderKind.SILENT,
        "organisation_id": 1,
        "recipient_id": 7,
        "subject": "Your check-in is today",
        "body": "You planned to check in on your goal today.",
        "about_person": 7,
    }
    return Reminder(key=key, recipient=recipient, address=address, **{**values, **fields})


def settings_for(port: int, scheme: str = "smtp", credentials: str = "", **fields) -> MailSettings:
    settings = parse_mail_settings(f"{scheme}://{credentials}127.0.0.1:{port}", SENDER)
    return MailSettings(**{**{name: getattr(settings, name) for name in MailSettings.__slots__}, **fields})


def rows(database: Path | str) -> list[tuple]:
    """Each reminder as stored: key, state, attempts, next attempt, last error."""
    columns = (reminders.c.reminder_key, reminders.c.state, reminders.c.attempts, reminders.c.next_attempt_at,
               reminders.c.last_error)  # fmt: skip
    with behind_the_store(database) as db, db.connection() as link:
        return [tuple(row) for row in link.run(select(*columns).order_by(reminders.c.id), {}).rows]


def link_in(body: str, path: str) -> str:
    (found,) = re.findall(rf"{re.escape(BASE_URL)}/{path}/([A-Za-z0-9_-]+)", body)
    return found


@pytest.fixture
def mail() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


# Settings


@pytest.mark.parametrize(
    ("url", "security", "host", "port", "username", "password"),
    [
        ("smtp+starttls://ann%40school.org:p%40ss%3Aword@Mail.Example.org", Security.STARTTLS, "mail.example.org", 587,
         "ann@school.org", "p@ss:word"),
        ("smtps://pd:pw@mail.example.org:2465", Security.TLS, "mail.example.org", 2465, "pd", "pw"),
        ("smtp://localhost", Security.PLAIN, "localhost", 25, "", ""),
        ("smtp://relay:pw@127.0.0.1:2525", Security.PLAIN, "127.0.0.1", 2525, "relay", "pw"),
    ],
)  # fmt: skip
def test_smtp_urls_give_the_security_port_and_percent_decoded_login(url, security, host, port, username, password):
    settings = mail_settings({"SMTP_URL": url, "MAIL_FROM": SENDER})
    assert (settings.security, settings.host, settings.port) == (security, host, port)
    assert (settings.username, settings.password, settings.sender) == (username, password, SENDER)


@pytest.mark.parametrize(
    ("url", "sender", "says"),
    [
        (f"smtp://ann:{PASSWORD}@mail.example.org", SENDER, "unencrypted"),
        (f"imap://ann:{PASSWORD}@mail.example.org", SENDER, "must start with"),
        (f"smtps://ann:{PASSWORD}@mail.example.org:port", SENDER, "cannot be read"),
        (f"smtps://ann:{PASSWORD}@mail.example.org/inbox", SENDER, "no path"),
        (f"smtps://ann:{PASSWORD}@mail.example.org?verify=0", SENDER, "no path"),
        ("smtps://ann@mail.example.org", SENDER, "without a password"),
        (f"smtps://:{PASSWORD}@", SENDER, "names no mail server"),
        (f"smtps://ann:{PASSWORD}@mail.example.org", "", "PATHWAYS_MAIL_FROM is not"),
        (f"smtps://ann:{PASSWORD}@mail.example.org", "pd at example", "one e-mail address"),
        (f"smtps://ann:{PASSWORD}@mail.example.org", "a@example.org, b@example.org", "one e-mail address"),
        (f"smtps://ann:{PASSWORD}@mail.example.org", "pd@example.org\nBcc: all@example.org", "one e-mail address"),
    ],
)
def test_unusable_mail_settings_are_refused_saying_why_without_repeating_the_password(url, sender, says):
    with pytest.raises(MailConfigError) as refused:
        mail_settings({"SMTP_URL": url, "MAIL_FROM": sender})
    assert says in str(refused.value) and "DEPLOY.md" in str(refused.value)
    assert PASSWORD not in str(refused.value)


def test_no_smtp_url_means_no_mail_and_the_settings_never_show_their_password():
    assert mail_settings({}) is None and mail_settings({"SMTP_URL": " ", "MAIL_FROM": SENDER}) is None
    settings = mail_settings({"SMTP_URL": f"smtps://ann:{PASSWORD}@mail.example.org", "MAIL_FROM": SENDER})
    for shown in (repr(settings), str(settings), f"{settings}", repr([settings])):
        assert PASSWORD not in shown and "mail.example.org" in shown and "[hidden]" in shown


# The outbox


def test_a_reminder_is_recorded_once_under_its_key(store, database):
    first = store.record_reminders([reminder("check_in_due:7:2030-03-15")], mail=True, now=NOW)
    again = store.record_reminders([reminder("check_in_due:7:2030-03-15", subject="Changed"),
                                    reminder("check_in_soon:7:2030-03-15")], mail=True, now=NOW + 60)  # fmt: skip
    assert len(first) == 1 and len(again) == 1 and again[0] != first[0]
    assert [(key, state) for key, state, *_ in rows(database)] == [
        ("check_in_due:7:2030-03-15", "pending"), ("check_in_soon:7:2030-03-15", "pending")]  # fmt: skip
    (kept, _) = sorted(store.reminders_for(Recipient.PERSON, 7, 1), key=lambda r: r.id)
    assert kept.subject == "Your check-in is today"


def test_a_reminder_is_mailed_only_with_a_mail_server_an_address_and_no_stop(store, database, mail):
    store.record_reminders([reminder("to-stop", address="Stop.Me@School.org")], mail=True, now=NOW)
    (claimed,) = store.claim_mail(NOW, 10)
    assert store.stopped_for(claimed.stop_token) is False
    assert store.stop_reminders(claimed.stop_token, NOW) and store.stop_reminders(claimed.stop_token, NOW)
    assert store.stopped_for(claimed.stop_token) is True
    assert store.stop_reminders("not-a-token", NOW) is False and store.stopped_for("not-a-token") is None
    store.record_reminders([reminder("no-server")], mail=False, now=NOW)
    store.record_reminders([reminder("no-address", address=""), reminder("stopped", address="  stop.me@school.ORG "),
                            reminder("mailed", address="bo@school.org")], mail=True, now=NOW)  # fmt: skip
    states = {key: state for key, state, *_ in rows(database)}
    assert states == {"to-stop": "sending", "no-server": "app", "no-address": "app", "stopped": "app",
                      "mailed": "pending"}  # fmt: skip
    report = deliver_due(store, settings_for(mail.port), BASE_URL, NOW, logger=logging.getLogger("test"))
    assert report.sent == 1 and [m.recipients for m in mail.received] == [["bo@school.org"]]


def test_a_reminder_whose_address_stops_before_it_is_sent_is_not_sent(store, database, mail):
    store.record_reminders([reminder("first", address="cy@school.org")], mail=True, now=NOW)
    deliver_due(store, settings_for(mail.port), BASE_URL, NOW, logger=logging.getLogger("test"))
    store.record_reminders([reminder("second", address="CY@school.org")], mail=True, now=NOW + 60)
    assert store.stop_reminders(link_in(mail.wait_for(1)[0].body, "stop"), NOW + 90)
    report = deliver_due(store, settings_for(mail.port), BASE_URL, NOW + 120, logger=logging.getLogger("test"))
    assert report.sent == 0 and len(mail.received) == 1
    assert [state for _, state, *_ in rows(database)] == ["sent", "app"]


def test_senders_claiming_at_once_never_get_the_same_reminder(store, database):
    recorded = store.record_reminders([reminder(f"k{i}", address=f"p{i}@school.org") for i in range(60)], mail=True,
                                      now=NOW)  # fmt: skip
    other = Store(database)  # a second process, with its own connections
    start = threading.Barrier(4)
    taken: list[list[int]] = [[], [], [], []]

    def sender(index: int, outbox: Store) -> None:
        start.wait()
        while batch := outbox.claim_mail(NOW, 3):
            taken[index].extend(mail.id for mail in batch)

    threads = [threading.Thread(target=sender, args=(i, (store, other)[i % 2])) for i in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        other.close()
    everything = [reminder_id for ids in taken for reminder_id in ids]
    assert sorted(everything) == sorted(recorded), "each reminder claimed exactly once"
    assert store.claim_mail(NOW, 100) == []


def test_the_app_lists_a_recipients_reminders_newest_first_and_forgetting_removes_them(store):
    store.record_reminders([reminder("old", address="")], mail=False, now=NOW)
    store.record_reminders([reminder("new", address="ann@school.org")], mail=True, now=NOW + 60)
    store.record_reminders([reminder("to-coach", recipient=Recipient.COACH, recipient_id=3, about_person=7),
                            reminder("other-org", organisation_id=2)], mail=True, now=NOW + 120)  # fmt: skip
    listed = store.reminders_for(Recipient.PERSON, 7, 1)
    assert [(r.key, r.state, r.kind, r.sent_at) for r in listed] == [
        ("new", MailState.PENDING, ReminderKind.CHECK_IN_DUE, None),
        ("old", MailState.APP, ReminderKind.CHECK_IN_DUE, None),
    ]
    assert [r.key for r in store.reminders_for(Recipient.COACH, 3, 1)] == ["to-coach"]
    assert len(store.reminders_for(Recipient.PERSON, 7, 1, limit=1)) == 1
    assert store.forget_reminders([7]) == 4 and store.forget_reminders([]) == 0
    assert store.reminders_for(Recipient.COACH, 3, 1) == [] and store.reminders_for(Recipient.PERSON, 7, 2) == []


# Delivery to a real mail server


def test_a_due_reminder_reaches_the_mail_server_as_plain_text_with_its_links(store, mail):
    store.record_reminders([reminder("to-ann"), reminder("to-coach", address="coach@school.org",
                                                          recipient=Recipient.COACH, recipient_id=3,
                                                          subject="Zoë passed her check-in date — 3 days",
                                                          body="Zoë planned a check-in on Friday.")],
                           mail=True, now=NOW)  # fmt: skip
    report = deliver_due(store, settings_for(mail.port), BASE_URL, NOW, logger=logging.getLogger("test"))
    assert (report.sent, report.retrying, report.failed) == (2, 0, 0)
    to_ann, to_coach = sorted(mail.wait_for(2), key=lambda m: m.recipients)
    assert to_ann.recipients == ["ann@school.org"] and to_ann.sender == "pd@example.org"
    assert (to_ann.subject, to_ann.message["From"], to_ann.message["To"]) == (
        "Your check-in is today", SENDER, "ann@school.org")  # fmt: skip
    stop = link_in(to_ann.body, "stop")
    assert to_ann.message["List-Unsubscribe"] == f"<{stop_url(BASE_URL, stop)}>"
    assert to_ann.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert to_ann.body.startswith("You planned to check in on your goal today.\n")
    assert to_ann.body.rstrip().endswith(f"Stop these reminders: {BASE_URL}/stop/{stop}")
    assert b"<img" not in to_ann.raw and b"text/html" not in to_ann.raw
    follow_up = link_in(to_ann.body, "r")
    assert store.follow_up_link(follow_up, NOW + 29 * 86400) == (1, 7)
    assert store.follow_up_link(follow_up, NOW + 31 * 86400) is None and store.follow_up_link(stop, NOW) is None
    assert to_coach.subject == "Zoë passed her check-in date — 3 days" and "Zoë planned" in to_coach.body
    assert "/r/" not in to_coach.body and "Stop these reminders:" in to_coach.body  # a coach's has no follow-up link
    assert store.stopped_for(stop) is False
    assert deliver_due(store, settings_for(mail.port), BASE_URL, NOW + 3600, logger=logging.getLogger("t")).sent == 0
    assert len(mail.received) == 2


@pytest.mark.parametrize(("tls", "scheme"), [("starttls", "smtp+starttls"), ("tls", "smtps")])
def test_mail_goes_over_starttls_or_tls_with_a_login(tmp_path, monkeypatch, store, tls, scheme):
    certificate = make_certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))  # the test server's certificate is the one trusted
    with SmtpServer(login=("ann", PASSWORD), tls=tls, certificate=certificate) as server:
        settings = settings_for(server.port, scheme, f"ann:{PASSWORD}@")
        store.record_reminders([reminder("secure")], mail=True, now=NOW)
        assert deliver_due(store, settings, BASE_URL, NOW, logger=logging.getLogger("test")).sent == 1
        assert server.wait_for(1)[0].subject == "Your check-in is today" and server.logins == ["ann"]


def test_a_server_without_starttls_never_gets_the_password(store, database, mail):
    store.record_reminders([reminder("careful")], mail=True, now=NOW)
    report = deliver_due(store, settings_for(mail.port, "smtp+starttls", f"ann:{PASSWORD}@"), BASE_URL, NOW,
                         logger=logging.getLogger("test"))  # fmt: skip
    assert report.retrying == 1 and mail.logins == [] and mail.received == []
    assert "STARTTLS" in rows(database)[0][4]


def test_a_down_mail_server_is_retried_with_growing_delays_then_given_up(store, database, caplog):
    store.record_reminders([reminder("patient")], mail=True, now=NOW)
    settings = settings_for(free_port(), "smtp", f"ann:{PASSWORD}@")  # nothing listens there
    now, delays = NOW, []
    with caplog.at_level(logging.WARNING):
        for attempt in range(1, MAX_ATTEMPTS + 1):
            assert deliver_due(store, settings, BASE_URL, now, logger=logging.getLogger("t")).sent == 0
            ((_, state, attempts, next_attempt_at, error),) = rows(database)
            assert attempts == attempt and "refused the connection" in error
            if attempt < MAX_ATTEMPTS:
                assert state == "retry"
                delays.append(next_attempt_at - now)
                idle = deliver_due(store, settings, BASE_URL, next_attempt_at - 1, logger=logging.getLogger("t"))
                assert idle == DeliveryReport() and rows(database)[0][2] == attempt  # not due yet: not tried
                now = next_attempt_at
    assert delays == [FIRST_RETRY * 2**n for n in range(MAX_ATTEMPTS - 1)]
    assert rows(database)[0][1] == "failed"
    problems = store.mail_problems(1)
    assert (problems.failed, problems.retrying) == (1, 0) and "refused the connection" in problems.latest_error
    assert PASSWORD not in caplog.text and "ann@school.org" not in caplog.text and "given up" in caplog.text


def test_a_refused_login_is_retried_and_neither_the_log_nor_the_leaders_see_the_password(store, database, caplog):
    with SmtpServer(login=("ann", "the-right-one")) as server, caplog.at_level(logging.WARNING):
        store.record_reminders([reminder("locked-out"), reminder("next-in-line", address="bo@school.org")],
                               mail=True, now=NOW)  # fmt: skip
        report = deliver_due(store, settings_for(server.port, "smtp", f"ann:{PASSWORD}@"), BASE_URL, NOW,
                             logger=logging.getLogger("test"))  # fmt: skip
    assert report == DeliveryReport(retrying=1) and server.received == [] and server.logins
    # The pass stopped at the first: the next would fare no better, and keeps its attempts for when it can.
    assert [row[1:3] for row in rows(database)] == [("retry", 1), ("pending", 0)]
    problems = store.mail_problems(1)
    assert problems.retrying == 1 and "refused the login" in problems.latest_error
    assert PASSWORD not in problems.latest_error and PASSWORD not in caplog.text and "refused the login" in caplog.text


def test_an_address_the_server_refuses_or_that_is_no_address_is_given_up_at_once(store, database, caplog):
    with SmtpServer(refused={"gone@school.org"}) as server, caplog.at_level(logging.WARNING):
        store.record_reminders([reminder("refused", address="gone@school.org"),
                                reminder("not-mail", address="staff-0042"),
                                reminder("fine", address="bo@school.org")], mail=True, now=NOW)  # fmt: skip
        report = deliver_due(store, settings_for(server.port), BASE_URL, NOW, logger=logging.getLogger("test"))
        assert (report.sent, report.failed) == (1, 2)
        assert [m.recipients for m in server.wait_for(1)] == [["bo@school.org"]]
    states = [(key, state, attempts) for key, state, attempts, *_ in rows(database)]
    assert states == [("refused", "failed", 1), ("not-mail", "failed", 1), ("fine", "sent", 1)]
    assert "550" in rows(database)[0][4] and "gone@" not in rows(database)[0][4] + caplog.text
    assert "not an e-mail address" in rows(database)[1][4]


def test_a_message_cut_off_after_the_server_had_it_is_never_sent_again(store, database):
    with SmtpServer(stall=True) as server:
        store.record_reminders([reminder("cut-off")], mail=True, now=NOW)
        report = deliver_due(store, settings_for(server.port, timeout=0.5), BASE_URL, NOW,
                             logger=logging.getLogger("test"))  # fmt: skip
        assert report.unconfirmed == 1 and rows(database)[0][1] == "unconfirmed"
        assert len(server.wait_for(1)) == 1  # it had got there: the answer saying so was what went missing
        server.release()
        later = deliver_due(store, settings_for(server.port), BASE_URL, NOW + 86400, logger=logging.getLogger("t"))
        assert later.sent == 0 and len(server.received) == 1
    assert store.mail_problems(1).unconfirmed == 1


def test_a_reminder_left_sending_by_a_crash_is_never_sent_and_one_recorded_but_unclaimed_still_is(store, database,
                                                                                                 mail):  # fmt: skip
    store.record_reminders([reminder("claimed-then-crash"), reminder("recorded-then-crash", address="bo@school.org")],
                           mail=True, now=NOW)  # fmt: skip
    assert len(store.claim_mail(NOW, 1)) == 1  # the sender stops here, before it says what became of the message
    crashed = Store(database)  # the server starts again
    try:
        assert crashed.unconfirmed_after_crash(NOW + 60) == 0  # may still be in another process's hands
        first = deliver_due(crashed, settings_for(mail.port), BASE_URL, NOW + 60, logger=logging.getLogger("t"))
        assert first.sent == 1 and [m.recipients for m in mail.wait_for(1)] == [["bo@school.org"]]
        later = deliver_due(crashed, settings_for(mail.port), BASE_URL, NOW + SENDING_AT_MOST + 61,
                            logger=logging.getLogger("t"))  # fmt: skip
        assert (later.stalled, later.sent) == (1, 0) and len(mail.received) == 1
    finally:
        crashed.close()
    assert [state for _, state, *_ in rows(database)] == ["unconfirmed", "sent"]
    assert store.mail_problems(1).unconfirmed == 1 and store.claim_mail(NOW + 10**6, 10) == []
