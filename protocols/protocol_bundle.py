"""A protocol uploaded as a zip: its one ``.toml`` and the media files its steps name, read without trusting the
archive (its number of entries, each entry's path and kind, what each says it unpacks to, and what it holds).

Nothing is unpacked to disk: an entry is read into memory, at most the size it declares, after the declared sizes
of every entry together passed the limit. Paths in a step's ``media`` are relative to the ``.toml``, as beside a
library protocol. Image and PDF files no step names are not read; anything else in the zip is refused.
"""

import io
import lzma
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from protocols.errors import DomainError
from protocols.evidence import megabytes
from protocols.language import N_
from protocols.loader import ProtocolFileError
from protocols.media import MEDIA_SUFFIXES
from protocols.model import Protocol

MAX_ENTRIES = 100  # a protocol's file and a few dozen images or PDFs, with their folders
MAX_TOML_BYTES = 64 * 1024  # as much as the console's ``agenda_add`` message carries
MAX_NAME_CHARS = 300
PROTOCOL_SUFFIX = ".toml"
# What a computer adds when it makes a zip (macOS Finder's resource forks, folder settings): never read.
CLUTTER_FOLDER = "__MACOSX/"
CLUTTER_FILES = frozenset({".DS_Store", "Thumbs.db"})
# What reading a broken, encrypted or hostile archive raises, from the zip's directory to a compressed entry.
UNREADABLE_ZIP = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, EOFError, NotImplementedError, RuntimeError,
    ValueError, OSError,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Bundle:
    """A zip that passed the archive's checks, its protocol file read (not yet loaded)."""

    data: bytes
    toml_name: str  # its path in the zip: the loader's messages name it
    toml: str
    media: Mapping[str, zipfile.ZipInfo]  # each image or PDF by its path relative to the ``.toml``'s folder


def bad_archive(message: str, **params: object) -> DomainError:
    return DomainError("bad_archive", message, **params)


def not_a_zip() -> DomainError:
    return bad_archive(
        N_("This file is not a zip archive that can be opened: zip the protocol file and its media again.")
    )


def leaves_the_archive(name: str) -> bool:
    """Whether an entry's path could point outside the archive (absolute, a drive, ``..``) or cannot be a name."""
    parts = name.rstrip("/").split("/")
    return (
        not name
        or len(name) > MAX_NAME_CHARS
        or name.startswith("/")
        or any(mark in name for mark in ("\\", "\x00", ":"))
        or any(part in ("", ".", "..") for part in parts)
    )


def _is_clutter(name: str) -> bool:
    return name.startswith(CLUTTER_FOLDER) or PurePosixPath(name).name in CLUTTER_FILES


def _entries(archive: zipfile.ZipFile, most_bytes: int) -> list[zipfile.ZipInfo]:
    """Every file entry of the archive (not a folder, not clutter), each with a safe path, together within the
    limit by what they declare, before any is read."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise bad_archive(
            N_("The zip holds {count} entries; a protocol's zip holds at most {most}."),
            count=len(infos),
            most=MAX_ENTRIES,
        )
    seen: set[str] = set()
    for info in infos:
        if leaves_the_archive(info.filename):
            raise bad_archive(
                N_("{path} in the zip points outside it: each path in the zip is relative, without '..'."),
                path=repr(info.filename[:MAX_NAME_CHARS]),
            )
        if info.filename in seen:
            raise bad_archive(N_("{path} is in the zip twice."), path=repr(info.filename))
        seen.add(info.filename)
        if info.flag_bits & 0x1:
            raise bad_archive(
                N_("{path} in the zip is protected with a password: zip it again without one."),
                path=repr(info.filename),
            )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > most_bytes:
        raise DomainError(
            "too_large",
            "The files in this zip come to {size} unpacked; at most {most} are allowed in all.",
            size=megabytes(unpacked),
            most=megabytes(most_bytes),
        )
    return [info for info in infos if not info.is_dir() and not _is_clutter(info.filename)]


def read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """An entry's bytes, never more than it declares (a zip bomb declares little and unpacks to much: its read
    stops there, and the entry's checksum then refuses it)."""
    try:
        with archive.open(info) as entry:
            data = entry.read(info.file_size + 1)
    except UNREADABLE_ZIP:
        raise bad_archive(N_("{path} in the zip is damaged and cannot be read."), path=repr(info.filename)) from None
    if len(data) != info.file_size:
        raise bad_archive(N_("{path} in the zip is damaged and cannot be read."), path=repr(info.filename))
    return data


def read_bundle(data: bytes, most_bytes: int) -> Bundle:
    """The zip's checks, then its protocol file read: ``bad_archive`` (not a zip, too many entries, a path outside
    it, a file neither the protocol nor an image or a PDF, no ``.toml`` or more than one), ``too_large`` past
    ``most_bytes`` unpacked in all, ``bad_protocol`` for a ``.toml`` that is not text."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except UNREADABLE_ZIP:
        raise not_a_zip() from None
    with archive:
        try:
            files = _entries(archive, most_bytes)
        except UNREADABLE_ZIP:
            raise not_a_zip() from None
        protocols = [info for info in files if info.filename.lower().endswith(PROTOCOL_SUFFIX)]
        for info in files:
            if info not in protocols and PurePosixPath(info.filename).suffix.lower() not in MEDIA_SUFFIXES:
                raise bad_archive(
                    N_(
                        "{path} in the zip is neither the protocol file (.toml) nor an image (.png, .jpg) "
                        "or a PDF (.pdf)."
                    ),
                    path=repr(info.filename),
                )
        if not protocols:
            raise bad_archive(N_("The zip holds no protocol file (.toml): put the protocol's .toml in it."))
        if len(protocols) > 1:
            names = ", ".join(repr(info.filename) for info in protocols)
            raise bad_archive(
                N_("The zip holds {count} protocol files ({names}): one protocol a zip."),
                count=len(protocols),
                names=names,
            )
        found = protocols[0]
        if found.file_size > MAX_TOML_BYTES:
            raise DomainError(
                "too_large", "{path} is over {size}, the largest protocol file allowed.",
                path=repr(found.filename), size=megabytes(MAX_TOML_BYTES),
            )  # fmt: skip
        toml = _text(read_entry(archive, found), found.filename)
    folder = PurePosixPath(found.filename).parent
    media = {
        str(PurePosixPath(info.filename).relative_to(folder)): info
        for info in files
        if info is not found and PurePosixPath(info.filename).is_relative_to(folder)
    }
    return Bundle(data, found.filename, toml, media)


def _text(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems = ProtocolFileError(name, [("", N_("cannot be read: {error}"), {"error": error})])
        raise DomainError("bad_protocol", "{problems}", problems=problems) from None


def media_files(bundle: Bundle, protocol: Protocol) -> dict[str, bytes]:
    """The bytes of each file a step's ``media`` names, by that path; ``bad_protocol`` naming every path the zip
    lacks, one a line, as a protocol file's other problems are."""
    lacking = N_("there is no file {path} in the zip beside the protocol file")
    missing = [
        (f"steps[{index}].media", lacking, {"path": repr(step.media)})
        for index, step in enumerate(protocol.steps)
        if step.media and step.media not in bundle.media
    ]
    if missing:
        raise DomainError("bad_protocol", "{problems}", problems=ProtocolFileError(bundle.toml_name, missing))
    named = sorted({step.media for step in protocol.steps if step.media})
    with zipfile.ZipFile(io.BytesIO(bundle.data)) as archive:
        return {path: read_entry(archive, bundle.media[path]) for path in named}
