"""Words come from one folder per language; a translation may leave words out and English fills them in."""

import json

from facilitator.edge import words as words_module


def test_a_translation_overrides_some_words_and_english_fills_the_rest(tmp_path, monkeypatch):
    (tmp_path / "en").mkdir()
    (tmp_path / "fr").mkdir()
    (tmp_path / "en" / "phone.json").write_text(json.dumps({"join": "Join", "saved": {"mark": "Saved", "x": "X"}}))
    (tmp_path / "en" / "console.json").write_text(json.dumps({"next": "Next"}))
    (tmp_path / "fr" / "phone.json").write_text(json.dumps({"saved": {"mark": "Enregistré"}}))
    monkeypatch.setattr(words_module, "I18N_DIR", tmp_path)
    words_module.words.cache_clear()
    try:
        french = words_module.words("fr")
        assert french["console"] == {"next": "Next"}
        assert french["phone"] == {"join": "Join", "saved": {"mark": "Enregistré", "x": "X"}}
        assert words_module.words("xx") == words_module.words("en")
    finally:
        words_module.words.cache_clear()


def test_every_screen_has_its_words_in_english():
    english = words_module.words("en")
    assert {"common", "admin", "console", "projector", "phone", "plan"} <= set(english)
