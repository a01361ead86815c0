"""The protocol library the app offers: read from protocols/library once per app and kept for its life."""

from flask import current_app

from protocols.loader import load_library
from protocols.model import Protocol

EXTENSION_KEY = "pathways.library"


def library() -> dict[str, Protocol]:
    """Every library protocol by id, read on first use; a session keeps its own copy of the ones it runs."""
    if EXTENSION_KEY not in current_app.extensions:
        current_app.extensions[EXTENSION_KEY] = load_library()
    return current_app.extensions[EXTENSION_KEY]
