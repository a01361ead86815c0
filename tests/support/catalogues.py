"""Catalogues made for a test: a copy of the real ones plus a language of the test's own (a stub), compiled."""

import shutil
from collections.abc import Mapping
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from facilitator.edge.language import TRANSLATIONS_DIR


def stub_catalogues(folder: Path, code: str, messages: Mapping[str, str], js: Mapping[str, str] | None = None) -> Path:
    """``folder`` holding the real catalogues and ``code`` with ``messages`` (server) and ``js`` (browser) only."""
    if TRANSLATIONS_DIR.is_dir():
        shutil.copytree(TRANSLATIONS_DIR, folder, dirs_exist_ok=True)
    for domain, entries in (("messages", messages), ("js", js or {})):
        catalog = Catalog(locale=code, domain=domain)
        for msgid, msgstr in entries.items():
            catalog.add(msgid, msgstr)
        target = folder / code / "LC_MESSAGES"
        target.mkdir(parents=True, exist_ok=True)
        with (target / f"{domain}.po").open("wb") as po:
            write_po(po, catalog)
        with (target / f"{domain}.mo").open("wb") as mo:
            write_mo(mo, catalog)
    return folder
