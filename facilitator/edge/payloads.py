"""The one check every incoming JSON body and Socket.IO payload passes before the domain sees it."""

import json
import re
from collections.abc import Mapping
from typing import Any

from flask import request
from flask.json.provider import DefaultJSONProvider

from protocols.errors import DomainError
from protocols.language import N_

# One whole sentence per type, so each language words it its own way.
_MUST_BE = {
    str: N_("'{name}' must be text."),
    int: N_("'{name}' must be a whole number."),
    float: N_("'{name}' must be a number."),
    dict: N_("'{name}' must be an object."),
    list: N_("'{name}' must be a list."),
}


class Malformed:
    """What a Socket.IO message that could not be read arrives as: its handler refuses it with ``bad_request``."""

    def __repr__(self) -> str:
        return "<malformed payload>"


MALFORMED = Malformed()
UNREADABLE = DomainError("bad_request", "The message could not be read: it is not JSON, or is nested too deeply.")
_EVENT_NAME = re.compile(r'\s*\[\s*("(?:[^"\\]|\\.){0,200}")')


def _loads(text: str | bytes, **options: Any) -> Any:
    """json.loads, where JSON nested thousands deep is an error like any other unreadable JSON, not a crash."""
    try:
        return json.loads(text, **options)
    except RecursionError:
        raise ValueError("The JSON is nested too deeply.") from None


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading request bodies through ``_loads``: a body of 20,000 nested brackets is a 400."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return _loads(s, **kwargs)


class SocketJSON:
    """The JSON python-socketio (and Engine.IO beneath it) reads packets with. A packet nested too deeply to read
    still reaches its handler, as ``[event, MALFORMED]``, so the sender gets an ack that says so instead of a
    traceback and silence. Anything else that is not JSON raises ValueError as ``json.loads`` does: Engine.IO reads
    its own packets ("probe") by trying JSON first."""

    dumps = staticmethod(json.dumps)

    @staticmethod
    def loads(text: str | bytes, **options: Any) -> Any:
        try:
            return json.loads(text, **options)
        except RecursionError:
            named = _EVENT_NAME.match(text if isinstance(text, str) else text.decode("utf-8", "replace"))
            return [json.loads(named.group(1)) if named else "", MALFORMED]


def require(payload: Any, fields: Mapping[str, type | None]) -> dict[str, Any]:
    """``payload`` as a dict holding every field in ``fields`` with the given type (``None``: any JSON value)."""
    if not isinstance(payload, Mapping):
        raise DomainError("bad_request", "The payload must be a JSON object.")
    for name, kind in fields.items():
        if name not in payload:
            raise DomainError("bad_request", "'{name}' is missing.", name=name)
        value = payload[name]
        if kind is not None and (not isinstance(value, kind) or (kind is int and isinstance(value, bool))):
            if kind in _MUST_BE:
                raise DomainError("bad_request", _MUST_BE[kind], name=name)
            raise DomainError("bad_request", "'{name}' must be {kind}.", name=name, kind=kind.__name__)
    return dict(payload)


def json_body(*, required: bool = True) -> Any:
    """The request's JSON; None for an empty body when ``required`` is False. Unreadable JSON (not JSON, or nested
    too deeply) is a ``bad_request``."""
    if not required and not request.get_data():
        return None
    payload = request.get_json(silent=True)
    if payload is None:
        raise DomainError("bad_request", "The body must be JSON (Content-Type: application/json).")
    return payload
