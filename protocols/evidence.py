"""Evidence files: the limits, what an uploaded file truly is (by its content, never its name), how a photo is made
safe to keep (upright, scaled, no metadata), and what a view of a kept file holds."""

import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath

from PIL import Image, ImageOps
from pypdf import PdfReader

from protocols.errors import DomainError

MB = 1024 * 1024
LONGEST_SIDE = 2000  # pixels: enough to read a student's handwriting, small enough for a phone's data plan
JPEG_QUALITY = 85
TITLE_CHARS = 120
MAX_PIXELS = 50_000_000  # far beyond any phone's camera; a small file that opens into more is an attack on memory
IMAGE_FORMATS = frozenset({"JPEG", "PNG", "MPO", "HEIF", "HEIC"})  # MPO: what some phone cameras call their JPEGs
PDF_HEADER = b"%PDF-"


class Kind(StrEnum):
    IMAGE = "image"
    PDF = "pdf"


MIMETYPES = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}
CLAIMS_BY_SUFFIX = {
    ".jpg": Kind.IMAGE, ".jpeg": Kind.IMAGE, ".png": Kind.IMAGE, ".heic": Kind.IMAGE, ".heif": Kind.IMAGE,
    ".pdf": Kind.PDF,
}  # fmt: skip
NAMES = {Kind.IMAGE: "a photo", Kind.PDF: "a PDF"}


@dataclass(frozen=True, slots=True)
class Limits:
    file_bytes: int
    person_bytes: int


def limits_from(file_mb: float, person_mb: float) -> Limits:
    """The operator's settings (``EVIDENCE_FILE_MB``, ``EVIDENCE_PERSON_MB``) in bytes."""
    return Limits(int(float(file_mb) * MB), int(float(person_mb) * MB))


@dataclass(frozen=True, slots=True)
class Prepared:
    """A file that passed the checks, as it will be kept: a photo saved again, a PDF as uploaded."""

    kind: Kind
    content: bytes
    suffix: str  # "jpg", "png" or "pdf": what it is kept and served as
    title: str


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    id: int
    organisation_id: int | None
    person_id: int  # as the coaching loop knows them (PersonRecord.person_id)
    participant_id: int  # the uploader's record
    check_in_id: int | None
    kind: Kind
    title: str
    stored_name: str
    bytes: int
    created_at: float
    shared_with_group: bool

    @property
    def suffix(self) -> str:
        return PurePath(self.stored_name).suffix.lstrip(".")

    @property
    def mimetype(self) -> str:
        return MIMETYPES[self.suffix]


def refuse_unless_fits(size: int, already_kept: int, limits: Limits) -> None:
    """``too_large`` for a file over the file limit; ``evidence_quota`` when the person's files would pass theirs."""
    if size > limits.file_bytes:
        raise DomainError(
            "too_large", "This file is over {size}, the largest allowed.", size=megabytes(limits.file_bytes)
        )
    if already_kept + size > limits.person_bytes:
        raise DomainError(
            "evidence_quota",
            "Your evidence files would pass {size} in all: delete one to make room.",
            size=megabytes(limits.person_bytes),
        )


def megabytes(count: int) -> str:
    """A size as a refusal states it: ``2.5 MB``."""
    return f"{round(count / MB, 2):g} MB"


def clean_title(filename: str) -> str:
    """The uploaded name, for display only: its last part, printable characters, not too long."""
    name = PurePath(filename.replace("\\", "/")).name
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] not in "CZ" or c == " ")
    name = re.sub(r"\s+", " ", name).strip(" .")
    return name[:TITLE_CHARS] or "evidence"


def prepare(data: bytes, filename: str, declared_type: str) -> Prepared:
    """What the file is by its content (a PDF's header and pypdf, or a photo Pillow opens): ``bad_file`` if neither
    or damaged, ``file_mismatch`` when its name or declared type says it is the other."""
    claimed = {CLAIMS_BY_SUFFIX.get(PurePath(filename.lower()).suffix), _claim_of_type(declared_type)} - {None}
    title = clean_title(filename)
    if data.startswith(PDF_HEADER):
        if Kind.IMAGE in claimed:
            raise DomainError("file_mismatch", "This file is named as a photo but is a PDF: choose the photo itself.")
        _check_pdf(data)
        return Prepared(Kind.PDF, data, "pdf", title)
    if Kind.PDF in claimed:
        if _is_image(data):
            raise DomainError("file_mismatch", "This file is named as a PDF but is a photo: choose the PDF itself.")
        raise DomainError("bad_file", "This file is named as a PDF but is not one: it does not begin as a PDF does.")
    content, suffix = _reencoded_image(data)
    return Prepared(Kind.IMAGE, content, suffix, title)


def _claim_of_type(declared_type: str) -> Kind | None:
    declared = declared_type.split(";")[0].strip().lower()
    if declared == "application/pdf":
        return Kind.PDF
    return Kind.IMAGE if declared.startswith("image/") else None


def _check_pdf(data: bytes) -> None:
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        pages = len(reader.pages)
        for page in reader.pages:
            page.get_contents()
    except Exception as error:  # pypdf raises many kinds for a broken file; each means the same to the person
        raise DomainError("bad_file", "This PDF is damaged or incomplete and cannot be opened.") from error
    if pages == 0 or b"%%EOF" not in data[-2048:]:
        raise DomainError("bad_file", "This PDF is damaged or incomplete and cannot be opened.")


def _is_image(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            return probe.format in IMAGE_FORMATS
    except Exception:  # not an image Pillow knows
        return False


def _reencoded_image(data: bytes) -> tuple[bytes, str]:
    """The photo turned upright (its EXIF orientation), scaled so its longer side is at most ``LONGEST_SIDE``, and
    saved again from its pixels alone: no EXIF (a phone's GPS position), ICC, XMP or comment survives. PNG when it
    has transparency, else JPEG."""
    unreadable = DomainError("bad_file", "This is not a photo (JPEG or PNG) or a PDF, or it is damaged.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in IMAGE_FORMATS or probe.size[0] * probe.size[1] > MAX_PIXELS:
                raise unreadable
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image) or image
    except DomainError:
        raise
    except Exception as error:  # Pillow's errors for a broken or hostile file (a decompression bomb included)
        raise unreadable from error
    transparent = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    pixels = upright.convert("RGBA" if transparent else "RGB")
    pixels.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    bare = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())  # the pixels, and nothing that came with them
    out = io.BytesIO()
    if transparent:
        bare.save(out, "PNG", optimize=True)
        return out.getvalue(), "png"
    bare.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), "jpg"


def evidence_view(file: EvidenceFile, url: str) -> dict[str, object]:
    """What a person, their coach or a group-mate is shown of a file: never the name it is kept under."""
    return {
        "id": file.id,
        "kind": file.kind.value,
        "title": file.title,
        "bytes": file.bytes,
        "created_at": file.created_at,
        "check_in_id": file.check_in_id,
        "shared_with_group": file.shared_with_group,
        "url": url,
    }


def group_mate_may_open(file: EvidenceFile, uploader_mates: Sequence[int], reader_participant_id: int) -> bool:
    """A file reaches a group-mate only when its person shared it with their group, and only someone seated at the
    uploader's table in the uploader's session (``uploader_mates``, from ``Seating.mates``) is one."""
    return file.shared_with_group and reader_participant_id in uploader_mates


def parse_shared(payload: object) -> bool:
    """``{"shared": true|false}``: whether a file is shared with the person's group."""
    shared = payload.get("shared") if isinstance(payload, dict) else None
    if not isinstance(shared, bool):
        raise DomainError("bad_value", 'Send {"shared": true} or {"shared": false}.')
    return shared
