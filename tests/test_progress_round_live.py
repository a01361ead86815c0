"""A progress round over a real server and real Socket.IO clients: only people who chose to share with their
organisation are featured, someone who withdraws mid-round disappears at the next move, a double click moves once,
warm feedback from a phone lands in the featured person's thread, and no private canary reaches any shared view."""

import json
from typing import Any

import requests

from exports.measure_chart import PROJECTOR_FONT_SIZE, SVG_FONT_SIZE
from facilitator.edge.language import language
from tests.support.progress_day import PEOPLE, join_today, note_canary, progress_day, reflection_canary

CANARIES = [reflection_canary(name.split()[0]) for name in PEOPLE] + [note_canary("Ana")]
PRAISE = "The paired reading made a real difference in 3B: thank you for showing the running records!"


def featured_name(message: dict[str, Any]) -> str | None:
    return message["featured"]["name"] if message.get("active") and message.get("featured") else None


def assert_no_canary(where: str, payload: Any) -> None:
    text = json.dumps(payload, ensure_ascii=False)
    for canary in CANARIES:
        assert canary not in text, f"{canary} reached {where}"


def test_a_progress_round_features_only_those_who_share_with_the_organisation(live_server, peers):
    day = progress_day(live_server.url, peers)
    url, today = day.url, day.today
    phones = {first: join_today(day, peers, first) for first in ("Ana", "Ben", "Cara", "Dev", "Eve")}
    console = peers(url, "/facilitator", code=today["code"], key=today["facilitator_key"]).connect()
    projector = peers(url, "/projector", code=today["code"]).connect()

    # Nobody shares yet: the console is told so, and nothing is shown.
    refused = console.call("progress_round_start", {})
    assert refused["ok"] is False and refused["code"] == "nobody_shares", refused
    for first, audience in (("Ana", "organisation"), ("Ben", "group"), ("Dev", "organisation"),
                            ("Eve", "organisation")):  # fmt: skip
        assert day.share(first, audience).status_code == 200
    # Cara shares with nobody (the default).

    started = console.call("progress_round_start", {})
    assert started == {"ok": True, "at": 0}, started
    shown = projector.wait_for("progress_round", lambda m: featured_name(m) == "Ana Lima")
    assert (shown["place"], shown["of"]) == (1, 3)
    card = shown["featured"]
    assert card["goal"] == "Every reader in 3B at grade level by June"
    assert card["system_goal"] == "Every student reads fluently by grade 3"
    assert [p["value"] for p in card["measure"]["results"]] == [48, 61]
    assert (card["measure"]["baseline"]["value"], card["measure"]["target"]["value"]) == (40, 80)
    assert card["chart_svg"].startswith("<svg") and "Ana Lima: Share of my class reading" in card["chart_svg"]
    assert card["evidence"] == [], "the room opens no file"
    state = console.wait_for("progress_round", lambda m: featured_name(m) == "Ana Lima")
    assert [p["name"] for p in state["people"]] == ["Ana Lima", "Dev Patel", "Eve Moreau"], "Ben (group) and Cara out"
    ben_sees = phones["Ben"].wait_for("progress_round", lambda m: featured_name(m) == "Ana Lima")
    assert ben_sees["yours"] is False and ben_sees["featured"]["goal"] == card["goal"]
    assert phones["Ana"].wait_for("progress_round", lambda m: m.get("yours") is True)["featured"]["name"] == "Ana Lima"

    # Warm feedback from Ben's phone lands in Ana's thread, once however often the phone resends it.
    feedback = {"round": ben_sees["round"], "at": ben_sees["at"], "feedback_id": "ben-1", "body": PRAISE}
    assert phones["Ben"].call("warm_feedback", feedback) == {"ok": True, "feedback_id": "ben-1"}
    assert phones["Ben"].call("warm_feedback", feedback)["ok"], "a resend after a lost ack lands once"
    own = phones["Ana"].call("warm_feedback", {**feedback, "feedback_id": "ana-1"})
    assert own["ok"] is False and own["code"] == "own_progress"
    thread = requests.get(f"{url}/p/{day.tokens['Ana']}/coaching.json", timeout=10).json()["thread"]
    warm = [m for m in thread if m["kind"] == "warm_feedback"]
    assert [(m["by"], m["body"], m["author"]) for m in warm] == [("Ben Okafor", PRAISE, "colleague")]
    assert PRAISE in requests.get(day.plan_url("Ana"), timeout=10).text, "on her plan page"

    # Dev withdraws while Ana is featured: the next move skips him; feedback to his card is refused.
    assert day.share("Dev", "nobody").status_code == 200
    assert console.wait_for("progress_round", lambda m: m.get("of") == 2)["featured"]["name"] == "Ana Lima"
    moved = console.call("progress_round_next", {"from": 0})
    assert moved == {"ok": True, "at": 2, "active": True}, moved
    assert console.call("progress_round_next", {"from": 0})["code"] == "stale_move", "a double click moves once"
    assert projector.wait_for("progress_round", lambda m: featured_name(m) == "Eve Moreau")["place"] == 2
    late = phones["Ben"].call("warm_feedback", {**feedback, "at": 1, "feedback_id": "ben-2", "body": "Well done, Dev"})
    assert late["ok"] is False and late["code"] == "not_shared", late
    assert (
        phones["Eve"].wait_for("progress_round", lambda m: m.get("yours") is True)["featured"]["name"] == "Eve Moreau"
    )

    # A console reloaded, a projector and a phone reconnecting: each gets the featured card again.
    again = peers(url, "/facilitator", code=today["code"], key=today["facilitator_key"]).connect()
    assert featured_name(again.wait_for("progress_round")) == "Eve Moreau"
    phones["Cara"].disconnect()
    cara = join_today(day, peers, "Cara")
    assert featured_name(cara.wait_for("progress_round")) == "Eve Moreau"
    assert console.call("progress_round_prev", {"from": 2})["at"] == 0, "back to Ana, Dev still skipped"
    assert console.call("progress_round_end", {}) == {"ok": True, "active": False}
    projector.wait_for("progress_round", lambda m: m == {"active": False})
    assert console.call("progress_round_next", {"from": 0})["code"] == "no_progress_round"

    # No canary anywhere a shared view reached: the walls, the leaders' wall, every screen's messages.
    for first in ("Ana", "Ben", "Cara", "Dev", "Eve"):
        assert_no_canary(f"{first}'s wall", day.progress(first)["organisation"] + day.progress(first)["group"])
    assert_no_canary("the leaders' wall", day.leaders_wall().json())
    for name, peer in (("the projector", projector), ("the console", console), ("a reloaded console", again),
                       *((f"{first}'s phone", phone) for first, phone in phones.items())):  # fmt: skip
        assert_no_canary(name, peer.all("progress_round"))


def test_a_round_survives_a_restart_and_needs_an_organisation(live_server, peers):
    day = progress_day(live_server.url, peers)
    for first in ("Ana", "Eve"):
        join_today(day, peers, first)
        assert day.share(first, "organisation").status_code == 200
    console = peers(day.url, "/facilitator", code=day.today["code"], key=day.today["facilitator_key"]).connect()
    assert console.call("progress_round_start", {})["ok"]
    assert console.call("progress_round_next", {"from": 0})["at"] == 1
    console.disconnect()
    live_server.stop()
    live_server.start()
    again = peers(day.url, "/facilitator", code=day.today["code"], key=day.today["facilitator_key"]).connect()
    assert featured_name(again.wait_for("progress_round")) == "Eve Moreau"
    projector = peers(day.url, "/projector", code=day.today["code"]).connect()
    assert projector.wait_for("progress_round")["place"] == 2
    assert again.call("progress_round_next", {"from": 1}) == {"ok": True, "at": None, "active": False}, "past the last"

    alone = live_server.create_session(title="A session of no organisation")
    lonely = peers(day.url, "/facilitator", code=alone["code"], key=alone["facilitator_key"]).connect()
    refused = lonely.call("progress_round_start", {})
    assert refused["ok"] is False and refused["code"] == "no_organisation"


def test_someone_who_deletes_everything_leaves_a_running_round_at_once(live_server, peers):
    """Deleting everything from one's plan page takes one's card off the projector and every phone there and then,
    not at the facilitator's next move."""
    day = progress_day(live_server.url, peers)
    for first in ("Ana", "Eve"):
        join_today(day, peers, first)
        assert day.share(first, "organisation").status_code == 200
    console = peers(day.url, "/facilitator", code=day.today["code"], key=day.today["facilitator_key"]).connect()
    projector = peers(day.url, "/projector", code=day.today["code"]).connect()
    assert console.call("progress_round_start", {})["ok"]
    projector.wait_for("progress_round", lambda m: featured_name(m) == "Ana Lima")
    gone = requests.post(f"{day.url}/p/{day.tokens['Ana']}/forget", data={"confirm": "delete"}, timeout=10)
    assert gone.status_code == 200
    shown = projector.wait_for("progress_round", lambda m: m.get("of") == 1)
    assert featured_name(shown) is None and "Ana" not in json.dumps(shown, ensure_ascii=False)
    people = console.wait_for("progress_round", lambda m: m.get("of") == 1)["people"]
    assert [person["name"] for person in people] == ["Eve Moreau"]


def test_the_round_s_chart_speaks_the_session_s_language_and_is_drawn_larger_for_the_projector(live_server, peers):
    """The projector's card is read from the back of a hall, in the session's language: its chart's words are drawn
    larger than on the console's card, and its legend is the catalogue's."""
    day = progress_day(live_server.url, peers)
    today = day.today
    join_today(day, peers, "Ana")
    assert day.share("Ana", "organisation").status_code == 200
    console = peers(day.url, "/facilitator", code=today["code"], key=today["facilitator_key"]).connect()
    assert console.call("session_language", {"language": "fr"})["ok"]
    projector = peers(day.url, "/projector", code=today["code"]).connect()
    assert console.call("progress_round_start", {})["ok"]
    shown = projector.wait_for("progress_round", lambda m: featured_name(m) == "Ana Lima")["featured"]["chart_svg"]
    beside = console.wait_for("progress_round", lambda m: featured_name(m) == "Ana Lima")["featured"]["chart_svg"]
    french = language("fr")
    for english in ("Baseline", "Results", "Target"):
        assert f">{french.gettext(english)}</text>" in shown and french.gettext(english) != english
        assert f">{french.gettext(english)}</text>" in beside
    assert f'font-size="{PROJECTOR_FONT_SIZE}"' in shown and f'font-size="{SVG_FONT_SIZE}"' in beside
    again = peers(day.url, "/projector", code=today["code"]).connect()  # a projector that connects reads the same
    assert again.wait_for("progress_round", lambda m: featured_name(m) == "Ana Lima")["featured"]["chart_svg"] == shown
