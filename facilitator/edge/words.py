"""Every word a screen shows comes from one folder per language in static/i18n: a translation is a folder of files.

``static/i18n/en/phone.json`` holds the phone's words, ``console.json`` the console's, and so on; a screen reads
them as ``words.phone.…``. A translation copies the folder and may leave out any word: English fills the gaps.
"""

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

I18N_DIR = Path(__file__).resolve().parents[2] / "static" / "i18n"
DEFAULT_LANGUAGE = "en"


def _read(language: str) -> dict[str, Any]:
    folder = I18N_DIR / language
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))}


def _merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        both_tables = isinstance(value, dict) and isinstance(base.get(key), dict)
        merged[key] = _merged(base[key], value) if both_tables else value
    return merged


@lru_cache(maxsize=16)
def words(language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """The words for ``language``, falling back to English for any word a translation lacks."""
    english = _read(DEFAULT_LANGUAGE)
    if language == DEFAULT_LANGUAGE or not (I18N_DIR / language).is_dir():
        return english
    return _merged(english, _read(language))
