"""Every protocol in the library runs from start to end over real sockets, with groups and roles where it has them."""

import io

import pytest
import requests
from pypdf import PdfReader

from facilitator.loadtest.phones import sample_answer
from protocols.loader import load_library

pytestmark = pytest.mark.live
LIBRARY = load_library()


def phones_for(protocol) -> int:
    """Enough phones for two groups of the protocol's size (or three phones when it has no groups)."""
    return 2 * protocol.grouping.size if protocol.grouping else 3


def run_ideas_step(console, phones, posting, step) -> None:
    """An ideas step: whoever posts there posts an idea, voting opens where the facilitator opens it, and everyone
    gives a vote to the first idea; the projector's ranking counts every vote."""
    step_id = step["id"]
    for n in posting if step["max_ideas"] else []:
        ack = phones[n].call("post_idea", {"step_id": step_id, "idea_id": f"{n}-{step_id}", "text": f"Idea {n}"})
        assert ack["ok"], (step_id, ack)
    if not step["votes"]:
        return
    if step["voting"] == "when_opened":
        assert console.call("open_voting", {"step_id": step_id})["ok"]
    board = phones[0].wait_for("ideas", lambda b: b["step_id"] == step_id and b["voting"])
    first = next(idea["id"] for idea in board["ideas"] + (board["mine"] or []) if idea["status"] == "open")
    for n, phone in enumerate(phones):
        ack = phone.call("vote", {"step_id": step_id, "vote_id": f"v{n}-{step_id}", "idea": first})
        assert ack["ok"], (step_id, ack)
    console.wait_for("ideas_delta", lambda d: any(i["id"] == first and i["votes"] == len(phones) for i in d["ideas"]))


@pytest.mark.parametrize("protocol_id", sorted(LIBRARY))
def test_library_protocol_runs_start_to_end(shared_live_server, peers, protocol_id):
    protocol = LIBRARY[protocol_id]
    rotating = protocol.grouping is not None and protocol.grouping.rotate_roles
    rounds = 2 if rotating else 1
    created = shared_live_server.create_session(agenda=[{"id": protocol_id, "rounds": rounds}])
    url, code, goals = shared_live_server.url, created["code"], created["system_goals"]
    console = peers(url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    projector = peers(url, "/projector", code=code).connect()
    phones = [peers(url, "/participant", code=code, name=f"P{n}").connect() for n in range(phones_for(protocol))]
    ids = [phone.wait_for("welcome")["participant_id"] for phone in phones]

    if protocol.grouping is not None:
        ack = console.call("form_groups")
        assert ack["ok"] and ack["groups"] == 2 and ack["placed"] == len(phones), ack
        board = console.wait_for("state", lambda s: len(s["groups"]) == 2)["groups"]
        assert sorted(m["participant_id"] for g in board for m in g["members"]) == sorted(ids)
        assert all(len(g["members"]) == protocol.grouping.size for g in board)
        projector.wait_for("state", lambda s: len(s["groups"]) == 2)

    answered_by_role: dict[tuple[int, str], set[int]] = {}
    steps_run = 0
    while True:
        ack = console.call("next")
        assert ack["ok"], ack
        if ack["phase"] == "ended":
            break
        step_id = ack["step_id"]
        states = [phone.wait_for("state", lambda s, k=step_id: s["step"] and s["step"]["id"] == k) for phone in phones]
        step = states[0]["step"]
        assert "notes" not in step
        if protocol.roles and protocol.grouping:
            for state in states:
                assert state["group"] is not None and state["group"]["role"] is not None
        answering = [n for n, state in enumerate(states) if state["may_answer"]]
        definition = next(s for s in protocol.steps if s.title == step["title"])
        roles = [
            state["group"]["role"]["id"] if state["group"] and state["group"]["role"] else None for state in states
        ]
        # Each person is told what their role does on this step, where the protocol says it.
        assert [state["role_prompt"] for state in states] == [definition.prompt_for(role) for role in roles]
        if step["kind"] == "none":
            assert answering == []
        elif step["returning_only"]:
            assert answering == []  # nobody in this room has an earlier goal: first-timers listen on this step
        elif step["who"] == "everyone":
            # Everyone answers, except the roles the step keeps silent (the presenter during the feedback).
            assert answering == [n for n, role in enumerate(roles) if role not in definition.silent]
            for silent in sorted(set(range(len(phones))) - set(answering)):
                refused = phones[silent].call("answer", {"step_id": step_id, "answer_id": "x", "value": "x"})
                assert refused["ok"] is False and refused["code"] == "not_your_turn"
        else:
            # One member per group holds the role; everyone else is refused if they try.
            assert len(answering) == 2
            for n, state in enumerate(states):
                assert (state["group"]["role"]["id"] == step["who"]) == (n in answering)
            silent = next(n for n in range(len(phones)) if n not in answering)
            refused = phones[silent].call("answer", {"step_id": step_id, "answer_id": "x", "value": "x"})
            assert refused["ok"] is False and refused["code"] == "not_your_turn"
            answered_by_role.setdefault((step["round"], step["who"]), set()).update(ids[n] for n in answering)
        if step["kind"] == "ideas":
            run_ideas_step(console, phones, answering, step)
            steps_run += 1
            continue
        for n in answering:
            value = sample_answer(step, goals, n)
            ack = phones[n].call("answer", {"step_id": step_id, "answer_id": f"{n}-{step_id}", "value": value})
            assert ack["ok"], (step_id, ack)
        if answering:
            expected = len(answering)
            console.wait_for("live", lambda live, k=step_id, n=expected: live["step_id"] == k and live["answered"] == n)
        if step["visibility"] == "group" and answering:
            # Group-mates' phones show each other's answers as they come in.
            for n, phone in enumerate(phones):
                mates_answering = {
                    ids[m] for m in answering if m != n and states[m]["group"]["number"] == states[n]["group"]["number"]
                }
                phone.wait_for(
                    "state",
                    lambda s, k=step_id, want=mates_answering: (
                        s["step"] and s["step"]["id"] == k and len(s["shared"]) == len(want)
                    ),
                )
        steps_run += 1

    assert steps_run == len(protocol.steps) * rounds
    if rotating:
        for role_id in {step.who for step in protocol.steps if step.who != "everyone"}:
            assert answered_by_role[(1, role_id)].isdisjoint(answered_by_role[(2, role_id)])  # roles moved on
    for phone in phones:
        phone.wait_for("state", lambda s: s["phase"] == "ended")
    token = phones[0].wait_for("welcome")["token"]
    pdf = requests.get(f"{url}/p/{token}/plan.pdf", timeout=30)
    assert pdf.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "P0" in text and protocol.title.split(":")[0].split("…")[0] in text
