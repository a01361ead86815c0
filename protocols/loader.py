"""Reads protocol definitions from TOML files into immutable objects, with errors a facilitator can act on.

A broken file never produces a traceback: every problem is reported as ``file: field path: what is wrong``.
"""

import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from protocols.model import Option, PlanField, Protocol, Step, StepKind, Visibility

LIBRARY_DIR = Path(__file__).parent / "library"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
PROTOCOL_KEYS = {"id", "title", "purpose", "source", "steps"}
STEP_KEYS = {
    "id", "title", "prompt", "notes", "kind", "minutes", "visibility", "plan", "options",
    "multiple", "min_items", "max_items", "min", "max", "min_label", "max_label", "max_chars",
}  # fmt: skip


class ProtocolFileError(Exception):
    """Every problem found in one protocol file, each naming the field it is about."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {problem}" for problem in problems))


def _choices(enum: type) -> str:
    return ", ".join(member.value for member in enum)


class _Reader:
    """Collects problems while reading fields, so one pass reports everything wrong with a file."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def text(self, data: Mapping, key: str, path: str, *, required: bool = True, default: str = "") -> str:
        if key not in data:
            if required:
                self.problem(f"{path}{key}", "is required")
            return default
        value = data[key]
        if not isinstance(value, str):
            self.problem(f"{path}{key}", f"must be text, not {_type_name(value)}")
            return default
        if required and not value.strip():
            self.problem(f"{path}{key}", "must not be empty")
        return value.strip()

    def number(self, data: Mapping, key: str, path: str, default: float, *, low: float, high: float) -> float:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(f"{path}{key}", f"must be a number, not {_type_name(value)}")
            return default
        if not low <= value <= high:
            self.problem(f"{path}{key}", f"{value} is outside {low:g} to {high:g}")
            return default
        return value

    def integer(self, data: Mapping, key: str, path: str, default: int, *, low: int, high: int) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(f"{path}{key}", f"must be a whole number, not {_type_name(value)}")
            return default
        if not low <= value <= high:
            self.problem(f"{path}{key}", f"{value} is outside {low} to {high}")
            return default
        return value

    def enum(self, data: Mapping, key: str, path: str, enum: type, default: Any = None) -> Any:
        if key not in data:
            if default is None:
                self.problem(f"{path}{key}", f"is required (one of {_choices(enum)})")
            return default
        value = data[key]
        try:
            return enum(value)
        except ValueError:
            self.problem(f"{path}{key}", f"{value!r} is not one of {_choices(enum)}")
            return default

    def identifier(self, data: Mapping, key: str, path: str) -> str:
        value = self.text(data, key, path)
        if value and not ID_PATTERN.match(value):
            self.problem(f"{path}{key}", f"{value!r} must be lower-case letters, digits and hyphens")
        return value

    def unknown_keys(self, data: Mapping, allowed: Iterable[str], path: str) -> None:
        for key in data:
            if key not in allowed:
                self.problem(f"{path}{key}", "is not a known field")


def _type_name(value: Any) -> str:
    return {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list", dict: "a table"}.get(
        type(value), type(value).__name__
    )


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:64] or "option"


def _options(reader: _Reader, data: Mapping, path: str) -> tuple[Option, ...]:
    raw = data.get("options")
    if not isinstance(raw, list) or not raw:
        reader.problem(f"{path}options", "a choice step needs a list of at least one option")
        return ()
    options = []
    for index, item in enumerate(raw):
        item_path = f"{path}options[{index}]"
        if isinstance(item, str) and item.strip():
            options.append(Option(id=_slug(item), label=item.strip()))
        elif isinstance(item, dict):
            label = reader.text(item, "label", f"{item_path}.")
            option_id = reader.identifier(item, "id", f"{item_path}.") if "id" in item else _slug(label)
            options.append(Option(id=option_id, label=label))
        else:
            reader.problem(item_path, "must be text or a table with id and label")
    ids = [option.id for option in options]
    for option_id in {i for i in ids if ids.count(i) > 1}:
        reader.problem(f"{path}options", f"the option id {option_id!r} is used twice")
    return tuple(options)


def _step(reader: _Reader, data: Any, path: str) -> Step | None:
    if not isinstance(data, dict):
        reader.problem(path.rstrip("."), f"must be a table, not {_type_name(data)}")
        return None
    reader.unknown_keys(data, STEP_KEYS, path)
    kind = reader.enum(data, "kind", path, StepKind)
    fields: dict[str, Any] = {
        "id": reader.identifier(data, "id", path),
        "title": reader.text(data, "title", path),
        "prompt": reader.text(data, "prompt", path),
        "notes": reader.text(data, "notes", path, required=False),
        "kind": kind,
        "visibility": reader.enum(data, "visibility", path, Visibility),
        "minutes": reader.number(data, "minutes", path, 5, low=0, high=240),
        "plan_field": reader.enum(data, "plan", path, PlanField, PlanField.NOWHERE),
        "max_chars": reader.integer(data, "max_chars", path, 2000, low=1, high=10000),
    }
    if kind is StepKind.CHOICE:
        fields["options"] = _options(reader, data, path)
        multiple = data.get("multiple", False)
        if not isinstance(multiple, bool):
            reader.problem(f"{path}multiple", "must be true or false")
        fields["multiple"] = multiple is True
    if kind is StepKind.LIST:
        fields["min_items"] = reader.integer(data, "min_items", path, 1, low=0, high=20)
        fields["max_items"] = reader.integer(data, "max_items", path, 5, low=1, high=20)
        if fields["min_items"] > fields["max_items"]:
            reader.problem(f"{path}min_items", "must not be more than max_items")
    if kind is StepKind.SCALE:
        fields["scale_min"] = reader.integer(data, "min", path, 1, low=-100, high=100)
        fields["scale_max"] = reader.integer(data, "max", path, 5, low=-100, high=100)
        fields["min_label"] = reader.text(data, "min_label", path, required=False)
        fields["max_label"] = reader.text(data, "max_label", path, required=False)
        if fields["scale_min"] >= fields["scale_max"]:
            reader.problem(f"{path}min", "must be less than max")
    if kind is None or fields["visibility"] is None:
        return None
    return Step(**fields)


def protocol_from_dict(data: Mapping[str, Any], source: str = "<protocol>") -> Protocol:
    """Build a protocol from parsed TOML (or the same shape in JSON); raise ProtocolFileError listing every problem."""
    reader = _Reader()
    if not isinstance(data, Mapping):
        raise ProtocolFileError(source, ["the file must hold a table of protocol fields"])
    reader.unknown_keys(data, PROTOCOL_KEYS, "")
    protocol_id = reader.identifier(data, "id", "")
    title = reader.text(data, "title", "")
    purpose = reader.text(data, "purpose", "")
    credit = reader.text(data, "source", "", required=False)
    raw_steps = data.get("steps")
    steps: list[Step] = []
    if not isinstance(raw_steps, list) or not raw_steps:
        reader.problem("steps", "a protocol needs at least one [[steps]] table")
    else:
        for index, raw in enumerate(raw_steps):
            step = _step(reader, raw, f"steps[{index}].")
            if step is not None:
                steps.append(step)
        ids = [step.id for step in steps]
        for step_id in sorted({i for i in ids if ids.count(i) > 1}):
            reader.problem("steps", f"the step id {step_id!r} is used twice")
    if reader.problems:
        raise ProtocolFileError(source, reader.problems)
    return Protocol(id=protocol_id, title=title, purpose=purpose, source=credit, steps=tuple(steps))


def load_protocol_text(text: str, source: str = "<protocol>") -> Protocol:
    """Parse TOML text into a protocol; syntax errors name the line and column."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProtocolFileError(source, [f"not valid TOML: {error}"]) from None
    return protocol_from_dict(data, source)


def load_protocol_file(path: Path) -> Protocol:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ProtocolFileError(str(path), [f"cannot be read: {error}"]) from None
    return load_protocol_text(text, str(path))


def protocol_source(protocol_id: str, library_dir: Path = LIBRARY_DIR) -> dict[str, Any]:
    """The parsed TOML of one library protocol: what a session stores so it runs the same all day."""
    path = library_dir / f"{protocol_id}.toml"
    if not ID_PATTERN.match(protocol_id) or not path.is_file():
        raise KeyError(protocol_id)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    protocol_from_dict(data, str(path))
    return data


def load_library(library_dir: Path = LIBRARY_DIR) -> dict[str, Protocol]:
    """Every protocol in the library folder, by id, in file-name order."""
    protocols = {}
    for path in sorted(library_dir.glob("*.toml")):
        protocol = load_protocol_file(path)
        protocols[protocol.id] = protocol
    return protocols
