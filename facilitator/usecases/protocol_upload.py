"""A protocol uploaded from the console as a zip with its media: checked whole, then added to the agenda as
``agenda_add`` adds one, each step's media kept as the console's upload for a step is. All or nothing."""

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from facilitator.edge.uploads import Upload
from facilitator.store import Store
from facilitator.usecases import agenda, media
from facilitator.usecases.artifacts import render_pages
from protocols.artifact_pages import Pages
from protocols.errors import DomainError
from protocols.media import MAX_MEDIA_PAGES
from protocols.model import Protocol
from protocols.protocol_bundle import media_files, read_bundle
from protocols.session import Session


@dataclass(frozen=True, slots=True)
class Added:
    """The session before and after, and the agenda item the protocol became."""

    before: Session
    after: Session
    item: int
    protocol: Protocol


def add_protocol_bundle(
    store: Store, data_dir: Path | str, mode: str, session_id: int, sent: Upload, most_bytes: int
) -> Added:
    """The zip checked (protocols/protocol_bundle.py), its ``.toml`` loaded as ``agenda_add`` loads an uploaded
    one, each named file checked by its content and made into pages as a media upload is; only then is anything
    kept, as a slide's media is (``media.add_with_media``): a refusal or a failure at any point keeps nothing."""
    bundle = read_bundle(sent.data, most_bytes)
    protocol, rounds = agenda.protocol_to_add({"toml": bundle.toml, "file_name": bundle.toml_name})
    made = {path: _pages(mode, path, data) for path, data in media_files(bundle, protocol).items()}
    before, after, item = media.add_with_media(
        store, data_dir, session_id, lambda now, answered: now.with_item_added(protocol, rounds, answered),
        {step.id: made[step.media] for step in protocol.steps if step.media},
    )  # fmt: skip
    return Added(before, after, item, protocol)


def _pages(mode: str, path: str, data: bytes) -> Pages:
    """A file checked and made into pages as a media upload is; a refusal names the file in the zip."""
    try:
        return render_pages(mode, Upload(data, PurePosixPath(path).name, ""), MAX_MEDIA_PAGES)
    except DomainError as error:
        raise DomainError(error.code, "{path} in the zip: {problem}", path=repr(path), problem=error) from None
