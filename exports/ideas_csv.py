"""``ideas.csv``: every idea of the session's ideas steps with its votes and who posted it (the facilitator's copy
carries what the console shows, as ``answers.csv`` and ``parking_lot.csv`` do), safe to open in a spreadsheet."""

from collections.abc import Iterable
from datetime import UTC, datetime

from exports.answers_csv import table_csv
from protocols.ideas import CsvIdea

IDEAS_CSV_NAME = "ideas.csv"
COLUMNS = ("participant", "protocol", "step", "idea", "votes", "status", "table", "posted")


def ideas_csv(rows: Iterable[CsvIdea]) -> bytes:
    """One row per idea, each step's most voted first; hidden and merged ones too, marked by their status."""
    return table_csv(COLUMNS, (_cells(row) for row in rows))


def _cells(row: CsvIdea) -> tuple[object, ...]:
    posted = datetime.fromtimestamp(row.posted_at, UTC).isoformat(timespec="seconds")  # as answers.csv writes times
    table = "" if row.table is None else row.table
    return row.participant, row.protocol, row.step, row.idea, row.votes, row.status, table, posted
