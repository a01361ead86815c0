"""The one check every incoming JSON body and Socket.IO payload passes before the domain sees it."""

from collections.abc import Mapping
from typing import Any

from protocols.errors import DomainError

_TYPE_WORDS = {str: "text", int: "a whole number", float: "a number", dict: "an object", list: "a list"}


def require(payload: Any, fields: Mapping[str, type | None]) -> dict[str, Any]:
    """``payload`` as a dict holding every field in ``fields`` with the given type (``None``: any JSON value)."""
    if not isinstance(payload, Mapping):
        raise DomainError("bad_request", "The payload must be a JSON object.")
    for name, kind in fields.items():
        if name not in payload:
            raise DomainError("bad_request", f"'{name}' is missing.")
        value = payload[name]
        if kind is not None and (not isinstance(value, kind) or (kind is int and isinstance(value, bool))):
            raise DomainError("bad_request", f"'{name}' must be {_TYPE_WORDS.get(kind, kind.__name__)}.")
    return dict(payload)
