"""A file sent from a phone or the console (an evidence file, student work on a step): the operator's limit, room
for it in the request, and the form's ``file`` read with a clear refusal."""

from dataclasses import dataclass

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from protocols.errors import DomainError
from protocols.evidence import Limits, limits_from, refuse_unless_fits

FORM_ROOM = 64 * 1024  # a multipart body's boundaries and small fields, beside the file itself
UPLOAD_ENDPOINTS = frozenset(
    {"evidence.upload", "artifacts.upload", "phone_artifacts.upload", "media.upload", "media.slide"}
)


@dataclass(frozen=True, slots=True)
class Upload:
    data: bytes
    filename: str
    declared_type: str


def upload_limits() -> Limits:
    """The operator's settings: ``PATHWAYS_EVIDENCE_FILE_MB`` for one file, ``PATHWAYS_EVIDENCE_PERSON_MB`` for all
    of one person's evidence."""
    return limits_from(current_app.config["EVIDENCE_FILE_MB"], current_app.config["EVIDENCE_PERSON_MB"])


def room_for_an_upload() -> None:
    """Every other request stays within the app's 64 KB; an upload may carry one file up to the operator's limit."""
    if request.endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = upload_limits().file_bytes + FORM_ROOM


def read_upload() -> Upload:
    """The multipart form's ``file``: ``too_large`` past the limit, ``bad_file`` without one."""
    most = upload_limits()
    try:
        sent = request.files.get("file")
    except RequestEntityTooLarge:
        refuse_unless_fits(most.file_bytes + 1, 0, most)  # says ``too_large``, with the limit
        raise
    if sent is None:
        raise DomainError("bad_file", "Choose a photo or a PDF to upload (the form field is 'file').")
    data = sent.stream.read(most.file_bytes + 1)
    refuse_unless_fits(len(data), 0, most)
    return Upload(data, sent.filename or "", sent.mimetype or "")
