"""The facilitator moderates the projector: hiding and spotlighting answers, the QR code, who has not answered."""

import pytest

from tests.support.peers import Peer
from tests.support.waiting import wait_until

pytestmark = pytest.mark.live

STEPS = [("room-text", "text", "room"), ("named-text", "text", "room-named"), ("room-choice", "choice", "room"),
         ("private-text", "text", "private"), ("seen-by-you", "text", "facilitator")]  # fmt: skip
MODERATION_CHECK = "\n".join(
    ['id = "moderation-check"', 'title = "Moderation check"', 'purpose = "One step per case."']
    + [
        f'[[steps]]\nid = "{step_id}"\ntitle = "{step_id}"\nprompt = "Answer"\nkind = "{kind}"\n'
        f'visibility = "{visibility}"\nminutes = 1' + ('\noptions = ["Red", "Blue"]' if kind == "choice" else "")
        for step_id, kind, visibility in STEPS
    ]
)


@pytest.fixture
def room(shared_live_server, peers):
    """A session of the moderation-check protocol alone, with a console, a projector and three phones."""
    server = shared_live_server
    created = server.create_session(agenda=["three-two-one"])
    code = created["code"]
    console = peers(server.url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    assert console.call("agenda_add", {"toml": MODERATION_CHECK, "file_name": "moderation.toml"})["ok"]
    assert console.call("agenda_remove", {"item": 1})["ok"]
    projector = peers(server.url, "/projector", code=code).connect()
    phones = {name: peers(server.url, "/participant", code=code, name=name).connect() for name in ("Ana", "Ben", "Cy")}
    ids = {name: phone.wait_for("welcome")["participant_id"] for name, phone in phones.items()}
    return console, projector, phones, ids


def open_step(console: Peer, step_id: str) -> str:
    key = f"2:{step_id}"
    assert console.call("goto", {"step_id": key})["ok"]
    return key


def answer(phone: Peer, key: str, value, answer_id: str) -> None:
    ack = phone.call("answer", {"step_id": key, "answer_id": answer_id, "value": value})
    assert ack["ok"], ack


def projector_live(projector: Peer, key: str, predicate) -> dict:
    """The projector's newest picture of step ``key`` (from a state or a live event) once it satisfies ``predicate``."""

    def newest() -> dict | None:
        pictures = [data if name == "live" else data["live"] for name, data in projector.received
                    if name in ("live", "state")]  # fmt: skip
        return pictures[-1] if pictures and pictures[-1]["step_id"] == key else None

    return wait_until(lambda: (live := newest()) is not None and predicate(live) and live, message="projector picture")


def test_a_hidden_answer_leaves_the_projector_but_stays_on_the_console(room):
    console, projector, phones, ids = room
    key = open_step(console, "room-text")
    answer(phones["Ana"], key, "feedback loops everywhere", "a1")
    answer(phones["Ben"], key, "rubric canary rubric", "b1")
    projector_live(projector, key, lambda live: "rubric canary rubric" in live["aggregate"]["recent"])

    ack = console.call("moderate", {"participant_id": ids["Ben"], "step_id": key, "hidden": True})
    assert ack == {"ok": True, "hidden": True, "spotlight": False}
    live = projector_live(projector, key, lambda live: "rubric canary rubric" not in live["aggregate"]["recent"])
    assert "canary" not in {word["word"] for word in live["aggregate"]["words"]}
    assert live["answered"] == 2  # the count still says how many answered
    flagged = console.wait_for("answer", lambda a: a.get("participant_id") == ids["Ben"] and a["hidden"])
    assert flagged["value"] == "rubric canary rubric"

    assert console.call("moderate", {"participant_id": ids["Ben"], "step_id": key, "hidden": False})["ok"]
    projector_live(projector, key, lambda live: "rubric canary rubric" in live["aggregate"]["recent"])


def test_hidden_choices_leave_the_bars(room):
    console, projector, phones, ids = room
    key = open_step(console, "room-choice")
    for name in ("Ana", "Ben"):
        answer(phones[name], key, "red", name)
    projector_live(projector, key, lambda live: live["aggregate"]["bars"][0]["count"] == 2)
    assert console.call("moderate", {"participant_id": ids["Ana"], "step_id": key, "hidden": True})["ok"]
    projector_live(projector, key, lambda live: live["aggregate"]["bars"][0]["count"] == 1)


def test_a_spotlighted_room_answer_shows_without_a_name(room):
    console, projector, phones, ids = room
    key = open_step(console, "room-text")
    answer(phones["Cy"], key, "Spotlight me please", "c1")
    assert console.call("moderate", {"participant_id": ids["Cy"], "step_id": key, "spotlight": True})["ok"]
    live = projector_live(projector, key, lambda live: live["spotlight"])
    assert live["spotlight"] == [{"text": "Spotlight me please"}]
    assert all("Cy" not in str(data) for _, data in projector.received)

    answer(phones["Cy"], key, "An edited answer", "c2")  # a changed answer loses the spotlight
    projector_live(
        projector, key, lambda live: live["spotlight"] == [] and "An edited answer" in live["aggregate"]["recent"]
    )


def test_a_spotlighted_room_named_answer_carries_its_name_and_choices_read_as_labels(room):
    console, projector, phones, ids = room
    key = open_step(console, "named-text")
    answer(phones["Ana"], key, "Named thought", "a1")
    assert console.call("moderate", {"participant_id": ids["Ana"], "step_id": key, "spotlight": True})["ok"]
    live = projector_live(projector, key, lambda live: live["spotlight"])
    assert live["spotlight"] == [{"text": "Named thought", "name": "Ana"}]

    key = open_step(console, "room-choice")
    answer(phones["Ben"], key, "blue", "b1")
    assert console.call("moderate", {"participant_id": ids["Ben"], "step_id": key, "spotlight": True})["ok"]
    assert projector_live(projector, key, lambda live: live["spotlight"])["spotlight"] == [{"text": "Blue"}]

    hide = console.call("moderate", {"participant_id": ids["Ben"], "step_id": key, "hidden": True})
    assert hide == {"ok": True, "hidden": True, "spotlight": False}  # hiding takes it out of the spotlight
    projector_live(projector, key, lambda live: live["spotlight"] == [])


@pytest.mark.parametrize("step_id", ["private-text", "seen-by-you"])
def test_answers_the_projector_may_not_see_can_never_be_spotlighted(room, step_id):
    console, projector, phones, ids = room
    key = open_step(console, step_id)
    answer(phones["Ana"], key, "Private canary text", "a1")
    refused = console.call("moderate", {"participant_id": ids["Ana"], "step_id": key, "spotlight": True})
    assert refused["ok"] is False and refused["code"] == "not_shown"
    assert console.call("prev")["ok"]  # the projector is sent fresh state; still nothing of the answer
    projector.wait_for("state", lambda state: (state["step"] or {}).get("id") not in (None, key))
    assert all("Private canary text" not in str(data) for _, data in projector.received)


def test_moderate_checks_its_payload(room):
    console, _projector, _phones, ids = room
    key = open_step(console, "room-text")
    assert console.call("moderate", {"participant_id": ids["Ana"], "step_id": key})["code"] == "bad_request"
    assert (
        console.call("moderate", {"participant_id": ids["Ana"], "step_id": key, "hidden": "yes"})["code"]
        == "bad_request"
    )
    assert (
        console.call("moderate", {"participant_id": ids["Ana"], "step_id": "9:nope", "hidden": True})["code"]
        == "unknown_step"
    )
    assert (
        console.call("moderate", {"participant_id": ids["Ana"], "step_id": key, "hidden": True})["code"]
        == "unknown_answer"
    )


def test_the_console_puts_the_qr_code_up_on_the_projector(room):
    console, projector, _phones, _ids = room
    open_step(console, "room-text")
    assert console.call("show_qr", {"on": True}) == {"ok": True, "show_qr": True}
    projector.wait_for("state", lambda state: state["show_qr"] is True)
    console.wait_for("state", lambda state: state["show_qr"] is True)
    assert console.call("show_qr", {"on": False})["ok"]
    projector.wait_for("state", lambda state: state["show_qr"] is False and state["phase"] == "step")
    assert console.call("show_qr", {})["code"] == "bad_request"


def test_the_console_alone_learns_who_has_not_answered(room):
    console, projector, phones, _ids = room
    key = open_step(console, "room-text")
    answer(phones["Ben"], key, "Done", "b1")
    live = console.wait_for("live", lambda live: live["step_id"] == key and live["answered"] == 1)
    assert [person["name"] for person in live["waiting"]] == ["Ana", "Cy"]
    assert live["waiting_count"] == 2
    assert all("waiting" not in (data if name == "live" else data["live"]) for name, data in projector.received
               if name in ("live", "state"))  # fmt: skip

    key = open_step(console, "private-text")  # not even who answered a private step is listed
    state = console.wait_for("state", lambda state: (state["step"] or {}).get("id") == key)
    assert state["live"]["waiting"] is None
