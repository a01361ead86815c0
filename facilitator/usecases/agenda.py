"""What the console adds to the agenda during the day: a library protocol, or an uploaded protocol file."""

from collections.abc import Mapping

from facilitator.library import library
from protocols.errors import DomainError
from protocols.loader import ProtocolFileError, load_protocol_text
from protocols.model import Protocol


def protocol_to_add(request: Mapping[str, object]) -> tuple[Protocol, int]:
    """``{"protocol_id": "tuning"}`` or ``{"toml": "...", "file_name"?}``, optional ``rounds``: the protocol and its
    rounds, the file checked as ``pathways protocols validate`` checks it."""
    rounds = request.get("rounds", 1)
    if isinstance(rounds, bool) or not isinstance(rounds, int):
        raise DomainError("bad_request", "'rounds' must be a whole number.")
    toml = request.get("toml")
    if isinstance(toml, str):
        try:
            return load_protocol_text(toml, str(request.get("file_name") or "uploaded protocol")), rounds
        except ProtocolFileError as error:
            raise DomainError("bad_protocol", "{problems}", problems=error) from None  # each problem translated
    protocol = library().get(request.get("protocol_id"))  # type: ignore[arg-type]
    if protocol is None:
        raise DomainError("unknown_protocol", "Name a protocol from the library, or send a protocol file.")
    return protocol, rounds
