"""Progress sharing against the store, on SQLite and PostgreSQL: the wall reads its sharers' files, goals and
table-mates in a few statements however many share; "my group" is the table where the goal was written; a round
moves only from where it was seen (an ended round stays ended); two resends of warm feedback at once keep one; and a
phone that reconnects during a round reads nothing of the room."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from facilitator.store import Store
from facilitator.store.evidence import EvidenceFolder
from facilitator.usecases import progress_round
from facilitator.usecases.progress_sharing import everyone_sharing, leaders_wall
from protocols.errors import DomainError
from protocols.evidence import Kind, Prepared
from protocols.language import IN_ENGLISH
from protocols.model import GroupBy
from protocols.progress_sharing import CardViewer, ProgressRound, ShareWith, wall
from protocols.session import GroupSettings, Participant, Session
from tests.support.organisation_day import riverside as riverside_day


def riverside(store: Store) -> tuple[int, Session]:
    """The organisation's id, and its first day."""
    organisation, session = riverside_day(store)
    return organisation.id, session


def colleague(store: Store, session: Session, name: str, table: int | None) -> Participant:
    """Someone who wrote their goal at ``table`` (the table their goal answer records)."""
    person, _ = store.add_participant(session.id, name, identifier=f"{name.lower().replace(' ', '.')}@r.org")
    store.save_answer(session.id, person.id, "1:system-goal", "g", session.system_goals[0].id)
    store.save_answer(session.id, person.id, "1:goal", "a", f"{name}'s goal", group_number=table)
    return person


def seat(store: Store, session: Session, *tables: list[Participant]) -> None:
    store.save_groups(session.id, GroupSettings(3, GroupBy.RANDOM), [[p.id for p in table] for table in tables])


@contextmanager
def statements(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every statement the store sends meanwhile (reads with IN lists too)."""
    sent: list[Any] = []
    run = store._db.run
    with monkeypatch.context() as patched:
        patched.setattr(store._db, "run", lambda connection, statement, params: sent.append(statement) or run(
            connection, statement, params))  # fmt: skip
        yield sent


def test_the_wall_reads_files_goals_and_table_mates_in_a_few_statements_however_many_share(
    store, tmp_path, monkeypatch
):
    organisation, session = riverside(store)
    folder = EvidenceFolder(tmp_path)
    people = [colleague(store, session, f"Person {n:02}", 1 + n % 2) for n in range(12)]
    seat(store, session, people[0::2], people[1::2])
    files = {}
    for person in people:
        prepared = Prepared(Kind.IMAGE, b"x" * 10, "jpg", f"{person.name}.jpg")
        kept = [store.add_evidence(prepared, folder.write(prepared.content, "jpg"), organisation_id=organisation,
                                   person_id=person.person_id, participant_id=person.id, check_in_id=None,
                                   shared_with_group=False) for _ in range(2)]  # fmt: skip
        store.select_for_progress(kept[1].id, True)  # the second is shown with their progress, the first is not
        files[person.person_id] = kept[1].id

    counts = []
    for sharing in (people[:4], people):
        for n, person in enumerate(sharing):
            audience = ShareWith.ORGANISATION if n % 3 == 0 else ShareWith.GROUP
            store.share_progress(organisation, person.person_id, audience)
        with statements(store, monkeypatch) as sent:
            found = everyone_sharing(store, organisation)
        with statements(store, monkeypatch) as sent_for_leaders:
            leaders = leaders_wall(store, store.organisation(organisation))
        counts.append((len(sent), len(sent_for_leaders)))
        assert sorted(s.name for s in found) == sorted(p.name for p in sharing)
        for sharer in found:
            assert sharer.goal == f"{sharer.name}'s goal"
            assert [file.id for file in sharer.evidence] == [files[sharer.person_id]], "the file ticked alone"
            person = next(p for p in people if p.person_id == sharer.person_id)
            table = people[0::2] if person in people[0::2] else people[1::2]
            assert sharer.group == {p.person_id for p in table if p is not person}
        organisation_wide = sorted(p.name for n, p in enumerate(sharing) if n % 3 == 0)
        assert [card["name"] for card in leaders["organisation"]] == organisation_wide
        assert leaders["sharing_with_group"] == len(sharing) - len(organisation_wide)
        assert [[f["id"] for f in card["evidence"]] for card in leaders["organisation"]] == [
            [files[p.person_id]] for n, p in enumerate(sharing) if n % 3 == 0
        ]
    assert counts[0] == counts[1], f"4 sharers took {counts[0]} statements, 12 took {counts[1]}"


def test_my_group_is_the_table_where_the_goal_was_written_not_where_one_sits_later(store):
    organisation, session = riverside(store)
    ana, ben = colleague(store, session, "Ana", 1), colleague(store, session, "Ben", 1)
    cara, dev = colleague(store, session, "Cara", 2), colleague(store, session, "Dev", 2)
    seat(store, session, [ana], [ben, cara, dev])  # Ben moved to Cara's table after writing his goal
    for person in (ana, ben, cara):
        store.share_progress(organisation, person.person_id, ShareWith.GROUP)
    found = {sharer.name: sharer for sharer in everyone_sharing(store, organisation)}
    assert found["Ben"].group == {ana.person_id} and found["Ana"].group == {ben.person_id}
    assert found["Cara"].group == {dev.person_id}, "Ben did not write his goal at her table"
    assert [s.name for s in wall(found.values(), CardViewer.PERSON, ana.person_id)] == ["Ben"]
    assert [s.name for s in wall(found.values(), CardViewer.PERSON, cara.person_id)] == [], "not Ben's new table-mate"
    assert [s.name for s in wall(found.values(), CardViewer.PERSON, dev.person_id)] == ["Cara"]


def test_a_move_changes_the_round_only_from_where_it_was_seen_and_an_ended_round_stays_ended(store):
    _, session = riverside(store)
    order = (11, 12, 13)
    started = store.start_progress_round(session.id, ProgressRound(order, 0, 5.0))
    assert store.start_progress_round(session.id, ProgressRound((99,), 0, 6.0)) == started, "two starts: the first"
    second = ProgressRound((*order, 14), 1, 5.0)
    assert store.move_progress_round(session.id, started, second)
    assert not store.move_progress_round(session.id, started, ProgressRound(order, 1, 5.0)), "a double click"
    assert store.progress_round(session.id) == second

    assert store.end_progress_round(session.id)  # ended while a next from the second place was on its way
    assert not store.move_progress_round(session.id, second, ProgressRound(second.order, 2, 5.0))
    assert store.progress_round(session.id) is None, "the end stays"

    again = store.start_progress_round(session.id, ProgressRound(order, 0, 7.0))
    assert not store.move_progress_round(session.id, started, ProgressRound(order, 1, 5.0)), "another round's move"
    assert not store.move_progress_round(session.id, ProgressRound(order, 0, 5.0), None)
    assert store.progress_round(session.id) == again
    assert store.move_progress_round(session.id, again, None) and store.progress_round(session.id) is None


def at_once(work: Callable[[], Any], times: int = 2) -> list[Any]:
    """``work`` run by ``times`` threads that start together: what each returned (or raised)."""
    ready, results = threading.Barrier(times), [None] * times

    def run(n: int) -> None:
        ready.wait()
        try:
            results[n] = work()
        except Exception as error:  # what a thread raised is part of what it returned
            results[n] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_resends_of_warm_feedback_at_once_keep_it_once_and_both_are_acknowledged(store):
    organisation, session = riverside(store)
    ana, ben = colleague(store, session, "Ana", 1), colleague(store, session, "Ben", 1)
    for n in range(15):
        sent = dict(sender_person_id=ben.person_id, sender_participant_id=ben.id, sender_name="Ben",
                    session_id=session.id, feedback_id=f"ben-{n}", body=f"Lovely {n}")  # fmt: skip
        results = at_once(lambda sent=sent: store.add_warm_feedback(organisation, ana.person_id, **sent))
        assert all(isinstance(result, tuple) for result in results), results
        assert results[0][0] == results[1][0] and sorted(new for _, new in results) == [False, True]
    assert len(store.warm_feedback_for(organisation, ana.person_id)) == 15


def test_a_phone_that_reconnects_during_a_round_reads_nothing_of_the_room(store, monkeypatch):
    organisation, session = riverside(store)
    room = [colleague(store, session, f"Person {n:02}", None) for n in range(6)]
    for person in room[:3]:
        store.share_progress(organisation, person.person_id, ShareWith.ORGANISATION)
    current, _ = progress_round.start(store, session)
    featured = next(p for p in room if p.person_id == current.featured)
    calls: list[str] = []
    for method in ("participants", "participant_names", "shares", "participant_by_id"):
        real = getattr(store, method)
        monkeypatch.setattr(store, method, lambda *args, method=method, real=real: calls.append(method) or real(*args))

    counts = []
    for joined in (0, 30):
        for n in range(joined):
            store.add_participant(session.id, f"Late {n}")
        with statements(store, monkeypatch) as sent:
            own = progress_round.phone_view(store, session, current, featured)
            other = progress_round.phone_view(store, session, current, room[5])
        counts.append(len(sent))
    assert calls == [], f"a phone's view read the room: {calls}"
    assert counts[0] == counts[1], f"6 people: {counts[0]} statements; 36 people: {counts[1]}"
    assert own["yours"] is True and other["yours"] is False
    assert other["featured"] == {"name": featured.name, "goal": f"{featured.name}'s goal", "system_goal": "Readers"}
    assert (other["place"], other["of"], other["round"]) == (1, 3, current.id)

    moved, read = progress_round.step(store, session, 0, 1)
    calls.clear()
    shown = progress_round.views(store, session, moved, IN_ENGLISH, read)
    assert calls == [], "a move's screens use the room the move read"
    assert [p["name"] for p in shown.console["people"]] == [p.name for p in room[:3]]
    with pytest.raises(DomainError) as refused:
        progress_round.step(store, session, 0, 1)
    assert refused.value.code == "stale_move"
