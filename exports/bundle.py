"""The facilitator's ZIP: every plan (the facilitator's copy), ``answers.csv`` and ``summary.pdf``."""

import re
import unicodedata
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

CSV_NAME = "answers.csv"
OLD_CSV_NAME = "responses.csv"  # the same file under its name before 0.2, kept for one release for scripts reading it
SUMMARY_NAME = "summary.pdf"
MAX_NAME_CHARS = 80
MAX_NAME_BYTES = 180  # well under the 255 bytes most file systems allow, leaving room for "-<id>.pdf"
_UNSAFE = re.compile(r'[<>:"/\\|?*]')  # reserved on Windows; ":" and "/" on macOS too
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{device}{n}" for device in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]}
)


def safe_filename(name: str, fallback: str = "participant") -> str:
    """``name`` as a file name that Windows, macOS and Linux all accept, keeping its letters in any script.

    Reserved characters become ``_``; control and invisible format characters go; runs of white space become one
    space; leading dots and trailing dots or spaces go; a reserved device name (``CON``, ``com1``) gets a leading
    ``_``; the length is capped in characters and in UTF-8 bytes. An empty result is ``fallback``.
    """
    text = unicodedata.normalize("NFC", name)
    text = "".join(
        " " if unicodedata.category(c).startswith("Z") or c in "\t\n\r" else c
        for c in text
        if not unicodedata.category(c).startswith("C") or c in "\t\n\r"
    )
    text = _UNSAFE.sub("_", text)
    text = " ".join(text.split())
    text = text[:MAX_NAME_CHARS]
    while len(text.encode("utf-8")) > MAX_NAME_BYTES:
        text = text[:-1]
    text = text.lstrip(". ").rstrip(". ")
    if not text:
        return fallback
    if text.split(".")[0].strip().upper() in _WINDOWS_RESERVED:
        text = "_" + text
    return text


def unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)``, ``(3)``… before its extension, unique among ``taken`` whatever the case (which
    Windows and macOS ignore); adds the result to ``taken``."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    candidate, number = name, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{stem} ({number}){dot}{extension}"
    taken.add(candidate.casefold())
    return candidate


def plan_entry(name: str, participant_id: int) -> str:
    """Where a participant's plan goes in the ZIP: ``plans/<safe name>-<id>.pdf``."""
    return f"plans/{safe_filename(name)}-{participant_id}.pdf"


def write_bundle(
    target: str | Path | BinaryIO, plans: Iterable[tuple[str, int, bytes]], files: Iterable[tuple[str, bytes]]
) -> None:
    """Write the ZIP: one PDF per (name, participant id, PDF) in ``plans``, then ``files`` (name, bytes).

    Both are consumed as they come, so a large room never needs every PDF in memory at once, and ``files`` may
    be built while the plans are written. PDFs are already compressed and are stored as they are; the rest is
    deflated.
    """
    taken: set[str] = set()
    with zipfile.ZipFile(target, "w") as archive:
        for name, participant_id, pdf in plans:
            archive.writestr(unique(plan_entry(name, participant_id), taken), pdf, zipfile.ZIP_STORED)
        for name, content in files:
            stored = name.endswith(".pdf")
            archive.writestr(unique(name, taken), content, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
