"""What a phone types is never lost: text typed and not yet saved comes back after a reload or a closed tab, with a
note, until the server has saved it; it is only ever read back into its own person's page.

Debian's Chromium through Playwright against `pathways serve`.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import PHONE, SocketWatch
from tests.support.peers import console_answers
from tests.support.waiting import wait_until

pytestmark = pytest.mark.live

RESTORED = "Restored what you had typed; not saved yet."
ANSWERED_BEFORE = "You answered this already"
GOAL_TITLE = "Write your goal"
DRAFT = "By June, every lesson opens with a question my students ask"
EDIT = "By May, every lesson opens with a question my students wrote"


def session_on(server, peers, step_id: str):
    """A new session with its console, on ``step_id``."""
    created = server.create_session()
    console = peers(server.url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    assert console.call("goto", {"step_id": step_id})["ok"]
    return created, console


def join(page: Page, server, code: str, name: str, title: str) -> Page:
    page.goto(f"{server.url}/j/{code}")
    page.get_by_test_id("name-input").fill(name)
    page.get_by_test_id("join-button").click()
    expect(page.get_by_test_id("step-title")).to_have_text(title)
    return page


def reopen(context, server, code: str, title: str) -> Page:
    """The session's page in a new tab of the same browser (its storage, its token)."""
    page = context.new_page()
    page.goto(f"{server.url}/j/{code}")
    expect(page.get_by_test_id("step-title")).to_have_text(title)
    return page


def test_text_not_yet_saved_comes_back_after_a_reload_and_a_closed_tab_until_it_is_saved(
    shared_live_server, contexts, peers, shots
):
    server = shared_live_server
    created, _ = session_on(server, peers, "1:goal")
    context = contexts(PHONE)
    phone = join(context.new_page(), server, created["code"], "Ana", GOAL_TITLE)

    phone.get_by_test_id("answer-text").fill(DRAFT)
    phone.reload()  # at once: what was typed is kept as the page goes, not only after a pause
    expect(phone.get_by_test_id("answer-text")).to_have_value(DRAFT)
    expect(phone.get_by_test_id("answer-message")).to_have_text(RESTORED)
    expect(phone.get_by_test_id("saved-mark")).to_be_hidden()
    shots.take_whole(phone, "phone-draft-restored-390")
    assert console_answers(server, peers, created) == {}  # kept on the phone, never sent unasked

    phone.close()
    again = reopen(context, server, created["code"], GOAL_TITLE)
    expect(again.get_by_test_id("answer-text")).to_have_value(DRAFT)
    expect(again.get_by_test_id("answer-message")).to_have_text(RESTORED)

    again.get_by_test_id("submit").click()
    expect(again.get_by_test_id("saved-mark")).to_be_visible()
    assert console_answers(server, peers, created) == {"Ana": DRAFT}
    again.reload()
    expect(again.get_by_test_id("answer-text")).to_have_value(DRAFT)
    expect(again.get_by_test_id("answer-message")).to_contain_text(ANSWERED_BEFORE)

    # Typed over the saved answer and not saved: what the person typed comes back over it, with the note.
    again.get_by_test_id("answer-text").fill(EDIT)
    again.reload()
    expect(again.get_by_test_id("answer-text")).to_have_value(EDIT)
    expect(again.get_by_test_id("answer-message")).to_have_text(RESTORED)
    assert console_answers(server, peers, created) == {"Ana": DRAFT}
    again.get_by_test_id("submit").click()
    expect(again.get_by_test_id("saved-mark")).to_be_visible()
    again.reload()
    expect(again.get_by_test_id("answer-text")).to_have_value(EDIT)
    expect(again.get_by_test_id("answer-message")).to_contain_text(ANSWERED_BEFORE)
    assert console_answers(server, peers, created) == {"Ana": EDIT}


def test_list_items_and_their_dates_come_back_after_a_reload(shared_live_server, contexts, peers, shots):
    server = shared_live_server
    created, _ = session_on(server, peers, "1:action-steps")
    phone = join(contexts(PHONE).new_page(), server, created["code"], "Ben", "Plan your action steps")
    phone.get_by_test_id("add-item").click()
    phone.get_by_test_id("add-item").click()
    items = [("Try exit tickets in year 8", "2027-01-15"), ("Plan a reteach from the tickets", "2027-02-10")]
    for n, (text, day) in enumerate(items):
        phone.get_by_test_id("answer-item").nth(n).fill(text)
        phone.get_by_test_id("answer-item-date").nth(n).fill(day)
    phone.get_by_test_id("answer-item-date").nth(2).fill("2027-03-01")  # a date typed before its item's text

    phone.reload()
    expect(phone.get_by_test_id("answer-message")).to_have_text(RESTORED)
    expect(phone.get_by_test_id("answer-item")).to_have_count(3)
    for n, (text, day) in enumerate(items):
        expect(phone.get_by_test_id("answer-item").nth(n)).to_have_value(text)
        expect(phone.get_by_test_id("answer-item-date").nth(n)).to_have_value(day)
    expect(phone.get_by_test_id("answer-item").nth(2)).to_have_value("")
    expect(phone.get_by_test_id("answer-item-date").nth(2)).to_have_value("2027-03-01")
    shots.take_whole(phone, "phone-draft-list-390")

    phone.get_by_test_id("remove-item").nth(2).click()
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("saved-mark")).to_be_visible()
    phone.reload()
    expect(phone.get_by_test_id("answer-item")).to_have_count(2)
    expect(phone.get_by_test_id("answer-message")).to_contain_text(ANSWERED_BEFORE)
    assert console_answers(server, peers, created) == {"Ben": [{"text": t, "date": d} for t, d in items]}


def test_a_draft_is_read_back_only_into_its_own_persons_page_and_deleting_answers_deletes_it(
    shared_live_server, contexts, peers
):
    server = shared_live_server
    created, _ = session_on(server, peers, "1:goal")
    code = created["code"]
    context = contexts(PHONE)
    phone = join(context.new_page(), server, code, "Ana", GOAL_TITLE)
    phone.get_by_test_id("answer-text").fill(DRAFT)
    ana = phone.evaluate(f"() => localStorage.getItem('pathways:token:{code}')")

    # Someone else comes back on this device (their own link): Ana's unsaved text is not theirs to see.
    ben = peers(server.url, "/participant", code=code, name="Ben").connect().wait_for("welcome")["token"]
    phone.evaluate(f"() => localStorage.setItem('pathways:token:{code}', '{ben}')")
    phone.reload()
    expect(phone.get_by_test_id("step-title")).to_have_text(GOAL_TITLE)
    expect(phone.get_by_test_id("answer-text")).to_have_value("")
    expect(phone.get_by_test_id("answer-message")).to_have_text("")

    phone.evaluate(f"() => localStorage.setItem('pathways:token:{code}', '{ana}')")
    phone.reload()
    expect(phone.get_by_test_id("answer-text")).to_have_value(DRAFT)
    expect(phone.get_by_test_id("answer-message")).to_have_text(RESTORED)

    # Deleting one's answers from the menu deletes what was typed and not saved, too.
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_test_id("menu").click()
    phone.get_by_test_id("menu-forget").click()
    expect(phone.get_by_test_id("phone-note")).to_have_text("Your answers were deleted.")
    expect(phone.get_by_test_id("answer-text")).to_have_value("")
    phone.reload()
    expect(phone.get_by_test_id("step-title")).to_have_text(GOAL_TITLE)
    expect(phone.get_by_test_id("answer-text")).to_have_value("")
    expect(phone.get_by_test_id("answer-message")).to_have_text("")
    stored = phone.evaluate("() => Object.keys(localStorage).map((key) => localStorage.getItem(key)).join('\\n')")
    assert DRAFT not in stored


def test_an_answer_the_server_refuses_keeps_what_was_typed(live_server, contexts, peers):
    """Saved while the phone was cut off, refused once it is back (the step had closed): the text stays on the
    phone and comes back, with the note, when the facilitator opens the step again."""
    created, console = session_on(live_server, peers, "1:goal")
    code = created["code"]
    page = contexts(PHONE).new_page()
    watch = SocketWatch(page)
    phone = join(page, live_server, code, "Ana", GOAL_TITLE)
    phone.get_by_test_id("answer-text").fill(DRAFT)
    wait_until(watch.settled, message="the phone's socket to settle on WebSocket")

    # The phone cannot reach the server (new connections refused, the open one dropped) and saves meanwhile.
    phone.route("**/socket.io/**", lambda route: route.abort())
    phone.route_web_socket("**/socket.io/**", lambda socket: socket.close())
    console.disconnect()
    live_server.kill()
    expect(phone.get_by_test_id("reconnecting")).to_be_visible()
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("answer-message")).to_contain_text("Kept on this phone")

    # The facilitator moves on before the phone is back: the kept answer is refused, the typed text is not lost.
    live_server.start()
    console = peers(live_server.url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    assert console.call("goto", {"step_id": "1:action-steps"})["ok"]
    phone.unroute_all()  # back on the network: the phone connects again by itself and sends what it kept
    expect(phone.get_by_test_id("phone-note")).to_contain_text(f"Your answer to “{GOAL_TITLE}” was not saved")
    expect(phone.get_by_test_id("step-title")).to_have_text("Plan your action steps")
    assert console_answers(live_server, peers, created) == {}

    assert console.call("goto", {"step_id": "1:goal"})["ok"]
    expect(phone.get_by_test_id("step-title")).to_have_text(GOAL_TITLE)
    expect(phone.get_by_test_id("answer-text")).to_have_value(DRAFT)
    expect(phone.get_by_test_id("answer-message")).to_have_text(RESTORED)
