"""The browser's sentences: one small JSON per language and screen, from the ``js`` catalogue.

A screen (the phone, the console…) is a folder of static/js; its JSON holds the sentences of the scripts it loads,
followed through their imports (lib/ included), as the catalogue's template (``js.pot``) places them. The page
names its JSON with a version that changes when the sentences do, so the browser keeps it until then.
"""

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import Flask

from facilitator.edge.language import ENGLISH, catalogues_folder, current, load_language, plural_indexes, supported

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "static" / "js"
SCREENS = frozenset(path.name for path in SCRIPTS.iterdir() if path.is_dir() and path.name != "lib")
_IMPORT = re.compile(r"""(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}/[^'"]+)['"]""")


def init_app(app: Flask) -> None:
    """A page names its screen's sentences: ``<html data-catalogue="{{ catalogue_url(screen) }}">``."""
    app.context_processor(lambda: {"catalogue_url": lambda screen=None: catalogue_url(current().code, screen)})


@lru_cache(maxsize=16)
def screen_scripts(screen: str) -> frozenset[str]:
    """Every script a screen runs (``static/js/phone/main.js``…): its folder's modules and what they import."""
    seen: set[Path] = set()
    waiting = sorted((SCRIPTS / screen).glob("*.js"))
    while waiting:
        script = waiting.pop().resolve()
        if script in seen or not script.is_file():
            continue
        seen.add(script)
        waiting += [script.parent / found for found in _IMPORT.findall(script.read_text(encoding="utf-8"))]
    return frozenset(script.relative_to(ROOT).as_posix() for script in seen)


@lru_cache(maxsize=4)
def _places(folder: Path) -> dict[str, frozenset[str]]:
    """Each sentence of the browser's template and the scripts it appears in; empty without a template."""
    template = folder / "js.pot"
    if not template.is_file():
        return {}
    with template.open("rb") as file:
        return {(m.id[0] if isinstance(m.id, tuple) else m.id): frozenset(path for path, _ in m.locations)
                for m in read_po(file) if m.id}  # fmt: skip


@lru_cache(maxsize=64)
def _catalogue(folder: Path, code: str, screen: str) -> tuple[dict[str, Any], str]:
    places, scripts = _places(folder), screen_scripts(screen)
    messages: dict[str, Any] = {}
    compiled = folder / code / "LC_MESSAGES" / "js.mo"
    if code != ENGLISH and compiled.is_file():
        with compiled.open("rb") as file:
            for message in read_mo(file):
                plural = isinstance(message.id, (tuple, list))  # read_mo gives a plural's forms as a list
                key = message.id[0] if plural else message.id
                if not key or not message.string or (key in places and not places[key] & scripts):
                    continue
                messages[key] = list(message.string) if plural else message.string
    lang = load_language(folder, code)
    body = {"language": code, "direction": lang.direction, "plural": plural_indexes(lang), "messages": messages}
    version = hashlib.sha256(repr(sorted(body.items(), key=str)).encode()).hexdigest()[:12]
    return body, version


def browser_catalogue(code: str, screen: str) -> tuple[dict[str, Any], str]:
    """The sentences ``screen`` shows, in ``code``, with a version that changes when they do."""
    return _catalogue(catalogues_folder(), supported(code) or ENGLISH, screen)


def catalogue_url(code: str, screen: str | None) -> str:
    """The address a page names for its screen's sentences (none for a page without scripts)."""
    if screen not in SCREENS:
        return ""
    return f"/i18n/{screen}/{code}.json?v={browser_catalogue(code, screen)[1]}"
