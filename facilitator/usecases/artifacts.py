"""Student work on a step: an upload made into pages and kept in its round's place (replacing what was there),
taken down, forgotten, and found for a screen that may open it (protocols/artifacts.py decides who)."""

import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from facilitator import runtime
from facilitator.edge.uploads import Upload
from facilitator.store import Store
from facilitator.store.artifacts import ARTIFACTS_FOLDER
from facilitator.store.evidence import EvidenceFolder
from protocols.artifact_pages import Pages, pages_of
from protocols.artifacts import (
    MAX_PAGES,
    Artifact,
    Page,
    Slot,
    no_such_artifact,
    parse_page,
    phone_may_open,
    presenter_slot,
    projector_may_open,
    room_slot,
)
from protocols.groups import Seating
from protocols.session import Session

# pdfium is not thread-safe: one upload is rendered at a time. Made at import, after the server's monkey patching,
# so under eventlet it is a green lock and a second upload waits without holding up the room.
_RENDERING = threading.Lock()


def folder(data_dir: Path | str) -> EvidenceFolder:
    """The bytes of every artifact's pages: ``artifacts/`` in the data folder (0700), each file 0600."""
    return EvidenceFolder(data_dir, ARTIFACTS_FOLDER)


def from_facilitator(store: Store, data_dir: Path | str, mode: str, session: Session, upload: Upload) -> Artifact:
    """The room's student work for the open step's round."""
    return _put_up(store, data_dir, mode, session, room_slot(session), None, upload)


def from_presenter(
    store: Store, data_dir: Path | str, mode: str, session: Session, participant_id: int, upload: Upload
) -> Artifact:
    """A table's student work, from the member presenting in the open step's round (``not_presenter`` else)."""
    slot = presenter_slot(session, Seating(store.groups(session.id)), participant_id)
    return _put_up(store, data_dir, mode, session, slot, participant_id, upload)


def _put_up(
    store: Store,
    data_dir: Path | str,
    mode: str,
    session: Session,
    slot: Slot,
    participant_id: int | None,
    upload: Upload,
) -> Artifact:
    """Checked as an evidence file is, made into pages on a real thread, written, then its row in place of the one
    it replaces; the replaced pages' bytes go last. Nothing is kept of an upload that is refused or fails."""
    made = render_pages(mode, upload, MAX_PAGES)
    pages_folder = folder(data_dir)
    written: list[str] = []
    try:
        pages = write_pages(pages_folder, made, written)
        artifact, replaced = store.put_artifact(
            session.id,
            slot,
            participant_id=participant_id,
            kind=made.kind,
            title=made.title,
            pages=pages,
            size=made.bytes,
        )
    except BaseException:
        pages_folder.remove(written)
        raise
    pages_folder.remove(replaced)
    return artifact


def render_pages(mode: str, upload: Upload, max_pages: int) -> Pages:
    """An upload checked and made into pages on a real thread, one upload at a time (student work and media alike:
    pdfium is not thread-safe)."""
    with _RENDERING:
        return runtime.offload(mode, pages_of, upload.data, upload.filename, upload.declared_type, max_pages)


def write_pages(pages_folder: EvidenceFolder, made: Pages, written: list[str]) -> list[Page]:
    """Each page and its small picture written under a random name; ``written`` collects the names as they are
    made, for the caller to remove should anything after fail."""
    pages = []
    for page in made.pages:
        written.append(pages_folder.write(page.image, page.suffix))
        written.append(pages_folder.write(page.thumb, "jpg"))
        pages.append(Page(written[-2], written[-1]))
    return pages


def take_down(store: Store, data_dir: Path | str, artifact: Artifact) -> None:
    """The row first, then the bytes: an artifact is never shown without its pages."""
    store.delete_artifact(artifact)
    folder(data_dir).remove(artifact.stored_names)


def forget(store: Store, data_dir: Path | str, *, uploaders: Sequence[int] = (), session_id: int | None = None) -> None:
    """What these participants put up (a person forgotten), or everything in a session (the session deleted)."""
    folder(data_dir).remove(store.forget_artifacts(uploaders=uploaders, session_id=session_id))


def of_session(store: Store, session: Session, artifact_id: int) -> Artifact:
    """Any artifact of the session, for its console; ``unknown_artifact`` for any other."""
    artifact = store.artifact(artifact_id)
    if artifact is None or artifact.session_id != session.id:
        raise no_such_artifact()
    return artifact


def for_phone(store: Store, session: Session, participant_id: int, artifact_id: int) -> Artifact:
    """The room's, or the table's where the person sits; ``unknown_artifact`` for any other."""
    artifact = store.artifact(artifact_id)
    current = session.current
    open_round = (current.item.uid, current.round) if current else None
    seating = Seating(store.groups(session.id))
    if artifact is None or not phone_may_open(artifact, session.id, seating, participant_id, open_round):
        raise no_such_artifact()
    return artifact


def for_projector(store: Store, session: Session, artifact_id: int) -> Artifact:
    """The room's alone: a table's never reaches the projector."""
    artifact = store.artifact(artifact_id)
    if artifact is None or not projector_may_open(artifact, session.id):
        raise no_such_artifact()
    return artifact


def page_bytes(data_dir: Path | str, artifact: Artifact, number: int, thumb: bool) -> tuple[bytes, str]:
    """A page's bytes and the name it is kept under (its suffix says its type)."""
    name = artifact.page(number, thumb)
    try:
        return folder(data_dir).read(name), name
    except FileNotFoundError:  # taken down between finding its row and reading its bytes
        raise no_such_artifact() from None


def show_page(store: Store, session: Session, payload: Mapping[str, Any]) -> int:
    """``{"artifact_id", "page"}``: the page of the room's student work the projector shows, as the console turns
    it; a table's is never on the projector (``unknown_artifact``)."""
    artifact = for_projector(store, session, payload["artifact_id"])
    page = parse_page(payload, artifact)
    store.show_artifact_page(artifact, page)
    return page
