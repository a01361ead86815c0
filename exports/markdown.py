"""Figures written into a shared Markdown file (docs/PERFORMANCE.md), one named section per benchmark.

Each benchmark replaces only its own section, between ``<!-- begin NAME -->`` and ``<!-- end NAME -->``, so the
figures of one run never wipe another's.
"""

from pathlib import Path

TITLE = "# Performance\n\nFigures from the benchmarks that ship with Pathways; each section says how to make it anew.\n"


def replace_section(path: Path, name: str, markdown: str) -> None:
    begin, end = f"<!-- begin {name} -->", f"<!-- end {name} -->"
    block = f"{begin}\n{markdown.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else TITLE
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
