"""The catalogues are whole: every sentence the code marks is in the templates, every language translates each one
(no empty or fuzzy entry, the same placeholders), and the compiled .mo files match their .po files."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from facilitator.edge.language import TRANSLATIONS_DIR
from tests.support import ROOT

COMPLETE = ("es", "fr")
DOMAINS = ("messages", "js")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# The documented commands (docs/TRANSLATING.md), as the test runs them.
EXTRACT = {
    "messages": ["-F", "facilitator/translations/babel.cfg", "-k", "_", "-k", "gettext", "-k", "ngettext:1,2",
                 "-k", "N_", "-k", "DomainError:2", "facilitator", "participant", "protocols", "exports"],
    "js": ["-F", "facilitator/translations/babel-js.cfg", "--no-default-keywords", "-k", "t", "-k", "tn:1,2", "."],
}  # fmt: skip


def read(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def ids(catalog) -> set[str]:
    return {message.id if isinstance(message.id, str) else message.id[0] for message in catalog if message.id}


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_template_holds_every_sentence_the_code_marks(domain, tmp_path):
    fresh = tmp_path / f"{domain}.pot"
    command = [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", *EXTRACT[domain], "-o", str(fresh)]
    subprocess.run(command, cwd=ROOT, check=True)
    kept = ids(read(TRANSLATIONS_DIR / f"{domain}.pot"))
    marked = ids(read(fresh))
    assert not marked - kept, f"run pybabel extract for {domain} (docs/TRANSLATING.md): new {sorted(marked - kept)[:5]}"
    assert not kept - marked, f"run pybabel extract for {domain}: gone {sorted(kept - marked)[:5]}"


def test_every_sentence_a_script_shows_is_extracted():
    """Extraction skips a t() call nested inside another's arguments: a sentence written so is never translated."""
    kept = ids(read(TRANSLATIONS_DIR / "js.pot"))
    literal = re.compile(r"(?<![\w.])tn?\(\s*'((?:[^'\\]|\\.)*)'")
    comment = re.compile(r"/\*.*?\*/", re.S)
    shown = {(path.relative_to(ROOT).as_posix(), text.replace("\\'", "'"))
             for path in (ROOT / "static" / "js").rglob("*.js")
             for text in literal.findall(comment.sub("", path.read_text()))}  # fmt: skip
    missing = sorted(f"{path}: {text}" for path, text in shown if text not in kept and "\\" not in text)
    assert not missing, missing[:5]


@pytest.mark.parametrize("code", COMPLETE)
@pytest.mark.parametrize("domain", DOMAINS)
def test_each_language_translates_every_sentence_with_the_same_placeholders(code, domain):
    template = ids(read(TRANSLATIONS_DIR / f"{domain}.pot"))
    catalog = read(TRANSLATIONS_DIR / code / "LC_MESSAGES" / f"{domain}.po")
    missing, fuzzy, wrong = [], [], []
    translated = {}
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        translated[key] = message
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(forms):
            missing.append(key)
        if message.fuzzy:
            fuzzy.append(key)
        wanted = set(PLACEHOLDER.findall(" ".join(message.id if isinstance(message.id, tuple) else (message.id,))))
        for n, form in enumerate(forms):
            said = set(PLACEHOLDER.findall(form))
            may_drop = {"n"} if isinstance(message.id, tuple) and n == 0 else set()  # "the only goal" for 1
            if said - wanted or wanted - said - may_drop:
                wrong.append(key)
    missing += sorted(template - set(translated))
    assert not missing, f"{code}/{domain}.po lacks {len(missing)}: {missing[:5]}"
    assert not fuzzy, f"{code}/{domain}.po has fuzzy entries: {fuzzy[:5]}"
    assert not wrong, f"{code}/{domain}.po adds or drops placeholders: {wrong[:5]}"


@pytest.mark.parametrize("code", COMPLETE)
@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogue_matches_its_source(code, domain, tmp_path):
    folder = TRANSLATIONS_DIR / code / "LC_MESSAGES"
    compiled = tmp_path / f"{domain}.mo"
    with compiled.open("wb") as file:
        write_mo(file, read(folder / f"{domain}.po"))
    assert compiled.read_bytes() == (folder / f"{domain}.mo").read_bytes(), f"run pybabel compile for {code}/{domain}"
