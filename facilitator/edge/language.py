"""Which language a page, a reply or a document speaks, and the catalogues behind it.

The catalogues are gettext files in ``facilitator/translations/<code>/LC_MESSAGES/``: ``messages`` for the server's
sentences (pages, e-mails, PDFs, errors), ``js`` for the browser's, which reach the browser as a small JSON per
language and screen (``facilitator/edge/browser_words.py``). A language is offered when the server starts with its
``messages.mo``; English is the language the sentences are written in and needs none. docs/TRANSLATING.md says
how translators work.

A page speaks the language of the person it belongs to (a plan, a phone that has joined), or of the session for
the console and projector; otherwise the one asked for (the ``pathways_language`` cookie a person's choice set,
then ``?lang=``, then the browser's ``Accept-Language``).
"""

from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.support import Translations
from flask import Flask, current_app, g, has_app_context, has_request_context, request

from protocols.language import ENGLISH, Language

TRANSLATIONS_DIR = Path(__file__).resolve().parents[1] / "translations"
_PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
LANGUAGE_COOKIE = "pathways_language"  # the language a person chose on this browser (join page, phone's menu)


def init_app(app: Flask) -> None:
    """Every template may say ``_("…")``, ``ngettext(…)`` and read ``language`` (its code and direction)."""
    app.config.setdefault("TRANSLATIONS_DIR", str(TRANSLATIONS_DIR))
    app.context_processor(_template_words)


def _template_words() -> dict[str, Any]:
    lang = current()
    return {"_": lang.gettext, "gettext": lang.gettext, "ngettext": lang.ngettext, "language": lang,
            "languages": offered()}  # fmt: skip


def catalogues_folder() -> Path:
    """The running app's catalogues (a test may give its own)."""
    return Path(current_app.config["TRANSLATIONS_DIR"]) if has_app_context() else TRANSLATIONS_DIR


@lru_cache(maxsize=8)
def _available(folder: Path) -> tuple[str, ...]:
    found = sorted(path.parent.parent.name for path in folder.glob("*/LC_MESSAGES/messages.mo"))
    return (ENGLISH, *(code for code in found if code != ENGLISH))


def available() -> tuple[str, ...]:
    """The languages people may choose: English and each language with a compiled catalogue."""
    return _available(catalogues_folder())


def offered() -> list[tuple[str, str]]:
    """(code, name in its own language) for each available language, for a language menu."""
    return [(code, language_name(code)) for code in available()]


@lru_cache(maxsize=32)
def language_name(code: str) -> str:
    """``Español`` for ``es``: a language is offered in its own words."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def supported(code: object) -> str | None:
    """``code`` when it names an available language (``es``, ``es-MX`` → ``es``), else None."""
    if not isinstance(code, str) or not code:
        return None
    try:
        base = Locale.parse(code.replace("-", "_")).language
    except (ValueError, UnknownLocaleError):
        return None
    return base if base in available() else None


@lru_cache(maxsize=32)
def load_language(folder: Path, code: str) -> Language:
    if code == ENGLISH:
        return Language.english()
    return Language(code, Translations.load(str(folder), [code], domain="messages"))


def language(code: str | None) -> Language:
    """The language ``code`` names when available, else English."""
    return load_language(catalogues_folder(), supported(code) or ENGLISH)


def use(code: str | None) -> Language:
    """Make ``code`` the language of this request (a person's or a session's), when it is available."""
    if chosen := supported(code):
        g.language_code = chosen
    return current()


def asked_for() -> str:
    """The language the request asks for: ``?lang=`` (a page, or a connection, naming its language), else the one
    the person chose on this browser (the ``pathways_language`` cookie), else the browser's best match among those
    available."""
    for asked in (request.args.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if chosen := supported(asked):
            return chosen
    best = request.accept_languages.best_match(available()) if request.accept_languages else None
    return best or ENGLISH


def current() -> Language:
    """The language of this request (English outside one)."""
    if not has_request_context():
        return language(ENGLISH)
    if "language_code" not in g:
        g.language_code = asked_for()
    return language(g.language_code)


def plural_indexes(lang: Language) -> dict[str, int]:
    """Which of the catalogue's plural forms each of the language's plural categories takes.

    The browser knows a number's category (``Intl.PluralRules``); the catalogue orders its forms by its own
    ``Plural-Forms`` rule. Sampling numbers with both (Babel knows the categories) pairs them up.
    """
    pairs: dict[str, int] = {}
    for n in (*range(0, 201), 1_000, 1_000_000, 2_000_000):
        category = lang.locale.plural_form(n)
        pairs.setdefault(category, lang.translations.plural(n) if hasattr(lang.translations, "plural") else int(n != 1))
    return {category: pairs[category] for category in _PLURAL_CATEGORIES if category in pairs}
