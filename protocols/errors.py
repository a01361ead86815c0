"""The one error type the domain raises: a code for machines and a message for people, in their language."""

from typing import Any, Protocol

from protocols.language import fill


class Speaks(Protocol):
    """What an error needs of a language: ``protocols.language.Language`` and the edge's ``current()`` fit."""

    def gettext(self, message: str, **values: Any) -> str: ...


class DomainError(Exception):
    """A request the domain refuses. ``code`` is stable for clients; ``message`` is shown to people.

    ``message`` is written as an English sentence with ``{placeholders}`` filled from ``params``, so the catalogue
    holds one sentence however it is filled: ``error.message`` is the English text, ``error.in_language(lang)``
    the same sentence as ``lang`` says it.
    """

    def __init__(self, code: str, message: str, /, **params: Any) -> None:
        self.code = code
        self.template = message
        self.params = params
        self.message = fill(message, params)
        super().__init__(self.message)

    def in_language(self, lang: Speaks) -> str:
        """The message in ``lang``; a param that is words itself (``in_language``) is said in ``lang`` too."""
        return lang.gettext(self.template, **_said(self.params, lang))

    def recoded(self, code: str) -> "DomainError":
        """The same refusal under another code (a field's problem reported as the request's)."""
        return DomainError(code, self.template, **self.params)


class Phrase:
    """Words that fill another sentence's placeholder, translated with it (mark the text with ``N_``)."""

    def __init__(self, template: str, /, **params: Any) -> None:
        self.template = template
        self.params = params

    @classmethod
    def of(cls, words: "str | Phrase") -> "Phrase":
        """``words`` (a field's name marked ``N_``, or a Phrase already) as words to translate where shown."""
        return words if isinstance(words, Phrase) else cls(words)

    def in_language(self, lang: Speaks) -> str:
        if not self.template:
            return ""  # gettext("") is the catalogue's header
        return lang.gettext(self.template, **_said(self.params, lang))

    def __str__(self) -> str:
        return fill(self.template, self.params)


def _said(params: dict[str, Any], lang: Speaks) -> dict[str, Any]:
    """Each param in ``lang``: one that is words itself (a Phrase, a protocol file's problems) is translated."""
    return {name: value.in_language(lang) if hasattr(value, "in_language") else value for name, value in params.items()}
