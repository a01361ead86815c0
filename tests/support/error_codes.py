"""The error codes the server sends, read from its source, and the ones docs/API.md documents."""

import ast
import functools
import re

from tests.support import ROOT

SOURCES = ("facilitator", "participant", "protocols", "exports")


def codes_in_source() -> dict[str, set[str]]:
    """Each code given to a DomainError or a JSON error in the server's source, with the files that give it."""
    found: dict[str, set[str]] = {}
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                position = {"DomainError": 0, "json_error": 2}.get(name or "")
                if position is None or len(node.args) <= position:
                    continue
                code = node.args[position]
                if isinstance(code, ast.Constant) and isinstance(code.value, str):
                    found.setdefault(code.value, set()).add(str(path.relative_to(ROOT)))
    return found


def api_reference() -> str:
    return (ROOT / "docs" / "API.md").read_text(encoding="utf-8")


@functools.cache
def codes_in_docs() -> frozenset[str]:
    """The codes in docs/API.md's table of every error code."""
    text = api_reference()
    table = text[text.index("### Every error code") : text.index("## HTTP routes")]
    return frozenset(re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.MULTILINE))


@functools.cache
def codes_before_pathways() -> frozenset[str]:
    """The codes docs/API.md gives routes that fail before reaching Pathways: each the HTTP status's own name."""
    text = api_reference()
    paragraph = text[text.index("Routes that fail before reaching Pathways") : text.index("## HTTP routes")]
    return frozenset(re.findall(r"`([a-z_]+)`", paragraph))
