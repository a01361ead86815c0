"""The console's export routes: start building a session's ZIP, follow its progress, download it.

The ZIP is built by a child process (``facilitator.usecases.exporting.ExportRunner``), never on the server's event loop.
"""

from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, jsonify, request, send_file
from flask.blueprints import BlueprintSetupState

from facilitator.edge.replies import json_error
from facilitator.store import get_store
from facilitator.usecases.exporting import ExportRunner
from protocols.credentials import normalise_join_code
from protocols.errors import DomainError
from protocols.language import N_
from protocols.session import Session

bp = Blueprint("exports_api", __name__)
EXTENSION_KEY = "pathways.exports"
KEY_HEADER = "X-Facilitator-Key"


@bp.record_once
def _bind(state: BlueprintSetupState) -> None:
    app = state.app
    app.extensions[EXTENSION_KEY] = ExportRunner(
        Path(app.config["DATA_DIR"]), app.config["PAPER_SIZE"], app.config.get("DATABASE_URL")
    )


def runner() -> ExportRunner:
    return current_app.extensions[EXTENSION_KEY]


def facilitator_session(code: str) -> Session:
    """The session whose facilitator key came in ``X-Facilitator-Key``: 401 without it, 403 if wrong, 404 if no
    such session."""
    key = request.headers.get(KEY_HEADER, "").strip()
    if not key:
        raise DomainError("unauthorized", "Send the session's facilitator key as '{header}: <key>'.", header=KEY_HEADER)
    normal = normalise_join_code(code)
    if normal is None:
        raise DomainError("unknown_session", "There is no session with that code.")
    return get_store().facilitator_session(normal, key)


def _urls(code: str) -> dict[str, str]:
    return {"status_url": f"/api/sessions/{code}/export", "download_url": f"/api/sessions/{code}/export.zip"}


@bp.post("/api/sessions/<code>/export")
def start_export(code: str) -> Any:
    """Start building the ZIP in the background (or keep the build already running); 202 with where to look."""
    session = facilitator_session(code)
    runner().start(session.code)
    return jsonify(_urls(session.code)), 202


@bp.get("/api/sessions/<code>/export")
def export_status(code: str) -> Any:
    session = facilitator_session(code)
    status = runner().status(session.code)
    return jsonify({key: status[key] for key in ("state", "done", "total", "error")})


@bp.get("/api/sessions/<code>/export.zip")
def download_export(code: str) -> Any:
    session = facilitator_session(code)
    status = runner().status(session.code)
    if status["state"] == "running":
        return json_error(409, N_("The export is still being built ({done} of {total} plans)."), "export_running",
                          done=status["done"], total=status["total"])  # fmt: skip
    if status["state"] == "failed":
        return json_error(409, status["error"] or N_("The export failed; start it again."), "export_failed")
    path = runner().zip_path(session.code)
    if path is None:
        return json_error(404, N_("There is no export yet: start one with POST first."), "no_export")
    response = send_file(path, mimetype="application/zip", as_attachment=True, download_name=path.name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
