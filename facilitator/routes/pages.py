"""The facilitator's pages: home, creating a session, the console and the projector; and the browser's words."""

from typing import Any

from flask import Blueprint, Response, abort, jsonify, render_template, request

from facilitator.edge import browser_words as browser_words_module
from facilitator.edge import language, urls
from facilitator.store import get_store
from protocols.credentials import normalise_join_code

bp = Blueprint("pages", __name__)


def render(template: str, **context: Any) -> str:
    """A page; the console and projector speak their session's language (``session_language``) when given one."""
    language.use(context.pop("session_language", None))
    return render_template(template, **context)


@bp.get("/i18n/<screen>/<code>.json")
def browser_words(screen: str, code: str) -> Response:
    """A screen's sentences in one language. The page names it with a version (``?v=``), so a browser keeps it
    until the catalogue changes; without the version it is checked each time."""
    if language.supported(code) != code or screen not in browser_words_module.SCREENS:
        abort(404)
    body, version = browser_words_module.browser_catalogue(code, screen)
    response = jsonify(body)
    response.set_etag(version)
    fresh = request.args.get("v") == version
    response.cache_control.public = True
    response.cache_control.max_age = 31_536_000 if fresh else 0
    if fresh:
        response.cache_control.immutable = True
    return response.make_conditional(request)


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
    session = get_store().session_by_code(normal) if normal else None
    if session is None:
        abort(404)
    return render("console.html", code=normal, join_url=urls.join_url(normal), session_language=session.language)


@bp.get("/projector/<code>")
def projector(code: str) -> str:
    normal = normalise_join_code(code)
    session = get_store().session_by_code(normal) if normal else None
    if session is None:
        abort(404)
    return render(
        "projector.html", code=normal, title=session.title, join_url=urls.join_url(normal),
        session_language=session.language,
    )  # fmt: skip
