"""The facilitator's pages: home, creating a session, the console and the projector."""

from typing import Any

from flask import Blueprint, abort, render_template

from facilitator.edge import urls
from facilitator.edge.words import words
from facilitator.store import get_store
from protocols.credentials import normalise_join_code

bp = Blueprint("pages", __name__)


def render(template: str, **context: Any) -> str:
    """Every page gets the same word list, also embedded as JSON for its script."""
    return render_template(template, words=words(), **context)


@bp.get("/")
def home() -> str:
    return render("home.html")


@bp.get("/admin")
def admin() -> str:
    """Create a session: the admin token is typed into the page and sent only with the API call."""
    return render("admin.html")


@bp.get("/leaders")
def leaders() -> str:
    """An organisation's follow-up: the organisation key (or a facilitator key and session code) is in the URL's
    fragment; the page's script sends it with each API call."""
    return render("leaders.html")


@bp.get("/coach")
def coach() -> str:
    """A coach's people: the coach's id and key are in the URL's fragment; the page's script sends them with each
    API call."""
    return render("coach.html")


@bp.get("/console/<code>")
def console(code: str) -> str:
    """The facilitator key is in the URL's fragment; the page's script reads it there. The join address is the
    one the projector shows, so the presenter reads out what the room sees."""
    normal = normalise_join_code(code)
    if normal is None or get_store().session_by_code(normal) is None:
        abort(404)
    return render("console.html", code=normal, join_url=urls.join_url(normal))


@bp.get("/projector/<code>")
def projector(code: str) -> str:
    normal = normalise_join_code(code)
    session = get_store().session_by_code(normal) if normal else None
    if session is None:
        abort(404)
    return render("projector.html", code=normal, title=session.title, join_url=urls.join_url(normal))
