"""The participant's pages: joining by code or QR, the phone page, their own plan (HTML, PDF, check-in date), and
the check-in link that a calendar or a printed plan carries instead of the plan's token."""

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, render_template, request
from markupsafe import Markup

from exports.calendar import check_in_event
from exports.measure_chart import measure_svg
from exports.plan_pdf import build_plan_pdf
from facilitator import runtime
from facilitator.edge import urls
from facilitator.edge.language import current, use
from facilitator.edge.payloads import json_body
from facilitator.edge.replies import ack_ok, private_download
from facilitator.live import artifacts as live_artifacts
from facilitator.live import ideas as live_ideas
from facilitator.live import parking_lot as live_parking_lot
from facilitator.live.progress_round import refresh_rounds
from facilitator.routes import session_exports
from facilitator.store import get_store
from facilitator.usecases import forgetting
from facilitator.usecases import ideas as own_ideas
from facilitator.usecases.coaching import goal_with_coach, person_coaching, person_key
from facilitator.usecases.language_choice import speaks
from facilitator.usecases.plans import own_measure_chart, participant_plan
from facilitator.usecases.progress_sharing import my_progress_data, with_warm_feedback
from participant.language import chosen_here, remembered
from protocols.artifacts import artifact_view
from protocols.credentials import check_in_token, normalise_join_code, secret_digest
from protocols.errors import DomainError
from protocols.evidence import evidence_view
from protocols.followup import (
    PROGRESS_LEVELS,
    SUPPORT_OPTIONS,
    OwnFollowUp,
    check_in_form,
    check_in_steps,
    check_in_view,
    current_measure,
    parse_check_in,
)
from protocols.language import Language
from protocols.measures import measure_line, unit_name
from protocols.model import PlanField
from protocols.parking_lot import own_view as own_parking_item
from protocols.plan import Plan
from protocols.session import Participant, Session
from protocols.visibility import Audience

bp = Blueprint("participant", __name__, template_folder="templates")


@bp.get("/j")
@bp.get("/j/")
def enter_code() -> Any:
    chosen = chosen_here()
    return remembered(render_template("phone.html", code="", title=""), chosen)


@bp.get("/j/<code>")
def join(code: str) -> Any:
    chosen = chosen_here()
    normal = normalise_join_code(code)
    session = get_store().session_by_code(normal) if normal else None
    if session is None:
        return remembered((render_template("phone.html", code="", title="", unknown_code=code[:12]), 404), chosen)
    page = render_template(
        "phone.html",
        code=normal,
        title=session.title,
        join_question=session.join_question,
        organisation=session.organisation if session.organisation_id is not None else "",
    )
    return remembered(page, chosen)


def holder(token: str) -> tuple[Participant, Session]:
    """The participant holding the participant token ``token``, and their session; 404 for any other token."""
    return with_session(get_store().participant_by_token(token))


def with_session(participant: Participant | None) -> tuple[Participant, Session]:
    session = get_store().session_by_id(participant.session_id) if participant else None
    if participant is None or session is None:
        abort(404)
    use(speaks(get_store(), participant))  # the person's own pages speak the language they chose
    return participant, session


def check_in_of(participant: Participant, token: str) -> str:
    """The participant's check-in token, from their participant token: what the printed plan's QR code and the
    calendar file carry, since either may be seen by others (docs/SECURITY.md)."""
    check_in = check_in_token(token)
    get_store().keep_check_in_digest(participant.id, secret_digest(check_in))
    return check_in


def own_plan(token: str) -> tuple[Plan, Participant, Session]:
    """The plan of the participant holding ``token``: their own answers, private ones included, and what their
    group shared with them. Its printed QR code and calendar link go by the check-in link. 404 for any other
    token."""
    participant, session = holder(token)
    check_in = check_in_of(participant, token)
    plan = participant_plan(
        get_store(),
        session,
        participant,
        check_in_url=urls.check_in_url(check_in),
        calendar_url=urls.check_in_calendar_url(check_in),
        lang=current(),  # the person's: ``holder`` made it the request's
    )
    coached = goal_with_coach(person_coaching(get_store(), participant, session))
    chart = own_measure_chart(get_store(), participant)
    return replace(plan, with_coach=coached, measure_chart=chart), participant, session


@bp.get("/p/<token>/plan")
def plan_page(token: str) -> str:
    return _plan_page(token)


def _plan_page(token: str, *, check_in_error: str = "", entered: dict[str, Any] | None = None) -> str:
    """The plan, and what follows it up: the person's goals across sessions, their check-ins and a new one."""
    plan, participant, session = own_plan(token)
    follow_up = get_store().own_follow_up(participant)
    return render_template(
        "plan.html",
        plan=plan,
        token=token,
        pdf_url=f"/p/{token}/plan.pdf",
        ics_url=f"/p/{token}/checkin.ics",
        data_url=f"/p/{token}/my-data.json",
        forget_url=f"/p/{token}/forget",
        follow_up=follow_up,
        coaching=with_warm_feedback(
            get_store(), person_coaching(get_store(), participant, session), session.organisation_id, current()
        ),
        earlier_goals=[record for record in follow_up.goals if record.participant_id != participant.id],
        measure_svg=Markup(measure_svg(plan.measure_chart, lang=current())) if plan.measure_chart else "",
        check_ins=own_check_ins(follow_up, current()),
        **check_in_form_context(f"/p/{token}/check-ins", follow_up, check_in_error, entered),
    )


def own_check_ins(follow_up: OwnFollowUp, lang: Language) -> list[dict[str, Any]]:
    """The person's check-ins as they read them back, in ``lang``: private notes included, results in their
    measure's unit."""
    measure = current_measure(follow_up)
    return [check_in_view(c, lang=lang, with_private=True, measure=measure) for c in follow_up.check_ins]


def check_in_form_context(
    action: str, follow_up: OwnFollowUp, error: str, entered: dict[str, Any] | None
) -> dict[str, Any]:
    """What the check-in form (check_in_form.html) needs, on the plan page and behind the check-in link alike, in
    the request's language (the person's)."""
    measure = current_measure(follow_up)
    lang = current()
    return {
        "measure": measure,
        "measure_line": measure_line(measure, lang) if measure else "",
        "measure_unit": unit_name(measure, lang) if measure else "",
        "check_in_url": action,
        "check_in_steps": check_in_steps(follow_up, lang),
        "progress_levels": [(level, lang.gettext(label)) for level, label in PROGRESS_LEVELS],
        "support_options": [(option_id, lang.gettext(label)) for option_id, label in SUPPORT_OPTIONS],
        "check_in_error": error,
        "entered": entered or {},
        "saved": request.args.get("saved") == "1",
    }


@bp.post("/p/<token>/check-ins")
def record_check_in(token: str) -> Any:
    """A check-in from the plan page's form (or JSON). A mistake re-shows the form with everything as typed."""
    participant, _ = holder(token)
    return save_check_in(
        participant,
        refused=lambda error, data: _plan_page(token, check_in_error=error, entered=data),
        saved=f"/p/{token}/plan?saved=1#check-ins",
        with_private=True,
    )


def save_check_in(
    participant: Participant, *, refused: Callable[[str, Any], str], saved: str, with_private: bool
) -> Any:
    """Keep a check-in sent as a form or JSON: JSON gets 201 with the check-in (its private note only where
    ``with_private``), a form goes to ``saved``; a refused form is shown again by ``refused(message, as typed)``.
    A result is checked against the person's current measure, read as the page that sent it reads it (the plan
    page as its author, a link as the facilitator would)."""
    data = json_body() if request.is_json else check_in_form(request.form)
    reader = Audience.AUTHOR if with_private else Audience.FACILITATOR
    measure = current_measure(get_store().own_follow_up(participant, reader=reader))
    try:
        draft = parse_check_in(data if isinstance(data, dict) else {}, measure)
    except DomainError as error:
        if request.is_json:
            raise
        return refused(error.in_language(current()), data), 400
    check_in = get_store().save_check_in(participant, draft)
    if request.is_json:
        view = check_in_view(check_in, lang=current(), with_private=with_private, measure=measure)
        return jsonify(ack_ok(check_in=view)), 201
    return redirect(saved, code=303)


@bp.get("/p/<token>/my-data.json")
def my_data(token: str) -> Response:
    """Everything held about the person, as one file they can keep."""
    participant, joined = holder(token)
    store = get_store()
    follow_up = store.own_follow_up(participant)
    sessions = []
    for record in follow_up.goals or ():
        member = store.participant_by_id(record.participant_id)
        session = store.session_by_id(record.session_id)
        if member is None or session is None:
            continue
        plan = participant_plan(store, session, member, lang=current())
        sessions.append({
            "session": session.title, "organisation": session.organisation, "date": record.day,
            "name": member.name, "join_answer": member.join_answer,
            "answers": [{"protocol": item.protocol, "step": item.step, "visibility": item.visibility.value,
                         "answer": list(item.lines)} for item in plan.items if item.lines],
            "parking_lot": [own_parking_item(item) for item in store.parking_items(session.id)
                            if item.participant_id == member.id],
            "ideas": own_ideas.own_data(store, session, member.id),  # posted, and those voted for
        })  # fmt: skip
    key = person_key(participant)
    evidence = store.evidence_of(key) if key is not None else []
    shown = store.artifacts_uploaded_by([member.id for member in store.forgotten_with(participant)])
    data = {
        "identifier": follow_up.identifier,
        "sessions": sessions,
        "check_ins": own_check_ins(follow_up, current()),
        "evidence": [evidence_view(file, f"/p/{token}/evidence/{file.id}") for file in evidence],
        "student_work": [artifact_view(artifact, mine=True) for artifact in shown],  # shared as a presenter
        "progress": my_progress_data(store, participant, joined),  # sharing, files ticked, warm feedback
    }
    return private_download(json.dumps(data, ensure_ascii=False, indent=2), "application/json", "my-pathways-data.json")


@bp.post("/p/<token>/forget")
def forget(token: str) -> Any:
    """Delete everything held about the person: every session's answers and check-ins, and the exports that held
    them. Asks to confirm first."""
    participant, session = holder(token)
    if request.form.get("confirm") != "delete":
        return _plan_page(token), 400
    store = get_store()
    shown = store.artifacts_uploaded_by([member.id for member in store.forgotten_with(participant)])
    posted = live_parking_lot.touched_by(store.forgotten_with(participant))
    members = [(member.session_id, member.id) for member in store.forgotten_with(participant)]
    ideas_leaving = live_ideas.before_forgetting(members)  # what leaves an open ideas board, read while it is there
    removed = forgetting.forget(store, session_exports.runner(), forgetting.Person(participant))
    live_artifacts.announce_taken_down(shown)  # the screens that showed them, at once
    live_parking_lot.announce_gone(posted)  # open parking-lot boards drop their items and upvotes
    live_ideas.announce_gone(ideas_leaving)  # and open ideas boards their ideas and votes
    if session.organisation_id is not None:
        refresh_rounds(session.organisation_id)  # a running progress round no longer shows them
    return render_template("forgotten.html", sessions=removed)


@bp.get("/p/<token>/plan.pdf")
def plan_pdf(token: str) -> Response:
    plan, _, _ = own_plan(token)
    paper = current_app.config["PAPER_SIZE"]
    pdf = runtime.offload(current_app.config["ASYNC_MODE"], build_plan_pdf, plan, paper, current())  # theirs
    return private_download(pdf, "application/pdf", "my-action-plan.pdf")


@bp.get("/p/<token>/checkin.ics")
def check_in_calendar(token: str) -> Response:
    """The check-in date as an all-day calendar event; 404 until the participant has chosen a date."""
    participant, session = holder(token)
    return _calendar_file(participant, session, urls.check_in_url(check_in_of(participant, token)))


def _calendar_file(participant: Participant, session: Session, link: str) -> Response:
    """The calendar file: the goal and action steps as the facilitator may read them (a calendar is often shared,
    so nothing private goes in) and the check-in link, never the plan's. 404 until a check-in date is chosen."""
    plan = participant_plan(get_store(), session, participant, reader=Audience.FACILITATOR, lang=current())
    if not plan.check_in:
        abort(404)
    lang = current()
    parts = [lang.gettext("My goal: {goal}", goal=plan.goal)] if plan.goal else []
    steps = plan.field(PlanField.ACTION_STEPS)
    if steps:
        parts.append(lang.gettext("Action steps:") + "\n" + "\n".join(f"- {line}" for line in steps))
    parts.append(lang.gettext("Record a check-in: {url}", url=link))
    event = check_in_event(
        uid=f"check-in-{session.code}-{participant.id}@pathways",
        day=plan.check_in,
        summary=lang.gettext("Check in on my goal · {title}", title=session.title),
        description="\n".join(parts),
        url=link,
    )
    return private_download(event, "text/calendar", "check-in.ics")


# The check-in link: the person's check-in form and calendar file, nothing else.


def checking_in(check_in: str) -> tuple[Participant, Session]:
    """The participant whose check-in token ``check_in`` is, and their session; 404 for any other token."""
    return with_session(get_store().participant_by_check_in(check_in))


@bp.get("/c/<token>")
def check_in_page(token: str) -> str:
    return _check_in_page(token)


def _check_in_page(token: str, *, check_in_error: str = "", entered: dict[str, Any] | None = None) -> str:
    """The check-in form alone. Its action steps are read as the facilitator may read them: no private answer,
    no name, no earlier check-in, no plan, no deleting."""
    participant, session = checking_in(token)
    follow_up = get_store().own_follow_up(participant, reader=Audience.FACILITATOR)
    return render_template(
        "check_in.html",
        session_title=session.title,
        **check_in_form_context(f"/c/{token}/check-ins", follow_up, check_in_error, entered),
    )


@bp.post("/c/<token>/check-ins")
def record_check_in_by_link(token: str) -> Any:
    """A check-in through the check-in link: kept as one from the plan page is; the reply never holds a private
    note (the link writes one, it never reads one)."""
    participant, _ = checking_in(token)
    return save_check_in(
        participant,
        refused=lambda error, data: _check_in_page(token, check_in_error=error, entered=data),
        saved=f"/c/{token}?saved=1#check-in",
        with_private=False,
    )


@bp.get("/c/<token>/checkin.ics")
def check_in_calendar_by_link(token: str) -> Response:
    """The same calendar file as the plan page's, for the printed plan's "Add it to your calendar" link."""
    participant, session = checking_in(token)
    return _calendar_file(participant, session, urls.check_in_url(token))
