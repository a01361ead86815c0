"""Follow-up across sessions: a person's goal as each session left it, their check-ins between days, and what a
revisit step recalls (the leaders' view is in protocols/leaders.py).

Everything here is plain data in, plain data out. What a reader may see is decided where the records are built:
goal records for leaders are built with the facilitator's rights (never a private answer), and a check-in's
private note is dropped from every view but its author's.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from protocols.answers import MAX_PROGRESS_ROWS, clean_text, progress_rows
from protocols.errors import DomainError
from protocols.language import IN_ENGLISH, N_, Language
from protocols.measures import check_result, unit_label
from protocols.model import PlanField, StepKind
from protocols.plan import build_plan
from protocols.session import Participant, Session, SystemGoal
from protocols.visibility import Audience, may_see

# The scale a check-in rates each action step on; a revisit step's own scale comes from its protocol file.
# Labels here and below are English, translated where they are shown (``progress_label``, ``support_label``).
PROGRESS_LEVELS = ((1, N_("Not started")), (2, N_("Started")), (3, N_("Halfway")), (4, N_("Nearly there")),
                   (5, N_("Done")))  # fmt: skip
PROGRESS_MIN, PROGRESS_MAX = PROGRESS_LEVELS[0][0], PROGRESS_LEVELS[-1][0]
# What a person may ask for at a check-in: the support options of the goal-setting and revisit protocols.
SUPPORT_OPTIONS = (
    ("coaching", N_("Coaching")),
    ("release-time", N_("Release time")),
    ("materials", N_("Materials or resources")),
    ("observe-colleague", N_("A colleague to observe or be observed by")),
    ("training", N_("Further training")),
)
NO_SUPPORT = "none-now"  # "None right now": an answer, not a request
MAX_IDENTIFIER = 120
MAX_CHECK_IN_TEXT = 2000
MAX_LINK = 500
MAX_RECALLED_CHECK_INS = 5


def normalise_identifier(raw: object) -> str:
    """An e-mail or staff id as it links a person's sessions: trimmed and in lower case, so ``Ana@School.org`` and
    ``ana@school.org`` are one person. Empty when none was given."""
    if raw is None or raw == "":
        return ""
    text = clean_text(raw, field=N_("Your e-mail or staff id"), max_chars=MAX_IDENTIFIER, required=False)
    return " ".join(text.split()).casefold()


def identifier_with_consent(raw: object, consent: object) -> str:
    """The identifier to link by, only with the person's consent; DomainError for one given without it."""
    identifier = normalise_identifier(raw)
    if identifier and consent is not True:
        raise DomainError(
            "needs_consent", "Tick the box to link your plans by your e-mail or staff id, or leave the field empty."
        )
    return identifier


@dataclass(frozen=True, slots=True)
class ProgressRow:
    step: str
    level: int


@dataclass(frozen=True, slots=True)
class CheckInDraft:
    """A check-in as the person filled it in on their plan page, checked."""

    progress: tuple[ProgressRow, ...]
    evidence: str = ""
    evidence_link: str = ""
    obstacles: str = ""
    support: tuple[str, ...] = ()  # ids from SUPPORT_OPTIONS
    support_note: str = ""
    private_note: str = ""  # the author's alone: never in the leaders' view, an export or a recall
    result: float | None = None  # a new result of the person's measure, in its unit, dated by the check-in


@dataclass(frozen=True, slots=True)
class CheckIn(CheckInDraft):
    """A kept check-in: dated, and never changed afterwards."""

    id: int = 0
    person_id: int = 0
    participant_id: int = 0  # the plan page it was recorded from
    created_at: float = 0.0

    @property
    def on(self) -> date:
        """The day it was kept (UTC), written out where it is shown, in the reader's language."""
        return datetime.fromtimestamp(self.created_at, UTC).date()

    @property
    def mean_level(self) -> float | None:
        return sum(row.level for row in self.progress) / len(self.progress) if self.progress else None


def parse_check_in(data: Mapping[str, Any], measure: dict[str, Any] | None = None) -> CheckInDraft:
    """A check-in from the plan page's form or the JSON API; DomainError naming the first field that is wrong.
    A ``result`` is checked against ``measure``, the person's current measure; without one it is refused."""

    def text(field: str, label: str) -> str:
        return clean_text(data.get(field, ""), field=label, max_chars=MAX_CHECK_IN_TEXT, required=False)

    progress = tuple(ProgressRow(row["step"], row["level"]) for row in progress_rows(
        data.get("progress"), PROGRESS_MIN, PROGRESS_MAX))  # fmt: skip
    support = data.get("support", [])
    known = {option_id for option_id, _ in SUPPORT_OPTIONS}
    if not isinstance(support, list) or not all(isinstance(item, str) and item in known for item in support):
        raise DomainError("unknown_option", "Pick support from the options offered.")
    return CheckInDraft(
        progress=progress,
        evidence=text("evidence", N_("Evidence")),
        evidence_link=parse_link(data.get("evidence_link", "")),
        obstacles=text("obstacles", N_("What got in the way")),
        support=tuple(option_id for option_id, _ in SUPPORT_OPTIONS if option_id in support),
        support_note=text("support_note", N_("About the support you need")),
        private_note=text("private_note", N_("Your private note")),
        result=_result(data.get("result"), measure),
    )


def _result(raw: object, measure: dict[str, Any] | None) -> float | None:
    """A check-in's result of the measure, or None when none was given."""
    if raw is None or raw == "":
        return None
    if measure is None:
        raise DomainError("bad_measure", "Add a measure to your goal first.")
    return check_result(measure, raw)


def parse_link(raw: object) -> str:
    """A link to evidence: an http or https address, or nothing. Anything else could run script where it is shown."""
    link = clean_text(raw, field=N_("The evidence link"), max_chars=MAX_LINK, required=False)
    if not link:
        return ""
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(char.isspace() for char in link):
        raise DomainError("bad_link", "The evidence link must be a web address starting with https:// or http://.")
    return link


def progress_label(level: int, lang: Language) -> str:
    label = dict(PROGRESS_LEVELS).get(level)
    return lang.gettext(label) if label else lang.number(level)


def support_label(option_id: str, lang: Language) -> str:
    label = dict(SUPPORT_OPTIONS).get(option_id)
    return lang.gettext(label) if label else option_id


@dataclass(frozen=True, slots=True)
class GoalRecord:
    """A person's goal as one session left it, read with one reader's rights."""

    participant_id: int
    session_id: int
    session_title: str
    day: str  # ISO YYYY-MM-DD: the session's date
    system_goal_id: int | None  # the session's system goal the goal serves
    organisation_goal_id: int | None  # the organisation's goal it stands for, if it is one of theirs
    system_goal: str  # its title, as the session named it
    goal: str
    action_steps: tuple[tuple[str, str], ...]  # (text, ISO target date or "")
    action_step_lines: tuple[str, ...]
    obstacles: tuple[str, ...]
    supports: tuple[str, ...]  # support option ids asked for (no "none right now")
    supports_at: float | None  # when the support answer was saved
    progress: tuple[ProgressRow, ...]  # rated on a revisit step, if any
    progress_at: float | None
    goal_at: float | None = None  # when the goal's latest wording was saved
    check_in_day: str = ""  # ISO YYYY-MM-DD: the check-in date the person chose, or ""
    check_in_at: float | None = None  # when they chose it
    measure: dict[str, Any] | None = None  # the last measure answered (protocols/measures.py), if any

    def when(self, lang: Language) -> str:
        """The session's day as ``lang`` writes it."""
        return lang.day(self.day) if self.day else ""


def goal_record(
    session: Session,
    participant_id: int,
    answers: Mapping[str, object],
    saved_at: Mapping[str, float],
    *,
    reader: Audience,
) -> GoalRecord:
    """What one session holds of a person's goal, as ``reader`` may see it.

    The system goal is the last one chosen; action steps, support and progress are the last answered in agenda
    order, so a revisit's new steps replace the ones it revisited.
    """
    plan = build_plan(session, "", answers, reader=reader)
    chosen = plan.chosen_goal_ids[-1] if plan.chosen_goal_ids else None
    goals = {goal.id: goal for goal in session.system_goals}
    steps: tuple[tuple[str, str], ...] = ()
    supports: tuple[str, ...] = ()
    supports_at = progress_at = None
    progress: tuple[ProgressRow, ...] = ()
    goal_at = check_in_at = None
    check_in_day = ""
    measure = None
    for agenda_step in session.steps:
        step, value = agenda_step.step, answers.get(agenda_step.key)
        if value is None or not may_see(reader, step.visibility):
            continue
        if step.plan_field is PlanField.ACTION_STEPS and step.kind is StepKind.LIST and isinstance(value, list):
            steps = tuple((item["text"], item["date"]) if isinstance(item, dict) else (str(item), "") for item in value)
        if step.plan_field is PlanField.SUPPORTS and step.kind is StepKind.CHOICE:
            picked = value if isinstance(value, list) else [value]
            supports = tuple(str(option) for option in picked if option != NO_SUPPORT)
            supports_at = saved_at.get(agenda_step.key)
        if step.kind is StepKind.PROGRESS and isinstance(value, list):
            progress = tuple(ProgressRow(row["step"], row["level"]) for row in value)
            progress_at = saved_at.get(agenda_step.key)
        if step.plan_field is PlanField.GOAL:
            goal_at = saved_at.get(agenda_step.key)
        if step.plan_field is PlanField.CHECK_IN and step.kind is StepKind.DATE and isinstance(value, str):
            check_in_day, check_in_at = value, saved_at.get(agenda_step.key)
        if step.kind is StepKind.MEASURE and isinstance(value, dict):
            measure = value
    system_goal = goals.get(chosen) if chosen is not None else None
    return GoalRecord(
        participant_id=participant_id,
        session_id=session.id,
        session_title=session.title,
        day=session.date or datetime.fromtimestamp(session.created_at, UTC).date().isoformat(),
        system_goal_id=system_goal.id if system_goal else None,
        organisation_goal_id=system_goal.organisation_goal_id if system_goal else None,
        system_goal=system_goal.title if system_goal else "",
        goal=plan.field(PlanField.GOAL)[-1] if plan.field(PlanField.GOAL) else "",  # the latest wording of it
        action_steps=steps,
        action_step_lines=plan.field(PlanField.ACTION_STEPS),
        obstacles=plan.field(PlanField.OBSTACLES),
        supports=supports,
        supports_at=supports_at,
        progress=progress,
        progress_at=progress_at,
        goal_at=goal_at,
        check_in_day=check_in_day,
        check_in_at=check_in_at,
        measure=measure,
    )


@dataclass(frozen=True, slots=True)
class Recall:
    """What a person may be reminded of from before this session, on their own phone."""

    earlier: GoalRecord | None = None  # their latest earlier goal in the organisation
    check_ins: tuple[CheckIn, ...] = ()  # newest first
    hidden: bool = False  # an earlier plan matches their e-mail or staff id, but this phone has not shown it is theirs
    language: str = ""  # the language the person chose, which the reminder's words and dates speak ("": English)


@dataclass(frozen=True, slots=True)
class OwnFollowUp:
    """What a person's plan page holds across sessions, for them alone."""

    goals: tuple[GoalRecord, ...]  # their goal in each session they joined, newest first
    check_ins: tuple[CheckIn, ...]  # newest first, private notes included
    hidden: bool = False  # earlier plans match their identifier, but this link has not shown it is theirs
    identifier: str = ""  # the e-mail or staff id they gave, if any


def check_in_steps(follow_up: OwnFollowUp, lang: Language) -> list[str]:
    """What a new check-in rates: the action steps of the newest goal that has some, else the goal itself (or "My
    goal", in ``lang``, for someone who has not written one)."""
    for record in follow_up.goals:
        if record.action_steps:
            return [text for text, _ in record.action_steps]
    goal = next((record.goal for record in follow_up.goals if record.goal), "")
    return [goal or lang.gettext("My goal")]


def current_measure(follow_up: OwnFollowUp) -> dict[str, Any] | None:
    """What a new check-in's result is of: the measure of the newest goal that has one."""
    return newest_measure(follow_up.goals)


def newest_measure(records_newest_first: Iterable[GoalRecord]) -> dict[str, Any] | None:
    """A person's current measure: their newest goal's that has one."""
    return next((record.measure for record in records_newest_first if record.measure), None)


def check_in_form(form: Any) -> dict[str, Any]:
    """The plan page's check-in form as ``parse_check_in`` reads it: ``progress-<n>-step`` and
    ``progress-<n>-level`` for each row, ``support`` once per option ticked, the texts as they are."""
    progress = []
    for n in range(1, MAX_PROGRESS_ROWS + 1):
        step = form.get(f"progress-{n}-step")
        if step is None:
            break
        level = form.get(f"progress-{n}-level", "")
        progress.append({"step": step, "level": int(level) if level.isdigit() else level})
    fields = ("evidence", "evidence_link", "obstacles", "support_note", "private_note", "result")
    typed = {f: form.get(f, "") for f in fields}
    typed["result"] = _typed_number(typed["result"])
    return {"progress": progress, "support": form.getlist("support"), **typed}


def _typed_number(text: str) -> object:
    """A number typed in a form field (``55``, ``55.5``), or the text as typed for the check to refuse."""
    try:
        number = float(text.strip())
    except ValueError:
        return text.strip()
    return int(number) if number.is_integer() else number


def check_in_view(
    check_in: CheckIn,
    *,
    lang: Language = IN_ENGLISH,
    with_private: bool = False,
    measure: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A check-in as its reader reads it back, its date and words in ``lang``; the private note only where
    ``with_private`` is set. A result reads in the unit of ``measure`` (the person's current one) where it is
    given: ``Result: 55%``."""
    view: dict[str, Any] = {
        "date": lang.day(check_in.on),
        "progress": [
            {"step": row.step, "level": row.level, "of": PROGRESS_MAX, "label": progress_label(row.level, lang)}
            for row in check_in.progress
        ],
        "evidence": check_in.evidence,
        "evidence_link": check_in.evidence_link,
        "obstacles": check_in.obstacles,
        "support": [support_label(option_id, lang) for option_id in check_in.support],
        "support_note": check_in.support_note,
        "result": check_in.result,
        "result_line": _result_line(check_in.result, measure, lang),
    }
    if with_private:
        view["private_note"] = check_in.private_note
    return view


def _result_line(result: float | None, measure: dict[str, Any] | None, lang: Language) -> str:
    if result is None:
        return ""
    return lang.gettext("Result: {value}", value=unit_label(measure, result, lang) if measure else lang.number(result))


def recall_for(
    participant: Participant,
    person: Sequence[Participant],
    earlier: Sequence[Participant],
    goals: Mapping[int, GoalRecord],
    check_ins: Sequence[CheckIn],
) -> Recall:
    """What a recall step may remind ``participant`` of, from what is held about the person it is: ``person``, their
    participant records in the organisation's sessions; ``earlier``, those from sessions before this one, oldest
    first; ``goals``, goal records by participant id; ``check_ins``, the person's, newest first.

    Only a participant whose phone showed it holds one of the person's earlier plans (verified) is reminded: of the
    latest goal from an earlier session it proved to be its own, and of the check-ins but those made from a record
    linked only by an identifier. One linked only by the e-mail or staff id it typed learns no more than that
    earlier plans exist (``hidden``): typing someone's address never shows their plan.
    """
    if not participant.person_verified:
        return Recall(hidden=bool(earlier), language=participant.language)
    proven = [goals[record.id] for record in earlier if record.person_verified and record.id in goals]
    with_goal = [goal for goal in proven if goal.goal or goal.action_steps]
    unproven = {record.id for record in person if not record.person_verified}
    return Recall(
        earlier=with_goal[-1] if with_goal else None,
        check_ins=tuple(check_in for check_in in check_ins if check_in.participant_id not in unproven),
        language=participant.language,
    )


def recall_view(
    session: Session, own_answers: Mapping[str, object], recall: Recall, lang: Language = IN_ENGLISH
) -> dict[str, Any]:
    """A recall step's reminder for one person: their goal so far (set in an earlier session of the organisation,
    or earlier today before this protocol began) with its action steps and the check-ins since; or, with no goal
    yet, the first-timer's path. What they have already changed in this protocol shows in the reminder, its words
    and dates in ``lang``, the person's."""
    today = goal_record(session, 0, own_answers, {}, reader=Audience.AUTHOR)
    earlier = recall.earlier
    current = session.current
    opened = next(s.index for s in session.steps if current is not None and s.item.uid == current.item.uid)
    before = {s.key: own_answers[s.key] for s in session.steps[:opened] if s.key in own_answers}
    set_before = goal_record(session, 0, before, {}, reader=Audience.AUTHOR)
    has_goal_today = bool(set_before.goal or set_before.action_steps)
    if not has_goal_today and earlier is None:
        return {
            "status": "hidden" if recall.hidden else "first_time",
            "source": "",
            "system_goal_id": None,
            "system_goals": [],
            "goal": "",
            "action_steps": [],
            "action_step_items": [],
            "measure": None,
            "check_ins": [],
        }
    goal = today.goal or (earlier.goal if earlier else "")
    if today.action_steps:
        steps, lines = today.action_steps, today.action_step_lines
    else:
        steps, lines = (earlier.action_steps, earlier.action_step_lines) if earlier else ((), ())
    chosen = _system_goal_here(session, today, earlier)
    measure = today.measure or (earlier.measure if earlier else None)
    return {
        "status": "returning",
        "source": _recalled_from(earlier if not has_goal_today else None, lang),
        "system_goal_id": chosen.id if chosen else None,
        "system_goals": [chosen.title] if chosen else [earlier.system_goal] if earlier and earlier.system_goal else [],
        "goal": goal,
        "action_steps": list(lines),
        "action_step_items": [{"text": text, "date": day} for text, day in steps],
        "measure": measure,
        "check_ins": [check_in_view(c, lang=lang, measure=measure) for c in recall.check_ins[:MAX_RECALLED_CHECK_INS]],
    }


def _recalled_from(earlier: GoalRecord | None, lang: Language) -> str:
    """Where a recalled goal was set: "Earlier today", or the earlier session and its day."""
    if earlier is None:
        return lang.gettext("Earlier today")
    return lang.gettext("{session} · {day}", session=earlier.session_title, day=earlier.when(lang))


def refuse_unless_returning(session: Session, own_answers: Mapping[str, object], recall: Recall) -> None:
    """A step for people returning to a goal is theirs alone; first-timers set a goal in the steps that follow."""
    if recall_view(session, own_answers, recall)["status"] != "returning":
        raise DomainError(
            "not_returning", "This step is for people returning to a goal; you set yours in the steps that follow."
        )


def _system_goal_here(session: Session, today: GoalRecord, earlier: GoalRecord | None) -> SystemGoal | None:
    """The system goal of this session the person's goal serves: chosen today, else the same organisation goal
    they chose before (sessions of an organisation share its goals, each under its own id)."""
    if today.system_goal_id is not None:
        return next(g for g in session.system_goals if g.id == today.system_goal_id)
    if earlier is not None and earlier.organisation_goal_id is not None:
        return next((g for g in session.system_goals if g.organisation_goal_id == earlier.organisation_goal_id), None)
    return None


def earliest_first(records: Iterable[GoalRecord]) -> list[GoalRecord]:
    return sorted(records, key=lambda record: (record.day, record.session_id))
