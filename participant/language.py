"""The language a person chooses on their own browser: the join page's menu (``?lang=``) and the cookie that keeps
the choice for the phone's later pages."""

from typing import Any

from flask import make_response, request

from facilitator.edge.language import LANGUAGE_COOKIE, supported, use

KEPT_FOR = 365 * 24 * 3600  # seconds: the choice outlives the day, for the plan page and the next session


def chosen_here() -> str | None:
    """The language picked from the join page's menu (``?lang=``), made this page's; None when none was picked.
    A pick outranks an earlier one kept in the cookie: it is the newer choice."""
    chosen = supported(request.args.get("lang"))
    if chosen:
        use(chosen)
    return chosen


def remembered(page: Any, chosen: str | None) -> Any:
    """``page`` (a body, or a body and status), with the cookie set to ``chosen`` when the person just chose."""
    response = make_response(page)
    if chosen:
        response.set_cookie(
            LANGUAGE_COOKIE, chosen, max_age=KEPT_FOR, path="/", samesite="Lax", secure=request.is_secure
        )
    return response
