"""The house rules docs/ARCHITECTURE.md promises, held by a test: who may import whom, file sizes, thin handlers."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT

SOURCE_FOLDERS = ("facilitator", "participant", "protocols", "exports")
MAX_LINES = 500
MAX_HANDLER_LINES = 15


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("protocols", ("flask", "flask_socketio", "socketio", "sqlalchemy", "facilitator", "participant", "exports")),
        ("exports", ("flask", "flask_socketio", "facilitator", "participant")),
    ],
)
def test_the_domain_and_the_documents_import_nothing_of_the_app(folder, forbidden):
    for path in modules(folder):
        bad = {name for name in imported(path) if name.split(".")[0] in forbidden}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_serving_loads_nothing_of_the_load_generator():
    """``pathways serve`` builds the app; the load generator and benchmark are imported lazily by their commands."""
    probe = (
        "import sys; from facilitator.app import create_app; import facilitator.cli; "
        "print(sorted(m for m in sys.modules if m.startswith('facilitator.loadtest')))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def test_no_source_file_is_over_five_hundred_lines():
    sources = [p for folder in SOURCE_FOLDERS for p in modules(folder)]
    sources += [p for p in (ROOT / "static" / "js").rglob("*.js")]
    long = {
        str(p.relative_to(ROOT)): n
        for p in sources
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long


def test_socket_handlers_are_a_few_lines_each():
    """A handler checks the payload, calls the domain or one use case, emits and acks: no rules of its own."""
    handlers = [*(ROOT / "facilitator" / "live").glob("*.py"), *(ROOT / "participant").glob("*.py")]  # every one
    long = {}
    for path in handlers:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("on_"):
                length = node.end_lineno - node.lineno + 1  # type: ignore[operator]
                if length > MAX_HANDLER_LINES:
                    long[f"{path.name}:{node.name}"] = length
    assert not long, long
