"""One language's words, dates and numbers: a gettext catalogue read with Babel. Plain Python, so the domain and
the documents speak it without Flask.

Every sentence a person reads is written in English where it is used, marked for translation: ``lang.gettext("…")``
(or ``_``), ``lang.ngettext(singular, plural, n)`` where a number decides the form, ``N_("…")`` for a sentence kept
in a constant and translated where it is shown. ``pybabel extract`` collects the marked sentences into the
catalogue's template and translators fill one ``.po`` file per language (docs/TRANSLATING.md). Placeholders are
``{name}``, filled after translation, so a translation may move them.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel import Locale, dates, numbers
from babel.support import NullTranslations

ENGLISH = "en"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Pathways' English puts the day first, as most of its readers write it (Babel's plain "en" writes "January 15,
# 2027"); other languages take their own forms from Babel.
_ENGLISH_DAY_FORMS = {"long": "d MMMM y", "medium": "d MMM y"}


def N_(message: str) -> str:  # noqa: N802 (gettext's own name for "mark only")
    """Mark ``message`` for the catalogue without translating it here: it is translated where it is shown."""
    return message


def fill(message: str, values: Mapping[str, Any]) -> str:
    """``message`` with each ``{name}`` replaced by its value; a placeholder without a value stays as written."""
    if not values:
        return message
    return _PLACEHOLDER.sub(lambda found: str(values[found[1]]) if found[1] in values else found[0], message)


@dataclass(frozen=True)
class Language:
    """A language people read: its code (``es``), its catalogue, and Babel's rules for its dates and numbers."""

    code: str
    translations: NullTranslations

    @classmethod
    def english(cls) -> "Language":
        """English needs no catalogue: the sentences are written in it."""
        return cls(ENGLISH, NullTranslations())

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.code)

    @property
    def direction(self) -> str:
        """``rtl`` for a language written right to left (Arabic, Hebrew…), else ``ltr``: the pages' ``dir``."""
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    def gettext(self, message: str, **values: Any) -> str:
        """``message`` in this language (English when the catalogue lacks it), placeholders filled."""
        return fill(self.translations.gettext(message), values)

    _ = gettext

    def ngettext(self, singular: str, plural: str, n: int, **values: Any) -> str:
        """The form of a sentence this language uses for ``n`` (``{n}`` is filled with ``n`` in this language)."""
        return fill(self.translations.ngettext(singular, plural, n), {"n": self.number(n), **values})

    def number(self, value: float) -> str:
        """``1,234.5`` in English, ``1 234,5`` in French."""
        return numbers.format_decimal(value, locale=self.locale)

    def percent(self, share: float) -> str:
        """A share (0.25) as this language writes a percentage (``25%``, ``25 %``)."""
        return numbers.format_percent(share, locale=self.locale)

    def day(self, value: str | date | datetime, form: str = "long") -> str:
        """A day (or an ISO ``2027-02-01``) as this language writes it: ``1 February 2027``, ``1 de febrero de 2027``,
        ``1 février 2027``; ``form="medium"`` is shorter (``1 Feb 2027``, ``1 févr. 2027``)."""
        day = date.fromisoformat(value) if isinstance(value, str) else value
        pattern = _ENGLISH_DAY_FORMS.get(form, form) if self.code == ENGLISH else form
        return dates.format_date(day, format=pattern, locale=self.locale)

    def moment(self, value: datetime, form: str = "medium") -> str:
        """A date and time as this language writes them."""
        return dates.format_datetime(value, format=form, locale=self.locale)


IN_ENGLISH = Language.english()  # for a reader with no language of their own (a log, a command line)
