"""A stored record's id as a screen sends it (an idea's, a parking-lot item's): the one check of its type and range."""

from protocols.errors import DomainError

MAX_RECORD_ID = 2**31 - 1  # the largest id every database holds: ids are PostgreSQL INTEGERs (SQLite's are wider)


def record_id(value: object, field: str, unknown: DomainError) -> int:
    """``value`` as a record's id: a whole number (else ``bad_request``) a database can hold; any other names no
    record, so it is refused as ``unknown`` is, never sent to the database (where it would overflow)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError("bad_request", "'{field}' must be a whole number.", field=field)
    if not 0 < value <= MAX_RECORD_ID:
        raise unknown
    return value
