"""Every error code the server can send is documented in docs/API.md, and every documented code is one it sends."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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


def codes_in_docs() -> set[str]:
    """The codes in docs/API.md's table of every error code."""
    text = (ROOT / "docs" / "API.md").read_text(encoding="utf-8")
    table = text[text.index("### Every error code") : text.index("## HTTP routes")]
    return set(re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.MULTILINE))


def test_every_code_the_server_sends_is_in_the_docs_table_and_nothing_else_is():
    raised = codes_in_source()
    documented = codes_in_docs()
    missing = {code: sorted(files) for code, files in raised.items() if code not in documented}
    assert not missing, f"codes the server sends that docs/API.md does not list: {missing}"
    assert not documented - raised.keys(), f"codes docs/API.md lists that nothing sends: {documented - raised.keys()}"
    assert {"bad_value", "stale_move", "reserved_event", "agenda_too_long"} <= documented


def test_each_answer_refusal_is_listed_under_the_answer_event():
    """The phone's answer event lists every code that validating an answer can give (bad_value was missing)."""
    text = (ROOT / "docs" / "API.md").read_text(encoding="utf-8")
    answer = text[text.index('- `answer` `{"step_id"') : text.index('- `forget` `{"step_id"')]
    validating = {code for code, files in codes_in_source().items() if "protocols/answers.py" in files}
    listed = set(re.findall(r"`([a-z_]+)`", answer))
    assert validating <= listed, validating - listed
