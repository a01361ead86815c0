"""How every HTTP error and every Socket.IO acknowledgement is shaped: one helper each, used everywhere.

Each error's message reaches its reader in the request's language (``facilitator.edge.language.current()``: for a
Socket.IO event, the language its connection's handshake asked for); its ``code`` never changes.
"""

from typing import Any

from flask import Response, jsonify
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from facilitator.edge.language import current
from protocols.errors import DomainError
from protocols.language import N_

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


# What a client hears for the HTTP errors the server itself raises (an unknown address, a body too large…).
HTTP_MESSAGES = {
    400: N_("The request could not be read."),
    404: N_("There is nothing at this address."),
    405: N_("This address does not take that method."),
    413: N_("The request is too large."),
    500: N_("Something went wrong on the server; please try again."),
}


def json_error(status: int, message: str, code: str = "bad_request", **params: Any) -> ResponseReturnValue:
    """``message``: an English sentence marked ``N_`` whose ``{placeholders}`` ``params`` fill, sent translated."""
    return jsonify({"error": current().gettext(message, **params) if message else message, "code": code}), status


def domain_error_response(error: DomainError) -> ResponseReturnValue:
    return jsonify({"error": error.in_language(current()), "code": error.code}), STATUS_BY_CODE.get(error.code, 400)


def http_error_response(error: HTTPException) -> ResponseReturnValue:
    """An HTTP error as JSON: a description given where it was raised is kept, a default one said in our words."""
    status = error.code or 500
    default = error.description == type(error).description
    message = HTTP_MESSAGES.get(status) if default else None
    return json_error(status, message or error.description or error.name, error.name.lower().replace(" ", "_"))


def ack_ok(**fields: Any) -> dict[str, Any]:
    return {"ok": True, **fields}


def ack_error(error: DomainError) -> dict[str, Any]:
    return {"ok": False, "error": error.in_language(current()), "code": error.code}


def private_download(body: bytes | str, mimetype: str, filename: str) -> Response:
    """A file one person downloads: saved under ``filename``, never shown as a page (the browser told not to guess
    its type), never kept by a shared cache or the browser's."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
