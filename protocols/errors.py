"""The one error type the domain raises: a code for machines and a message for people."""


class DomainError(Exception):
    """A request the domain refuses. ``code`` is stable for clients; ``message`` is shown to people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
