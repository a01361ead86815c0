"""Ideas steps in the rooms they meet, over a real server and real Socket.IO clients: a step whose posting is one
role's (1-2-4-All's "All") takes everyone's ideas while no tables are formed and only the role's once they are, the
boards saying which; and a spotlight set on one step is down when the next step of the same ideas opens."""

from typing import Any

import pytest

pytestmark = pytest.mark.live


def start(server: Any, peers: Any, agenda: list[str], people: int) -> tuple[Any, Any, list[Any]]:
    created = server.create_session(agenda=agenda)
    url, code = server.url, created["code"]
    console = peers(url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    projector = peers(url, "/projector", code=code).connect()
    phones = [peers(url, "/participant", code=code, name=f"Person {n}").connect() for n in range(people)]
    for phone in phones:
        phone.wait_for("welcome")
    return console, projector, phones


def open_step(console: Any, ending: str) -> str:
    """Go to the agenda's step whose id ends with ``ending``; its id."""
    state = console.wait_for("state", lambda s: any(step["id"].endswith(ending) for step in s["agenda"]))
    step_id = next(step["id"] for step in state["agenda"] if step["id"].endswith(ending))
    assert console.call("goto", {"step_id": step_id})["ok"]
    return step_id


def post(phone: Any, step_id: str, n: int) -> dict[str, Any]:
    return phone.call("post_idea", {"step_id": step_id, "idea_id": f"idea-{n}", "text": f"The idea of table {n}"})


def test_the_reporters_step_takes_everyones_ideas_while_no_tables_are_formed(live_server, peers):
    console, projector, phones = start(live_server, peers, ["one-two-four-all"], 3)
    step_id = open_step(console, ":all")
    for phone in phones:
        board = phone.wait_for("ideas", lambda b: b["step_id"] == step_id)
        assert board["posting"] is True and board["everyone_posts"] is True, board
    acks = [post(phone, step_id, n) for n, phone in enumerate(phones)]
    assert all(ack["ok"] for ack in acks), acks
    ranked = projector.wait_for("ideas", lambda b: b["step_id"] == step_id and b["total_ideas"] == 3)
    assert ranked["everyone_posts"] is True


def test_tables_formed_while_the_step_is_open_leave_posting_to_the_reporters(live_server, peers):
    console, _, phones = start(live_server, peers, ["one-two-four-all"], 3)
    step_id = open_step(console, ":all")
    for phone in phones:
        assert phone.wait_for("ideas", lambda b: b["step_id"] == step_id)["everyone_posts"] is True
    assert console.call("form_groups", {"size": 3, "by": "random"})["ok"]
    for phone in phones:
        board = phone.wait_for("ideas", lambda b: b["step_id"] == step_id and b["everyone_posts"] is False)
        assert board["posting"] is True


def test_once_tables_are_formed_only_the_reporter_posts_for_their_table(live_server, peers):
    console, _, phones = start(live_server, peers, ["one-two-four-all"], 3)
    formed = console.call("form_groups", {"size": 3, "by": "random"})
    assert formed["ok"], formed
    step_id = open_step(console, ":all")
    for phone in phones:
        board = phone.wait_for("ideas", lambda b: b["step_id"] == step_id)
        assert board["everyone_posts"] is False, board
    acks = [post(phone, step_id, n) for n, phone in enumerate(phones)]
    assert sorted(ack.get("code", "ok") for ack in acks) == ["not_your_turn", "not_your_turn", "ok"], acks


def test_a_spotlight_ends_when_the_step_it_was_set_on_closes(live_server, peers):
    console, projector, phones = start(live_server, peers, ["affinity"], 2)
    brainstorm = open_step(console, ":brainstorm")
    ideas = [post(phone, brainstorm, n)["idea"] for n, phone in enumerate(phones)]
    group = open_step(console, ":group")
    assert console.call("moderate_idea", {"idea": ideas[1], "spotlight": True})["spotlight"] is True
    projector.wait_for("ideas", lambda b: b["step_id"] == group and (b["spotlight"] or {}).get("id") == ideas[1])

    since = len(projector.received), len(console.received)
    vote = console.call("next")["step_id"]
    assert vote.endswith(":vote")
    shown = projector.wait_for("ideas", lambda b: b["step_id"] == vote, since=since[0])
    assert shown["spotlight"] is None and len(shown["ranked"]) == 2, "the dot vote opens with the whole screen"
    board = console.wait_for("ideas", lambda b: b["step_id"] == vote, since=since[1])
    assert [idea["spotlight"] for idea in board["ideas"]] == [False, False]
