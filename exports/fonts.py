"""The fonts embedded in every PDF: DejaVu Sans for Latin, Greek and Cyrillic, and a CJK font when the machine has one.

DejaVu Sans ships in static/fonts, so any Latin (with diacritics), Greek or Cyrillic name renders as written on any
machine. It has no Chinese, Japanese or Korean glyphs; for those, runs of CJK text are set in the first CJK
TrueType font found on the machine (``PATHWAYS_CJK_FONT``, else the usual Debian/Ubuntu, macOS and Windows
places). With none, CJK characters are still in the PDF's text but print as empty boxes.
"""

import os
import re
import threading
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
CJK = "PathwaysCJK"
# TrueType outlines only: reportlab cannot embed the CFF outlines of Noto Sans CJK's .ttc/.otf files.
CJK_CANDIDATES = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",  # Debian: fonts-droid-fallback
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # Debian: fonts-wqy-zenhei
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # Debian: fonts-wqy-microhei
    "/usr/share/fonts/truetype/arphic/uming.ttc",  # Debian: fonts-arphic-uming
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",  # macOS
    "C:/Windows/Fonts/msgothic.ttc",  # Windows
)
_CJK_RUN = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u9fff\ua960-\ua97f"
    "\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]+"
)
_lock = threading.Lock()
_cjk: list[str | None] = []  # once looked for: [font name] or [None]


def register_fonts() -> tuple[str, str]:
    """Register the embedded fonts once per process (safe from several threads); returns (regular, bold)."""
    with _lock:
        if REGULAR not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
            pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
            _map_family(REGULAR, BOLD)
    return REGULAR, BOLD


def _map_family(regular: str, bold: str) -> None:
    for is_bold in (0, 1):
        for is_italic in (0, 1):
            addMapping(regular, is_bold, is_italic, bold if is_bold else regular)


def cjk_font_path() -> Path | None:
    """The CJK font file this machine offers, or None."""
    configured = os.environ.get("PATHWAYS_CJK_FONT")
    for candidate in ([configured] if configured else []) + list(CJK_CANDIDATES):
        if Path(candidate).is_file():
            return Path(candidate)
    return None


def cjk_font() -> str | None:
    """The registered CJK font's name, registering it on first use; None when the machine has none."""
    with _lock:
        if not _cjk:
            path = cjk_font_path()
            name = None
            if path is not None:
                try:
                    pdfmetrics.registerFont(TTFont(CJK, str(path)))
                    _map_family(CJK, CJK)  # no bold face: bold CJK text is set in the regular weight
                    name = CJK
                except Exception:  # a file reportlab cannot read (CFF outlines): go without, as with none
                    name = None
            _cjk.append(name)
        return _cjk[0]


def markup(value: str) -> str:
    """Text as paragraph markup that shows it literally: escaped, line breaks kept, CJK runs in the CJK font."""
    text = escape(value)
    if _CJK_RUN.search(text):
        font = cjk_font()
        if font is not None:
            text = _CJK_RUN.sub(lambda run: f'<font name="{font}">{run.group(0)}</font>', text)
    return text.replace("\n", "<br/>")
