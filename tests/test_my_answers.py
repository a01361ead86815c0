"""A participant can take back what they wrote: one answer or all of them, at any time."""

from tests.support.sockets import call, events, received


def test_a_participant_deletes_their_own_answers_and_nobody_else_s(sio, create_session):
    created = create_session()
    console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
    ana = sio("/participant", code=created["code"], name="Ana")
    ben = sio("/participant", code=created["code"], name="Ben")
    goal = created["system_goals"][0]["id"]
    assert call(console, "next", "/facilitator")["ok"]  # 1:system-goal
    for phone, answer_id in ((ana, "a1"), (ben, "b1")):
        ack = call(phone, "answer", "/participant", {"step_id": "1:system-goal", "answer_id": answer_id, "value": goal})
        assert ack["ok"]
    call(console, "next", "/facilitator")
    call(console, "next", "/facilitator")
    call(console, "next", "/facilitator")  # 1:goal
    ack = call(ana, "answer", "/participant", {"step_id": "1:goal", "answer_id": "a2", "value": "Read aloud daily"})
    assert ack["ok"]
    call(console, "lock", "/facilitator", {"locked": True})

    assert call(ana, "forget", "/participant", {"step_id": "1:goal"}) == {"ok": True, "deleted": 1}
    state = events(ana, "state", "/participant")[-1]
    assert state["answers"] == {"1:system-goal": goal}, "deleted even though the step is locked"
    assert call(ana, "forget", "/participant") == {"ok": True, "deleted": 1}
    assert events(ana, "state", "/participant")[-1]["answers"] == {}
    received(ben, "/participant")  # drained through the phone's view, which keeps its state
    assert call(ben, "forget", "/participant", {"step_id": "1:no-such"}) == {"ok": True, "deleted": 0}
    assert events(ben, "state", "/participant")[-1]["answers"] == {"1:system-goal": goal}, "Ben's answer stays"
    refused = call(ana, "forget", "/participant", {"step_id": 7})
    assert refused["ok"] is False and "step_id" in refused["error"]
    console_state = events(console, "state", "/facilitator")[-1]
    assert all(answer["name"] != "Ana" for answer in console_state["answers"])


def test_deleting_answers_or_a_session_also_deletes_an_export_that_holds_them(app, client, sio, create_session):
    from pathlib import Path

    from facilitator.usecases.exporting import export_dir
    from tests.support.admin import admin_headers

    created = create_session()
    folder = export_dir(Path(app.config["DATA_DIR"]), created["code"])
    console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
    ana = sio("/participant", code=created["code"], name="Ana")
    call(console, "next", "/facilitator")
    goal = created["system_goals"][0]["id"]
    assert call(ana, "answer", "/participant", {"step_id": "1:system-goal", "answer_id": "a", "value": goal})["ok"]

    folder.mkdir(parents=True)
    (folder / "Spring PD day.zip").write_bytes(b"a finished export holding Ana's answers")
    assert call(ana, "forget", "/participant", {"step_id": "1:no-such"})["deleted"] == 0
    assert folder.exists(), "nothing deleted: the export stands"
    assert call(ana, "forget", "/participant")["deleted"] == 1
    assert not folder.exists()

    folder.mkdir(parents=True)
    (folder / "Spring PD day.zip").write_bytes(b"another export")
    assert client.delete(f"/api/sessions/{created['code']}", headers=admin_headers()).status_code == 204
    assert not folder.exists()


def test_a_resent_answer_is_acknowledged_again_even_after_its_step_closed(sio, create_session):
    created = create_session()
    console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
    phone = sio("/participant", code=created["code"], name="Ana")
    call(console, "next", "/facilitator")
    goal = created["system_goals"][0]["id"]
    answer = {"step_id": "1:system-goal", "answer_id": "sent-once", "value": goal}
    first = call(phone, "answer", "/participant", answer)
    assert first["ok"]
    call(console, "next", "/facilitator")  # the step closes before the phone heard the first ack
    again = call(phone, "answer", "/participant", answer)
    assert again == first, "the phone was right: it is saved"
    other = call(phone, "answer", "/participant", {**answer, "answer_id": "a-new-edit"})
    assert other["ok"] is False and other["code"] == "step_closed", "a new edit to a closed step is refused"


def test_odd_step_ids_get_a_clear_refusal(sio, create_session):
    created = create_session()
    phone = sio("/participant", code=created["code"], name="Ana")
    for step_id in ("\ud800", "", "x" * 500, "1:goal\x00"):
        answer = call(phone, "answer", "/participant", {"step_id": step_id, "answer_id": "a", "value": "x"})
        assert answer["ok"] is False and answer["code"] == "unknown_step", answer
        forget = call(phone, "forget", "/participant", {"step_id": step_id})
        assert forget["ok"] is False and forget["code"] == "unknown_step", forget
