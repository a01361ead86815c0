"""The stop-reminders link every reminder e-mail ends with: a page that asks, and its one button that stops them.

Opening the link changes nothing (mail scanners open links to look at them); the button, or a mail program's own
"unsubscribe" (RFC 8058: a POST to the same address), stops reminders to the address the message went to.
"""

import time
from typing import Any

from flask import Blueprint, render_template

from facilitator.store import get_store

bp = Blueprint("reminders", __name__)

MAX_TOKEN = 256  # longer is no token of ours: not looked up


@bp.get("/stop/<token>")
def ask_to_stop(token: str) -> Any:
    stopped = get_store().stopped_for(token) if len(token) <= MAX_TOKEN else None
    if stopped is None:
        return _page("unknown"), 404
    return _page("already" if stopped else "ask", stop_url=f"/stop/{token}")


@bp.post("/stop/<token>")
def stop(token: str) -> Any:
    if len(token) > MAX_TOKEN or not get_store().stop_reminders(token, time.time()):
        return _page("unknown"), 404
    return _page("stopped")


def _page(state: str, **context: Any) -> str:
    return render_template("stopped.html", state=state, **context)
