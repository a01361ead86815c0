"""How every HTTP error and every Socket.IO acknowledgement is shaped: one helper each, used everywhere."""

from typing import Any

from flask import Response, jsonify
from flask.typing import ResponseReturnValue

from protocols.errors import DomainError

# HTTP status for each domain error code; anything else is a 400 (the request was wrong).
STATUS_BY_CODE = {
    "unauthorized": 401,
    "bad_key": 403,
    "forbidden": 403,
    "unknown_session": 404,
    "unknown_participant": 404,
    "unknown_organisation": 404,
    "unknown_request": 404,
    "unknown_coach": 404,
    "unknown_person": 404,
    "unknown_message": 404,
    "unknown_evidence": 404,
    "unknown_artifact": 404,
    "unknown_media": 404,
    "not_presenter": 403,
    "too_many_pages": 413,
    "evidence_quota": 413,
    "already_answered": 409,
    "bad_transition": 409,
    "no_organisation": 409,
    "not_found": 404,
    "session_live": 409,  # the request was fine; the session's state refuses it
    "goal_in_use": 409,
    "too_large": 413,
    "rate_limited": 429,
}


def json_error(status: int, message: str, code: str = "bad_request") -> ResponseReturnValue:
    return jsonify({"error": message, "code": code}), status


def domain_error_response(error: DomainError) -> ResponseReturnValue:
    return json_error(STATUS_BY_CODE.get(error.code, 400), error.message, error.code)


def ack_ok(**fields: Any) -> dict[str, Any]:
    return {"ok": True, **fields}


def ack_error(error: DomainError) -> dict[str, Any]:
    return {"ok": False, "error": error.message, "code": error.code}


def private_download(body: bytes | str, mimetype: str, filename: str) -> Response:
    """A file one person downloads: saved under ``filename``, never shown as a page (the browser told not to guess
    its type), never kept by a shared cache or the browser's."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
