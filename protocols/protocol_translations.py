"""A protocol's own texts in other languages: the ``[translations.<code>]`` tables of its file, read and checked,
the protocol in one language for documents, and each step's translations for the live screens to pick from.

A translation mirrors the protocol: its title, purpose, source and norms; each role by id (title, notes); each step
by id (title, prompt, notes, first_time_prompt, min_label, max_label, its options by id, its role prompts by role).
Any text it leaves out is read in the protocol's own words (docs/PROTOCOLS.md, "Translations").
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from babel import Locale, UnknownLocaleError

from protocols.language import N_
from protocols.model import Option, Protocol, ProtocolText, Role, RoleText, Step, StepText
from protocols.session import Session

MAX_LANGUAGES = 20  # translations one protocol file may carry
CODE_PATTERN = re.compile(r"^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")
PROTOCOL_TEXTS = ("title", "purpose", "source")
ROLE_TEXTS = ("title", "notes")
STEP_TEXTS = ("title", "prompt", "notes", "first_time_prompt", "min_label", "max_label")
SHOWN_STEP_TEXTS = ("title", "prompt", "first_time_prompt", "min_label", "max_label")  # notes: the console's alone

Problem = tuple[str, str, dict[str, Any]]  # (field path, message with {placeholders}, their values)
Pairs = tuple[tuple[str, str], ...]


# ---- Reading the file's tables -----------------------------------------------------------------------------------


class _Checker:
    """Collects every problem of a protocol's translations, each naming the field it is about."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str, **values: Any) -> None:
        self.problems.append((path, message, values))

    def table(self, raw: Any, path: str) -> Mapping[str, Any]:
        if isinstance(raw, Mapping):
            return raw
        self.problem(path, N_("must be a table, not {kind}"), kind=_type_name(raw))
        return {}

    def texts(self, raw: Mapping[str, Any], names: tuple[str, ...], has: Callable[[str], bool], path: str) -> dict:
        """The plain texts among ``names``; a translation of a text the protocol does not have is refused."""
        found = {}
        for name in names:
            if name not in raw or not (value := self.text(raw[name], f"{path}{name}")):
                continue
            if has(name):
                found[name] = value
            else:
                self.problem(f"{path}{name}", N_("translates nothing: the protocol has no {name} here"), name=name)
        return found

    def text(self, value: Any, path: str) -> str:
        """``value`` as a text, or "" once its problem is noted."""
        if not isinstance(value, str):
            self.problem(path, N_("must be text, not {kind}"), kind=_type_name(value))
            return ""
        if not value.strip():
            self.problem(path, N_("must not be empty (leave it out to keep the protocol's own)"))
        return value.strip()

    def unknown(self, raw: Mapping[str, Any], allowed: set[str], path: str) -> None:
        for key in raw:
            if key not in allowed:
                self.problem(f"{path}{key}", N_("is not a known field"))

    def by_id(self, raw: Any, known: dict[str, str], path: str, missing: str) -> Pairs:
        """Texts keyed by an id the protocol has (options, role prompts): ``{id = "text"}``."""
        pairs = []
        for key, value in self.table(raw, path.rstrip(".")).items():
            if key not in known:
                self.problem(f"{path}{key}", missing, id=key)
            elif text := self.text(value, f"{path}{key}"):
                pairs.append((key, text))
        return tuple(pairs)


def _type_name(value: Any) -> str:
    return {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list", dict: "a table"}.get(
        type(value), type(value).__name__
    )


def _language_problem(code: str) -> str | None:
    if not CODE_PATTERN.match(code):
        return N_("is not a language code (such as es, fr or pt-BR)")
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return N_("is not a language code (such as es, fr or pt-BR)")
    return None


def read_translations(raw: Any, protocol: Protocol) -> tuple[tuple[tuple[str, ProtocolText], ...], list[Problem]]:
    """The ``translations`` table of a protocol file, checked against the protocol it translates: each language's
    texts, and (path, message, values) for every problem (an unknown field, a step or role the protocol does not
    have, a text where the protocol has none, a wrong type)."""
    if raw is None:
        return (), []
    checker = _Checker()
    table = checker.table(raw, "translations")
    if len(table) > MAX_LANGUAGES:
        checker.problem("translations", N_("a protocol carries at most {limit} translations"), limit=MAX_LANGUAGES)
        return (), checker.problems
    translations = []
    for code, language in table.items():
        path = f"translations.{code}"
        if problem := _language_problem(code):
            checker.problem(path, problem)
            continue
        translations.append((code, _protocol_text(checker, checker.table(language, path), protocol, f"{path}.")))
    return tuple(translations), checker.problems


def _parts(checker: _Checker, raw: Mapping[str, Any], key: str, known: Mapping[str, Any], path: str,
           read: Callable[..., Any], unknown: str) -> tuple[tuple[str, Any], ...]:  # fmt: skip
    """The translated roles or steps, each read by ``read`` against the protocol's own; one it lacks is a problem."""
    found = []
    for part_id, part_raw in checker.table(raw.get(key, {}), f"{path}{key}").items():
        where = f"{path}{key}.{part_id}"
        if part_id not in known:
            checker.problem(where, unknown, id=part_id)
            continue
        found.append((part_id, read(checker, checker.table(part_raw, where), known[part_id], f"{where}.")))
    return tuple(found)


def _protocol_text(checker: _Checker, raw: Mapping[str, Any], protocol: Protocol, path: str) -> ProtocolText:
    checker.unknown(raw, {*PROTOCOL_TEXTS, "norms", "roles", "steps"}, path)
    texts = checker.texts(raw, PROTOCOL_TEXTS, lambda name: bool(getattr(protocol, name)), path)
    roles = _parts(checker, raw, "roles", {role.id: role for role in protocol.roles}, path, _role_text,
                   N_("the protocol has no role '{id}'"))  # fmt: skip
    steps = _parts(checker, raw, "steps", {step.id: step for step in protocol.steps}, path, _step_text,
                   N_("the protocol has no step '{id}'"))  # fmt: skip
    return ProtocolText(**texts, norms=_norms(checker, raw, protocol, path), roles=roles, steps=steps)


def _norms(checker: _Checker, raw: Mapping[str, Any], protocol: Protocol, path: str) -> tuple[str, ...]:
    if "norms" not in raw:
        return ()
    norms = raw["norms"]
    if not isinstance(norms, list) or not all(isinstance(norm, str) and norm.strip() for norm in norms):
        checker.problem(f"{path}norms", N_("must be a list of sentences"))
        return ()
    if len(norms) != len(protocol.norms):
        checker.problem(
            f"{path}norms", N_("translates {count} norms: the protocol has {expected}, in the same order"),
            count=len(norms), expected=len(protocol.norms),
        )  # fmt: skip
        return ()
    return tuple(norm.strip() for norm in norms)


def _role_text(checker: _Checker, raw: Mapping[str, Any], role: Role, path: str) -> RoleText:
    checker.unknown(raw, set(ROLE_TEXTS), path)
    return RoleText(**checker.texts(raw, ROLE_TEXTS, lambda name: bool(getattr(role, name)), path))


def _step_text(checker: _Checker, raw: Mapping[str, Any], step: Step, path: str) -> StepText:
    checker.unknown(raw, {*STEP_TEXTS, "options", "prompts"}, path)
    texts = checker.texts(raw, STEP_TEXTS, lambda name: bool(getattr(step, name)), path)
    options = prompts = ()
    if "options" in raw:
        known = {option.id: option.label for option in step.options}
        options = checker.by_id(raw["options"], known, f"{path}options.", N_("the step has no option '{id}'"))
    if "prompts" in raw:
        known = dict(step.prompts)
        prompts = checker.by_id(raw["prompts"], known, f"{path}prompts.", N_("the step gives no prompt to '{id}'"))
    return StepText(**texts, options=options, prompts=prompts)


def translations_to_dict(protocol: Protocol) -> dict[str, Any]:
    """The translations in the file format again (``protocol_to_dict``): texts left out stay out."""
    data: dict[str, Any] = {}
    for code, text in translations_of(protocol).items():
        language: dict[str, Any] = {name: getattr(text, name) for name in PROTOCOL_TEXTS if getattr(text, name)}
        if text.norms:
            language["norms"] = list(text.norms)
        if text.roles:
            language["roles"] = {role_id: _filled(role, ROLE_TEXTS) for role_id, role in text.roles}
        if text.steps:
            language["steps"] = {step_id: _step_dict(step) for step_id, step in text.steps}
        data[code] = language
    return data


def _filled(text: RoleText | StepText, names: tuple[str, ...]) -> dict[str, str]:
    return {name: getattr(text, name) for name in names if getattr(text, name)}


def _step_dict(text: StepText) -> dict[str, Any]:
    data: dict[str, Any] = _filled(text, STEP_TEXTS)
    if text.options:
        data["options"] = dict(text.options)
    if text.prompts:
        data["prompts"] = dict(text.prompts)
    return data


# ---- Reading a protocol in a language ----------------------------------------------------------------------------


def translations_of(protocol: Protocol) -> dict[str, ProtocolText]:
    """Every translation a protocol carries, by language code (none for a protocol without)."""
    return dict(protocol.translations)


def translation_for(protocol: Protocol, code: str) -> ProtocolText | None:
    """The protocol's texts in ``code`` (``es-MX`` reads ``es`` when there is no ``es-MX``), or None."""
    known = translations_of(protocol)
    return known.get(code) or known.get(re.split(r"[-_]", code)[0])


def localized(protocol: Protocol, code: str) -> Protocol:
    """The protocol with every text it has in ``code`` in that language, field by field; any text left out (and
    every text, for a language it lacks) stays the protocol's own. For documents: plan pages, PDFs, listings."""
    text = translation_for(protocol, code)
    if text is None:
        return protocol
    return replace(
        protocol,
        **{name: getattr(text, name) or getattr(protocol, name) for name in PROTOCOL_TEXTS},
        norms=text.norms or protocol.norms,
        roles=tuple(_localized_role(role, text.role(role.id)) for role in protocol.roles),
        steps=tuple(_localized_step(step, text.step(step.id)) for step in protocol.steps),
    )


def localized_session(session: Session, code: str) -> Session:
    """The session with each protocol of its agenda ``localized``: what a document (a plan, the summary) reads.
    Step keys, rounds and answers stay as they are; a session without translations in ``code`` comes back as is."""
    agenda = tuple(replace(item, protocol=localized(item.protocol, code)) for item in session.agenda)
    if all(shown.protocol is item.protocol for shown, item in zip(agenda, session.agenda, strict=True)):
        return session
    return replace(session, agenda=agenda)


def localized_step(protocol: Protocol, step: Step, code: str) -> Step:
    """One of the protocol's steps in ``code``, field by field (the protocol's own words where it has none)."""
    text = translation_for(protocol, code)
    return step if text is None else _localized_step(step, text.step(step.id))


def _localized_role(role: Role, text: RoleText) -> Role:
    return replace(role, title=text.title or role.title, notes=text.notes or role.notes)


def _localized_step(step: Step, text: StepText) -> Step:
    labels, prompts = dict(text.options), dict(text.prompts)
    return replace(
        step,
        **{name: getattr(text, name) or getattr(step, name) for name in STEP_TEXTS},
        options=tuple(Option(option.id, labels.get(option.id, option.label)) for option in step.options),
        prompts=tuple((role_id, prompts.get(role_id, prompt)) for role_id, prompt in step.prompts),
    )


def missing_translations(protocol: Protocol, code: str) -> list[str]:
    """The paths of the protocol's texts that ``code`` does not translate (every one, for a language it lacks):
    what a translator still has to write."""
    text = translations_of(protocol).get(code, ProtocolText())
    missing = [name for name in PROTOCOL_TEXTS if getattr(protocol, name) and not getattr(text, name)]
    if protocol.norms and not text.norms:
        missing.append("norms")
    for role in protocol.roles:
        role_text = text.role(role.id)
        missing += [
            f"roles.{role.id}.{name}" for name in ROLE_TEXTS if getattr(role, name) and not getattr(role_text, name)
        ]
    for step in protocol.steps:
        step_text, path = text.step(step.id), f"steps.{step.id}."
        missing += [f"{path}{name}" for name in STEP_TEXTS if getattr(step, name) and not getattr(step_text, name)]
        missing += [f"{path}options.{option.id}" for option in step.options if option.id not in dict(step_text.options)]
        missing += [f"{path}prompts.{role_id}" for role_id, _ in step.prompts if role_id not in dict(step_text.prompts)]
    return missing


# ---- What the live screens are sent ------------------------------------------------------------------------------


def step_translations(protocol: Protocol, step: Step, *, with_notes: bool = False) -> dict[str, dict[str, Any]]:
    """A step's texts in each language the protocol has, for a screen to pick its own: ``{code: {field: text}}``
    with ``protocol`` (the protocol's title), the step's shown texts, ``options`` ``{id: label}``, ``prompts``
    ``{role id: text}`` and ``roles`` ``{id: {"title", "notes"}}``; ``notes`` only ``with_notes`` (the console's).
    Only the texts a language has: a screen keeps the step's own for the rest."""
    shown = (*SHOWN_STEP_TEXTS, "notes") if with_notes else SHOWN_STEP_TEXTS
    views = {}
    for code, text in translations_of(protocol).items():
        step_text = text.step(step.id)
        view: dict[str, Any] = {"protocol": text.title} if text.title else {}
        view.update(_filled(step_text, shown))
        if step_text.options:
            view["options"] = dict(step_text.options)
        if step_text.prompts:
            view["prompts"] = dict(step_text.prompts)
        if text.roles:
            view["roles"] = {role_id: _filled(role, ROLE_TEXTS) for role_id, role in text.roles}
        if view:
            views[code] = view
    return views


def norms_translations(protocol: Protocol) -> dict[str, list[str]]:
    """The protocol's norms in each language that translates them: ``{code: [norm, ...]}``, in the norms' order."""
    return {code: list(text.norms) for code, text in translations_of(protocol).items() if text.norms}


def title_translations(protocol: Protocol) -> dict[str, dict[str, str]]:
    """The protocol's title in each language that translates it: ``{code: {"title": ...}}``."""
    return {code: {"title": text.title} for code, text in translations_of(protocol).items() if text.title}
