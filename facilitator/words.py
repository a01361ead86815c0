"""Every word a screen shows comes from one JSON file per language in static/i18n: a translation is a file."""

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

I18N_DIR = Path(__file__).resolve().parent.parent / "static" / "i18n"
DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=16)
def words(language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """The words for ``language``, falling back to English for any key a translation lacks."""
    english = json.loads((I18N_DIR / f"{DEFAULT_LANGUAGE}.json").read_text(encoding="utf-8"))
    path = I18N_DIR / f"{language}.json"
    if language == DEFAULT_LANGUAGE or not path.is_file():
        return english
    return {**english, **json.loads(path.read_text(encoding="utf-8"))}
