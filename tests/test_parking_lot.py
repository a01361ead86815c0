"""The parking lot's rules and storage: what may be posted (and how fast), who sees which item and with which name,
upvotes kept once per person, an item made into a valid agenda protocol, its CSV, and forgetting a person's items
and upvotes (the store tests on SQLite and PostgreSQL)."""

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from exports.parking_lot_csv import parking_lot_csv
from facilitator.usecases import parking_lot as usecase
from facilitator.usecases.exporting import export_session
from facilitator.usecases.forgetting import Person, WholeSession, forget
from protocols import parking_lot
from protocols.errors import DomainError
from protocols.language import Language
from protocols.loader import protocol_from_dict, protocol_to_dict
from protocols.model import StepKind
from protocols.parking_lot import Item, ItemState, Post
from tests.support.organisation_day import riverside


def item(item_id: int, author: int, upvotes: int = 0, *, hidden: bool = False, at: float = 0.0, **fields) -> Item:
    return Item(item_id, 1, author, f"Question {item_id}", ItemState.OPEN, "", hidden, upvotes, at or item_id, **fields)


def refusal(call, *args) -> str:
    with pytest.raises(DomainError) as refused:
        call(*args)
    return refused.value.code


def test_a_post_is_trimmed_and_empty_oversized_or_unnamed_posts_are_refused_with_their_codes():
    assert parking_lot.read_post({"client_id": "p-1", "text": "  When do we get the slides?\n"}) == Post(
        "p-1", "When do we get the slides?"
    )
    assert refusal(parking_lot.read_post, {"client_id": "p-1", "text": " \n\t "}) == "empty_value"
    assert refusal(parking_lot.read_post, {"client_id": "p-1", "text": "x" * (parking_lot.MAX_CHARS + 1)}) == "too_long"
    assert parking_lot.read_post({"client_id": "p-1", "text": "x" * parking_lot.MAX_CHARS}).text
    assert refusal(parking_lot.read_post, {"client_id": "", "text": "Hi"}) == "bad_request"
    assert refusal(parking_lot.read_post, {"client_id": "p\n1", "text": "Hi"}) == "bad_request"
    assert refusal(parking_lot.read_post, {"client_id": "p-1", "text": 42}) == "bad_value"
    cleaned = parking_lot.read_post({"client_id": "p-1", "text": "\u202eevil\u202c \x00\x07lunch?\ud800"})
    assert cleaned.text == "evil lunch?\ufffd", "cleaned as answers are: no direction overrides or control characters"
    assert refusal(parking_lot.item_id, 2**70) == "unknown_parking_item"
    assert refusal(parking_lot.item_id, "4") == refusal(parking_lot.item_id, True) == "bad_request"
    assert refusal(parking_lot.read_answer, "y" * (parking_lot.MAX_ANSWER_CHARS + 1)) == "too_long"
    assert parking_lot.read_answer("  ") == "", "an empty answer takes the answer back"


def test_posting_is_limited_to_a_few_a_minute_and_a_cap_a_day():
    now = 10_000.0
    few = [now - 50, now - 40, now - 30, now - 20]
    parking_lot.refuse_unless_may_post(few, now)  # a fifth within the minute is fine
    with pytest.raises(DomainError) as refused:
        parking_lot.refuse_unless_may_post([*few, now - 10], now)
    assert refused.value.code == "too_many_posts" and "11 s" in refused.value.message
    parking_lot.refuse_unless_may_post([*few, now - 10], now + 11)  # the oldest left the window
    spread = [now - 100 * n for n in range(1, parking_lot.MAX_POSTS_PER_PERSON + 1)]
    assert refusal(parking_lot.refuse_unless_may_post, spread, now) == "too_many_posts"
    parking_lot.refuse_unless_may_post(spread[:-1], now)


def test_the_room_sees_no_author_a_hidden_item_stays_with_its_author_and_the_console_sees_names():
    items = [item(1, author=10, upvotes=1), item(2, author=11, upvotes=3), item(3, author=10, hidden=True)]
    ana = parking_lot.phone_board(items, 10, upvoted=[2])
    assert [shown["id"] for shown in ana["items"]] == [2, 1, 3], "most upvoted first; her hidden one is hers to see"
    assert ana["items"][2]["hidden"] is True and "hidden" not in ana["items"][0]
    assert (ana["mine"], ana["upvoted"], ana["max_chars"]) == ([1, 3], [2], parking_lot.MAX_CHARS)
    ben = parking_lot.phone_board(items, 11, upvoted=[])
    assert [shown["id"] for shown in ben["items"]] == [2, 1] and ben["mine"] == [2]
    for view in (*ana["items"], *ben["items"]):
        assert not {"participant_id", "name"} & view.keys()
    delta = parking_lot.delta(items, gone=[9])
    assert [shown["id"] for shown in delta["items"]] == [1, 2] and delta["removed"] == [3, 9]
    assert "participant_id" not in json.dumps(delta)
    console = parking_lot.console_view(items[2], "Ana Lima")
    assert (console["name"], console["participant_id"], console["hidden"]) == ("Ana Lima", 10, True)


def test_upvotes_are_for_other_people_s_items_that_one_may_see():
    parking_lot.refuse_unless_may_upvote(item(1, author=10), 11)
    assert refusal(parking_lot.refuse_unless_may_upvote, item(1, author=10), 10) == "own_parking_item"
    assert refusal(parking_lot.refuse_unless_may_upvote, item(1, author=10, hidden=True), 11) == "unknown_parking_item"


def test_the_projector_shows_the_top_items_without_hidden_ones_or_names_and_nothing_when_off():
    items = [item(n, author=n, upvotes=n % 4) for n in range(1, 10)] + [item(20, author=1, upvotes=99, hidden=True)]
    board = parking_lot.projector_view(items, shown=True)
    assert board["count"] == 9 and len(board["items"]) == parking_lot.PROJECTED_ITEMS
    assert [shown["upvotes"] for shown in board["items"]] == [3, 3, 2, 2, 1]
    assert [shown["id"] for shown in board["items"][:2]] == [3, 7], "among equals, the one asked first"
    assert 20 not in {shown["id"] for shown in board["items"]}
    assert parking_lot.projector_view(items, shown=False) == {"shown": False}


def test_an_item_moved_into_the_agenda_is_a_valid_protocol_of_one_discussion_step():
    question = "How do we fit the new reading assessment into a timetable that already has no slack in it at all?"
    moved = Item(7, 1, 10, question, ItemState.OPEN, "After lunch, with the coaches.", False, 12, 1.0)
    protocol = parking_lot.agenda_protocol(moved, 15, [Language.english()])
    assert protocol_from_dict(protocol_to_dict(protocol)) == protocol, "it stores and reloads as a protocol file"
    (step,) = protocol.steps
    assert (step.prompt, step.kind, step.minutes, step.notes) == (question, StepKind.NONE, 15.0, moved.answer)
    assert protocol.title.startswith("Parking lot: How do we fit") and protocol.title.endswith("…")
    assert len(protocol.title) <= len("Parking lot: ") + parking_lot.AGENDA_TITLE_CHARS
    assert parking_lot.agenda_minutes(None) == parking_lot.AGENDA_MINUTES
    assert refusal(parking_lot.agenda_minutes, 0) == refusal(parking_lot.agenda_minutes, True) == "bad_request"


def test_the_csv_holds_text_upvotes_state_answer_and_times_most_upvoted_first_and_safe_in_a_spreadsheet():
    done = Item(1, 1, 10, "=HYPERLINK(1)", ItemState.DONE, "Yes", False, 2, 1_800_000_000.0, 1_800_000_060.0,
                1_800_000_120.0, agenda_item=4)  # fmt: skip
    hidden = Item(2, 1, 11, "Off topic", ItemState.OPEN, "", True, 5, 1_800_000_030.0)
    rows = list(csv.reader(io.StringIO(parking_lot_csv([(done, "Ana"), (hidden, "Ben")]).decode("utf-8-sig"))))
    assert rows[0] == ["participant", "text", "upvotes", "state", "hidden", "answer", "in_agenda", "posted",
                       "answered", "done"]  # fmt: skip
    assert rows[1] == ["Ben", "Off topic", "5", "open", "yes", "", "", "2027-01-15T08:00:30+00:00", "", ""]
    assert rows[2][:7] == ["Ana", "'=HYPERLINK(1)", "2", "done", "", "Yes", "yes"]
    assert rows[2][7:] == ["2027-01-15T08:00:00+00:00", "2027-01-15T08:01:00+00:00", "2027-01-15T08:02:00+00:00"]


# The store, on SQLite and PostgreSQL.


def day(store):
    _, session = riverside(store)
    people = [store.add_participant(session.id, name)[0] for name in ("Ana Lima", "Ben Okafor", "Cara Diaz")]
    return session, people


def test_a_resent_post_is_kept_once_and_an_upvote_counts_once_per_person(store):
    session, (ana, ben, cara) = day(store)
    first = usecase.post(store, session.id, ana.id, {"client_id": "ana-1", "text": "Slides?"})
    again = usecase.post(store, session.id, ana.id, {"client_id": "ana-1", "text": "Slides?"})
    assert first.new and not again.new and again.item == first.item
    assert [kept.text for kept in store.parking_items(session.id)] == ["Slides?"]
    upvote = {"item_id": first.item.id, "upvoted": True}
    assert usecase.upvote(store, session.id, ben.id, upvote)[1] is True
    counted, changed = usecase.upvote(store, session.id, ben.id, upvote)  # a double tap, a resend
    assert (counted.upvotes, changed) == (1, False)
    assert usecase.upvote(store, session.id, cara.id, upvote)[0].upvotes == 2
    taken, changed = usecase.upvote(store, session.id, ben.id, {**upvote, "upvoted": False})
    assert (taken.upvotes, changed) == (1, True)
    assert store.parking_upvoted(session.id, cara.id) == {first.item.id}
    assert store.parking_upvoted(session.id, ben.id) == set()
    with pytest.raises(DomainError) as own:
        usecase.upvote(store, session.id, ana.id, upvote)
    assert own.value.code == "own_parking_item"


def test_the_console_answers_marks_done_hides_and_the_author_alone_still_sees_a_hidden_item(store):
    session, (ana, ben, _) = day(store)
    posted = usecase.post(store, session.id, ana.id, {"client_id": "a", "text": "Where is lunch?"}).item
    answered = usecase.update(store, session, {"item_id": posted.id, "answer": " Hall B ", "done": True})
    assert (answered.answer, answered.state) == ("Hall B", ItemState.DONE)
    assert answered.answered_at is not None and answered.done_at is not None
    reopened = usecase.update(store, session, {"item_id": posted.id, "done": False, "hidden": True})
    assert (reopened.state, reopened.done_at, reopened.hidden) == (ItemState.OPEN, None, True)
    assert [shown["id"] for shown in usecase.phone_board(store, session.id, ana.id)["items"]] == [posted.id]
    assert usecase.phone_board(store, session.id, ben.id)["items"] == []
    assert usecase.console_board(store, session.id)["items"][0]["name"] == "Ana Lima"
    with pytest.raises(DomainError) as unknown:
        usecase.update(store, session, {"item_id": posted.id + 99, "hidden": False})
    assert unknown.value.code == "unknown_parking_item"


def test_the_projector_switch_is_kept_per_session(store):
    session, _ = day(store)
    assert usecase.projector_board(store, session.id) == {"shown": False}
    store.set_parking_projected(session.id, True)
    assert usecase.projector_board(store, session.id) == {"shown": True, "count": 0, "items": []}
    store.set_parking_projected(session.id, False)
    assert store.parking_projected(session.id) is False


def test_forgetting_a_person_deletes_their_items_and_upvotes_and_a_deleted_session_its_board(store, tmp_path):
    session, (ana, ben, cara) = day(store)
    anas = usecase.post(store, session.id, ana.id, {"client_id": "a", "text": "Ana's question"}).item
    bens = usecase.post(store, session.id, ben.id, {"client_id": "b", "text": "Ben's question"}).item
    for voter, voted in ((ana, bens), (ben, anas), (cara, anas), (cara, bens)):
        usecase.upvote(store, session.id, voter.id, {"item_id": voted.id, "upvoted": True})
    forget(store, Exports(tmp_path), Person(ana))
    (left,) = store.parking_items(session.id)
    assert (left.id, left.upvotes) == (bens.id, 1), "Ana's item went, and her upvote on Ben's"
    assert store.parking_upvoted(session.id, cara.id) == {bens.id}
    store.set_parking_projected(session.id, True)
    forget(store, Exports(tmp_path), WholeSession(session))
    assert store.parking_items(session.id) == [] and store.parking_projected(session.id) is False


def test_the_session_s_zip_carries_its_parking_lot(store, database, tmp_path):
    session, (ana, ben, _) = day(store)
    posted = usecase.post(store, session.id, ana.id, {"client_id": "a", "text": "Slides, please"}).item
    usecase.upvote(store, session.id, ben.id, {"item_id": posted.id, "upvoted": True})
    usecase.update(store, session, {"item_id": posted.id, "answer": "By five"})
    on_postgres = not isinstance(database, Path)
    data_dir = tmp_path if on_postgres else database.parent
    made = export_session(data_dir, session.code, tmp_path / "out", workers=1,
                          database_url=database if on_postgres else None)  # fmt: skip
    with zipfile.ZipFile(made) as bundle:
        rows = list(csv.reader(io.StringIO(bundle.read("parking_lot.csv").decode("utf-8-sig"))))
    assert rows[1][:7] == ["Ana Lima", "Slides, please", "1", "open", "", "By five", ""]


class Exports:
    """The export runner's part ``forget`` uses: where the data folder is, and dropping a session's export."""

    def __init__(self, data_dir) -> None:
        self.data_dir = data_dir
        self.discarded: list[str] = []

    def discard(self, code: str) -> None:
        self.discarded.append(code)
