"""Reads protocol definitions from TOML files into immutable objects, with errors a facilitator can act on.

A broken file never produces a traceback: every problem is reported as ``file: field path: what is wrong``.
"""

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from protocols import ideas
from protocols.language import N_, Language
from protocols.media import media_path_problem, media_problems
from protocols.model import (
    EVERYONE,
    GroupBy,
    Grouping,
    Option,
    PlanField,
    Protocol,
    Role,
    Step,
    StepKind,
    Visibility,
)
from protocols.protocol_translations import Problem, read_translations, translations_to_dict
from protocols.reveal import RESULTS_FLAGS, results_flag_problems

LIBRARY_DIR = Path(__file__).parent / "library"
MAX_STEPS = 40  # a protocol's own steps; the library's longest has nine
MAX_OPTIONS = 50  # a choice or rank step's options: more is no longer a question a phone can show
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
PROTOCOL_KEYS = {"id", "title", "purpose", "source", "steps", "grouping", "roles", "norms", "translations"}
STEP_KEYS = {
    "id", "title", "prompt", "notes", "kind", "minutes", "visibility", "plan", "options", "who", "silent", "prompts",
    "recall", "first_time_prompt", "returning_only", "multiple", "min_items", "max_items", "dated", "min", "max",
    "min_label", "max_label", "max_chars", "media", "reveal", "approve", "show_mean", *ideas.RULE_KEYS,
}  # fmt: skip
GROUPING_KEYS = {"size", "min", "max", "by", "rotate_roles"}
ROLE_KEYS = {"id", "title", "count", "rest", "notes", "presents"}


class ProtocolFileError(Exception):
    """Every problem found in one protocol file, each naming the field it is about: in English in ``problems``, in
    any language by ``in_language``. A problem is a sentence, or (field path, sentence marked ``N_``, its values)."""

    def __init__(self, source: str, problems: Sequence[str | Problem]) -> None:
        self.source = source
        self.found = [("", problem, {}) if isinstance(problem, str) else problem for problem in problems]
        self.problems = [_problem_line(problem, Language.english()) for problem in self.found]
        super().__init__("\n".join(f"{source}: {problem}" for problem in self.problems))

    def in_language(self, lang: Language) -> str:
        """Every problem, one a line, in ``lang`` (a ``protocols.language.Language``)."""
        return "\n".join(f"{self.source}: {_problem_line(problem, lang)}" for problem in self.found)


def _problem_line(problem: Problem, lang: Language) -> str:
    path, message, values = problem
    said = lang.gettext(message, **values)
    return f"{path}: {said}" if path else said


def _choices(enum: type) -> str:
    return ", ".join(member.value for member in enum)


class _Reader:
    """Collects problems while reading fields, so one pass reports everything wrong with a file."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str, **values: Any) -> None:
        """The field at ``path`` is wrong: ``message`` (marked ``N_``) says how, ``values`` fill its placeholders."""
        self.problems.append((path, message, values))

    def text(self, data: Mapping, key: str, path: str, *, required: bool = True, default: str = "") -> str:
        if key not in data:
            if required:
                self.problem(f"{path}{key}", N_("is required"))
            return default
        value = data[key]
        if not isinstance(value, str):
            self.problem(f"{path}{key}", N_("must be text, not {kind}"), kind=_type_name(value))
            return default
        if required and not value.strip():
            self.problem(f"{path}{key}", N_("must not be empty"))
        return value.strip()

    def number(self, data: Mapping, key: str, path: str, default: float, *, low: float, high: float) -> float:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(f"{path}{key}", N_("must be a number, not {kind}"), kind=_type_name(value))
            return default
        if not low <= value <= high:
            outside = N_("{value} is outside {low} to {high}")
            self.problem(f"{path}{key}", outside, value=value, low=f"{low:g}", high=f"{high:g}")
            return default
        return value

    def integer(self, data: Mapping, key: str, path: str, default: int, *, low: int, high: int) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(f"{path}{key}", N_("must be a whole number, not {kind}"), kind=_type_name(value))
            return default
        if not low <= value <= high:
            self.problem(f"{path}{key}", N_("{value} is outside {low} to {high}"), value=value, low=low, high=high)
            return default
        return value

    def enum(self, data: Mapping, key: str, path: str, enum: type, default: Any = None) -> Any:
        if key not in data:
            if default is None:
                self.problem(f"{path}{key}", N_("is required (one of {choices})"), choices=_choices(enum))
            return default
        value = data[key]
        try:
            return enum(value)
        except ValueError:
            self.problem(
                f"{path}{key}", N_("{value} is not one of {choices}"), value=repr(value), choices=_choices(enum)
            )
            return default

    def flag(self, data: Mapping, key: str, path: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.problem(f"{path}{key}", N_("must be true or false, not {kind}"), kind=_type_name(value))
            return False
        return value

    def identifier(self, data: Mapping, key: str, path: str) -> str:
        value = self.text(data, key, path)
        if value and not ID_PATTERN.match(value):
            self.problem(
                f"{path}{key}", N_("{value} must be lower-case letters, digits and hyphens"), value=repr(value)
            )
        return value

    def unknown_keys(self, data: Mapping, allowed: Iterable[str], path: str) -> None:
        for key in data:
            if key not in allowed:
                self.problem(f"{path}{key}", N_("is not a known field"))


def _type_name(value: Any) -> str:
    return {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list", dict: "a table"}.get(
        type(value), type(value).__name__
    )


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:64] or "option"


def _options(reader: _Reader, data: Mapping, path: str, kind: StepKind) -> tuple[Option, ...]:
    raw = data.get("options")
    if not isinstance(raw, list) or not raw:
        reader.problem(f"{path}options", N_("a {kind} step needs a list of at least one option"), kind=kind.value)
        return ()
    if len(raw) > MAX_OPTIONS:
        reader.problem(
            f"{path}options", N_("a step offers at most {most} options, not {count}"), most=MAX_OPTIONS, count=len(raw)
        )
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
            reader.problem(item_path, N_("must be text or a table with id and label"))
    ids = [option.id for option in options]
    for option_id in {i for i in ids if ids.count(i) > 1}:
        reader.problem(f"{path}options", N_("the option id {id} is used twice"), id=repr(option_id))
    return tuple(options)


def _step(reader: _Reader, data: Any, path: str, roles: set[str], grouped: bool) -> Step | None:
    if not isinstance(data, dict):
        reader.problem(path.rstrip("."), N_("must be a table, not {kind}"), kind=_type_name(data))
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
        "media": reader.text(data, "media", path, required=False),
    }
    if fields["media"] and (media_problem := media_path_problem(fields["media"])):
        reader.problem(f"{path}media", media_problem)
    who = data.get("who", EVERYONE)
    if not isinstance(who, str) or not (who == EVERYONE or who in roles):
        known = ", ".join([EVERYONE, *roles])
        reader.problem(f"{path}who", N_("{who} is not one of {known}"), who=repr(who), known=known)
    else:
        fields["who"] = who
    fields["silent"] = _silent(reader, data, path, roles, kind)
    if fields["silent"] and who != EVERYONE:
        reader.problem(f"{path}silent", N_("a step one role answers ('who') already leaves the other roles silent"))
    fields["prompts"] = _role_prompts(reader, data, path, roles)
    fields["recall"] = reader.flag(data, "recall", path)
    fields["first_time_prompt"] = reader.text(data, "first_time_prompt", path, required=False)
    fields["returning_only"] = reader.flag(data, "returning_only", path)
    for key in ("first_time_prompt", "returning_only"):
        if fields[key] and not fields["recall"]:
            reader.problem(f"{path}{key}", N_("tells first-timers from returning people: it needs recall = true"))
    if kind is StepKind.PROGRESS and not (fields["recall"] and fields["returning_only"]):
        reader.problem(
            f"{path}kind",
            N_("a progress step rates recalled action steps: it needs recall = true and returning_only = true"),
        )
    if fields["visibility"] is Visibility.GROUP and not grouped:
        reader.problem(f"{path}visibility", N_("'group' needs a [grouping] table in the protocol"))
    if kind in (StepKind.CHOICE, StepKind.RANK):
        fields["options"] = _options(reader, data, path, kind)
    if kind is StepKind.CHOICE:
        fields["multiple"] = reader.flag(data, "multiple", path)
    if kind is StepKind.RANK and len(fields["options"]) == 1:
        reader.problem(f"{path}options", N_("a rank step needs at least two options to put in order"))
    if kind is StepKind.LIST:
        fields["min_items"] = reader.integer(data, "min_items", path, 1, low=0, high=20)
        fields["max_items"] = reader.integer(data, "max_items", path, 5, low=1, high=20)
        fields["dated"] = reader.flag(data, "dated", path)
        if fields["min_items"] > fields["max_items"]:
            reader.problem(f"{path}min_items", N_("must not be more than max_items"))
    if kind in (StepKind.SCALE, StepKind.PROGRESS):
        fields["scale_min"] = reader.integer(data, "min", path, 1, low=-100, high=100)
        fields["scale_max"] = reader.integer(data, "max", path, 5, low=-100, high=100)
        fields["min_label"] = reader.text(data, "min_label", path, required=False)
        fields["max_label"] = reader.text(data, "max_label", path, required=False)
        if fields["scale_min"] >= fields["scale_max"]:
            reader.problem(f"{path}min", N_("must be less than max"))
    if kind is StepKind.IDEAS:
        fields["ideas"] = ideas.read_rules(reader, data, path)
        limit = ideas.MAX_IDEA_CHARS
        fields["max_chars"] = reader.integer(data, "max_chars", path, ideas.IDEA_CHARS, low=1, high=limit)
        if fields["visibility"] not in (None, Visibility.ROOM, Visibility.ROOM_NAMED):
            reader.problem(f"{path}visibility", N_("the room votes on its ideas: it needs 'room' or 'room-named'"))
    fields.update({key: reader.flag(data, key, path) for key in RESULTS_FLAGS})
    for key, message in results_flag_problems(kind, fields["visibility"], fields):
        reader.problem(f"{path}{key}", message)
    if kind is None or fields["visibility"] is None:
        return None
    return Step(**fields)


def _silent(reader: _Reader, data: Mapping, path: str, roles: set[str], kind: StepKind | None) -> tuple[str, ...]:
    """The roles that listen on a step everyone else answers."""
    raw = data.get("silent", [])
    if not isinstance(raw, list) or not all(isinstance(role, str) for role in raw):
        reader.problem(f"{path}silent", N_("must be a list of role ids"))
        return ()
    for role in raw:
        if role not in roles:
            known = ", ".join(sorted(roles))
            not_a_role = N_("{role} is not one of the protocol's roles ({known})")
            reader.problem(f"{path}silent", not_a_role, role=repr(role), known=known)
    if raw and kind is StepKind.NONE:
        reader.problem(
            f"{path}silent", N_("a step with nothing to answer has nobody to keep silent; say it in prompts")
        )
    return tuple(role for role in raw if role in roles)


def _role_prompts(reader: _Reader, data: Mapping, path: str, roles: set[str]) -> tuple[tuple[str, str], ...]:
    """What each role does on a step, where it differs from the step's prompt: ``prompts = { presenter = "..." }``."""
    raw = data.get("prompts", {})
    if not isinstance(raw, dict):
        reader.problem(f"{path}prompts", N_("must be a table of role id = prompt"))
        return ()
    prompts = []
    for role, prompt in raw.items():
        if role not in roles:
            known = ", ".join(sorted(roles))
            reader.problem(f"{path}prompts.{role}", N_("is not one of the protocol's roles ({known})"), known=known)
        elif not isinstance(prompt, str) or not prompt.strip():
            reader.problem(f"{path}prompts.{role}", N_("must be a sentence saying what that role does"))
        else:
            prompts.append((role, prompt.strip()))
    return tuple(prompts)


def _grouping(reader: _Reader, data: Any) -> Grouping | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        reader.problem("grouping", N_("must be a table, not {kind}"), kind=_type_name(data))
        return None
    reader.unknown_keys(data, GROUPING_KEYS, "grouping.")
    size = reader.integer(data, "size", "grouping.", 6, low=2, high=30)
    low = reader.integer(data, "min", "grouping.", min(size, 2), low=2, high=30)
    high = reader.integer(data, "max", "grouping.", size, low=2, high=30)
    if not low <= size <= high:
        between = N_("{size} must lie between min ({low}) and max ({high})")
        reader.problem("grouping.size", between, size=size, low=low, high=high)
    by = reader.enum(data, "by", "grouping.", GroupBy, GroupBy.RANDOM)
    return Grouping(size, low, high, by, reader.flag(data, "rotate_roles", "grouping."))


def _roles(reader: _Reader, data: Any, grouping: Grouping | None) -> tuple[Role, ...]:
    if data is None:
        return ()
    if grouping is None:
        reader.problem("roles", N_("roles are held within groups: add a [grouping] table"))
    if not isinstance(data, list):
        reader.problem("roles", N_("must be a list of [[roles]] tables"))
        return ()
    roles = []
    for index, raw in enumerate(data):
        path = f"roles[{index}]."
        if not isinstance(raw, dict):
            reader.problem(path.rstrip("."), N_("must be a table, not {kind}"), kind=_type_name(raw))
            continue
        reader.unknown_keys(raw, ROLE_KEYS, path)
        rest = reader.flag(raw, "rest", path)
        count = None if rest else reader.integer(raw, "count", path, 1, low=1, high=10)
        notes = reader.text(raw, "notes", path, required=False)
        presents = reader.flag(raw, "presents", path)
        if presents and count != 1:
            reader.problem(f"{path}presents", N_("the role that presents is held by one member: give it count = 1"))
        roles.append(Role(reader.identifier(raw, "id", path), reader.text(raw, "title", path), count, notes, presents))
    if sum(1 for role in roles if role.count is None) > 1:
        reader.problem("roles", N_("only one role may take the rest of the group (rest = true)"))
    if sum(1 for role in roles if role.presents) > 1:
        reader.problem("roles", N_("only one role presents (presents = true)"))
    ids = [role.id for role in roles]
    for role_id in sorted({i for i in ids if ids.count(i) > 1}):
        reader.problem("roles", N_("the role id {id} is used twice"), id=repr(role_id))
    seats = sum(role.count or 0 for role in roles)
    if grouping is not None and seats > grouping.min_size:
        too_many = N_("the roles need {seats} people but a group may have only {size}")
        reader.problem("roles", too_many, seats=seats, size=grouping.min_size)
    return tuple(roles)


def _norms(reader: _Reader, data: Any) -> tuple[str, ...]:
    if data is None:
        return ()
    if not isinstance(data, list) or not all(isinstance(norm, str) and norm.strip() for norm in data):
        reader.problem("norms", N_("must be a list of sentences"))
        return ()
    return tuple(norm.strip() for norm in data)


def protocol_from_dict(data: Mapping[str, Any], source: str = "<protocol>") -> Protocol:
    """Build a protocol from parsed TOML (or the same shape in JSON); raise ProtocolFileError listing every problem."""
    reader = _Reader()
    if not isinstance(data, Mapping):
        raise ProtocolFileError(source, [("", N_("the file must hold a table of protocol fields"), {})])
    reader.unknown_keys(data, PROTOCOL_KEYS, "")
    protocol_id = reader.identifier(data, "id", "")
    title = reader.text(data, "title", "")
    purpose = reader.text(data, "purpose", "")
    credit = reader.text(data, "source", "", required=False)
    grouping = _grouping(reader, data.get("grouping"))
    roles = _roles(reader, data.get("roles"), grouping)
    norms = _norms(reader, data.get("norms"))
    raw_steps = data.get("steps")
    steps: list[Step] = []
    if not isinstance(raw_steps, list) or not raw_steps:
        reader.problem("steps", N_("a protocol needs at least one [[steps]] table"))
    elif len(raw_steps) > MAX_STEPS:
        too_long = N_("a protocol has at most {most} steps, not {count}")
        reader.problem("steps", too_long, most=MAX_STEPS, count=len(raw_steps))
    else:
        for index, raw in enumerate(raw_steps):
            step = _step(reader, raw, f"steps[{index}].", {role.id for role in roles}, grouping is not None)
            if step is not None:
                steps.append(step)
        ids = [step.id for step in steps]
        for step_id in sorted({i for i in ids if ids.count(i) > 1}):
            reader.problem("steps", N_("the step id {id} is used twice"), id=repr(step_id))
        for problem_path, message, values in ideas.vote_on_problems(steps):
            reader.problem(problem_path, message, **values)
    protocol = Protocol(protocol_id, title, purpose, credit, tuple(steps), grouping, roles, norms)
    translations, translation_problems = read_translations(data.get("translations"), protocol)
    for problem_path, message, values in translation_problems:
        reader.problem(problem_path, message, **values)
    if reader.problems:
        raise ProtocolFileError(source, reader.problems)
    return replace(protocol, translations=translations)


def load_protocol_text(text: str, source: str = "<protocol>") -> Protocol:
    """Parse TOML text into a protocol; syntax errors name the line and column."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProtocolFileError(source, [("", N_("not valid TOML: {error}"), {"error": error})]) from None
    except RecursionError:  # arrays or tables nested thousands deep: no protocol looks like that
        raise ProtocolFileError(source, [("", N_("not valid TOML: nested too deeply"), {})]) from None
    return protocol_from_dict(data, source)


def load_protocol_file(path: Path) -> Protocol:
    """A protocol file, and each step's media file beside it checked by its content."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ProtocolFileError(str(path), [("", N_("cannot be read: {error}"), {"error": error})]) from None
    protocol = load_protocol_text(text, str(path))
    problems = media_problems(protocol, path.parent)
    if problems:
        raise ProtocolFileError(str(path), problems)
    return protocol


def load_library(library_dir: Path = LIBRARY_DIR) -> dict[str, Protocol]:
    """Every protocol in the library folder, by id, in file-name order."""
    protocols = {}
    for path in sorted(library_dir.glob("*.toml")):
        protocol = load_protocol_file(path)
        protocols[protocol.id] = protocol
    return protocols


def protocol_to_dict(protocol: Protocol) -> dict[str, Any]:
    """The protocol in the file format again (the inverse of ``protocol_from_dict``), for storing a session's agenda."""
    data: dict[str, Any] = {"id": protocol.id, "title": protocol.title, "purpose": protocol.purpose}
    if protocol.source:
        data["source"] = protocol.source
    if protocol.norms:
        data["norms"] = list(protocol.norms)
    if protocol.grouping is not None:
        grouping = protocol.grouping
        data["grouping"] = {"size": grouping.size, "min": grouping.min_size, "max": grouping.max_size,
                            "by": grouping.by.value, "rotate_roles": grouping.rotate_roles}  # fmt: skip
    if protocol.roles:
        data["roles"] = [
            {"id": role.id, "title": role.title, "notes": role.notes}
            | ({"rest": True} if role.count is None else {"count": role.count})
            | ({"presents": True} if role.presents else {})
            for role in protocol.roles
        ]
    data["steps"] = [_step_to_dict(step) for step in protocol.steps]
    if translations := translations_to_dict(protocol):
        data["translations"] = translations
    return data


def _step_to_dict(step: Step) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": step.id, "title": step.title, "prompt": step.prompt, "notes": step.notes, "kind": step.kind.value,
        "minutes": step.minutes, "visibility": step.visibility.value, "plan": step.plan_field.value,
        "who": step.who, "recall": step.recall, "max_chars": step.max_chars,
        "first_time_prompt": step.first_time_prompt, "returning_only": step.returning_only,
    }  # fmt: skip
    if step.silent:
        data["silent"] = list(step.silent)
    if step.prompts:
        data["prompts"] = dict(step.prompts)
    if step.media:
        data["media"] = step.media
    data.update({key: True for key in RESULTS_FLAGS if getattr(step, key)})
    if step.kind in (StepKind.CHOICE, StepKind.RANK):
        data["options"] = [{"id": option.id, "label": option.label} for option in step.options]
    if step.ideas is not None:
        data.update(ideas.rules_to_dict(step.ideas))
    if step.kind is StepKind.CHOICE:
        data["multiple"] = step.multiple
    if step.kind is StepKind.LIST:
        data.update(min_items=step.min_items, max_items=step.max_items, dated=step.dated)
    if step.kind in (StepKind.SCALE, StepKind.PROGRESS):
        data.update(min=step.scale_min, max=step.scale_max, min_label=step.min_label, max_label=step.max_label)
    return data
