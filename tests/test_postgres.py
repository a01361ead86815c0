"""The store behaves the same on PostgreSQL as on SQLite: each store test runs on both. Then a store that outlives
its cut connections, a URL whose password is never repeated, and a real server running a room on PostgreSQL."""

import csv
import io
import json
import threading
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
import requests
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import DBAPIError, StatementError

from facilitator.loadtest.phones import sample_answer
from facilitator.store import DATABASE_FILE, NewAnswer, Store
from facilitator.store.schema import answers, group_members, participants, sessions
from protocols.errors import DomainError
from protocols.followup import parse_check_in
from protocols.loader import load_library
from protocols.model import GroupBy
from protocols.organisations import OrganisationDraft
from protocols.session import AgendaItem, GroupSettings, JoinQuestion, Timer
from protocols.setup import GoalDraft, SessionEdit
from tests.support.database import behind_the_store
from tests.support.servers import LiveServer
from tests.support.waiting import wait_until

GOALS = [("Every student reads fluently by grade 3", "Literacy"), ("Feedback that moves learning forward", "")]


def count(database: Path | str, table) -> int:
    with behind_the_store(database) as db, db.connection() as link:
        return link.run(select(func.count()).select_from(table), {}).rows[0][0]


def goal_setting() -> list[AgendaItem]:
    return [AgendaItem(1, load_library()["goal-setting"])]


def new_session(store: Store, **fields):
    return store.create_session("Spring PD day", "Riverside District", GOALS, goal_setting(), **fields)


# Sessions


def test_a_session_reads_back_as_it_was_made_and_only_its_key_opens_it(store):
    question = JoinQuestion("Grade level", ("K-2", "3-5"))
    made, key = new_session(store, join_question=question, facilitator="Dr. Amara Okafor", date="2027-03-15",
                            day_minutes=390)  # fmt: skip
    for found in (store.session_by_code(made.code), store.session_by_id(made.id)):
        assert found == made
    assert [(goal.title, goal.description) for goal in made.system_goals] == GOALS
    assert (made.join_question, made.facilitator, made.date, made.day_minutes) == (
        question, "Dr. Amara Okafor", "2027-03-15", 390)  # fmt: skip
    assert made.agenda == tuple(goal_setting()) and not made.locked and made.grouped is None
    assert store.facilitator_session(made.code, key) == made
    with pytest.raises(DomainError) as wrong:
        store.facilitator_session(made.code, key + "x")
    assert wrong.value.code == "bad_key"
    with pytest.raises(DomainError) as unknown:
        store.facilitator_session("ZZZZZZ", key)
    assert unknown.value.code == "unknown_session"
    assert store.session_by_code("ZZZZZZ") is None and store.session_by_id(made.id + 1000) is None
    fresh = store.new_facilitator_key(made.id)
    assert store.facilitator_session(made.code, fresh) == made
    with pytest.raises(DomainError):
        store.facilitator_session(made.code, key)  # the old key no longer opens the console


def test_run_state_survives_a_restart_with_times_to_the_microsecond(store, database):
    made, _ = new_session(store)
    deadline = time.time() + 90.123456  # PostgreSQL's four-byte REAL would be a minute off
    session = made.next(now=100.25).next(now=160.5)
    session = replace(session, timer=Timer(deadline=deadline, remaining=12.345678), locked=True)
    store.save_run_state(session)
    first_step = session.steps[0].key
    reopened = Store(database)
    try:
        again = reopened.session_by_code(made.code)
    finally:
        reopened.close()
    assert again.position == session.position and again.locked
    assert again.timer == Timer(deadline=deadline, remaining=12.345678)
    assert again.step_opened_at == 160.5 and again.seconds_used(first_step, 1_000.0) == 60.25


def test_preparing_edits_keep_goal_ids_and_the_agenda_changes_only_while_nobody_is_in(store):
    older, _ = new_session(store)
    made, _ = new_session(store)
    kept, dropped = made.system_goals
    edit = SessionEdit("Renamed", "Org", "Presenter", "2027-04-01", 300,
                       system_goals=(GoalDraft(None, "A new goal", "new"), GoalDraft(kept.id, "Reworded", "")),
                       agenda=(AgendaItem(1, load_library()["tuning"]),))  # fmt: skip
    store.update_session(made.id, edit)
    edited = store.session_by_id(made.id)
    assert (edited.title, edited.organisation, edited.facilitator, edited.date, edited.day_minutes) == (
        "Renamed", "Org", "Presenter", "2027-04-01", 300)  # fmt: skip
    assert [goal.title for goal in edited.system_goals] == ["A new goal", "Reworded"]
    assert edited.system_goals[1].id == kept.id and dropped.id not in {goal.id for goal in edited.system_goals}
    assert edited.agenda[0].protocol.id == "tuning"
    store.add_participant(made.id, "Ana")
    with pytest.raises(DomainError) as live:
        store.update_session(made.id, replace(edit, title="Not applied", agenda=tuple(goal_setting())))
    assert live.value.code == "session_live"
    assert store.session_by_id(made.id).title == "Renamed"  # the refused edit left nothing behind
    listed = store.prepared_sessions()
    assert [(p.session.id, p.participants) for p in listed] == [(made.id, 1), (older.id, 0)]
    assert store.prepared_session(made.code).participants == 1


# Participants and groups


def test_participants_are_found_by_their_token_whose_digest_alone_is_stored(store, database):
    made, key = new_session(store)
    ana, ana_token = store.add_participant(made.id, "Ana", "K-2")
    ben, _ = store.add_participant(made.id, "Zoë Ødegård")
    assert store.participant_by_token(ana_token) == ana and ana.join_answer == "K-2"
    assert store.participant_by_token(ana_token + "x") is None and store.participant_by_token(None) is None
    assert store.participants(made.id) == [ana, ben]
    assert store.participant_names(made.id) == {ana.id: "Ana", ben.id: "Zoë Ødegård"}
    assert store.count_participants(made.id) == 2 and store.count_participants(0) == 0
    with behind_the_store(database) as db, db.connection() as link:
        digests = text("SELECT token_digest FROM participants UNION SELECT facilitator_key_digest FROM sessions")
        stored = link.connection.execute(digests).scalars().all()
    assert len(stored) == 3 and ana_token not in stored and key not in stored


def test_groups_keep_seat_order_and_latecomers_each_get_a_seat_of_their_own(store, database):
    made, _ = new_session(store)
    people = [store.add_participant(made.id, f"Person {n}")[0].id for n in range(16)]
    store.save_groups(made.id, GroupSettings(3, GroupBy.RANDOM), [people[0:3], people[3:6]])
    assert store.groups(made.id) == {1: tuple(people[0:3]), 2: tuple(people[3:6])}
    assert store.session_by_id(made.id).grouped == GroupSettings(3, GroupBy.RANDOM)
    store.seat_in_group(made.id, people[0], 2)  # moved: out of group 1, onto group 2's last seat
    assert store.groups(made.id) == {1: tuple(people[1:3]), 2: (*people[3:6], people[0])}
    assert store.table_of(made.id, people[4]).groups == {2: (*people[3:6], people[0])}, "one table, in seat order"
    assert store.table_of(made.id, people[1]).group_of(people[2]) == 1
    assert store.table_of(made.id, people[9]).groups == {}, "seated nowhere yet"
    latecomers = people[6:]
    together = threading.Barrier(len(latecomers))

    def arrive(person: int) -> None:
        together.wait()
        store.seat_in_group(made.id, person, 3)

    threads = [threading.Thread(target=arrive, args=(person,)) for person in latecomers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(store.groups(made.id)[3]) == sorted(latecomers)
    with behind_the_store(database) as db, db.connection() as link:
        seats = link.run(select(group_members.c.seat).where(group_members.c.group_number == 3), {}).rows
        assert sorted(seat for (seat,) in seats) == list(
            range(len(latecomers))
        )  # all at once, each on a seat of their own
    store.save_groups(made.id, GroupSettings(4, GroupBy.JOIN_ANSWER), [])
    assert store.groups(made.id) == {}


# Answers


def test_a_batch_is_saved_in_one_go_and_resends_change_nothing(store):
    made, _ = new_session(store)
    ana, _ = store.add_participant(made.id, "Ana")
    ben, _ = store.add_participant(made.id, "Ben")
    goal_id = made.system_goals[0].id
    first = store.save_answers([
        NewAnswer(made.id, ana.id, "1:system-goal", "a1", goal_id),
        NewAnswer(made.id, ben.id, "1:system-goal", "b1", goal_id, group_number=2),
        NewAnswer(made.id, ana.id, "1:goal", "a2", "Read daily"),
        NewAnswer(made.id, ana.id, "1:goal", "a3", "Read daily, aloud"),  # changed within the same batch
    ])  # fmt: skip
    assert [changed for _, changed in first] == [True, True, True, True]
    assert first[1][0].group_number == 2 and first[3][0].value == "Read daily, aloud"
    again = store.save_answers([
        NewAnswer(made.id, ana.id, "1:goal", "a3", "a resend carries the same text"),
        NewAnswer(made.id, ben.id, "1:goal", "b2", {"nested": ["ü", 1.5]}),
    ])  # fmt: skip
    (resent, resent_changed), (_, ben_changed) = again
    assert not resent_changed and resent.value == "Read daily, aloud" and ben_changed
    assert resent.saved_at == first[3][0].saved_at  # to the microsecond, on both databases
    assert store.saved_answer(ana.id, "1:goal", "a3") == resent
    assert store.saved_answer(ana.id, "1:goal", "a2") is None
    assert store.answers_of(ana.id) == {"1:system-goal": goal_id, "1:goal": "Read daily, aloud"}
    assert store.answers_by_participant(made.id) == {
        ana.id: {"1:system-goal": goal_id, "1:goal": "Read daily, aloud"},
        ben.id: {"1:system-goal": goal_id, "1:goal": {"nested": ["ü", 1.5]}},
    }
    assert [a.participant_id for a in store.answers_to_step(made.id, "1:system-goal")] == [ana.id, ben.id]
    assert [(a.participant_id, a.step_id) for a in store.answers_to_steps(made.id, ["1:goal", "1:system-goal"])] == [
        (ana.id, "1:system-goal"), (ben.id, "1:system-goal"), (ana.id, "1:goal"), (ben.id, "1:goal")]  # fmt: skip
    assert store.answers_to_steps(made.id, []) == []
    assert len(store.all_answers(made.id)) == 4
    assert store.answered_items(made.id) == {1}
    assert store.goal_picks(made.id, ["1:system-goal"]) == {goal_id: 2}
    assert store.goal_picks(made.id, []) == {}


def test_a_large_batch_is_a_few_statements_and_its_results_follow_its_order(store, monkeypatch):
    """A thousand phones answering at once: each batch is written in statements of many rows, not one round trip
    per answer; an edit of an answer in the same batch lands after it, and a resend still changes nothing."""
    made, _ = new_session(store)
    people = [store.add_participant(made.id, f"Person {n}")[0].id for n in range(240)]
    store.save_answer(made.id, people[7], "1:goal", "resent", "kept as it was")
    batch = [NewAnswer(made.id, person, "1:goal", f"{person}-1", f"goal {person}") for person in people]
    batch[7] = NewAnswer(made.id, people[7], "1:goal", "resent", "a resend carries the same text")
    batch.insert(50, NewAnswer(made.id, people[3], "1:goal", f"{people[3]}-2", "changed in the same batch"))
    sent: list[str] = []
    run_sql = store._db._run_sql
    monkeypatch.setattr(store._db, "_run_sql", lambda connection, sql, *values: sent.append(sql) or run_sql(
        connection, sql, *values))  # fmt: skip
    results = store.save_answers(batch)
    monkeypatch.undo()
    inserts = [sql for sql in sent if sql.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 3, "241 answers: the first 50, the edit of one of them and 99 more, the last 91"
    assert [answer.participant_id for answer, _ in results] == [new.participant_id for new in batch]
    assert [changed for _, changed in results].count(False) == 1 and not results[7][1]
    assert results[7][0].value == "kept as it was" and results[50][0].value == "changed in the same batch"
    stored = {a.participant_id: a.value for a in store.answers_to_step(made.id, "1:goal")}
    assert stored[people[3]] == "changed in the same batch" and stored[people[7]] == "kept as it was"
    assert len(stored) == 240


def test_a_batch_with_one_bad_answer_stores_none_of_it(store, database):
    made, _ = new_session(store)
    ana, _ = store.add_participant(made.id, "Ana")
    with pytest.raises(DBAPIError, match=r"(?i)foreign key") as refused:  # no such participant
        store.save_answers([
            NewAnswer(made.id, ana.id, "1:goal", "a1", "kept only with the rest"),
            NewAnswer(made.id, ana.id + 1000, "1:goal", "x1", "from nobody"),
        ])  # fmt: skip
    assert "from nobody" not in str(refused.value)  # an error never shows what people wrote
    assert count(database, answers) == 0
    assert store.save_answer(made.id, ana.id, "1:goal", "a1", "afterwards")[1]  # the store is still usable


def test_answers_from_many_threads_at_once_are_all_kept(store):
    made, _ = new_session(store)
    people = [store.add_participant(made.id, f"Person {n}")[0].id for n in range(40)]

    def answer_all(offset: int) -> None:
        batch = [NewAnswer(made.id, person, "1:goal", f"{person}-{offset}", f"goal {person}") for person in people]
        store.save_answers(batch[offset::4])

    threads = [threading.Thread(target=answer_all, args=(offset,)) for offset in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {a.participant_id: a.value for a in store.answers_to_step(made.id, "1:goal")} == {
        person: f"goal {person}" for person in people
    }


def test_a_hidden_answer_stays_hidden_when_changed_and_a_changed_answer_loses_the_spotlight(store):
    made, _ = new_session(store)
    alice, _ = store.add_participant(made.id, "Alice")
    bob, _ = store.add_participant(made.id, "Bob")
    store.save_answer(made.id, alice.id, "1:goal", "a1", "first")
    store.save_answer(made.id, bob.id, "1:goal", "b1", "bob's")
    assert store.moderate_answer(made.id, alice.id, "1:goal", hidden=True).hidden
    store.moderate_answer(made.id, bob.id, "1:goal", spotlight=True)
    changed, _ = store.save_answer(made.id, alice.id, "1:goal", "a2", "second")
    assert changed.hidden
    store.save_answer(made.id, bob.id, "1:goal", "b2", "bob changed it")
    by_person = {a.participant_id: a for a in store.answers_to_step(made.id, "1:goal")}
    assert (by_person[alice.id].value, by_person[alice.id].hidden) == ("second", True)
    assert (by_person[bob.id].hidden, by_person[bob.id].spotlight) == (False, False)
    assert store.moderate_answer(made.id, bob.id, "1:goal", spotlight=True).spotlight
    hidden = store.moderate_answer(made.id, bob.id, "1:goal", hidden=True)
    assert hidden.hidden and not hidden.spotlight  # a hidden answer is never up on the projector
    with pytest.raises(DomainError) as missing:
        store.moderate_answer(made.id, alice.id, "1:no-such-step", hidden=True)
    assert missing.value.code == "unknown_answer"


def test_a_store_on_postgresql_comes_back_after_its_connections_are_cut(postgres):
    url = postgres.create_database()
    store = Store(url)
    try:
        made, _ = new_session(store)
        cut = postgres.query(url, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                  " WHERE datname = current_database() AND pid <> pg_backend_pid()")  # fmt: skip
        assert cut == [[1]]
        with pytest.raises(StatementError):  # what was in flight on the cut connection fails; a phone resends it
            store.session_by_id(made.id)
        assert store.session_by_id(made.id) == made
        assert store.add_participant(made.id, "After the cut")[0].name == "After the cut"
    finally:
        store.close()


# Deleting


def test_deleting_answers_or_a_session_removes_every_row_it_held(store, database):
    ours, _ = new_session(store)
    theirs, _ = new_session(store)
    ana, _ = store.add_participant(ours.id, "Ana")
    ben, _ = store.add_participant(ours.id, "Ben")
    kept, _ = store.add_participant(theirs.id, "Kept")
    for person, session in ((ana, ours), (ben, ours), (kept, theirs)):
        store.save_answer(session.id, person.id, "1:goal", f"{person.id}-goal", "goal")
        store.save_answer(session.id, person.id, "1:worry", f"{person.id}-worry", "worry")
    store.save_groups(ours.id, GroupSettings(2, GroupBy.RANDOM), [[ana.id, ben.id]])
    assert store.delete_answers(ana.id, "1:worry") == 1 and set(store.answers_of(ana.id)) == {"1:goal"}
    assert store.delete_answers(ana.id) == 1 and store.answers_of(ana.id) == {}
    assert store.delete_answers(ana.id) == 0
    store.delete_session(ours.id)
    assert store.session_by_id(ours.id) is None and store.participants(ours.id) == []
    assert count(database, answers) == 2 and count(database, participants) == 1 and count(database, group_members) == 0
    assert store.answers_of(kept.id) == {"1:goal": "goal", "1:worry": "worry"}
    assert [goal.title for goal in store.session_by_id(theirs.id).system_goals] == [title for title, _ in GOALS]


def test_the_schema_cascades_a_deleted_session_to_everything_in_it(store, database):
    made, _ = new_session(store)
    ana, _ = store.add_participant(made.id, "Ana")
    store.save_answer(made.id, ana.id, "1:goal", "a1", "goal")
    store.save_groups(made.id, GroupSettings(2, GroupBy.RANDOM), [[ana.id]])
    with behind_the_store(database) as db, db.transaction() as link:
        link.run(delete(sessions), {})  # the session row alone: ON DELETE CASCADE does the rest
    assert [count(database, table) for table in (participants, answers, group_members)] == [0, 0, 0]


def test_workers_that_start_together_on_a_new_database_each_open_it(database):
    together = threading.Barrier(4)
    failures: list[BaseException] = []

    def start_worker() -> None:
        together.wait()
        try:
            Store(database).close()
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=start_worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert count(database, sessions) == 0


# A database URL: a password never shows in an error


def test_a_plain_postgresql_url_means_pg8000_and_a_wrong_password_is_not_repeated(postgres):
    url = postgres.create_database()
    plain = Store(url.replace("postgresql+pg8000://", "postgresql://"))
    try:
        assert plain.count_participants(0) == 0
    finally:
        plain.close()
    with pytest.raises(DBAPIError) as refused:
        Store(url.replace(postgres.password, "WRONG-PASSWORD-CANARY"))
    assert "password authentication failed" in str(refused.value)
    assert "WRONG-PASSWORD-CANARY" not in str(refused.value) and postgres.password not in str(refused.value)


# A real server on PostgreSQL


@pytest.mark.live
def test_a_room_on_postgresql_answers_reach_the_database_and_the_export(postgres, peers, tmp_path, monkeypatch, engine):
    url = postgres.create_database()
    monkeypatch.setenv("PATHWAYS_DATABASE_URL", url)  # as a deployment sets it; the export's child inherits it
    server = LiveServer(data_dir=tmp_path / "data", engine=engine)
    server.start()
    try:
        created = server.create_session()
        code, goals = created["code"], created["system_goals"]
        console = peers(server.url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
        phones = [peers(server.url, "/participant", code=code, name=name).connect() for name in ("Ana", "Ben")]
        welcomes = [phone.wait_for("welcome") for phone in phones]
        sent: dict[tuple[int, str], object] = {}
        for _ in range(2):  # choose a system goal, then write the goal
            step_id = console.call("next")["step_id"]
            for index, phone in enumerate(phones):
                state = phone.wait_for("state", lambda state, s=step_id: state["step"] and state["step"]["id"] == s)
                value = sample_answer(state["step"], goals, index)
                ack = phone.call("answer", {"step_id": step_id, "answer_id": f"{index}-{step_id}", "value": value})
                assert ack["ok"] is True, ack
                sent[(welcomes[index]["participant_id"], step_id)] = value

        stored = postgres.query(url, "SELECT p.name, a.participant_id, a.step_id, a.value FROM answers a"
                                     " JOIN participants p ON p.id = a.participant_id ORDER BY a.id")  # fmt: skip
        assert {(participant_id, step): json.loads(value) for _, participant_id, step, value in stored} == sent
        assert sorted({name for name, *_ in stored}) == ["Ana", "Ben"]
        assert not (tmp_path / "data" / DATABASE_FILE).exists()  # nothing went to SQLite

        headers = {"X-Facilitator-Key": created["facilitator_key"]}
        export_url = f"{server.url}/api/sessions/{code}/export"
        assert requests.post(export_url, headers=headers, timeout=10).status_code == 202
        done = wait_until(lambda: requests.get(export_url, headers=headers, timeout=10).json()["state"] != "running",
                          timeout=60, message="the export to finish")  # fmt: skip
        status = requests.get(export_url, headers=headers, timeout=10).json()
        assert done and status["state"] == "done", status
        bundle = zipfile.ZipFile(io.BytesIO(requests.get(export_url + ".zip", headers=headers, timeout=30).content))
        csv_name = next(name for name in bundle.namelist() if name.endswith("answers.csv"))
        rows = list(csv.DictReader(io.StringIO(bundle.read(csv_name).decode("utf-8-sig"))))
        goals_written = {(row["participant"], row["value"]) for row in rows if row["step"] == "1:goal"}
        names = {welcome["participant_id"]: welcome["name"] for welcome in welcomes}
        assert goals_written == {(names[person], value) for (person, step), value in sent.items() if step == "1:goal"}
    finally:
        server.stop()
    export_log = (tmp_path / "data" / "exports" / code / "export.log").read_text(errors="replace")
    for output in (server.log(), export_log):
        assert postgres.password not in output


def test_a_person_is_followed_across_an_organisation_s_sessions_and_forgotten_on_request(store):
    """Organisations, people, check-ins, recall and the leaders' records: the same on both databases."""
    organisation, key = store.create_organisation(OrganisationDraft("Riverside", (GoalDraft(None, "Readers"),)))
    goal = organisation.goals[0]
    assert store.leaders_organisation(key, organisation_id=organisation.id).name == "Riverside"
    first, _ = store.create_session("Day one", "Riverside", [("Readers", "", goal.id)], goal_setting(),
                                    date="2026-10-20", organisation_id=organisation.id)  # fmt: skip
    ana, ana_token = store.add_participant(first.id, "Ana", identifier="ana@riverside.org")
    store.save_answer(first.id, ana.id, "1:system-goal", "a", first.system_goals[0].id)
    store.save_answer(first.id, ana.id, "1:goal", "b", "Readers by June")
    store.save_answer(first.id, ana.id, "1:worry", "c", "SECRET")
    store.save_check_in(ana, parse_check_in({"progress": [{"step": "Read daily", "level": 4}], "private_note": "NOTE"}))
    second, _ = store.create_session("Day two", "Riverside", [("Readers", "", goal.id)], goal_setting(),
                                     date="2026-11-20", organisation_id=organisation.id)  # fmt: skip
    back, _ = store.add_participant(second.id, "Ana", earlier=[ana_token])
    stranger, _ = store.add_participant(second.id, "Dan", identifier="ana@riverside.org")
    assert (back.person_id, back.person_verified) == (ana.person_id, True)
    assert (stranger.person_id, stranger.person_verified) == (ana.person_id, False)
    recalls = store.recalls(second, [back.id, stranger.id])
    assert recalls[back.id].earlier.goal == "Readers by June" and recalls[back.id].check_ins[0].private_note == "NOTE"
    assert recalls[stranger.id].hidden and recalls[stranger.id].earlier is None
    records = {record.name: record for record in store.person_records(organisation.id)}
    assert set(records) == {"Ana", "Dan"} and records["Ana"].check_ins[0].private_note == ""
    assert records["Ana"].identifier == "ana@riverside.org" and records["Dan"].identifier == ""
    assert store.forget_person(back) == 2
    assert store.participant_by_id(ana.id) is None and store.person_records(organisation.id)[0].name == "Dan"
