"""``parking_lot.csv``: the session's parking lot, one row per question or idea, safe to open in a spreadsheet."""

from collections.abc import Iterable
from datetime import UTC, datetime

from exports.answers_csv import table_csv
from protocols.parking_lot import Item, rank

PARKING_LOT_CSV_NAME = "parking_lot.csv"
COLUMNS = ("participant", "text", "upvotes", "state", "hidden", "answer", "in_agenda", "posted", "answered", "done")


def _time(at: float | None) -> str:
    """ISO 8601 in UTC, as ``answers.csv`` writes its times; empty where it never happened."""
    return "" if at is None else datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds")


def parking_lot_csv(items: Iterable[tuple[Item, str]]) -> bytes:
    """Every item with its author's name, as the console shows them: hidden ones too (marked), most upvoted first."""
    return table_csv(
        COLUMNS,
        (
            (
                name,
                item.text,
                item.upvotes,
                item.state.value,
                "yes" if item.hidden else "",
                item.answer,
                "yes" if item.agenda_item is not None else "",
                _time(item.created_at),
                _time(item.answered_at),
                _time(item.done_at),
            )
            for item, name in sorted(items, key=lambda pair: rank(pair[0]))
        ),
    )
