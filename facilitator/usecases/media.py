"""Media on a step: what each step shows (protocols/media.py decides), an upload made into pages and kept for a step
(replacing what it had), taken off, a slide added with its upload, the page turned, a page's bytes found for a
screen that may open it, and everything of a session's deleted with it.

An upload's pages are the session's, in the data folder's ``media/``. A protocol's own file is the library's: it is
made into pages the first time a screen asks for one and kept in ``media-library/`` under its content's digest, for
every session that shows it.
"""

import hashlib
import json
import os
import secrets
import threading
from collections.abc import Callable, Collection, Mapping
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from facilitator.edge.uploads import Upload
from facilitator.store import Store
from facilitator.store.evidence import EvidenceFolder
from facilitator.store.media import MEDIA_FOLDER
from facilitator.usecases.artifacts import render_pages, write_pages
from protocols.artifact_pages import Pages
from protocols.errors import DomainError
from protocols.loader import LIBRARY_DIR
from protocols.media import (
    MAX_MEDIA_PAGES,
    MediaFile,
    MediaRow,
    Source,
    StepMedia,
    media_file,
    media_step,
    media_view,
    no_such_media,
    open_media,
    parse_page,
    refuse_unless_open,
    resolve,
    slide_protocol,
    with_slide,
)
from protocols.session import Session

LIBRARY_FOLDER = "media-library"
# One protocol file made into pages at a time: the screens asking for its first page together wait for one
# rendering. Made at import, after the server's monkey patching: a green lock under eventlet.
_LIBRARY_RENDERING = threading.Lock()


def folder(data_dir: Path | str) -> EvidenceFolder:
    """The bytes of every upload's pages: ``media/`` in the data folder (0700), each file 0600."""
    return EvidenceFolder(data_dir, MEDIA_FOLDER)


@dataclass(frozen=True, slots=True)
class Found:
    """A step's media and the row that holds the session's choice for it (None: the protocol's, untouched)."""

    media: StepMedia
    row: MediaRow | None
    protocol_path: str  # the step's ``media`` in its protocol file: where the library keeps the protocol's own


def library_file(path: str) -> MediaFile | None:
    """A library protocol's media file, checked by its content once for as long as it is unchanged; None where the
    library has no such file (a protocol uploaded as TOML naming one) or it is not an image or a PDF."""
    found = LIBRARY_DIR / path
    try:
        stat = found.stat()
    except (OSError, ValueError):
        return None
    return _checked(str(found), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _checked(path: str, _modified: int, _size: int) -> MediaFile | None:
    try:
        return media_file(LIBRARY_DIR, str(Path(path).relative_to(LIBRARY_DIR)))
    except DomainError:
        return None


def _found(store: Store, session: Session, only_open: bool) -> list[Found]:
    rows = {(row.item, row.step_id): row for row in store.session_media(session.id)}
    if only_open:
        current = session.current
        steps = [(current.item.uid, current.step)] if current else []
    else:
        steps = [(item.uid, step) for item in session.agenda for step in item.protocol.steps]
    found = []
    for item, step in steps:
        row = rows.get((item, step.id))
        shown = resolve(item, step, row, library_file(step.media) if step.media else None)
        if shown is not None:
            found.append(Found(shown, row, step.media))
    return found


def step_media(store: Store, session: Session, *, only_open: bool = False) -> tuple[StepMedia, ...]:
    """What the agenda's steps show (``only_open``: the open step's alone, for one phone's state)."""
    return tuple(found.media for found in _found(store, session, only_open))


def upload(store: Store, data_dir: Path | str, mode: str, session: Session, step_key: str | None, sent: Upload) -> str:
    """The facilitator's image or PDF for a step (``step_key``; None: the open one), in place of what it showed;
    returns the step's key. Checked and made into pages first: nothing is kept of an upload refused or failing."""
    agenda_step = media_step(session, step_key)
    made = render_pages(mode, sent, MAX_MEDIA_PAGES)
    _keep(store, data_dir, session.id, agenda_step.item.uid, agenda_step.step.id, made)
    return agenda_step.key


def _keep(store: Store, data_dir: Path | str, session_id: int, item: int, step_id: str, made: Pages) -> None:
    """The pages written, then the row in place of the one before; the replaced pages' bytes go last."""
    pages_folder = folder(data_dir)
    written: list[str] = []
    try:
        pages = write_pages(pages_folder, made, written)
        _, replaced = store.put_step_media(session_id, item, step_id, Source.UPLOAD, made, pages)
    except BaseException:
        pages_folder.remove(written)
        raise
    pages_folder.remove(replaced)


def remove(store: Store, data_dir: Path | str, session: Session, step_key: str | None) -> str:
    """Take a step's media off (an upload, or the protocol's own): the row says none, then the upload's bytes go."""
    agenda_step = media_step(session, step_key)
    _, replaced = store.put_step_media(session.id, agenda_step.item.uid, agenda_step.step.id, Source.NONE)
    folder(data_dir).remove(replaced)
    return agenda_step.key


def add_slide(
    store: Store, data_dir: Path | str, mode: str, session_id: int, sent: Upload, title: str
) -> tuple[Session, Session]:
    """A step with only media, just after the open protocol; returns the session before and after. The slow part
    comes first (the upload made into pages, and written); then the agenda is read and the slide added at once, as
    the console adds a protocol, so a move made meanwhile stands; its media row last, keyed by the new item."""
    made = render_pages(mode, sent, MAX_MEDIA_PAGES)
    protocol = slide_protocol(title.strip()[:120] or made.title)
    before, after, _ = add_with_media(
        store, data_dir, session_id, lambda now, answered: with_slide(now, protocol, answered),
        {protocol.steps[0].id: made},
    )  # fmt: skip
    return before, after


AgendaChange = Callable[[Session, Collection[int]], Session]  # the session as read, its answered items: the new one


def add_with_media(
    store: Store, data_dir: Path | str, session_id: int, change: AgendaChange, media: Mapping[str, Pages]
) -> tuple[Session, Session, int]:
    """An agenda item added by ``change``, with its steps' media (step id: pages), or nothing kept. The slow part
    comes first (each step's pages written, a copy each, so replacing one step's media deletes only its own);
    then the agenda is read, changed and saved at once, as the console adds a protocol, so a move made meanwhile
    stands; the media rows last, keyed by the new item. Returns the session before and after, and the item."""
    pages_folder = folder(data_dir)
    written: list[str] = []
    try:
        kept = {step_id: (made, write_pages(pages_folder, made, written)) for step_id, made in media.items()}
        answered = sorted(store.answered_items(session_id))
        before = store.session_by_id(session_id)
        if before is None:
            raise DomainError("unknown_session", "There is no session with that code.")
        after = change(before, answered)
        store.save_run_state(after)
        item = next(entry.uid for entry in after.agenda if entry.uid not in {old.uid for old in before.agenda})
        try:
            for step_id, (made, pages) in kept.items():
                store.put_step_media(session_id, item, step_id, Source.UPLOAD, made, pages)
        except BaseException:
            store.forget_item_media(session_id, item)  # the rows kept before the failure: no step keeps half of it
            take_back(store, session_id, item)
            raise
    except BaseException:
        pages_folder.remove(written)
        raise
    return before, after, item


def items_removed(store: Store, data_dir: Path | str, before: Session, after: Session) -> None:
    """The media of agenda items that left the agenda goes with them (rows and pages): an item added later under
    the same number starts with none."""
    for uid in {entry.uid for entry in before.agenda} - {entry.uid for entry in after.agenda}:
        folder(data_dir).remove(store.forget_item_media(before.id, uid))


def take_back(store: Store, session_id: int, uid: int) -> None:
    """An item added with media that could not be kept leaves the agenda: it is never there without its pages."""
    now = store.session_by_id(session_id)
    with suppress(DomainError):  # the room has moved onto it meanwhile: it stays, and says "Look at the screen."
        if now is not None:
            store.save_run_state(now.with_item_removed(uid))


def turn(store: Store, session: Session, payload: Mapping[str, Any]) -> int:
    """``{"page": n}``: the page of the open step's media the room is on; phones and the projector follow it."""
    shown = open_media(session, step_media(store, session, only_open=True))
    page = parse_page(payload, shown)
    store.turn_media_page(session.id, shown.item, shown.step_id, page)  # type: ignore[union-attr]
    return page


def _of_step(store: Store, session: Session, step_key: str) -> Found:
    agenda_step = session.step_by_key(step_key)
    if agenda_step is None:
        raise no_such_media()
    key = (agenda_step.item.uid, agenda_step.step.id)
    found = next((f for f in _found(store, session, False) if (f.media.item, f.media.step_id) == key), None)
    if found is None or found.media.missing:
        raise no_such_media()
    return found


def view_of(store: Store, session: Session, step_key: str) -> dict[str, Any] | None:
    """A step's media as the console is sent it; None when the step shows none."""
    try:
        return media_view(_of_step(store, session, step_key).media)
    except DomainError:
        return None


def for_console(store: Store, session: Session, step_key: str) -> Found:
    """Any step's media, for the session's console."""
    return _of_step(store, session, step_key)


def for_room(store: Store, session: Session, step_key: str) -> Found:
    """The open step's media alone, for a phone of the session or its projector."""
    found = _of_step(store, session, step_key)
    refuse_unless_open(session, found.media)
    return found


def page_bytes(data_dir: Path | str, mode: str, found: Found, number: int, thumb: bool) -> tuple[bytes, str]:
    """A page's bytes and the name it is kept under (its suffix says its type); ``unknown_media`` past the last."""
    if not 1 <= number <= found.media.pages:
        raise no_such_media()
    if found.media.source is Source.UPLOAD and found.row is not None:
        page = found.row.pages[number - 1]
        name = page.thumb if thumb else page.image
        try:
            return folder(data_dir).read(name), name
        except FileNotFoundError:  # replaced between finding its row and reading its bytes
            raise no_such_media() from None
    names = _library_pages(data_dir, mode, found.protocol_path)
    name = names[number - 1][1 if thumb else 0]
    return (Path(data_dir) / LIBRARY_FOLDER / name).read_bytes(), name


def _library_pages(data_dir: Path | str, mode: str, protocol_path: str) -> list[list[str]]:
    """A protocol file's pages, made the first time a screen asks and kept under its content's digest; the list of
    their names is written last, so a list found means every page is there."""
    path = LIBRARY_DIR / protocol_path  # checked as it was resolved (``library_file``): inside the library
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:32]
    kept = Path(data_dir) / LIBRARY_FOLDER
    listing = kept / f"{digest}.json"
    with _LIBRARY_RENDERING:
        if listing.exists():
            return json.loads(listing.read_text(encoding="utf-8"))
        made = render_pages(mode, Upload(data, path.name, ""), MAX_MEDIA_PAGES)
        kept.mkdir(mode=0o700, parents=True, exist_ok=True)
        names = []
        for number, page in enumerate(made.pages, start=1):
            image, picture = f"{digest}-{number}.{page.suffix}", f"{digest}-{number}-thumb.jpg"
            _write(kept / image, page.image)
            _write(kept / picture, page.thumb)
            names.append([image, picture])
        _write(listing, json.dumps(names).encode())
        return names


def _write(path: Path, content: bytes) -> None:
    """Written whole under a passing name, then renamed: a reader never finds half a file."""
    passing = path.with_name(f".{secrets.token_hex(8)}.part")
    descriptor = os.open(passing, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    os.replace(passing, path)


def forget(store: Store, data_dir: Path | str, session_id: int) -> None:
    """Everything a deleted session showed: its rows, then its uploads' bytes (the library's own pages stay)."""
    folder(data_dir).remove(store.forget_media(session_id))
