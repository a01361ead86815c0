"""The check-in date as a calendar file (iCalendar, RFC 5545): one all-day event a phone or laptop can add."""

from datetime import UTC, date, datetime, timedelta

LINE_LIMIT = 75  # octets per content line before folding (RFC 5545, 3.1)


def escape_text(value: str) -> str:
    """A TEXT value as RFC 5545 (3.3.11) writes it: backslash, semicolon, comma and line breaks escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded at 75 octets, never inside a UTF-8 character; continuation lines start with a space."""
    pieces = []
    current = ""
    limit = LINE_LIMIT
    for character in line:
        if len((current + character).encode("utf-8")) > limit:
            pieces.append(current)
            current = ""
            limit = LINE_LIMIT - 1  # the leading space counts
        current += character
    pieces.append(current)
    return "\r\n ".join(pieces)


def check_in_event(
    *, uid: str, day: str, summary: str, description: str = "", url: str = "", now: datetime | None = None
) -> bytes:
    """An all-day event on ``day`` (``YYYY-MM-DD``), as the bytes of a ``.ics`` file (CRLF line ends).

    ``uid`` must stay the same for the same check-in, so adding the file twice updates one event.
    """
    start = date.fromisoformat(day)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Pathways//Action plan//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{start + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if url:
        lines.append(f"URL:{url}")
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
