"""Sharing progress, by choice: the domain's rules (the choice and its parsing, what a card holds, who sees whose
card, the round's order and moves), the storage on SQLite and PostgreSQL, and the person's and leaders' routes with
their refusals; forgetting a person takes their choice and the warm feedback they sent or received."""

import io

import pytest
from PIL import Image

from facilitator.store.evidence import EvidenceFolder
from protocols.errors import DomainError
from protocols.evidence import EvidenceFile, Kind, Prepared
from protocols.measure_progress import measure_chart
from protocols.progress_sharing import (
    CardViewer,
    ProgressRound,
    Sharer,
    ShareWith,
    card,
    feedback_recipient,
    may_view_card,
    move,
    parse_feedback,
    parse_selected,
    parse_share,
    shown_place,
    start_round,
    wall,
    with_newcomers,
)
from tests.support.admin import admin_headers
from tests.support.organisation_day import riverside
from tests.support.sockets import call, events

MEASURE = {"what": "Share reading at grade level", "unit": "percent", "out_of": None,
           "baseline": {"value": 40, "date": "2026-10-01"}, "target": {"value": 80, "date": "2027-06-01"}}  # fmt: skip


def sharer(person: int, name: str, audience: ShareWith, group: set[int] = frozenset(), chart=None, **more) -> Sharer:
    return Sharer(person, name, audience, f"{name}'s goal", "Readers", chart, group=frozenset(group), **more)


# The domain


def test_the_choice_is_one_of_three_and_a_file_is_selected_or_not():
    assert [parse_share({"audience": a}) for a in ("nobody", "group", "organisation")] == list(ShareWith)
    for bad in ({"audience": "everyone"}, {"audience": None}, {}, ["organisation"], "group"):
        with pytest.raises(DomainError) as refused:
            parse_share(bad)
        assert refused.value.code == "bad_audience"
    assert parse_selected({"selected": True}) is True and parse_selected({"selected": False}) is False
    with pytest.raises(DomainError, match="selected"):
        parse_selected({"selected": "yes"})


def test_who_sees_whose_card():
    ana = sharer(1, "Ana", ShareWith.ORGANISATION)
    ben = sharer(2, "Ben", ShareWith.GROUP, {1, 3})
    cara = sharer(3, "Cara", ShareWith.NOBODY, {2})
    seen_by = may_view_card
    person, leaders, room = CardViewer.PERSON, CardViewer.LEADERS, CardViewer.ROOM
    assert seen_by(ana, person, 9) and seen_by(ana, leaders) and seen_by(ana, room)
    assert seen_by(ben, person, 1) and seen_by(ben, person, 3), "his table"
    assert not seen_by(ben, person, 9) and not seen_by(ben, leaders) and not seen_by(ben, room)
    assert not seen_by(cara, person, 2) and seen_by(cara, person, 3), "nobody but herself"
    assert [s.name for s in wall([cara, ben, ana], person, 3)] == ["Ana", "Ben"]
    assert [s.name for s in wall([cara, ben, ana], person, 1)] == ["Ben"], "one's own card is not on one's wall"
    assert [s.name for s in wall([cara, ben, ana], CardViewer.LEADERS)] == ["Ana"]


def test_a_card_holds_only_what_may_be_shared():
    chart = measure_chart(MEASURE, [("2026-11-01", 48.0), ("2026-12-01", 61.0)])
    file = EvidenceFile(7, 1, 1, 1, None, Kind.IMAGE, "records.jpg", "secret-name.jpg", 10, 0.0, False)
    shown = card(sharer(1, "Ana", ShareWith.ORGANISATION, chart=chart, evidence=(file,)), lambda f: f"/open/{f.id}")
    assert set(shown) == {"name", "audience", "goal", "system_goal", "measure", "chart_words", "evidence",
                          "evidence_count"}  # fmt: skip
    assert [point["value"] for point in shown["measure"]["results"]] == [48.0, 61.0]
    assert shown["evidence"] == [{"id": 7, "kind": "image", "title": "records.jpg", "url": "/open/7"}]
    assert "secret-name" not in str(shown)
    unopened = card(sharer(1, "Ana", ShareWith.ORGANISATION, evidence=(file,)))
    assert unopened["evidence"] == [] and unopened["evidence_count"] == 1 and unopened["measure"] is None


def test_a_round_goes_by_name_skips_who_withdrew_and_refuses_a_stale_move():
    with pytest.raises(DomainError) as refused:
        start_round({}, 0.0, has_organisation=True)
    assert refused.value.code == "nobody_shares"
    with pytest.raises(DomainError) as refused:
        start_round({1: "Ana"}, 0.0, has_organisation=False)
    assert refused.value.code == "no_organisation"
    started = start_round({5: "eve", 1: "Ana", 4: "Dev"}, 1.0, has_organisation=True)
    assert started == ProgressRound((1, 4, 5), 0, 1.0) and started.featured == 1
    moved = move(started, 0, 1, sharing=[1, 5])  # Dev withdrew
    assert moved.index == 2 and moved.featured == 5 and shown_place(moved, [1, 5]) == (2, 2)
    with pytest.raises(DomainError) as refused:
        move(moved, 0, 1, sharing=[1, 5])
    assert refused.value.code == "stale_move"
    assert move(moved, 2, 1, sharing=[1, 5]) is None, "next after the last ends the round"
    assert move(started, 0, -1, sharing=[1, 5]) == started, "previous before the first stays"
    assert move(moved, 2, -1, sharing=[1, 4, 5]).featured == 4
    assert with_newcomers(started, {1: "Ana", 2: "Zed", 3: "Bo"}).order == (1, 4, 5, 3, 2)


def test_warm_feedback_reaches_a_sharer_never_oneself_nor_who_withdrew():
    current = ProgressRound((1, 4), 0, 0.0)
    assert parse_feedback({"round": current.id, "at": 1, "feedback_id": "f-1", "body": "  Lovely work  "}) == (
        current.id, 1, "f-1", "Lovely work")  # fmt: skip
    bad_ones = [
        {"round": current.id, "at": -1, "feedback_id": "f", "body": "x"},
        {"round": current.id, "at": True, "feedback_id": "f", "body": "x"},
        {"round": current.id, "at": 0, "feedback_id": "", "body": "x"},
        {"round": current.id, "at": 0, "feedback_id": "f", "body": "   "},
        {"at": 0, "feedback_id": "f", "body": "x"},
        {"round": 0.0, "at": 0, "feedback_id": "f", "body": "x"},
        [],
    ]
    for bad in bad_ones:
        with pytest.raises(DomainError):
            parse_feedback(bad)
    assert feedback_recipient(current, current.id, 1, 9, sharing=[1, 4]) == 4
    for at, sender, sharing, code in ((0, 1, [1], "own_progress"), (1, 9, [1], "not_shared"),
                                      (5, 9, [1, 4], "no_progress_round")):  # fmt: skip
        with pytest.raises(DomainError) as refused:
            feedback_recipient(current, current.id, at, sender, sharing)
        assert refused.value.code == code
    with pytest.raises(DomainError) as refused:
        feedback_recipient(None, current.id, 0, 9, [1])
    assert refused.value.code == "no_progress_round"


def test_feedback_written_in_a_round_that_ended_never_reaches_the_next_round_s_card():
    """Written offline for the first card of one round, sent once another round runs: the card at that place is
    someone else's now, so it is refused, not delivered to them."""
    ended = ProgressRound((1, 4), 0, 100.0)
    running = ProgressRound((4, 1), 0, 200.0)
    with pytest.raises(DomainError) as refused:
        feedback_recipient(running, ended.id, 0, 9, sharing=[1, 4])
    assert refused.value.code == "no_progress_round"


# Storage, on SQLite and PostgreSQL


def test_choices_selected_files_a_round_and_feedback_are_kept_and_forgotten(store, tmp_path):
    organisation, session = riverside(store)
    ana, _ = store.add_participant(session.id, "Ana", identifier="ana@r.org")
    ben, _ = store.add_participant(session.id, "Ben", identifier="ben@r.org")
    assert store.shares(organisation.id) == {} and store.share_of(organisation.id, ana.person_id) is ShareWith.NOBODY
    store.share_progress(organisation.id, ana.person_id, ShareWith.GROUP)
    store.share_progress(organisation.id, ana.person_id, ShareWith.ORGANISATION)
    store.share_progress(organisation.id, ben.person_id, ShareWith.GROUP)
    assert store.shares(organisation.id) == {ana.person_id: ShareWith.ORGANISATION, ben.person_id: ShareWith.GROUP}
    store.share_progress(organisation.id, ben.person_id, ShareWith.NOBODY)
    assert store.shares(organisation.id) == {ana.person_id: ShareWith.ORGANISATION}, "withdrawn: no row left"

    folder = EvidenceFolder(tmp_path)
    prepared = Prepared(Kind.IMAGE, b"x" * 10, "jpg", "records.jpg")
    file = store.add_evidence(prepared, folder.write(prepared.content, "jpg"), organisation_id=organisation.id,
                              person_id=ana.person_id, participant_id=ana.id, check_in_id=None,
                              shared_with_group=False)  # fmt: skip
    assert store.progress_files(ana.person_id) == []
    store.select_for_progress(file.id, True)
    assert store.progress_files(ana.person_id) == [file.id]
    assert store.evidence_file(file.id).shared_with_group is False, "shown with progress is not shared with the group"

    assert store.progress_round(session.id) is None
    started = store.start_progress_round(session.id, ProgressRound((ana.person_id, ben.person_id), 0, 5.0))
    assert store.move_progress_round(session.id, started, ProgressRound((ana.person_id, ben.person_id), 1, 5.0))
    assert store.progress_round(session.id) == ProgressRound((ana.person_id, ben.person_id), 1, 5.0)
    assert store.running_rounds(organisation.id) == [session.id]

    sent = dict(sender_person_id=ben.person_id, sender_participant_id=ben.id, sender_name="Ben",
                session_id=session.id, feedback_id="f-1", body="Lovely")  # fmt: skip
    first = store.add_warm_feedback(organisation.id, ana.person_id, **sent)
    assert store.add_warm_feedback(organisation.id, ana.person_id, **sent) == (first[0], False), "kept once"
    assert first[1] is True
    assert [(f.sender_name, f.body) for f in store.warm_feedback_for(organisation.id, ana.person_id)] == [
        ("Ben", "Lovely")
    ]
    store.forget_progress([ben.person_id], [ben.id])
    assert store.warm_feedback_for(organisation.id, ana.person_id) == [], "what Ben sent goes with him"
    store.add_warm_feedback(organisation.id, ana.person_id, **{**sent, "feedback_id": "f-2"})
    store.forget_progress([ana.person_id])
    assert store.shares(organisation.id) == {} and store.warm_feedback_for(organisation.id, ana.person_id) == []
    assert store.end_progress_round(session.id) and not store.end_progress_round(session.id)
    assert store.progress_round(session.id) is None and store.running_rounds(organisation.id) == []


# The routes


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 90, 60)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def colleagues(client, sio, create_session):
    """An organisation's session where Ana and Ben set goals at one table and Cara at another; a session of no
    organisation with Zoe."""
    organisation = client.post("/api/organisations", json={"name": "Riverside", "system_goals": [{"title": "Readers"}]},
                               headers=admin_headers()).get_json()  # fmt: skip
    created = client.post("/api/sessions", json={"title": "Day", "organisation_id": organisation["id"]},
                          headers=admin_headers()).get_json()  # fmt: skip
    console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
    tokens, ids = {}, {}
    for name in ("Ana", "Ben", "Cara"):
        phone = sio("/participant", code=created["code"], name=name, identifier=f"{name}@r.org", consent=True)
        welcome = events(phone, "welcome", "/participant")[0]
        tokens[name], ids[name] = welcome["token"], welcome["participant_id"]
        for step_id, value in (("1:system-goal", created["system_goals"][0]["id"]), ("1:goal", f"{name}'s goal"),
                               ("1:worry", f"CANARY-{name}")):  # fmt: skip
            assert call(console, "goto", "/facilitator", {"step_id": step_id})["ok"]
            assert call(phone, "answer", "/participant", {"step_id": step_id, "answer_id": step_id, "value": value})[
                "ok"
            ]
    assert call(console, "form_groups", "/facilitator", {"size": 2, "confirm": True})["ok"]
    for name, table in (("Ana", 1), ("Ben", 1), ("Cara", 2)):
        assert call(console, "move", "/facilitator", {"participant_id": ids[name], "group": table})["ok"]
    alone = create_session(title="Alone")
    zoe = sio("/participant", code=alone["code"], name="Zoe")
    tokens["Zoe"] = events(zoe, "welcome", "/participant")[0]["token"]
    return {"organisation": organisation, "session": created, "tokens": tokens}


def test_the_person_s_choice_and_wall_and_who_opens_a_file(client, colleagues):
    ana, ben, cara = (colleagues["tokens"][n] for n in ("Ana", "Ben", "Cara"))
    fresh = client.get(f"/p/{ana}/progress.json").get_json()
    assert fresh["audience"] == "nobody" and fresh["own"]["goal"] == "Ana's goal" and fresh["has_group"] is True
    assert fresh["group"] == [] and fresh["organisation"] == []
    refused = client.post(f"/p/{ana}/progress/share", json={"audience": "everyone"})
    assert refused.status_code == 400 and refused.get_json()["code"] == "bad_audience"
    assert client.post(f"/p/{ana}/progress/share", json={"audience": "group"}).get_json() == {
        "ok": True, "audience": "group"
    }  # fmt: skip
    made = client.post(f"/p/{ana}/evidence", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(png()), "records.png", "image/png")}).get_json()  # fmt: skip
    assert client.post(f"/p/{ana}/progress/evidence/{made['id']}", json={"selected": True}).status_code == 200
    assert client.post(f"/p/{ben}/progress/evidence/{made['id']}", json={"selected": False}).status_code == 404
    url = f"/p/{ben}/progress/evidence/{made['id']}"
    ben_sees = client.get(f"/p/{ben}/progress.json").get_json()
    assert [c["name"] for c in ben_sees["group"]] == ["Ana"] and ben_sees["group"][0]["evidence"][0]["url"] == url
    assert client.get(url).status_code == 200, "Ben sits at her table"
    assert client.get(f"/p/{cara}/progress.json").get_json()["group"] == [], "Cara does not"
    assert client.get(f"/p/{cara}/progress/evidence/{made['id']}").status_code == 404
    assert client.get(f"/p/{ana}/progress/evidence/{made['id']}").status_code == 404, "her own opens by her own route"
    for text in ("CANARY-Ana", "CANARY-Ben"):
        assert text not in client.get(f"/p/{ben}/progress.json").get_data(as_text=True)
    assert client.post(f"/p/{ana}/progress/share", json={"audience": "nobody"}).status_code == 200
    assert client.get(url).status_code == 404, "withdrawn: the file closes at once"
    assert client.get(f"/p/{ben}/progress.json").get_json()["group"] == []
    zoe = colleagues["tokens"]["Zoe"]
    alone = client.post(f"/p/{zoe}/progress/share", json={"audience": "organisation"})
    assert alone.status_code == 409 and alone.get_json()["code"] == "no_organisation"


def test_leaders_see_the_organisation_s_sharers_and_count_the_rest(client, colleagues):
    ana, ben = colleagues["tokens"]["Ana"], colleagues["tokens"]["Ben"]
    organisation, session = colleagues["organisation"], colleagues["session"]
    client.post(f"/p/{ana}/progress/share", json={"audience": "organisation"})
    client.post(f"/p/{ben}/progress/share", json={"audience": "group"})
    key = {"X-Organisation-Key": organisation["key"]}
    wall_json = client.get(f"/api/follow-up/progress-wall?organisation={organisation['id']}", headers=key).get_json()
    assert [c["name"] for c in wall_json["organisation"]] == ["Ana"] and wall_json["sharing_with_group"] == 1
    assert "CANARY" not in str(wall_json)
    facilitator = client.get(f"/api/follow-up/progress-wall?code={session['code']}",
                             headers={"X-Facilitator-Key": session["facilitator_key"]})  # fmt: skip
    assert facilitator.status_code == 403 and facilitator.get_json()["code"] == "forbidden"


def test_forgetting_a_person_takes_their_choice_and_the_feedback_they_sent(client, sio, colleagues, app):
    ana, ben = colleagues["tokens"]["Ana"], colleagues["tokens"]["Ben"]
    session = colleagues["session"]
    client.post(f"/p/{ana}/progress/share", json={"audience": "organisation"})
    console = sio("/facilitator", code=session["code"], key=session["facilitator_key"])
    assert call(console, "progress_round_start", "/facilitator", {})["ok"]
    phone = sio("/participant", code=session["code"], token=ben)
    shown = events(phone, "progress_round", "/participant")[-1]
    sent = call(phone, "warm_feedback", "/participant",
                {"round": shown["round"], "at": 0, "feedback_id": "b1", "body": "Bravo, Ana"})  # fmt: skip
    assert sent == {"ok": True, "feedback_id": "b1"}
    thread = client.get(f"/p/{ana}/coaching.json").get_json()["thread"]
    assert [(m["by"], m["body"]) for m in thread if m["kind"] == "warm_feedback"] == [("Ben", "Bravo, Ana")]
    assert client.post(f"/p/{ben}/forget", data={"confirm": "delete"}).status_code == 200
    assert all(m["kind"] != "warm_feedback" for m in client.get(f"/p/{ana}/coaching.json").get_json()["thread"])
    assert client.post(f"/p/{ana}/forget", data={"confirm": "delete"}).status_code == 200
    assert app.extensions["pathways.store"].shares(colleagues["organisation"]["id"]) == {}


def test_my_data_lists_the_choice_the_files_ticked_and_the_warm_feedback_sent_and_received(client, sio, colleagues):
    ana, ben = colleagues["tokens"]["Ana"], colleagues["tokens"]["Ben"]
    session = colleagues["session"]
    client.post(f"/p/{ana}/progress/share", json={"audience": "organisation"})
    made = client.post(f"/p/{ana}/evidence", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(png()), "records.png", "image/png")}).get_json()  # fmt: skip
    client.post(f"/p/{ana}/progress/evidence/{made['id']}", json={"selected": True})
    console = sio("/facilitator", code=session["code"], key=session["facilitator_key"])
    assert call(console, "progress_round_start", "/facilitator", {})["ok"]
    phone = sio("/participant", code=session["code"], token=ben)
    shown = events(phone, "progress_round", "/participant")[-1]
    sent = {"round": shown["round"], "at": 0, "feedback_id": "b1", "body": "Bravo, Ana"}
    assert call(phone, "warm_feedback", "/participant", sent)["ok"]

    hers = client.get(f"/p/{ana}/my-data.json").get_json()["progress"]
    assert hers["shared_with"] == "organisation"
    assert hers["files_shown_with_progress"] == [{"id": made["id"], "title": "records.png"}]
    assert [(f["from"], f["body"]) for f in hers["warm_feedback_received"]] == [("Ben", "Bravo, Ana")]
    assert hers["warm_feedback_sent"] == [] and hers["warm_feedback_received"][0]["at"][:2] == "20"
    his = client.get(f"/p/{ben}/my-data.json").get_json()["progress"]
    assert his["shared_with"] == "nobody" and his["files_shown_with_progress"] == []
    assert [f["body"] for f in his["warm_feedback_sent"]] == ["Bravo, Ana"] and his["warm_feedback_received"] == []
    assert client.post(f"/p/{ana}/forget", data={"confirm": "delete"}).status_code == 200
    assert client.get(f"/p/{ben}/my-data.json").get_json()["progress"]["warm_feedback_sent"] == [], "gone with her"
