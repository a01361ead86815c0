"""``answers.csv``: one row per answer the facilitator may see, safe to open in a spreadsheet."""

import csv
import io
from collections.abc import Iterable, Sequence

from protocols.summary import AnswerRow

COLUMNS = ("participant", "protocol", "step", "kind", "visibility", "system_goal", "value", "time")
# A cell starting with one of these is read as a formula by spreadsheets (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text: one that could start a formula gets a leading apostrophe."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def table_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """Rows as UTF-8 CSV with a byte order mark, so Excel reads names with diacritics as written; no cell can
    start a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(neutralise(str(cell)) for cell in row)
    return buffer.getvalue().encode("utf-8-sig")


def answers_csv(rows: Iterable[AnswerRow]) -> bytes:
    return table_csv(COLUMNS, ([getattr(row, column) for column in COLUMNS] for row in rows))
