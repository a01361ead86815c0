"""Media on a step: an image or a PDF the facilitator shows the whole room (phones and projector) while the step is
open, from the protocol file (``media = "media/intro.pdf"``) or uploaded from the console; which one a step shows,
which page, and what a screen is sent of it.

Media is the facilitator's, like the room's student work (protocols/artifacts.py) and unlike a table's: everyone in
the session may see it, but only while its step is open (the console sees every step's). It belongs to a step of an
agenda item, the same in each of that item's rounds. A step's kind still decides whether it takes an answer.
"""

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any

from pypdf import PdfReader

from protocols.artifacts import Page
from protocols.errors import DomainError
from protocols.evidence import Kind, clean_title, prepare
from protocols.language import N_
from protocols.model import Protocol, Step, StepKind, Visibility
from protocols.session import AgendaStep, Session, session_step_id
from protocols.visibility import Audience, may_see

MAX_MEDIA_PAGES = 40  # a slide deck for one step; a longer one is a day's worth, split it between steps
MEDIA_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".pdf"})
PATH_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
MAX_PATH_CHARS = 200
SLIDE_ID = "slide"
SLIDE_PROMPT = N_("Look at the screen.")  # kept in the agenda in English; the phone says it in its language


class Source(StrEnum):
    PROTOCOL = "protocol"  # the protocol file's own media (its page turned from the console)
    UPLOAD = "upload"  # the facilitator's upload from the console, in place of the protocol's
    NONE = "none"  # taken off the step by the facilitator: the protocol's own is not shown either


@dataclass(frozen=True, slots=True)
class MediaFile:
    """A protocol's media file as checked by its content: what it is, its title for display, how many pages."""

    kind: Kind
    title: str
    pages: int


@dataclass(frozen=True, slots=True)
class MediaRow:
    """The session's choice for one step, as kept: an upload (its pages), the protocol's own (the page shown), or
    none."""

    id: int
    session_id: int
    item: int  # the agenda item's uid
    step_id: str  # the protocol's own step id
    source: Source
    kind: Kind | None
    title: str
    pages: tuple[Page, ...]  # an upload's pages, each with its small picture; empty otherwise
    bytes: int
    shown_page: int
    created_at: float

    @property
    def stored_names(self) -> list[str]:
        return [name for page in self.pages for name in page.names]


@dataclass(frozen=True, slots=True)
class StepMedia:
    """What a step shows: the protocol's file or the facilitator's upload, and the page the room is on. ``pages``
    0: the protocol names a file this server does not have (the console says so; nobody else is sent it)."""

    item: int
    step_id: str
    source: Source
    kind: Kind | None
    title: str
    pages: int
    page: int = 1
    version: int = 0  # the upload's row id (0: the protocol's own): a screen fetches the pages anew when it changes
    beside_results: bool = False  # the projector shows the room's answers to the step: the media goes beside them

    @property
    def step_key(self) -> str:
        """The step's id in the session (its first round's): what page addresses and the console name it by."""
        return session_step_id(self.item, self.step_id)

    @property
    def missing(self) -> bool:
        return self.pages == 0


def no_such_media() -> DomainError:
    return DomainError("unknown_media", "There is no media on that step open to you.")


def media_path_problem(path: str) -> str | None:
    """What is wrong with a ``media`` field's path, if anything: a relative path beside the protocol file, to an
    image (PNG or JPEG) or a PDF, never leaving the protocol's folder."""
    parts = PurePosixPath(path).parts
    if len(path) > MAX_PATH_CHARS or "\\" in path or not parts or path.startswith("/"):
        return f"{path!r} must be a relative path beside the protocol file, such as 'media/intro.pdf'"
    if not all(PATH_PART.match(part) and part not in (".", "..") for part in parts):
        return f"{path!r}: each part of the path is letters, digits, '.', '-' and '_' (no '..')"
    if PurePosixPath(path).suffix.lower() not in MEDIA_SUFFIXES:
        return f"{path!r} must be an image (.png, .jpg) or a PDF (.pdf)"
    return None


def media_file(folder: Path, path: str) -> MediaFile:
    """The file ``path`` beside a protocol (in ``folder``), checked by its content as an upload is: ``unknown_media``
    if it is not there, ``bad_file``, ``file_mismatch`` or ``too_many_pages`` else."""
    if media_path_problem(path) is not None:
        raise no_such_media()
    base = folder.resolve()
    found = (base / path).resolve()
    if not found.is_relative_to(base) or not found.is_file():
        raise no_such_media()
    data = found.read_bytes()
    prepared = prepare(data, found.name, "")
    pages = len(PdfReader(io.BytesIO(data)).pages) if prepared.kind is Kind.PDF else 1
    if pages > MAX_MEDIA_PAGES:
        raise DomainError(
            "too_many_pages",
            "This PDF has {pages} pages; a step shows at most {most}.",
            pages=pages,
            most=MAX_MEDIA_PAGES,
        )
    return MediaFile(prepared.kind, clean_title(found.name), pages)


def media_problems(protocol: Protocol, folder: Path) -> list[str]:
    """Each step's media file missing or not an image or PDF by its content, as ``pathways protocols validate``
    reports it."""
    problems = []
    for index, step in enumerate(protocol.steps):
        if not step.media:
            continue
        try:
            media_file(folder, step.media)
        except DomainError as error:
            reason = f"there is no file {step.media!r} beside the protocol" if error.code == "unknown_media" else ""
            problems.append(f"steps[{index}].media: {reason or error.message}")
    return problems


def shows_results(step: Step) -> bool:
    """Whether the projector shows the room's answers to ``step`` (or "Results to come" while they are held back):
    media there goes beside them, so revealing stays visible; elsewhere it fills the screen."""
    return step.answerable and may_see(Audience.PROJECTOR, step.visibility)


def resolve(item: int, step: Step, row: MediaRow | None, protocol_file: MediaFile | None) -> StepMedia | None:
    """What one step shows: the facilitator's upload, else the protocol's file (``protocol_file``, None where the
    server lacks it) unless taken off; the page the console turned to, within the file's pages."""
    if row is not None and row.source is Source.NONE:
        return None
    beside = shows_results(step)
    if row is not None and row.source is Source.UPLOAD:
        page = min(max(row.shown_page, 1), len(row.pages))
        return StepMedia(item, step.id, Source.UPLOAD, row.kind, row.title, len(row.pages), page, row.id, beside)
    if not step.media:
        return None
    if protocol_file is None:
        return StepMedia(item, step.id, Source.PROTOCOL, None, step.media, 0, beside_results=beside)
    page = min(max(row.shown_page if row else 1, 1), protocol_file.pages)
    kind, title, pages = protocol_file.kind, protocol_file.title, protocol_file.pages
    return StepMedia(item, step.id, Source.PROTOCOL, kind, title, pages, page, beside_results=beside)


def open_media(session: Session, media: Sequence[StepMedia]) -> StepMedia | None:
    """The open step's media, as phones and the projector are shown it (never a file the server lacks)."""
    current = session.current
    if current is None:
        return None
    found = next((m for m in media if (m.item, m.step_id) == (current.item.uid, current.step.id)), None)
    return None if found is None or found.missing else found


def media_view(media: StepMedia | None) -> dict[str, Any] | None:
    """What a screen is sent of a step's media: never the names its pages are kept under (each screen asks for a
    page by the step and the page's number, with its own credential)."""
    if media is None:
        return None
    return {
        "step": media.step_key,
        "source": media.source.value,
        "kind": media.kind.value if media.kind else None,
        "title": media.title,
        "pages": media.pages,
        "page": media.page,
        "version": media.version,
        "missing": media.missing,
        "on_projector": "beside_results" if media.beside_results else "full_screen",
    }


def media_views(media: Sequence[StepMedia]) -> dict[str, dict[str, Any]]:
    """Every step's media by the step's key, for the console (which uploads to any step of the agenda)."""
    return {m.step_key: view for m in media if (view := media_view(m)) is not None}


def media_step(session: Session, step_key: str | None) -> AgendaStep:
    """The step a console upload or removal is for: ``step_key`` (any round's key names the step), else the open
    one; ``no_step`` in the lobby and at the end, ``unknown_step`` for a key not in the agenda."""
    if step_key is None:
        if session.current is None:
            raise DomainError("no_step", "Open a step first, or name the step the media is for.")
        return session.current
    found = session.step_by_key(step_key)
    if found is None:
        raise DomainError("unknown_step", "There is no such step in this session's agenda.")
    return found


def refuse_unless_open(session: Session, media: StepMedia | None) -> StepMedia:
    """A phone and the projector open the open step's media alone."""
    current = session.current
    if media is None or media.missing or current is None:
        raise no_such_media()
    if (current.item.uid, current.step.id) != (media.item, media.step_id):
        raise no_such_media()
    return media


def parse_page(payload: Mapping[str, Any], media: StepMedia | None) -> int:
    """``{"page": n}``: a page of the open step's media, from 1 (``unknown_media`` when it shows none)."""
    if media is None:
        raise no_such_media()
    page = payload.get("page")
    if isinstance(page, bool) or not isinstance(page, int) or not 1 <= page <= media.pages:
        raise DomainError("bad_value", "Choose a page from 1 to {last}.", last=media.pages)
    return page


def slide_protocol(title: str) -> Protocol:
    """A step with only media, between activities: the facilitator's upload is what it shows."""
    name = re.sub(r"\.(pdf|png|jpe?g|heic|heif)$", "", title, flags=re.IGNORECASE).strip() or "Slide"
    step = Step(SLIDE_ID, name, SLIDE_PROMPT, StepKind.NONE, Visibility.ROOM, 5.0)
    return Protocol(SLIDE_ID, name, "An image or a PDF shown to the room between activities.", "", (step,))


def with_slide(session: Session, protocol: Protocol, answered: Sequence[int] = ()) -> Session:
    """The session with a slide just after the open protocol (first, in the lobby), where the facilitator is, and
    after the slides already there: slides added one by one run in the order they were added."""
    added = session.with_item_added(protocol, 1, answered)
    current = session.current
    to = 0 if current is None else next(i for i, it in enumerate(session.agenda) if it.uid == current.item.uid) + 1
    while to < len(session.agenda) and session.agenda[to].protocol.id == SLIDE_ID:
        to += 1
    last = len(added.agenda) - 1
    return added.with_item_moved(added.agenda[last].uid, to) if to < last else added
