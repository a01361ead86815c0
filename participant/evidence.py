"""A person's evidence files over HTTP: uploading a photo or a PDF from their plan page (or a reminder's link),
opening, sharing with their group and deleting one; a group-mate opening a shared one."""

from typing import Any, NoReturn

from flask import Blueprint, Response, abort, current_app, jsonify, request

from facilitator import runtime
from facilitator.edge.payloads import json_body
from facilitator.edge.replies import ack_ok, private_download
from facilitator.edge.uploads import read_upload, room_for_an_upload, upload_limits
from facilitator.store import get_store
from facilitator.store.evidence import EvidenceFolder
from facilitator.usecases.coaching import person_key
from participant.coaching import opened_by
from participant.pages import holder
from protocols.errors import DomainError
from protocols.evidence import (
    EvidenceFile,
    evidence_view,
    group_mate_may_open,
    parse_shared,
    prepare,
    refuse_unless_fits,
)
from protocols.groups import Seating
from protocols.session import Participant

bp = Blueprint("evidence", __name__)
bp.before_request(room_for_an_upload)


def folder() -> EvidenceFolder:
    return EvidenceFolder(current_app.config["DATA_DIR"])


def download(file: EvidenceFile) -> Response:
    """The file's bytes, to be saved, never shown as a page: its own type, and the browser told not to guess."""
    return private_download(folder().read(file.stored_name), file.mimetype, f"evidence-{file.id}.{file.suffix}")


def _person(door: str, token: str) -> tuple[Participant, int]:
    """The person behind a door and their key in the coaching loop; 404 for anyone kept before people were."""
    participant, _ = opened_by(door, token)
    key = person_key(participant)
    if key is None:
        abort(404)
    return participant, key


def _no_such_file() -> NoReturn:
    raise DomainError("unknown_evidence", "There is no such evidence file open to you.")


def _own_file(door: str, token: str, evidence_id: int) -> EvidenceFile:
    _, key = _person(door, token)
    file = get_store().evidence_file(evidence_id)
    if file is None or file.person_id != key:
        _no_such_file()
    return file


def own_view(door: str, token: str, file: EvidenceFile) -> dict[str, Any]:
    return evidence_view(file, f"/{door}/{token}/evidence/{file.id}")


@bp.get("/<any(p, r):door>/<token>/evidence")
def own_files(door: str, token: str) -> Any:
    _, key = _person(door, token)
    return jsonify({"evidence": [own_view(door, token, file) for file in get_store().evidence_of(key)]})


@bp.post("/<any(p, r):door>/<token>/evidence")
def upload(door: str, token: str) -> Any:
    """A photo or a PDF for the person's goal or one of their check-ins (``check_in_id``). Refused before anything
    is kept: over the file limit (``too_large``) or the person's (``evidence_quota``), not a photo or a PDF, or
    named as one and holding the other."""
    participant, key = _person(door, token)
    limits = upload_limits()
    sent = read_upload()
    form = request.form
    store = get_store()
    prepared = runtime.offload(  # Pillow's work on a real thread: the live room keeps being served
        current_app.config["ASYNC_MODE"], prepare, sent.data, sent.filename, sent.declared_type
    )
    refuse_unless_fits(len(prepared.content), store.evidence_bytes(key), limits)
    check_in_id = _own_check_in(participant, form.get("check_in_id", ""))
    stored_name = folder().write(prepared.content, prepared.suffix)
    try:
        file = store.add_evidence(
            prepared,
            stored_name,
            organisation_id=_organisation_of(participant),
            person_id=key,
            participant_id=participant.id,
            check_in_id=check_in_id,
            shared_with_group=form.get("share_with_group", "").lower() in ("1", "true", "on", "yes"),
        )
    except BaseException:
        folder().remove([stored_name])
        raise
    return jsonify(own_view(door, token, file)), 201


def _own_check_in(participant: Participant, raw: str) -> int | None:
    """The check-in a file is evidence for: one of the person's own, or none."""
    if not raw.strip():
        return None
    check_ins = {check_in.id for check_in in get_store().own_follow_up(participant).check_ins}
    if not raw.strip().isdigit() or int(raw) not in check_ins:
        raise DomainError("bad_value", "That check-in is not one of yours.")
    return int(raw)


def _organisation_of(participant: Participant) -> int | None:
    session = get_store().session_by_id(participant.session_id)
    return session.organisation_id if session else None


@bp.get("/<any(p, r):door>/<token>/evidence/<int:evidence_id>")
def open_own(door: str, token: str, evidence_id: int) -> Response:
    return download(_own_file(door, token, evidence_id))


@bp.post("/p/<token>/evidence/<int:evidence_id>/share")
def share(token: str, evidence_id: int) -> Any:
    """The person shares a file with their group, or stops sharing it: from their plan page only, never through a
    reminder's link (a forwarded message must not widen who sees students' work)."""
    file = _own_file("p", token, evidence_id)
    shared = parse_shared(json_body())
    get_store().share_evidence(file.id, shared)
    return jsonify(ack_ok(shared=shared))


@bp.delete("/p/<token>/evidence/<int:evidence_id>")
@bp.post("/p/<token>/evidence/<int:evidence_id>/delete")
def delete(token: str, evidence_id: int) -> Any:
    """The row first, then the bytes: a file is never listed without its bytes. From the plan page only: a
    reminder's link deletes nothing."""
    file = _own_file("p", token, evidence_id)
    get_store().delete_evidence(file.id)
    folder().remove([file.stored_name])
    return jsonify(ack_ok())


@bp.get("/p/<token>/group-evidence/<int:evidence_id>")
def open_shared(token: str, evidence_id: int) -> Response:
    """A file a group-mate shared: only someone at the uploader's table, in the uploader's session."""
    reader, session = holder(token)
    store = get_store()
    file = store.evidence_file(evidence_id)
    uploader = store.participant_by_id(file.participant_id) if file else None
    if file is None or uploader is None or uploader.session_id != session.id:
        _no_such_file()
    if not group_mate_may_open(file, Seating(store.groups(session.id)).mates(uploader.id), reader.id):
        _no_such_file()
    return download(file)
