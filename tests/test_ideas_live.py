"""Ideas and votes over a real server and real Socket.IO clients: several phones post and vote at once, the room's
ranking reaches the projector without names, votes are counted right with concurrent voters (two tabs of one person
among them) and never past the step's number, a resent vote after a reconnect counts once, the console merges,
hides and spotlights, and forgetting a person takes their ideas and votes with them."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

pytestmark = pytest.mark.live

ONE_PER_IDEA = """
id = "priorities-test"
title = "Priorities"
purpose = "Post ideas, then vote one per idea."

[[steps]]
id = "post"
title = "Ideas and votes"
prompt = "Post up to two ideas; once voting opens, give two votes, one per idea."
kind = "ideas"
minutes = 5
visibility = "room-named"
max_ideas = 2
votes = 2
plan = "takeaways"
plan_ideas = ["mine", "voted", "top"]
"""


def board_of(peer: Any, step_id: str, since: int = 0, **wanted: Any) -> dict[str, Any]:
    """The latest full board a screen was sent for the step, once it matches ``wanted``."""
    return peer.wait_for("ideas", lambda b: b["step_id"] == step_id and all(b.get(k) == v for k, v in wanted.items()),
                         since=since)  # fmt: skip


def projector_votes(projector: Any, step_id: str, expected: dict[str, int]) -> dict[str, Any]:
    """The projector's ranking once it shows ``expected`` (idea text -> votes), most votes first."""

    def shows(board: dict[str, Any]) -> bool:
        return board["step_id"] == step_id and {i["text"]: i["votes"] for i in board["ranked"]} == expected

    return projector.wait_for("ideas", shows)


def start(server: Any, peers: Any, agenda: list[Any], people: int) -> tuple[Any, Any, Any, list[Any], list[dict]]:
    created = server.create_session(agenda=agenda)
    url, code = server.url, created["code"]
    console = peers(url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    projector = peers(url, "/projector", code=code).connect()
    phones = [peers(url, "/participant", code=code, name=f"Person {n}").connect() for n in range(people)]
    welcomes = [phone.wait_for("welcome") for phone in phones]
    return created, console, projector, phones, welcomes


def test_affinity_ideas_grouped_and_dot_voted_by_concurrent_phones(live_server, peers):
    created, console, projector, phones, welcomes = start(live_server, peers, ["affinity"], 4)
    console.call("next")  # the focus question
    brainstorm = console.call("next")["step_id"]
    assert brainstorm.endswith(":brainstorm")
    opened = phones[0].wait_for("ideas", lambda b: b["step_id"] == brainstorm)
    assert opened["posting"] is True and opened["voting"] is False and opened["ideas"] == []

    texts = {0: ["More time to plan together", "Shorter meetings"], 1: ["More time to plan together"],
             2: ["Student voice in feedback"], 3: ["Quiet space for marking"]}  # fmt: skip
    posted: dict[str, int] = {}
    with ThreadPoolExecutor(8) as pool:
        jobs = [(n, t, pool.submit(phones[n].call, "post_idea", {"step_id": brainstorm, "idea_id": f"{n}-{k}",
                                                                 "text": t}))
                for n, ts in texts.items() for k, t in enumerate(ts)]  # fmt: skip
    for n, text, job in jobs:
        ack = job.result()
        assert ack["ok"], ack
        posted[f"{n}:{text}"] = ack["idea"]
    # A resend after a lost ack lands once; a sixth idea is refused; an idea is text of the step's length.
    again = phones[0].call("post_idea", {"step_id": brainstorm, "idea_id": "0-0", "text": "More time to plan together"})
    assert again["ok"] and again["idea"] == posted["0:More time to plan together"]
    for k in range(2, 5):
        assert phones[0].call("post_idea", {"step_id": brainstorm, "idea_id": f"0-{k}", "text": f"Idea {k}"})["ok"]
    refused = phones[0].call("post_idea", {"step_id": brainstorm, "idea_id": "0-9", "text": "One too many"})
    assert refused["ok"] is False and refused["code"] == "no_ideas_left", refused
    too_long = phones[1].call("post_idea", {"step_id": brainstorm, "idea_id": "1-9", "text": "x" * 121})
    assert too_long["code"] == "too_long"
    no_votes_here = phones[1].call(
        "vote", {"step_id": brainstorm, "vote_id": "v", "idea": posted["2:Student voice in feedback"]}
    )
    assert no_votes_here["code"] == "voting_closed"

    # Phones hear of the others' ideas in deltas, without names or counts; the console with names.
    def ideas_heard(phone: Any) -> set[str]:
        return {i.get("text") for d in phone.all("ideas_delta") for i in d["ideas"] if d["step_id"] == brainstorm}

    for n, phone in enumerate(phones):
        others = {t for m, ts in texts.items() if m != n for t in ts}
        phone.wait_for("ideas_delta", lambda d, want=others, p=phone: want <= ideas_heard(p))
    for delta in phones[3].all("ideas_delta"):
        assert all(set(i) <= {"id", "text", "status", "table", "merged_into"} for i in delta["ideas"]), delta
    console.wait_for(
        "ideas_delta", lambda d: len({i["id"] for x in console.all("ideas_delta") for i in x["ideas"]}) == 8
    )
    names = {i["id"]: i["name"] for d in console.all("ideas_delta") for i in d["ideas"]}
    assert names[posted["2:Student voice in feedback"]] == "Person 2"
    assert projector.wait_for("ideas", lambda b: b["total_ideas"] == 8)["ranked"][0].keys() == {
        "id", "text", "votes", "table"}, "no names on a room step"  # fmt: skip

    # The facilitator hides one idea and, on the next step, merges the duplicate into the one kept.
    hidden = console.call("moderate_idea", {"idea": posted["3:Quiet space for marking"], "hidden": True})
    assert hidden == {"ok": True, "idea": hidden["idea"], "hidden": True, "spotlight": False}
    phones[0].wait_for("ideas_delta", lambda d: any(i["status"] == "hidden" for i in d["ideas"]))
    group = console.call("next")["step_id"]
    kept, duplicate = posted["0:More time to plan together"], posted["1:More time to plan together"]
    assert console.call("merge_ideas", {"idea": duplicate, "into": kept}) == {
        "ok": True,
        "idea": duplicate,
        "into": kept,
    }
    merged = phones[1].wait_for("ideas_delta", lambda d: any(i.get("merged_into") == kept for i in d["ideas"]))
    assert merged["step_id"] == group
    vote_step = console.call("next")["step_id"]
    own = board_of(phones[1], vote_step, mine=[{"id": duplicate, "status": "merged", "table": None,
                                               "merged_into": kept, "text": "More time to plan together"}])  # fmt: skip
    assert own["voting"] is True and own["my_votes"] == []
    assert own["ideas"] is None, "a person's own part never carries the room's ideas again: the broadcast did"
    broadcast = phones[2].wait_for("ideas", lambda b: b["step_id"] == vote_step and b["ideas"] is not None)
    assert (broadcast["mine"], broadcast["my_votes"]) == (None, None)
    room = {i["id"]: i for i in broadcast["ideas"]}
    assert room[duplicate] == {"id": duplicate, "status": "merged", "merged_into": kept, "table": None}
    quiet = posted["3:Quiet space for marking"]
    assert room[quiet] == {"id": quiet, "status": "hidden", "table": None}, "a hidden idea's text stays off phones"

    # Two tabs of Person 2 and Person 3's phone each fire seven dots at once: five each are counted, no more.
    second_tab = peers(live_server.url, "/participant", code=created["code"], token=welcomes[2]["token"]).connect()
    student_voice = posted["2:Student voice in feedback"]
    with ThreadPoolExecutor(14) as pool:
        jobs = [pool.submit(tab.call, "vote", {"step_id": vote_step, "vote_id": f"{label}-{k}", "idea": student_voice})
                for label, tab in (("a", phones[2]), ("b", second_tab)) for k in range(4)]  # fmt: skip
        jobs += [pool.submit(phones[3].call, "vote", {"step_id": vote_step, "vote_id": f"c-{k}", "idea": kept})
                 for k in range(7)]  # fmt: skip
    acks = [job.result() for job in jobs]
    assert sum(ack["ok"] for ack in acks[:8]) == 5 and sum(ack["ok"] for ack in acks[8:]) == 5, acks
    assert {ack["code"] for ack in acks if not ack["ok"]} == {"no_votes_left"}
    # A vote for a merged idea goes to the idea kept.
    to_merged = phones[0].call("vote", {"step_id": vote_step, "vote_id": "d-1", "idea": duplicate})
    assert to_merged["ok"] and to_merged["idea"] == kept
    projector_votes(projector, vote_step, {"More time to plan together": 6, "Student voice in feedback": 5,
                                           "Shorter meetings": 0, "Idea 2": 0, "Idea 3": 0, "Idea 4": 0})  # fmt: skip

    # Person 3 drops and comes back: their board holds their five votes; a resent vote is acknowledged, not counted.
    phones[3].disconnect()
    back = peers(live_server.url, "/participant", code=created["code"], token=welcomes[3]["token"]).connect()
    mine = board_of(back, vote_step)
    assert sorted(v["vote_id"] for v in mine["my_votes"]) == sorted(a["vote_id"] for a in acks[8:] if a["ok"])
    resent = back.call("vote", {"step_id": vote_step, "vote_id": mine["my_votes"][0]["vote_id"], "idea": kept})
    assert resent["ok"] and resent["idea"] == kept
    taken = back.call("unvote", {"step_id": vote_step, "vote_id": mine["my_votes"][0]["vote_id"]})
    assert taken["ok"] and taken["removed"] is True
    assert back.call("unvote", {"step_id": vote_step, "vote_id": mine["my_votes"][0]["vote_id"]})["removed"] is False
    projector_votes(projector, vote_step, {"More time to plan together": 5, "Student voice in feedback": 5,
                                           "Shorter meetings": 0, "Idea 2": 0, "Idea 3": 0, "Idea 4": 0})  # fmt: skip

    # Person 1 gives their one vote to Person 2's idea.
    assert phones[1].call("vote", {"step_id": vote_step, "vote_id": "e-1", "idea": student_voice})["ok"]
    projector_votes(projector, vote_step, {"More time to plan together": 5, "Student voice in feedback": 6,
                                           "Shorter meetings": 0, "Idea 2": 0, "Idea 3": 0, "Idea 4": 0})  # fmt: skip

    # Person 2 deletes everything they gave: their idea and its six votes leave the ranking; the room hears of it in
    # a delta, and the one voter who lost a vote gets their own part again, without the room's list.
    marks = [len(peer.received) for peer in (phones[0], phones[1], console)]
    assert phones[2].call("forget", {})["ok"]
    projector_votes(projector, vote_step, {"More time to plan together": 5, "Shorter meetings": 0, "Idea 2": 0,
                                           "Idea 3": 0, "Idea 4": 0})  # fmt: skip
    gone = phones[0].wait_for("ideas_delta", lambda d: d.get("removed") == [student_voice], since=marks[0])
    assert gone["step_id"] == vote_step
    assert console.wait_for("ideas_delta", lambda d: student_voice in d.get("removed", ()), since=marks[2])
    lost = phones[1].wait_for("ideas", lambda b: b["step_id"] == vote_step, since=marks[1])
    assert (lost["ideas"], lost["my_votes"]) == (None, []), lost
    assert phones[0].call("unvote", {"step_id": vote_step, "vote_id": "none"})["removed"] is False  # all arrived
    assert not [data for name, data in phones[0].received[marks[0] :] if name == "ideas"], "no board to the room"


def test_one_vote_per_idea_after_the_facilitator_opens_voting(live_server, peers):
    created, console, projector, phones, _ = start(live_server, peers, ["goal-setting"], 3)
    added = console.call("agenda_add", {"toml": ONE_PER_IDEA})
    assert added["ok"], added
    state = console.wait_for("state", lambda s: any(step["id"].endswith(":post") for step in s["agenda"]))
    step_id = next(step["id"] for step in state["agenda"] if step["id"].endswith(":post"))
    assert console.call("goto", {"step_id": step_id})["ok"]
    ids = []
    for n, phone in enumerate(phones):
        ack = phone.call("post_idea", {"step_id": step_id, "idea_id": f"i{n}", "text": f"Idea of person {n}"})
        ids.append(ack["idea"])
    early = phones[0].call("vote", {"step_id": step_id, "vote_id": "early", "idea": ids[1]})
    assert early["code"] == "voting_closed"
    assert console.call("open_voting", {"step_id": step_id}) == {"ok": True, "step_id": step_id, "voting": True}
    for phone in phones:
        board = board_of(phone, step_id, voting=True, posting=False)
        assert "votes" not in str(board["ideas"]), "phones are never sent counts"
    closed = phones[0].call("post_idea", {"step_id": step_id, "idea_id": "late", "text": "Too late"})
    assert closed["code"] == "posting_closed"

    assert phones[0].call("vote", {"step_id": step_id, "vote_id": "a", "idea": ids[1]})["ok"]
    twice = phones[0].call("vote", {"step_id": step_id, "vote_id": "b", "idea": ids[1]})
    assert twice["code"] == "already_voted"
    assert phones[0].call("vote", {"step_id": step_id, "vote_id": "c", "idea": ids[2]})["ok"]
    assert phones[1].call("vote", {"step_id": step_id, "vote_id": "d", "idea": ids[2]})["ok"]
    # Person 0 voted for both: merging 2 into 1 gives them one vote back; Person 1's vote moves over.
    assert console.call("merge_ideas", {"idea": ids[2], "into": ids[1]})["ok"]
    ranking = projector_votes(projector, step_id, {"Idea of person 0": 0, "Idea of person 1": 2})
    assert [i["name"] for i in ranking["ranked"]] == ["Person 1", "Person 0"], "a room-named step shows names"
    assert console.call("moderate_idea", {"idea": ids[1], "spotlight": True})["spotlight"] is True
    assert projector.wait_for("ideas", lambda b: b["spotlight"] and b["spotlight"]["id"] == ids[1])
    refreshed = peers(live_server.url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    full = board_of(refreshed, step_id, full=True)
    assert {i["id"]: (i["votes"], i["status"]) for i in full["ideas"]} == {
        ids[0]: (0, "open"), ids[1]: (2, "open"), ids[2]: (0, "merged")}  # fmt: skip
    assert (full["total_ideas"], full["total_votes"], full["total_voters"]) == (2, 2, 2)


def test_an_ideas_step_held_back_shows_its_ranking_when_revealed_and_each_plan_holds_the_ideas(live_server, peers):
    _, console, projector, phones, welcomes = start(live_server, peers, ["goal-setting"], 2)
    held = ONE_PER_IDEA.replace('id = "priorities-test"', 'id = "held-priorities"').replace(
        "votes = 2\n", "votes = 2\nreveal = true\n"
    )
    assert console.call("agenda_add", {"toml": held})["ok"]
    state = console.wait_for("state", lambda s: any(step["id"].endswith(":post") for step in s["agenda"]))
    step_id = next(step["id"] for step in state["agenda"] if step["id"].endswith(":post"))
    assert console.call("goto", {"step_id": step_id})["ok"]
    for n, phone in enumerate(phones):
        assert phone.call("post_idea", {"step_id": step_id, "idea_id": f"i{n}", "text": f"Canary idea {n}"})["ok"]
    counted = board_of(projector, step_id, total_ideas=2)
    assert counted["ranked"] == [] and "Canary" not in str(projector.received)

    since = len(projector.received)
    assert console.call("reveal", {"step_id": step_id, "revealed": True})["ok"]
    shown = projector.wait_for("ideas", lambda b: b["step_id"] == step_id and b["ranked"], since=since)
    assert {idea["text"] for idea in shown["ranked"]} == {"Canary idea 0", "Canary idea 1"}

    plan = requests.get(f"{live_server.url}/p/{welcomes[0]['token']}/plan", timeout=10)
    assert plan.status_code == 200 and "Canary idea 0" in plan.text  # their own idea, in their own plan


def test_a_hidden_idea_gives_its_votes_back_and_a_forgotten_person_leaves_every_screen(live_server, peers):
    _, console, projector, phones, welcomes = start(live_server, peers, ["goal-setting"], 3)
    assert console.call("agenda_add", {"toml": ONE_PER_IDEA})["ok"]
    state = console.wait_for("state", lambda s: any(step["id"].endswith(":post") for step in s["agenda"]))
    step_id = next(step["id"] for step in state["agenda"] if step["id"].endswith(":post"))
    assert console.call("goto", {"step_id": step_id})["ok"]
    ids = [phone.call("post_idea", {"step_id": step_id, "idea_id": "i", "text": f"Idea {n}"})["idea"]
           for n, phone in enumerate(phones)]  # fmt: skip
    marks = [len(phone.received) for phone in phones]
    assert console.call("open_voting", {"step_id": step_id})["ok"]
    for n, phone in enumerate(phones):  # one broadcast; nobody's own part changed, so nobody is sent it again
        assert board_of(phone, step_id, since=marks[n], voting=True)["mine"] is None
    for voter, vote_id, idea in ((1, "b1", ids[0]), (2, "c1", ids[0]), (2, "c2", ids[1]), (1, "b2", ids[2])):
        assert phones[voter].call("vote", {"step_id": step_id, "vote_id": vote_id, "idea": idea})["ok"]
    assert phones[0].call("unvote", {"step_id": step_id, "vote_id": "none"})["ok"]  # what was sent has arrived
    for phone, mark in zip(phones, marks, strict=True):
        boards = [board for name, board in phone.received[mark:] if name == "ideas"]
        assert len(boards) == 1, "open_voting: one broadcast, and nobody's own part, which did not change"

    # Hiding Person 0's idea gives its votes back: its voters hear so, and give them again.
    marks = [len(phone.received) for phone in phones]
    assert console.call("moderate_idea", {"idea": ids[0], "hidden": True})["hidden"] is True
    own = board_of(phones[0], step_id, since=marks[0], ideas=None)
    assert own["mine"] == [{"id": ids[0], "status": "hidden", "table": None, "text": "Idea 0"}]
    assert board_of(phones[1], step_id, since=marks[1], ideas=None)["my_votes"] == [{"vote_id": "b2", "idea": ids[2]}]
    assert board_of(phones[2], step_id, since=marks[2], ideas=None)["my_votes"] == [{"vote_id": "c2", "idea": ids[1]}]
    assert phones[1].call("vote", {"step_id": step_id, "vote_id": "b3", "idea": ids[1]})["ok"], "a vote given back"
    projector_votes(projector, step_id, {"Idea 1": 2, "Idea 2": 1})
    # A hidden idea is no idea to keep in a merge; an id no database holds is no idea at all.
    assert console.call("merge_ideas", {"idea": ids[2], "into": ids[0]})["code"] == "idea_not_open"
    for event, payload in (("moderate_idea", {"hidden": True}), ("merge_ideas", {"into": ids[1]})):
        assert console.call(event, {"idea": 2**70, **payload})["code"] == "unknown_idea"
    assert phones[0].call("vote", {"step_id": step_id, "vote_id": "x", "idea": 2**40})["code"] == "unknown_idea"

    # Person 2's own data holds their idea and the ideas they voted for; deleting everything about them takes
    # their idea off the console, the projector and every phone at once, and gives Person 1 the vote back.
    token = welcomes[2]["token"]
    data = requests.get(f"{live_server.url}/p/{token}/my-data.json", timeout=10).json()
    assert data["sessions"][0]["ideas"] == {
        "posted": [{"protocol": "Priorities", "step": "Ideas and votes", "idea": "Idea 2", "status": "open"}],
        "voted_for": [{"protocol": "Priorities", "step": "Ideas and votes", "idea": "Idea 1"}],
    }
    marks = [len(peer.received) for peer in (*phones, console)]
    forgotten = requests.post(f"{live_server.url}/p/{token}/forget", data={"confirm": "delete"}, timeout=10)
    assert forgotten.status_code == 200
    for peer, mark in zip((phones[0], phones[1], console), (marks[0], marks[1], marks[3]), strict=True):
        assert peer.wait_for("ideas_delta", lambda d: ids[2] in d.get("removed", ()), since=mark)
    projector_votes(projector, step_id, {"Idea 1": 1})
    assert board_of(phones[1], step_id, since=marks[1], ideas=None)["my_votes"] == [{"vote_id": "b3", "idea": ids[1]}]


def test_a_merge_moves_the_ideas_merged_before_and_every_screen_hears_of_them(live_server, peers):
    """Idea 0 merged into Idea 1, then Idea 1 into Idea 2: Idea 0 now joins Idea 2, and the console, every phone
    and Idea 0's author hear so (none keeps Idea 0 merged into an idea that left the vote)."""
    _, console, _, phones, _ = start(live_server, peers, ["goal-setting"], 3)
    assert console.call("agenda_add", {"toml": ONE_PER_IDEA})["ok"]
    state = console.wait_for("state", lambda s: any(step["id"].endswith(":post") for step in s["agenda"]))
    step_id = next(step["id"] for step in state["agenda"] if step["id"].endswith(":post"))
    assert console.call("goto", {"step_id": step_id})["ok"]
    ids = [phone.call("post_idea", {"step_id": step_id, "idea_id": "i", "text": f"Idea {n}"})["idea"]
           for n, phone in enumerate(phones)]  # fmt: skip

    def merged(into: int) -> Any:
        return lambda delta: any(i["id"] == ids[0] and i.get("merged_into") == into for i in delta["ideas"])

    assert console.call("merge_ideas", {"idea": ids[0], "into": ids[1]})["ok"]
    board_of(phones[0], step_id, ideas=None, mine=[{"id": ids[0], "status": "merged", "table": None,
                                                    "merged_into": ids[1], "text": "Idea 0"}])  # fmt: skip
    for peer in (phones[1], phones[2], console):  # the first merge's delta has arrived: what follows is the second's
        peer.wait_for("ideas_delta", merged(ids[1]))
    marks = [len(peer.received) for peer in (*phones, console)]
    assert console.call("merge_ideas", {"idea": ids[1], "into": ids[2]})["ok"]
    for peer, mark in zip((phones[1], phones[2], console), marks[1:], strict=True):
        assert peer.wait_for("ideas_delta", merged(ids[2]), since=mark)
    own = board_of(phones[0], step_id, since=marks[0], ideas=None)
    assert own["mine"] == [{"id": ids[0], "status": "merged", "table": None, "merged_into": ids[2], "text": "Idea 0"}]
