"""Group commit: answers that arrive while a batch is being written go out together in the next one."""

import threading
from pathlib import Path

import pytest

from facilitator.store import DATABASE_FILE, AnswerWriter, NewAnswer, Store
from protocols.loader import load_library
from protocols.session import AgendaItem


class RecordingStore(Store):
    """A real store that records each batch and can hold the first one, the way a slow flush to disk would."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.batches: list[int] = []
        self.writing = threading.Event()
        self.release = threading.Event()

    def save_answers(self, batch):  # type: ignore[no-untyped-def]
        self.batches.append(len(batch))
        if len(self.batches) == 1:
            self.writing.set()
            assert self.release.wait(10), "the test never released the first batch"
        return super().save_answers(batch)


def in_thread(function):  # type: ignore[no-untyped-def]
    thread = threading.Thread(target=function, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def room(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = RecordingStore(tmp_path / DATABASE_FILE)
    session, _ = store.create_session("Day", "", [("Goal", "")], [AgendaItem(1, load_library()["goal-setting"])])
    people = [store.add_participant(session.id, f"Person {n}")[0].id for n in range(21)]
    yield store, session, people
    store.close()


def test_answers_sent_during_a_write_are_committed_together_and_each_sender_gets_its_own(room) -> None:  # type: ignore[no-untyped-def]
    store, session, people = room
    writer = AnswerWriter(store, in_thread)
    step = session.steps[0].key
    results: dict[int, tuple] = {}

    def answer(person: int) -> None:
        results[person] = writer.save(NewAnswer(session.id, person, step, f"a-{person}", f"goal of {person}"))

    first = in_thread(lambda: answer(people[0]))
    assert store.writing.wait(10)
    others = [in_thread(lambda p=p: answer(p)) for p in people[1:]]

    def all_queued() -> bool:
        return writer._waiting.qsize() == len(people) - 1

    while not all_queued():  # a condition, polled: every other sender is waiting behind the first batch
        threading.Event().wait(0.005)
    store.release.set()
    for thread in [first, *others]:
        thread.join(10)

    assert store.batches == [1, len(people) - 1]
    for person in people:
        saved, changed = results[person]
        assert (saved.participant_id, saved.answer_id, saved.value, changed) == (
            person,
            f"a-{person}",
            f"goal of {person}",
            True,
        )
    assert {a.participant_id: a.value for a in store.answers_to_step(session.id, step)} == {
        p: f"goal of {p}" for p in people
    }


def test_a_resend_in_the_same_batch_changes_nothing(room) -> None:  # type: ignore[no-untyped-def]
    store, session, people = room
    store.release.set()
    step = session.steps[0].key
    first = NewAnswer(session.id, people[0], step, "same-id", "first")
    results = store.save_answers([first, first._replace(value="ignored: same answer id")])
    assert [changed for _, changed in results] == [True, False]
    assert store.answers_of(people[0]) == {step: "first"}


def test_one_answer_that_cannot_be_stored_does_not_fail_the_rest_of_its_batch(room) -> None:  # type: ignore[no-untyped-def]
    store, session, people = room
    store.release.set()
    writer = AnswerWriter(store, in_thread)
    step = session.steps[0].key
    gone = people[-1]
    batch = [NewAnswer(session.id, person, step, f"a-{person}", "kept") for person in (people[0], people[1])]
    batch.insert(1, NewAnswer(session.id + 1000, gone, step, "a-gone", "no such session"))  # refused by the database
    outcomes: dict[int, object] = {}

    def answer(new: NewAnswer) -> None:
        try:
            outcomes[new.participant_id] = writer.save(new)[1]
        except RuntimeError as error:
            outcomes[new.participant_id] = str(error)

    threads = [in_thread(lambda n=n: answer(n)) for n in batch]
    for thread in threads:
        thread.join(10)
    assert outcomes[people[0]] is True and outcomes[people[1]] is True
    assert "could not be saved" in str(outcomes[gone])
    assert set(store.answers_by_participant(session.id)) == {people[0], people[1]}
