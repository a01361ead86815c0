"""An ideas step on a phone over bad Wi-Fi, in Chromium: an idea or a vote whose reply is lost counts once after the
reconnect, one whose reply never comes is sent again on the same connection, and what waits survives a reload; the
ballot lists the room's ideas as they were posted (the person's own marked, not first); a hidden idea's votes come
back to their voter (told in the ballot), even one whose reply comes late; two ideas alike both count; a post refused
once the step moved on is told with its text; and nothing kept reaches the server after "Delete my answers"."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import PHONE, assert_accessible
from tests.support.waiting import wait_until

pytestmark = pytest.mark.live
EVENT = re.compile(r'^42/participant,(\d+)\["(\w+)"')  # Socket.IO: an event from the phone that wants a reply
REPLY = re.compile(r"^43/participant,(\d+)")  # and the server's reply to it


class Wifi:
    """The phone's WebSocket, passed on frame by frame, where a test loses what bad Wi-Fi would: an event on its
    way to the server, or the server's reply to one (and then, if asked, the connection too); or holds a reply back
    until ``release()``."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.routes: list[Any] = []
        self.upgraded = False
        self.lose_event: str | None = None  # every such event from the phone, while set
        self.lose_reply: tuple[str, bool] | None = None  # (the event whose next reply is lost, then cut the line)
        self._lost_replies: dict[str, bool] = {}  # reply id -> cut the line after losing it
        self.hold_reply: str | None = None  # the event whose next reply is held back
        self._held_ids: set[str] = set()
        self._held: list[tuple[Any, str]] = []  # (the page's end, a reply held back)
        self.sent: list[str] = []  # the events the phone sent, in order
        self._server: Any = None
        page.route_web_socket("**/socket.io/**", self._route)

    def _route(self, route: Any) -> None:
        self.routes.append(route)
        self.upgraded = False
        server = self._server = route.connect_to_server()

        def to_server(message: str | bytes) -> None:
            self.upgraded = self.upgraded or message == "5"  # Engine.IO's upgrade: from now on, all on this socket
            sent = EVENT.match(message) if isinstance(message, str) else None
            if sent and sent[2] == self.lose_event:
                return
            if sent:
                self.sent.append(sent[2])
            if sent and sent[2] == self.hold_reply:
                self._held_ids.add(sent[1])
                self.hold_reply = None
            if sent and self.lose_reply and sent[2] == self.lose_reply[0]:
                self._lost_replies[sent[1]] = self.lose_reply[1]
                self.lose_reply = None
            server.send(message)

        def to_page(message: str | bytes) -> None:
            reply = REPLY.match(message) if isinstance(message, str) else None
            if reply and reply[1] in self._lost_replies:
                if self._lost_replies.pop(reply[1]):
                    route.close()
                    server.close()
                return
            if reply and reply[1] in self._held_ids:
                self._held_ids.discard(reply[1])
                self._held.append((route, message))
                return
            route.send(message)

        route.on_message(to_server)
        server.on_message(to_page)

    def release(self) -> None:
        """Pass on the replies held back."""
        held, self._held = self._held, []
        for route, message in held:
            route.send(message)

    def cut(self) -> None:
        """Drop the connection, as a phone walking out of the Wi-Fi does."""
        self.routes[-1].close()
        self._server.close()

    def settled(self) -> None:
        wait_until(lambda: self.page.evaluate("true") and self.upgraded, message="the phone's socket to upgrade")


def affinity(server: Any, peers: Any) -> tuple[str, Any, str]:
    """A session on Affinity's silent brainstorm: its code, its console, and its steps' ids without the step."""
    created = server.create_session(agenda=["affinity"])
    console = peers(server.url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    console.call("next")
    brainstorm = console.call("next")["step_id"]
    return created["code"], console, brainstorm.removesuffix("brainstorm")


def join(phone: Page, server: Any, code: str, name: str) -> None:
    phone.goto(f"{server.url}/j/{code}")
    phone.get_by_test_id("name-input").fill(name)
    phone.get_by_test_id("join-button").click()
    expect(phone.get_by_test_id("step-title")).to_be_visible()


def on_the_ballot(phone: Page) -> list[str]:
    return phone.get_by_test_id("idea").locator(".idea-text").all_inner_texts()


def test_an_idea_and_a_vote_whose_reply_is_lost_count_once_after_the_reconnect(live_server, contexts, peers):
    code, console, step = affinity(live_server, peers)
    phone = contexts(PHONE).new_page()
    wifi = Wifi(phone)
    join(phone, live_server, code, "Ana")
    expect(phone.get_by_test_id("step-title")).to_have_text("Ideas, in silence")
    wifi.settled()

    # The idea reaches the server; its reply is lost with the connection. The phone sends it again once back.
    wifi.lose_reply = ("post_idea", True)
    phone.get_by_test_id("idea-text").fill("Peer observation every half term")
    phone.get_by_test_id("post-idea").click()
    expect(phone.get_by_test_id("ideas-status")).to_have_text("Sending…")
    wait_until(lambda: phone.evaluate("true") and len(wifi.routes) == 2, message="the phone to reconnect")
    expect(phone.get_by_test_id("ideas-status")).to_have_text("")
    expect(phone.get_by_test_id("own-ideas").locator("li")).to_have_count(1)
    expect(phone.get_by_text("1 of 5 ideas posted")).to_be_visible()

    # The same for a vote.
    assert console.call("goto", {"step_id": f"{step}vote"})["ok"]
    expect(phone.get_by_test_id("votes-left")).to_have_text("5 of 5 votes left")
    wifi.settled()
    wifi.lose_reply = ("vote", True)
    phone.get_by_test_id("idea").get_by_test_id("vote").click()
    wait_until(lambda: phone.evaluate("true") and len(wifi.routes) == 3, message="the phone to reconnect")
    expect(phone.get_by_test_id("ideas-status")).to_have_text("")
    expect(phone.get_by_test_id("idea")).to_have_attribute("data-votes", "1")
    expect(phone.get_by_test_id("votes-left")).to_have_text("4 of 5 votes left")
    totals = console.wait_for("ideas_delta", lambda delta: delta["total_votes"] == 1)
    assert totals["total_ideas"] == 1


def test_a_vote_without_a_reply_is_sent_again_on_the_same_connection(live_server, contexts, peers):
    code, console, step = affinity(live_server, peers)
    ben = peers(live_server.url, "/participant", code=code, name="Ben").connect()
    idea = {"step_id": f"{step}brainstorm", "idea_id": "b1", "text": "Feedback students act on"}
    assert ben.call("post_idea", idea)["ok"]
    assert console.call("goto", {"step_id": f"{step}vote"})["ok"]
    phone = contexts(PHONE).new_page()
    wifi = Wifi(phone)
    join(phone, live_server, code, "Ana")
    expect(phone.get_by_test_id("votes-left")).to_have_text("5 of 5 votes left")
    wifi.settled()

    wifi.lose_reply = ("vote", False)  # counted, and the reply lost: the connection stays up
    phone.get_by_test_id("idea").get_by_test_id("vote").click()
    expect(phone.get_by_test_id("ideas-status")).to_have_text("Sending…")
    expect(phone.get_by_test_id("ideas-status")).to_have_text("", timeout=30_000)  # past the ack's 10 s
    expect(phone.get_by_test_id("idea")).to_have_attribute("data-votes", "1")
    expect(phone.get_by_test_id("votes-left")).to_have_text("4 of 5 votes left")
    assert len(wifi.routes) == 1, "sent again without a new connection"
    assert console.wait_for("ideas_delta", lambda delta: delta["total_votes"] == 1)


def test_ideas_and_votes_waiting_on_the_phone_survive_a_reload(live_server, contexts, peers):
    code, console, step = affinity(live_server, peers)
    phone = contexts(PHONE).new_page()
    wifi = Wifi(phone)
    join(phone, live_server, code, "Ana")
    expect(phone.get_by_test_id("step-title")).to_have_text("Ideas, in silence")
    wifi.settled()

    wifi.lose_event = "post_idea"  # never reaches the server
    phone.get_by_test_id("idea-text").fill("Peer observation every half term")
    phone.get_by_test_id("post-idea").click()
    expect(phone.get_by_test_id("ideas-status")).to_have_text("Sending…")
    wifi.lose_event = None
    phone.reload()
    expect(phone.get_by_test_id("own-ideas")).to_contain_text("Peer observation every half term")
    expect(phone.get_by_test_id("ideas-status")).to_have_text("")
    console.wait_for("ideas_delta", lambda delta: delta["total_ideas"] == 1)

    assert console.call("goto", {"step_id": f"{step}vote"})["ok"]
    expect(phone.get_by_test_id("votes-left")).to_have_text("5 of 5 votes left")
    wifi.settled()
    wifi.lose_event = "vote"
    phone.get_by_test_id("idea").get_by_test_id("vote").click()
    wifi.lose_event = None
    phone.reload()
    expect(phone.get_by_test_id("idea")).to_have_attribute("data-votes", "1")
    expect(phone.get_by_test_id("votes-left")).to_have_text("4 of 5 votes left")
    expect(phone.get_by_test_id("ideas-status")).to_have_text("")
    console.wait_for("ideas_delta", lambda delta: delta["total_votes"] == 1)


def test_the_ballot_lists_ideas_as_posted_and_a_hidden_idea_gives_its_votes_back(live_server, contexts, peers):
    code, console, step = affinity(live_server, peers)
    ben = peers(live_server.url, "/participant", code=code, name="Ben").connect()
    phone = contexts(PHONE).new_page()
    join(phone, live_server, code, "Ana")
    posted = {}
    for n, text in enumerate(["Feedback students act on", "Time to plan together"]):
        posted[text] = ben.call("post_idea", {"step_id": f"{step}brainstorm", "idea_id": f"b{n}", "text": text})["idea"]
    phone.get_by_test_id("idea-text").fill("Peer observation every half term")
    phone.get_by_test_id("post-idea").click()
    expect(phone.get_by_test_id("own-ideas")).to_contain_text("Peer observation every half term")
    assert_accessible(phone, "the phone's ideas step, posting")

    # The phone's own idea is marked, in its place as posted: not first, which would invite a vote for it.
    assert console.call("goto", {"step_id": f"{step}vote"})["ok"]
    expect(phone.get_by_test_id("idea")).to_have_count(3)
    assert on_the_ballot(phone) == [
        "Feedback students act on",
        "Time to plan together",
        "Peer observation every half term",
    ]
    expect(phone.get_by_test_id("idea").last).to_contain_text("Your idea")
    assert_accessible(phone, "the phone's ballot")

    # Three dots on one idea; the facilitator hides it: off the ballot, and the dots come back.
    hidden = phone.get_by_test_id("idea").filter(has_text="Time to plan together")
    for _ in range(3):
        hidden.get_by_test_id("vote").click()
    expect(hidden).to_have_attribute("data-votes", "3")
    phone.get_by_test_id("idea").first.get_by_test_id("vote").click()
    expect(phone.get_by_test_id("votes-left")).to_have_text("1 of 5 votes left")
    assert console.call("moderate_idea", {"idea": posted["Time to plan together"], "hidden": True})["ok"]
    expect(phone.get_by_test_id("idea")).to_have_count(2)
    expect(phone.get_by_test_id("votes-left")).to_have_text("4 of 5 votes left")
    expect(phone.get_by_test_id("votes-back")).to_have_text("An idea you voted for was hidden: your 3 votes are back.")
    expect(phone.get_by_test_id("idea").first).to_have_attribute("data-votes", "1")
    assert_accessible(phone, "the phone's ballot, votes given back")
    phone.get_by_test_id("idea").last.get_by_test_id("vote").click()
    expect(phone.get_by_test_id("votes-left")).to_have_text("3 of 5 votes left")
    expect(phone.get_by_test_id("votes-back")).to_have_count(0)  # told once: gone with the next vote
    console.wait_for("ideas_delta", lambda delta: (delta["total_ideas"], delta["total_votes"]) == (2, 2))


def test_a_parking_lot_post_waiting_on_the_phone_survives_a_reload(live_server, contexts, peers):
    """The parking lot keeps its posts in the same outbox as ideas and votes."""
    code, _, _ = affinity(live_server, peers)
    phone = contexts(PHONE).new_page()
    wifi = Wifi(phone)
    join(phone, live_server, code, "Ana")
    wifi.settled()

    wifi.lose_event = "parking_lot_post"
    phone.get_by_test_id("menu").click()
    phone.get_by_test_id("menu-parking-lot").click()
    phone.get_by_test_id("parking-lot-input").fill("Can we get the slides?")
    phone.get_by_test_id("parking-lot-post").click()
    expect(phone.get_by_test_id("parking-lot-status")).to_have_text("Posting…")
    wifi.lose_event = None
    phone.reload()
    ben = peers(live_server.url, "/participant", code=code, name="Ben").connect()
    wait_until(
        lambda: phone.evaluate("true") and ben.call("parking_lot_open", {})["items"],
        message="the kept post to reach the board",
    )
    assert [item["text"] for item in ben.call("parking_lot_open", {})["items"]] == ["Can we get the slides?"]


def post(phone: Page, text: str) -> None:
    phone.get_by_test_id("idea-text").fill(text)
    phone.get_by_test_id("post-idea").click()


def test_nothing_kept_on_the_phone_reaches_the_server_after_delete_my_answers(live_server, contexts, peers):
    code, console, _ = affinity(live_server, peers)
    phone = contexts(PHONE).new_page()
    wifi = Wifi(phone)
    join(phone, live_server, code, "Ana")
    expect(phone.get_by_test_id("step-title")).to_have_text("Ideas, in silence")
    wifi.settled()

    # Two ideas wait on the phone (the first was lost on its way); sent again, the first reaches the server and its
    # reply is slow to come back.
    wifi.lose_event = "post_idea"
    post(phone, "Peer observation every half term")
    post(phone, "Feedback students act on")
    expect(phone.get_by_test_id("own-ideas").locator("li[data-status=sending]")).to_have_count(2)
    wifi.lose_event = None
    wifi.hold_reply = "post_idea"
    wait_until(lambda: phone.evaluate("true") and "post_idea" in wifi.sent, 30, "the first idea to go again")

    # Its reply comes as the person confirms "Delete my answers": the deletion goes once the idea on its way is
    # settled, and the idea waiting behind it is dropped, not sent.
    def confirm(dialog: Any) -> None:
        wifi.release()
        dialog.accept()

    phone.once("dialog", confirm)
    phone.get_by_test_id("menu").click()
    phone.get_by_test_id("menu-forget").click()
    expect(phone.get_by_test_id("phone-note")).to_have_text("Your answers were deleted.")
    assert wifi.sent == ["post_idea", "forget"]

    # An idea posted now goes last in line: anything left from before the deletion would land first.
    since = len(console.received)
    post(phone, "Time to plan together")
    expect(phone.get_by_test_id("own-ideas").locator("li")).to_have_count(1)
    delta = console.wait_for(
        "ideas_delta", lambda delta: any(i["text"] == "Time to plan together" for i in delta["ideas"]), since=since
    )
    assert delta["total_ideas"] == 1


def test_a_vote_given_back_before_its_reply_arrives_stays_given_back(live_server, contexts, peers):
    code, console, step = affinity(live_server, peers)
    ben = peers(live_server.url, "/participant", code=code, name="Ben").connect()
    texts = ["Feedback students act on", "Time to plan together"]
    posted = [
        ben.call("post_idea", {"step_id": f"{step}brainstorm", "idea_id": f"b{n}", "text": text})["idea"]
        for n, text in enumerate(texts)
    ]
    assert console.call("goto", {"step_id": f"{step}vote"})["ok"]
    phone = contexts(PHONE).new_page()
    wifi = Wifi(phone)
    join(phone, live_server, code, "Ana")
    expect(phone.get_by_test_id("votes-left")).to_have_text("5 of 5 votes left")
    wifi.settled()

    # The vote is counted, its reply slow; the facilitator hides the idea: the vote goes back before the reply comes.
    wifi.hold_reply = "vote"
    phone.get_by_test_id("idea").first.get_by_test_id("vote").click()
    expect(phone.get_by_test_id("ideas-status")).to_have_text("Sending…")
    assert console.call("moderate_idea", {"idea": posted[0], "hidden": True})["ok"]
    expect(phone.get_by_test_id("idea")).to_have_count(1)
    wifi.release()
    expect(phone.get_by_test_id("ideas-status")).not_to_have_text("Sending…")  # its reply, or a refusal if resent
    expect(phone.get_by_test_id("votes-left")).to_have_text("5 of 5 votes left")
    expect(phone.get_by_test_id("idea")).to_have_attribute("data-votes", "0")


def test_two_ideas_alike_both_count_while_the_second_is_on_its_way(live_server, contexts, peers):
    code, _, _ = affinity(live_server, peers)
    phone = contexts(PHONE).new_page()
    wifi = Wifi(phone)
    join(phone, live_server, code, "Ana")
    expect(phone.get_by_test_id("step-title")).to_have_text("Ideas, in silence")
    wifi.settled()

    post(phone, "More time")
    expect(phone.get_by_test_id("own-ideas").locator("li[data-status=open]")).to_have_count(1)
    wifi.lose_event = "post_idea"
    post(phone, "More time")
    expect(phone.get_by_test_id("own-ideas").locator("li")).to_have_count(2)
    expect(phone.get_by_test_id("own-ideas").locator("li[data-status=sending]")).to_have_text("More timeSending…")
    expect(phone.get_by_text("2 of 5 ideas posted")).to_be_visible()


def test_an_idea_refused_once_the_step_moved_on_is_told_with_its_text(live_server, contexts, peers):
    code, console, step = affinity(live_server, peers)
    phone = contexts(PHONE).new_page()
    wifi = Wifi(phone)
    join(phone, live_server, code, "Ana")
    expect(phone.get_by_test_id("step-title")).to_have_text("Ideas, in silence")
    wifi.settled()

    wifi.lose_event = "post_idea"  # never reaches the server while the step is open
    post(phone, "Peer observation every half term")
    expect(phone.get_by_test_id("ideas-status")).to_have_text("Sending…")
    assert console.call("goto", {"step_id": f"{step}vote"})["ok"]
    expect(phone.get_by_test_id("votes-left")).to_have_text("5 of 5 votes left")
    wifi.lose_event = None
    wifi.cut()  # back on a new connection, the phone sends it: refused, as its step has closed
    note = phone.get_by_test_id("phone-note")
    expect(note).to_contain_text("Your idea “Peer observation every half term” was not posted")
    expect(note).to_contain_text("not open any more")
    expect(phone.get_by_test_id("ideas-status")).to_have_text("")
    expect(phone.get_by_test_id("own-ideas")).to_have_count(0)
