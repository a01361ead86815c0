"""What each screen is sent: plain dicts built from the session, filtered by the visibility rules."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from protocols.aggregates import live_counts
from protocols.artifacts import Artifact, artifact_view, room_view, table_view
from protocols.followup import Recall, recall_view
from protocols.groups import Seating, group_roles, role_answers
from protocols.ideas import rules_view
from protocols.language import IN_ENGLISH, Language
from protocols.media import StepMedia, media_view, media_views, open_media
from protocols.model import EVERYONE, Protocol, Role, Step, StepKind
from protocols.protocol_translations import (
    norms_translations,
    step_translations,
    title_translations,
    translations_to_dict,
)
from protocols.reveal import open_step_revealed, projector_live
from protocols.session import AgendaItem, AgendaStep, Answer, Session
from protocols.visibility import Audience, Tables, may_receive, shared_with_group, shows_name

MAX_WAITING_NAMES = 200  # the console lists this many people who have not answered yet; the rest are counted


def session_summary(session: Session) -> dict[str, Any]:
    return {
        "code": session.code,
        "title": session.title,
        "organisation": session.organisation,
        "facilitator": session.facilitator,
        "date": session.date,
        "system_goals": [
            {"id": goal.id, "title": goal.title, "description": goal.description} for goal in session.system_goals
        ],
        "join_question": _join_question_view(session),
    }


def step_view(agenda_step: AgendaStep, total: int, *, with_notes: bool = False) -> dict[str, Any]:
    """A step as a screen shows it. Facilitator notes are added only when ``with_notes`` is set."""
    step = agenda_step.step
    view: dict[str, Any] = {
        "id": agenda_step.key,
        "number": agenda_step.index + 1,
        "of": total,
        "item": agenda_step.item.uid,
        "protocol": agenda_step.protocol.title,
        "round": agenda_step.round,
        "rounds": agenda_step.item.rounds,
        "title": step.title,
        "prompt": step.prompt,
        "kind": step.kind.value,
        "visibility": step.visibility.value,
        "who": step.who,
        "minutes": step.minutes,
        "plan": step.plan_field.value,
        "recall": step.recall,
        "first_time_prompt": step.first_time_prompt,
        "returning_only": step.returning_only,
        "translations": step_translations(agenda_step.protocol, step, with_notes=with_notes),
    }
    view.update(_step_limits(step))
    if with_notes:
        view["notes"] = step.notes
        view["silent"] = list(step.silent)
        view["prompts"] = dict(step.prompts)
        view.update(reveal=step.reveal, approve=step.approve, show_mean=step.show_mean)
    return view


def protocol_view(protocol: Protocol) -> dict[str, Any]:
    """A library protocol as the API lists it; step ids here are the protocol's own, not a session's keys."""
    item = AgendaItem(0, protocol)
    steps = [AgendaStep(step.id, n, item, 1, step) for n, step in enumerate(protocol.steps)]
    return {
        "id": protocol.id,
        "title": protocol.title,
        "purpose": protocol.purpose,
        "source": protocol.source,
        "minutes": protocol.minutes,
        "grouping": _grouping_view(protocol),
        "roles": [
            {"id": role.id, "title": role.title, "count": role.count, "notes": role.notes, "presents": role.presents}
            for role in protocol.roles
        ],
        "norms": list(protocol.norms),
        "steps": [step_view(agenda_step, len(steps), with_notes=True) for agenda_step in steps],
        "translations": translations_to_dict(protocol),
    }


def _grouping_view(protocol: Protocol) -> dict[str, Any] | None:
    grouping = protocol.grouping
    if grouping is None:
        return None
    return {"size": grouping.size, "min": grouping.min_size, "max": grouping.max_size, "by": grouping.by.value,
            "rotate_roles": grouping.rotate_roles}  # fmt: skip


def _step_limits(step: Step) -> dict[str, Any]:
    if step.kind is StepKind.IDEAS:
        return rules_view(step)
    if step.kind is StepKind.TEXT:
        return {"max_chars": step.max_chars}
    if step.kind is StepKind.LIST:
        return {
            "min_items": step.min_items,
            "max_items": step.max_items,
            "max_chars": step.max_chars,
            "dated": step.dated,
        }
    if step.kind is StepKind.CHOICE:
        return {"options": [{"id": o.id, "label": o.label} for o in step.options], "multiple": step.multiple}
    if step.kind is StepKind.RANK:
        return {"options": [{"id": o.id, "label": o.label} for o in step.options]}
    if step.kind in (StepKind.SCALE, StepKind.PROGRESS):
        return {"min": step.scale_min, "max": step.scale_max, "min_label": step.min_label, "max_label": step.max_label}
    return {}


@dataclass(frozen=True)
class RoomPicture:
    """Everything the screens are built from at one moment, read once and shared by every view."""

    session: Session
    names: Mapping[int, str]  # participant id -> name
    step_answers: Sequence[Answer]  # answers to the open step
    seating: Seating
    connected: int
    now: float
    show_qr: bool = False  # the facilitator put the join QR code up full size on the projector
    artifacts: Sequence[Artifact] = ()  # the student work up in the open step's round: the room's, each table's
    media: Sequence[StepMedia] = ()  # the media the agenda's steps show (a phone's picture: the open step's)

    @cached_property
    def room_live(self) -> dict[str, Any]:
        """The counts and the room's aggregate, held back or not: the console's, whatever the projector shows."""
        return live_counts(self.session, len(self.names), self.connected, list(self.step_answers), self.names)

    @cached_property
    def live(self) -> dict[str, Any]:
        """The projector's live counts: no aggregate or spotlight while the open step's results are held back."""
        return projector_live(self.room_live)

    @cached_property
    def tables(self) -> Tables:
        """The table each answer to the open step was given at: who its group-mates are."""
        return Tables(self.step_answers, self.seating)

    @cached_property
    def console_live(self) -> dict[str, Any]:
        """The live counts with who has not answered yet: the console's alone, never the projector's."""
        return {**self.room_live, **waiting(self)}

    @cached_property
    def _roles_by_group(self) -> dict[int, dict[int, Role]]:
        return {}  # filled as groups are asked for: a phone's state reads its own group's alone

    def roles(self, group_number: int) -> dict[int, Role]:
        """Each member's role in the open step's protocol and round, worked out once per group and picture: a step
        change asks it of every group-mate, the console's board and the roles' comparison alike."""
        current = self.session.current
        if current is None:
            return {}
        known = self._roles_by_group
        if group_number not in known:
            known[group_number] = group_roles(current, self.seating.groups.get(group_number, ()))
        return known[group_number]

    def role_of(self, participant_id: int) -> Role | None:
        """One person's role in the open step, None outside a group or a protocol with roles."""
        number = self.seating.group_of(participant_id)
        return None if number is None else self.roles(number).get(participant_id)


def _timing(picture: RoomPicture) -> dict[str, Any]:
    timer = picture.session.timer
    return {"deadline": timer.deadline, "paused_remaining": timer.remaining, "server_time": picture.now}


def _current(session: Session, *, with_notes: bool = False) -> dict[str, Any] | None:
    current = session.current
    return step_view(current, len(session.steps), with_notes=with_notes) if current else None


def _role_view(role: Role | None) -> dict[str, Any] | None:
    if role is None:
        return None
    return {"id": role.id, "title": role.title, "notes": role.notes, "presents": role.presents}


def group_board(picture: RoomPicture) -> list[dict[str, Any]]:
    """Every group with its table and members' roles: the console's and projector's group board."""
    board = []
    for number, members in sorted(picture.seating.groups.items()):
        roles = picture.roles(number)
        board.append({
            "number": number,
            "table": number,
            "members": [
                {"participant_id": member, "name": picture.names.get(member, ""), "role": _role_view(roles.get(member))}
                for member in members
            ],
        })  # fmt: skip
    return board


def participant_state(
    picture: RoomPicture,
    participant_id: int,
    own_answers: Mapping[str, object],
    recall: Recall | None = None,
    lang: Language = IN_ENGLISH,
) -> dict[str, Any]:
    """The phone's whole picture, sent when it connects or its group changes: the session, the open step, the
    person's own part (``personal_state``, its reminder in ``lang``: theirs) and every answer they have given."""
    return {
        "session": session_summary(picture.session),
        **step_state(picture),
        **personal_state(picture, participant_id, own_answers, recall, lang),
        "answers": dict(own_answers),
    }


def step_state(picture: RoomPicture) -> dict[str, Any]:
    """What every phone in the room shares about the open step: sent as one broadcast, encoded once."""
    session = picture.session
    return {
        "phase": session.phase,
        "step": _current(session),
        "locked": session.locked,
        "artifact": room_view(picture.artifacts),  # the room's student work: every phone shows it
        "media": media_view(open_media(session, picture.media)),  # the facilitator's image or PDF on the step
        "role_parts": role_parts(session),
        **_timing(picture),
    }


def role_parts(session: Session) -> dict[str, dict[str, Any]] | None:
    """On a step where a role is asked its own prompt or answers apart, each role's part of it: ``{role id:
    {"may_answer", "role_prompt"}}``. In the step's broadcast, so each phone finds its own from its role and a
    role holder needs no message of their own; None on other steps."""
    current = session.current
    if current is None or not current.step.by_role:
        return None
    step = current.step
    return {
        role.id: {"may_answer": role_answers(step, role), "role_prompt": step.prompt_for(role.id)}
        for role in current.protocol.roles
    }


def usual_personal(session: Session) -> dict[str, Any]:
    """The personal fields most phones have on the open step: it is theirs to answer unless it is one role's,
    no group-mate's answer is shown yet, nothing is recalled. A step change broadcasts these with the step; a role
    holder's phone lays its role's part (``role_parts``) over them."""
    current = session.current
    return {
        "may_answer": current is not None and current.step.answerable and current.step.who == EVERYONE,
        "role_prompt": None,
        "shared": [],
        "recall": None,
        "table_artifact": None,
    }


def expected_personal(session: Session, role: Role | None) -> dict[str, Any]:
    """What a phone makes of a step change on its own: the broadcast's usual fields with its role's part laid
    over them. A ``me`` carries only where this person's own part differs from it."""
    part = (role_parts(session) or {}).get(role.id, {}) if role else {}
    return {**usual_personal(session), **part}


def personal_differs(picture: RoomPicture) -> bool:
    """Whether anyone's own part of the open step may differ from ``expected_personal``: a step that recalls each
    person's goal, one showing group-mates' answers that are already in, a table's student work. Kept beside
    ``personal_state`` so the two change together."""
    current = picture.session.current
    if current is None:
        return False
    step = current.step
    return (
        step.recall
        or (bool(picture.step_answers) and shared_with_group(step.visibility))
        or any(artifact.slot.table is not None for artifact in picture.artifacts)  # a table's student work
    )


def personal_state(
    picture: RoomPicture,
    participant_id: int,
    own_answers: Mapping[str, object],
    recall: Recall | None = None,
    lang: Language = IN_ENGLISH,
) -> dict[str, Any]:
    """One person's own part of the open step: whether they answer it, what their role is asked (``role_prompt``,
    in place of the step's prompt), their group and role, group-mates' answers shown to them, and their goal so far
    on steps that revisit it (``recall``: what they set before this session). On a step for people returning to a
    goal, someone without one listens."""
    current = picture.session.current
    number = picture.seating.group_of(participant_id)
    group = None
    role_prompt = None
    shared: list[dict[str, Any]] = []
    if number is not None:
        roles = picture.roles(number)
        mine = roles.get(participant_id)
        role_prompt = current.step.prompt_for(mine.id if mine else None) if current else None
        members = picture.seating.groups[number]
        group = {
            "number": number,
            "table": number,
            "role": _role_view(roles.get(participant_id)),
            "members": [{"name": picture.names.get(m, ""), "role": _role_view(roles.get(m))} for m in members],
        }
    if current is not None and shared_with_group(current.step.visibility):
        for answer in picture.tables.mates_answers(current.key, participant_id):
            view = answer_view(Audience.GROUP_MATE, current, answer, picture.names.get(answer.participant_id, ""))
            if view is not None:
                shared.append(view)
    reminder = None
    may_answer = current is not None and role_answers(current.step, picture.role_of(participant_id))
    if current is not None and current.step.recall:
        reminder = recall_view(picture.session, own_answers, recall or Recall(), lang)
        may_answer = may_answer and not (current.step.returning_only and reminder["status"] != "returning")
    return {
        "may_answer": may_answer,
        "role_prompt": role_prompt,
        "group": group,
        "shared": shared,
        "recall": reminder,
        "table_artifact": table_view(picture.artifacts, picture.seating, participant_id),
    }


def facilitator_state(picture: RoomPicture) -> dict[str, Any]:
    """The console's whole picture: agenda with notes, where the session stands, the answers it may see, groups."""
    session = picture.session
    total = len(session.steps)
    current = session.current
    answers = [
        answer_view(Audience.FACILITATOR, current, answer, picture.names.get(answer.participant_id, ""))
        for answer in picture.step_answers
    ]
    return {
        "session": session_summary(session),
        "phase": session.phase,
        "position": session.position,
        "locked": session.locked,
        "revealed": open_step_revealed(session),
        "agenda": [
            {
                **step_view(agenda_step, total, with_notes=True),
                "seconds_used": round(session.seconds_used(agenda_step.key, picture.now)),
            }
            for agenda_step in session.steps
        ],
        "items": [_item_view(item) for item in session.agenda],
        "step": _current(session, with_notes=True),
        "norms": list(current.protocol.norms) if current else [],
        "norms_translations": norms_translations(current.protocol) if current else {},
        "roles": [_role_view(role) for role in current.protocol.roles] if current else [],
        **_timing(picture),
        "answers": [view for view in answers if view is not None],
        "groups": group_board(picture),
        "grouping": _grouping_form(session),
        "join_question": _join_question_view(session),
        "show_qr": picture.show_qr,
        "live": picture.console_live,
        "artifacts": [artifact_view(artifact) for artifact in picture.artifacts],  # the room's and every table's
        "media": media_views(picture.media),  # every step's, by its key: the console puts media on any step
    }


def _grouping_form(session: Session) -> dict[str, Any]:
    """What the console's "form groups" offers: the size and sorting used last (else the protocol's), and the
    range the open or next grouped protocol runs with, so a size outside it is questioned before it is sent."""
    protocol = session.grouped_protocol()
    grouping = protocol.grouping if protocol else None
    chosen = session.grouped or session.grouping_defaults()
    return {
        "protocol": protocol.title if protocol else None,
        "min": grouping.min_size if grouping else None,
        "max": grouping.max_size if grouping else None,
        "size": chosen.size,
        "by": chosen.by.value,
    }


def projector_state(picture: RoomPicture) -> dict[str, Any]:
    """The room's picture: never a private answer, names only where the step is room-named or on the group board."""
    session = picture.session
    current = session.current
    return {
        "session": session_summary(session),
        "phase": session.phase,
        "step": _current(session),
        "locked": session.locked,
        "revealed": open_step_revealed(session),
        "norms": list(current.protocol.norms) if current else [],
        "norms_translations": norms_translations(current.protocol) if current else {},
        **_timing(picture),
        "groups": group_board(picture),
        "show_qr": picture.show_qr,
        "live": picture.live,
        "artifact": room_view(picture.artifacts),  # never a table's
        "media": media_view(open_media(session, picture.media)),
    }


def _item_view(item: AgendaItem) -> dict[str, Any]:
    return {
        "item": item.uid,
        "protocol": item.protocol.id,
        "title": item.protocol.title,
        "rounds": item.rounds,
        "minutes": item.protocol.minutes * item.rounds,
        "grouping": _grouping_view(item.protocol),
        "translations": title_translations(item.protocol),
    }


def _join_question_view(session: Session) -> dict[str, Any] | None:
    question = session.join_question
    return None if question is None else {"label": question.label, "options": list(question.options)}


def answer_view(audience: Audience, agenda_step: AgendaStep | None, answer: Answer, name: str) -> dict[str, Any] | None:
    """One answer as ``audience`` may receive it, or None when they may not receive it at all (or not yet: an
    answer waiting for approval)."""
    if agenda_step is None or not may_receive(audience, agenda_step.step, answer):
        return None
    view = {"step_id": answer.step_id, "value": answer.value, "saved_at": answer.saved_at}
    if shows_name(audience, agenda_step.step.visibility):
        view.update(participant_id=answer.participant_id, name=name)
    if audience is Audience.FACILITATOR:
        view.update(hidden=answer.hidden, spotlight=answer.spotlight)  # what the projector does with it
        if agenda_step.step.approve:
            view["approved"] = answer.approved
    return view


def waiting(picture: RoomPicture) -> dict[str, Any]:
    """Who has not answered the open step yet, for the console: names only where the facilitator sees names.

    People the step is not for (another role's turn) are not waiting. ``waiting`` is null where the step has
    nothing to answer or its answers are private: then not even who answered is shown.
    """
    current = picture.session.current
    if current is None or not current.step.answerable or not shows_name(Audience.FACILITATOR, current.step.visibility):
        return {"waiting": None, "waiting_count": 0}
    if current.step.kind is StepKind.IDEAS:  # ideas and votes are not answers: the Ideas panel counts them
        return {"waiting": None, "waiting_count": 0}
    answered = {answer.participant_id for answer in picture.step_answers}
    people = [
        {"participant_id": pid, "name": name}
        for pid, name in sorted(picture.names.items(), key=lambda item: item[1].casefold())
        if pid not in answered and role_answers(current.step, picture.role_of(pid))
    ]
    return {"waiting": people[:MAX_WAITING_NAMES], "waiting_count": len(people)}
