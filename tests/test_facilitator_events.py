"""Running a session from the console: locks, groups, moving people, latecomers, changing the agenda, uploads."""

import pytest

from tests.support.sockets import received
from tests.support.waiting import wait_until


class Screen:
    """A test client on one namespace that remembers everything it received, so the latest state is at hand."""

    def __init__(self, client, namespace):
        self.client, self.namespace, self.seen = client, namespace, []

    def latest(self, event):
        self.seen.extend(received(self.client, self.namespace))
        return [data for name, data in self.seen if name == event][-1]

    def call(self, event, data=None):
        return self.client.emit(event, data, namespace=self.namespace, callback=True)


@pytest.fixture
def room(sio, create_session):
    """A session of goal setting then tuning with a join question, a console and a way to add phones."""
    created = create_session(
        agenda=["goal-setting", {"id": "tuning", "rounds": 2}],
        join_question={"label": "Grade level", "options": ["K-2", "3-5", "6-8"]},
    )
    console = Screen(sio("/facilitator", code=created["code"], key=created["facilitator_key"]), "/facilitator")

    def phone(name, grade="K-2"):
        joined = sio("/participant", code=created["code"], name=name, join_answer=grade)
        assert joined.is_connected("/participant"), name
        screen = Screen(joined, "/participant")
        return screen, screen.latest("welcome")["participant_id"]

    return created, console, phone


def test_a_locked_step_refuses_answers_until_unlocked(room):
    _created, console, phone = room
    ana, _ = phone("Ana")
    console.call("goto", {"step_id": "1:goal"})
    assert console.call("lock", {"locked": True})["ok"]
    assert ana.latest("state")["locked"] is True
    refused = ana.call("answer", {"step_id": "1:goal", "answer_id": "a", "value": "x"})
    assert refused["ok"] is False and refused["code"] == "step_locked"
    assert console.call("lock", {"locked": False})["ok"]
    assert ana.call("answer", {"step_id": "1:goal", "answer_id": "a", "value": "x"})["ok"]


def test_the_join_question_is_asked_and_checked(sio, room):
    created, _, phone = room
    _, _ana = phone("Ana", "3-5")
    assert not sio("/participant", code=created["code"], name="Ben", join_answer="9-12").is_connected("/participant")
    assert not sio("/participant", code=created["code"], name="Ben").is_connected("/participant")


def test_groups_by_join_answer_keep_grades_together_and_show_on_every_phone(room):
    _created, console, phone = room
    phones = {name: phone(name, grade) for name, grade in [("A", "K-2"), ("B", "K-2"), ("C", "6-8"), ("D", "6-8")]}
    ack = console.call("form_groups", {"size": 2, "by": "join_answer", "confirm": True})
    assert ack == {"ok": True, "groups": 2, "placed": 4}
    board = console.latest("state")["groups"]
    tables = [{member["name"] for member in group["members"]} for group in board]
    assert sorted(map(sorted, tables)) == [["A", "B"], ["C", "D"]]
    group = phones["A"][0].latest("state")["group"]
    assert {member["name"] for member in group["members"]} == {"A", "B"} and group["table"] == group["number"]


def test_groups_by_system_goal_seat_people_with_the_same_goal_together(room):
    created, console, phone = room
    phones = [phone(name) for name in "ABCD"]
    console.call("goto", {"step_id": "1:system-goal"})
    goal_ids = [goal["id"] for goal in created["system_goals"]]
    for n, (joined, _) in enumerate(phones):
        value = goal_ids[0] if n < 2 else goal_ids[1]
        assert joined.call("answer", {"step_id": "1:system-goal", "answer_id": "g", "value": value})["ok"]
    assert console.call("form_groups", {"size": 2, "by": "system_goal", "confirm": True})["ok"]
    tables = [{m["name"] for m in g["members"]} for g in console.latest("state")["groups"]]
    assert sorted(map(sorted, tables)) == [["A", "B"], ["C", "D"]]


def test_form_groups_explains_bad_requests(room):
    _created, console, phone = room
    phone("A")
    assert "whole number" in console.call("form_groups", {"size": "six"})["error"]
    assert "random, system_goal or join_answer" in console.call("form_groups", {"by": "height"})["error"]
    assert "2 to 30" in console.call("form_groups", {"size": 1})["error"]


def test_latecomers_are_placed_in_a_group_as_they_arrive(room):
    _created, console, phone = room
    for name in "ABCD":
        phone(name)
    console.call("form_groups", {"size": 2, "confirm": True})
    late, _late_id = phone("Late")
    group = late.latest("state")["group"]
    assert group is not None and "Late" in {m["name"] for m in group["members"]}
    board = console.latest("state")["groups"]
    assert sum(len(g["members"]) for g in board) == 5


def test_the_facilitator_moves_a_person_and_may_open_a_new_table(room):
    _created, console, phone = room
    people = [phone(name) for name in "ABCD"]
    console.call("form_groups", {"size": 2, "confirm": True})
    _, moved_id = people[0]
    assert console.call("move", {"participant_id": moved_id, "group": 3})["ok"]
    board = console.latest("state")["groups"]
    assert [m["participant_id"] for m in board[2]["members"]] == [moved_id]
    assert console.call("move", {"participant_id": moved_id, "group": 9})["ok"] is False
    assert console.call("move", {"participant_id": 99999, "group": 1})["code"] == "unknown_participant"


def test_roles_show_on_phones_and_rotate_between_rounds(room):
    _created, console, phone = room
    phones = [phone(name) for name in "ABCDEF"]
    console.call("form_groups", {"size": 6})
    console.call("goto", {"step_id": "2:presentation"})
    first = {pid: p.latest("state")["group"]["role"]["id"] for p, pid in phones}
    console.call("goto", {"step_id": "2:presentation@2"})
    second = {pid: p.latest("state")["group"]["role"]["id"] for p, pid in phones}
    assert list(first.values()).count("presenter") == 1 == list(second.values()).count("presenter")
    assert [pid for pid, role in first.items() if role == "presenter"] != [
        pid for pid, role in second.items() if role == "presenter"
    ]
    state = phones[0][0].latest("state")
    assert state["step"]["round"] == 2 and state["step"]["rounds"] == 2


def test_the_agenda_ahead_can_be_changed_during_the_day(room):
    _created, console, _phone = room
    console.call("next")
    assert console.call("agenda_add", {"protocol_id": "three-two-one"})["ok"]
    items = console.latest("state")["items"]
    assert [item["protocol"] for item in items] == ["goal-setting", "tuning", "three-two-one"]
    assert console.call("agenda_move", {"item": 3, "to": 1})["ok"]
    assert console.call("agenda_rounds", {"item": 2, "rounds": 3})["ok"]
    assert console.call("agenda_remove", {"item": 3})["ok"]
    items = console.latest("state")["items"]
    assert [(item["protocol"], item["rounds"]) for item in items] == [("goal-setting", 1), ("tuning", 3)]
    refused = console.call("agenda_remove", {"item": 1})
    assert refused["ok"] is False and "has started" in refused["error"]
    assert console.call("agenda_add", {"protocol_id": "nope"})["code"] == "unknown_protocol"


def test_an_uploaded_protocol_is_checked_with_the_same_clear_errors_then_runs(room):
    _created, console, phone = room
    broken = (
        'id = "mine"\ntitle = "Mine"\npurpose = "p"\n'
        '[[steps]]\nid = "a"\ntitle = "A"\nprompt = "p"\nkind = "scael"\nvisibility = "room"\n'
    )
    refused = console.call("agenda_add", {"toml": broken, "file_name": "mine.toml"})
    assert refused["ok"] is False and refused["code"] == "bad_protocol"
    assert (
        "mine.toml: steps[0].kind: 'scael' is not one of none, text, list, choice, scale, goal, rank"
        in refused["error"]
    )
    good = broken.replace("scael", "scale")
    assert console.call("agenda_add", {"toml": good, "file_name": "mine.toml"})["ok"]
    ana, _ = phone("Ana")
    assert console.call("goto", {"step_id": "3:a"})["ok"]
    assert ana.latest("state")["step"]["kind"] == "scale"
    assert ana.call("answer", {"step_id": "3:a", "answer_id": "s", "value": 4})["ok"]


def test_a_step_for_one_role_refuses_everyone_else(room):
    _created, console, phone = room
    phones = [phone(name) for name in "ABCDEF"]
    console.call("form_groups", {"size": 6})
    console.call("goto", {"step_id": "2:presentation"})
    answers = [
        (
            p.latest("state")["may_answer"],
            p.call("answer", {"step_id": "2:presentation", "answer_id": "q", "value": "Q?"}),
        )
        for p, _ in phones
    ]
    assert sum(may for may, _ in answers) == 1
    for may, ack in answers:
        assert ack["ok"] is may
        if not may:
            assert ack["code"] == "not_your_turn" and "presenter" in ack["error"]


def test_a_move_that_names_a_step_already_left_is_refused_and_changes_nothing(room):
    """A double press or a clicker that fires twice sends two moves from the same step: the second is stale."""
    _created, console, phone = room
    ana, _ = phone("Ana")
    first = console.call("next", {"from": None})
    assert first["ok"] and first["position"] == 0
    opened = first["step_id"]
    twice = console.call("next", {"from": None})
    assert twice["ok"] is False and twice["code"] == "stale_move"
    assert console.latest("state")["position"] == 0
    assert ana.latest("state")["step"]["id"] == opened

    assert console.call("next", {"from": opened})["position"] == 1
    assert console.call("prev", {"from": opened})["code"] == "stale_move"
    assert console.call("goto", {"step_id": opened, "from": opened})["code"] == "stale_move"
    assert console.latest("state")["position"] == 1
    second = console.latest("state")["step"]["id"]
    assert console.call("prev", {"from": second})["position"] == 0
    assert console.call("goto", {"step_id": second, "from": opened})["position"] == 1


def test_a_move_without_from_moves_as_before_and_a_bad_from_is_a_bad_request(room):
    _created, console, _phone = room
    assert console.call("next")["position"] == 0
    assert console.call("next", {})["position"] == 1
    bad = console.call("next", {"from": 3})
    assert bad["ok"] is False and bad["code"] == "bad_request"
    assert console.latest("state")["position"] == 1


def test_a_group_size_outside_the_protocols_range_is_asked_again_and_the_size_used_is_kept(room):
    _created, console, phone = room
    for name in ("Ana", "Ben", "Cy", "Di"):
        phone(name)
    grouping = console.latest("state")["grouping"]
    assert grouping == {"protocol": "Tuning protocol", "min": 6, "max": 10, "size": 6, "by": "random"}
    refused = console.call("form_groups", {"size": 4})
    assert refused["ok"] is False and refused["code"] == "group_size_outside_protocol"
    assert "6 to 10" in refused["error"] and "Tuning protocol" in refused["error"]
    assert console.latest("state")["groups"] == []
    assert console.call("form_groups", {"size": 4, "confirm": True})["ok"]
    assert console.latest("state")["grouping"]["size"] == 4
    assert console.call("form_groups", {"size": 7})["ok"]
    assert console.latest("state")["grouping"]["size"] == 7
    assert console.call("form_groups", {"size": 4, "confirm": "yes"})["code"] == "bad_request"


def test_no_facilitator_key_can_grow_the_agenda_past_a_days_steps(room, client):
    """Twelve uploads of a huge protocol with 30 rounds once made a 144,000-step agenda that stalled the server."""
    created, console, _phone = room
    steps_before = len(console.latest("state")["agenda"])
    huge = "".join(
        f'[[steps]]\nid = "s{n}"\ntitle = "S{n}"\nprompt = "p"\nkind = "none"\nvisibility = "room"\n'
        for n in range(400)
    )
    refused = console.call("agenda_add", {"toml": f'id = "huge"\ntitle = "Huge"\npurpose = "p"\n{huge}', "rounds": 30})
    assert refused["code"] == "bad_protocol" and "at most 40 steps" in refused["error"]
    assert console.call("agenda_add", {"protocol_id": "tuning", "rounds": 20})["ok"]
    added = console.call("agenda_add", {"protocol_id": "tuning", "rounds": 20})
    assert added["code"] == "agenda_too_long" and "at most 300" in added["error"]
    tuning = console.latest("state")["items"][1]["item"]
    assert console.call("agenda_rounds", {"item": tuning, "rounds": 30})["code"] == "agenda_too_long"
    assert len(console.latest("state")["agenda"]) == steps_before + 20 * 9
    response = client.patch(
        f"/api/sessions/{created['code']}",
        json={"agenda": [{"id": "tuning", "rounds": 30}] * 2},
        headers={"Authorization": "Bearer test-admin-token-0123456789abcdef"},
    )
    assert response.status_code == 400 and response.get_json()["code"] == "agenda_too_long"


def test_a_new_session_is_held_to_a_days_steps(client, create_session):
    response = client.post(
        "/api/sessions",
        json={"title": "Long", "system_goals": [{"title": "G"}], "agenda": [{"id": "tuning", "rounds": 30}] * 30},
        headers={"Authorization": "Bearer test-admin-token-0123456789abcdef"},
    )
    assert response.status_code == 400 and response.get_json()["code"] == "agenda_too_long"
    assert create_session(agenda=[{"id": "tuning", "rounds": 30}])["code"]


def test_a_group_answer_stays_with_the_table_it_was_given_at_when_its_author_moves(room):
    """Once, moving the author took their earlier group answer to the new table and away from the old one."""
    _created, console, phone = room
    people = {
        name: phone(name, grade) for name, grade in (("Ana", "K-2"), ("Ben", "K-2"), ("Cy", "3-5"), ("Di", "3-5"))
    }
    assert console.call("form_groups", {"size": 2, "by": "join_answer", "confirm": True})["ok"]
    assert console.call("goto", {"step_id": "2:warm-feedback"})["ok"]
    states = {name: screen.latest("state") for name, (screen, _) in people.items()}
    table = {name: state["group"]["number"] for name, state in states.items()}
    assert table["Ana"] == table["Ben"] != table["Cy"] == table["Di"]
    author = next(name for name in ("Ana", "Ben") if states[name]["may_answer"])
    listener = "Ben" if author == "Ana" else "Ana"
    screen, author_id = people[author]
    assert screen.call("answer", {"step_id": "2:warm-feedback", "answer_id": "w1", "value": "Clear goals"})["ok"]
    assert [a["value"] for a in people[listener][0].latest("state")["shared"]] == ["Clear goals"]

    assert console.call("move", {"participant_id": author_id, "group": table["Cy"]})["ok"]
    assert people[author][0].latest("state")["group"]["number"] == table["Cy"]
    for name in ("Cy", "Di"):
        assert people[name][0].latest("state")["shared"] == [], f"{name} was not at the table it was given to"
    assert [a["value"] for a in people[listener][0].latest("state")["shared"]] == ["Clear goals"]


def test_a_group_answer_reaches_its_table_as_one_small_message_and_the_other_tables_nothing(room):
    """Once, each group answer rebuilt the whole room's picture and sent every group-mate a whole ``state``: work
    that grew with the room. The table's readers are sent the one answer (``shared``); the other tables, nothing."""
    _created, console, phone = room
    people = {
        name: phone(name, grade) for name, grade in (("Ana", "K-2"), ("Ben", "K-2"), ("Cy", "3-5"), ("Di", "3-5"))
    }
    assert console.call("form_groups", {"size": 2, "by": "join_answer", "confirm": True})["ok"]
    assert console.call("goto", {"step_id": "2:warm-feedback"})["ok"]
    author = next(name for name in ("Ana", "Ben") if people[name][0].latest("state")["may_answer"])
    listener = "Ben" if author == "Ana" else "Ana"
    for screen, _ in people.values():
        screen.latest("state")  # everything so far is taken in
    assert people[author][0].call("answer", {"step_id": "2:warm-feedback", "answer_id": "w1", "value": "Clear goals"})[
        "ok"
    ]
    heard = {name: received(screen.client, screen.namespace) for name, (screen, _) in people.items()}
    raw = [(name, data) for name, data in heard[listener] if name != "state"]  # a state here is the merged picture
    assert [name for name, _ in raw] == ["shared"], "one message, not the whole state"
    assert raw[0][1] == {"step_id": "2:warm-feedback", "value": "Clear goals", "saved_at": raw[0][1]["saved_at"],
                         "participant_id": people[author][1], "name": author}  # fmt: skip
    for name in ("Cy", "Di"):
        assert heard[name] == [], f"{name} sits at another table"


def test_a_latecomer_or_a_move_changes_the_phones_of_the_tables_concerned_alone(room):
    """Seating a latecomer once sent every phone in the room its whole state; moving one person did too."""
    _created, console, phone = room
    people = {
        name: phone(name, grade) for name, grade in (("Ana", "K-2"), ("Ben", "K-2"), ("Cy", "3-5"), ("Di", "3-5"))
    }
    assert console.call("form_groups", {"size": 2, "by": "join_answer", "confirm": True})["ok"]
    for screen, _ in people.values():
        screen.latest("state")  # everything so far is taken in
    late, _ = phone("Eve", "3-5")  # seated with the other 3-5 teachers, as a latecomer
    heard = {name: received(screen.client, screen.namespace) for name, (screen, _) in people.items()}
    assert heard["Ana"] == [] and heard["Ben"] == [], "the K-2 table did not change"
    for name in ("Cy", "Di"):
        members = [member["name"] for member in heard[name][-1][1]["group"]["members"]]
        assert sorted(members) == ["Cy", "Di", "Eve"], name
    assert sorted(m["name"] for m in late.latest("state")["group"]["members"]) == ["Cy", "Di", "Eve"]

    assert console.call("move", {"participant_id": people["Di"][1], "group": 3})["ok"]  # a new table
    heard = {name: received(screen.client, screen.namespace) for name, (screen, _) in people.items()}
    assert heard["Ana"] == [] and heard["Ben"] == [], "neither the table Di left nor the one Di joined"
    assert heard["Di"][-1][1]["group"]["number"] == 3
    assert sorted(m["name"] for m in heard["Cy"][-1][1]["group"]["members"]) == ["Cy", "Eve"]


def test_a_phone_coming_back_reads_its_own_table_not_the_room(app, sio, room, monkeypatch):
    """A wave of phones reconnecting after the Wi-Fi drops: each phone's state comes from its own table's rows (its
    group-mates' names and answers), not from every name and answer in the room."""
    created, console, phone = room
    grades = (("Ana", "K-2"), ("Ben", "K-2"), ("Cy", "3-5"), ("Di", "3-5"))
    people = {name: phone(name, grade) for name, grade in grades}
    assert console.call("form_groups", {"size": 2, "by": "join_answer", "confirm": True})["ok"]
    assert console.call("goto", {"step_id": "2:warm-feedback"})["ok"]  # shared with the group
    answered = []
    for name, (screen, _) in people.items():
        if screen.latest("state")["may_answer"]:  # each table's presenter listens: the other one answers
            assert screen.call("answer", {"step_id": "2:warm-feedback", "answer_id": name, "value": f"{name}'s"})["ok"]
            answered.append(name)
    listener = next(name for name in ("Ana", "Ben") if name not in answered)  # back, to read the K-2 table's answer
    welcome = people[listener][0].latest("welcome")
    app.config["LIVE_INTERVAL"] = 3600  # the screens' counts wait their turn: what is left is the phone's own read
    room_reads = []
    store = app.extensions["pathways.store"]
    for read in ("participant_names", "answers_to_step", "groups"):
        real = getattr(store, read)
        monkeypatch.setattr(store, read, lambda *args, real=real, read=read: room_reads.append(read) or real(*args))
    again = Screen(sio("/participant", code=created["code"], token=welcome["token"]), "/participant")
    state = again.latest("state")
    assert room_reads == []
    assert sorted(m["name"] for m in state["group"]["members"]) == ["Ana", "Ben"]
    other = "Ben" if listener == "Ana" else "Ana"
    assert [shared["name"] for shared in state["shared"]] == [other]  # the K-2 table's answer, not the 3-5 one's


def test_a_wave_of_latecomers_reads_their_tables_and_refreshes_the_console_s_board_once(app, room, monkeypatch):
    """Latecomers arriving together after the tables are formed: each is seated and their table's phones told,
    from that table's rows; the console's and projector's boards follow in one throttled refresh, not one each."""
    _created, console, phone = room
    for name in ("Ana", "Ben", "Cy", "Di"):
        phone(name, "K-2")
    assert console.call("form_groups", {"size": 2, "by": "join_answer", "confirm": True})["ok"]
    console.latest("state")
    console.seen.clear()
    app.config["LIVE_INTERVAL"] = 0.3
    store = app.extensions["pathways.store"]
    room_reads = []
    for read in ("participant_names", "answers_to_step"):
        real = getattr(store, read)
        monkeypatch.setattr(store, read, lambda *args, real=real, read=read: room_reads.append(read) or real(*args))
    late = [phone(f"Late {n}", "K-2") for n in range(4)]
    assert room_reads == []  # each latecomer cost their own table's rows
    for screen, _ in late:
        assert screen.latest("state")["group"] is not None

    def board_has_everyone() -> bool:
        console.seen.extend(received(console.client, console.namespace))
        states = [data for name, data in console.seen if name == "state"]
        return bool(states) and sum(len(g["members"]) for g in states[-1]["groups"]) == 8

    wait_until(board_has_everyone, timeout=5, message="the console's board to show the latecomers")
    assert len([name for name, _ in console.seen if name == "state"]) == 1


def test_a_goal_keeps_the_table_it_was_written_at(app, room):
    """Sharing one's progress with "my group" means the colleagues one wrote the goal with: the goal's answer keeps
    its table, though the step is not shared with the group."""
    created, console, phone = room
    people = {name: phone(name, grade) for name, grade in (("Ana", "K-2"), ("Ben", "K-2"), ("Cy", "3-5"))}
    assert console.call("form_groups", {"size": 2, "by": "join_answer", "confirm": True})["ok"]
    assert console.call("goto", {"step_id": "1:goal"})["ok"]
    ana, ana_id = people["Ana"]
    assert ana.call("answer", {"step_id": "1:goal", "answer_id": "g1", "value": "Every reader at grade level"})["ok"]
    table = ana.latest("state")["group"]["number"]
    store = app.extensions["pathways.store"]
    (kept,) = store.answers_to_step(store.session_by_code(created["code"]).id, "1:goal")
    assert (kept.participant_id, kept.group_number) == (ana_id, table)


def test_each_phone_s_picture_of_its_table_stays_what_a_fresh_connection_would_get(room, sio):
    """Group answers now arrive one at a time (``shared``) instead of in whole states, so nothing later corrects a
    phone left behind: an edit after its author moved, and a deleted answer, must reach every phone that showed it."""
    created, console, phone = room
    people = {
        name: phone(name, grade) for name, grade in (("Ana", "K-2"), ("Ben", "K-2"), ("Cy", "3-5"), ("Di", "3-5"))
    }
    assert console.call("form_groups", {"size": 2, "by": "join_answer", "confirm": True})["ok"]
    assert console.call("goto", {"step_id": "2:warm-feedback"})["ok"]
    author = next(name for name in ("Ana", "Ben") if people[name][0].latest("state")["may_answer"])
    tokens = {name: screen.latest("welcome")["token"] for name, (screen, _) in people.items()}

    def shown(state) -> dict[str, object]:
        return {item["name"]: item["value"] for item in state["shared"]}

    def every_phone_as_fresh(when: str) -> None:
        for name, (screen, _) in people.items():
            fresh = Screen(sio("/participant", code=created["code"], token=tokens[name]), "/participant")
            assert shown(screen.latest("state")) == shown(fresh.latest("state")), f"{name}, {when}"

    def say(name: str, answer_id: str, value: str) -> None:
        payload = {"step_id": "2:warm-feedback", "answer_id": answer_id, "value": value}
        assert people[name][0].call("answer", payload)["ok"]

    say(author, "a1", "first")
    assert console.call("move", {"participant_id": people[author][1], "group": people["Cy"][0].latest("state")[
        "group"]["number"]})["ok"]  # fmt: skip
    say(author, "a2", "edited after the move")
    say(next(name for name in ("Cy", "Di") if people[name][0].latest("state")["may_answer"]), "c1", "from table 2")
    every_phone_as_fresh("after an edit made at another table")
    assert people[author][0].call("forget", {"step_id": "2:warm-feedback"})["ok"]
    every_phone_as_fresh("after the answer was deleted")
