"""The participant's pages: joining by code or QR, the phone page, and their own plan (HTML, PDF, check-in date)."""

import json
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, render_template, request

from exports.calendar import check_in_event
from exports.plan_pdf import build_plan_pdf
from facilitator import runtime, urls
from facilitator.plans import participant_plan
from facilitator.replies import ack_ok, private_download
from facilitator.store import get_store
from facilitator.words import words
from protocols.credentials import normalise_join_code
from protocols.errors import DomainError
from protocols.followup import (
    PROGRESS_LEVELS,
    SUPPORT_OPTIONS,
    check_in_form,
    check_in_steps,
    check_in_view,
    parse_check_in,
)
from protocols.model import PlanField
from protocols.plan import Plan
from protocols.session import Participant, Session

bp = Blueprint("participant", __name__, template_folder="templates")


@bp.get("/j")
@bp.get("/j/")
def enter_code() -> str:
    return render_template("phone.html", words=words(), code="", title="")


@bp.get("/j/<code>")
def join(code: str) -> Any:
    normal = normalise_join_code(code)
    session = get_store().session_by_code(normal) if normal else None
    if session is None:
        return render_template("phone.html", words=words(), code="", title="", unknown_code=code[:12]), 404
    return render_template(
        "phone.html",
        words=words(),
        code=normal,
        title=session.title,
        join_question=session.join_question,
        organisation=session.organisation if session.organisation_id is not None else "",
    )


def own_plan(token: str) -> tuple[Plan, Participant, Session]:
    """The plan of the participant holding ``token``: their own answers, private ones included, and what their
    group shared with them. 404 for any other token."""
    store = get_store()
    participant = store.participant_by_token(token)
    session = store.session_by_id(participant.session_id) if participant else None
    if participant is None or session is None:
        abort(404)
    plan = participant_plan(
        store,
        session,
        participant,
        plan_url=urls.plan_url(token),
        calendar_url=f"{urls.base_url()}/p/{token}/checkin.ics",
    )
    return plan, participant, session


@bp.get("/p/<token>/plan")
def plan_page(token: str) -> str:
    return _plan_page(token)


def _plan_page(token: str, *, check_in_error: str = "", entered: dict[str, Any] | None = None) -> str:
    """The plan, and what follows it up: the person's goals across sessions, their check-ins and a new one."""
    plan, participant, _ = own_plan(token)
    follow_up = get_store().own_follow_up(participant)
    return render_template(
        "plan.html",
        words=words(),
        plan=plan,
        token=token,
        pdf_url=f"/p/{token}/plan.pdf",
        ics_url=f"/p/{token}/checkin.ics",
        check_in_url=f"/p/{token}/check-ins",
        data_url=f"/p/{token}/my-data.json",
        forget_url=f"/p/{token}/forget",
        follow_up=follow_up,
        earlier_goals=[record for record in follow_up.goals if record.participant_id != participant.id],
        check_ins=[check_in_view(c, with_private=True) for c in follow_up.check_ins],
        check_in_steps=check_in_steps(follow_up),
        progress_levels=PROGRESS_LEVELS,
        support_options=SUPPORT_OPTIONS,
        check_in_error=check_in_error,
        entered=entered or {},
        saved=request.args.get("saved") == "1",
    )


@bp.post("/p/<token>/check-ins")
def record_check_in(token: str) -> Any:
    """A check-in from the plan page's form (or JSON). A mistake re-shows the form with everything as typed."""
    _, participant, _ = own_plan(token)
    data = request.get_json(silent=True) if request.is_json else check_in_form(request.form)
    try:
        draft = parse_check_in(data if isinstance(data, dict) else {})
    except DomainError as error:
        if request.is_json:
            raise
        return _plan_page(token, check_in_error=error.message, entered=data), 400
    check_in = get_store().save_check_in(participant, draft)
    if request.is_json:
        return jsonify(ack_ok(check_in=check_in_view(check_in, with_private=True))), 201
    return redirect(f"/p/{token}/plan?saved=1#check-ins", code=303)


@bp.get("/p/<token>/my-data.json")
def my_data(token: str) -> Response:
    """Everything held about the person, as one file they can keep."""
    _, participant, _ = own_plan(token)
    store = get_store()
    follow_up = store.own_follow_up(participant)
    sessions = []
    for record in follow_up.goals or ():
        member = store.participant_by_id(record.participant_id)
        session = store.session_by_id(record.session_id)
        if member is None or session is None:
            continue
        plan = participant_plan(store, session, member)
        sessions.append({
            "session": session.title, "organisation": session.organisation, "date": record.day,
            "name": member.name, "join_answer": member.join_answer,
            "answers": [{"protocol": item.protocol, "step": item.step, "visibility": item.visibility.value,
                         "answer": list(item.lines)} for item in plan.items if item.lines],
        })  # fmt: skip
    data = {
        "identifier": follow_up.identifier,
        "sessions": sessions,
        "check_ins": [check_in_view(c, with_private=True) for c in follow_up.check_ins],
    }
    return private_download(json.dumps(data, ensure_ascii=False, indent=2), "application/json", "my-pathways-data.json")


@bp.post("/p/<token>/forget")
def forget(token: str) -> Any:
    """Delete everything held about the person: every session's answers and check-ins. Asks to confirm first."""
    _, participant, _ = own_plan(token)
    if request.form.get("confirm") != "delete":
        return _plan_page(token), 400
    removed = get_store().forget_person(participant)
    return render_template("forgotten.html", words=words(), sessions=removed)


@bp.get("/p/<token>/plan.pdf")
def plan_pdf(token: str) -> Response:
    plan, _, _ = own_plan(token)
    pdf = runtime.offload(current_app.config["ASYNC_MODE"], build_plan_pdf, plan, current_app.config["PAPER_SIZE"])
    return private_download(pdf, "application/pdf", "my-action-plan.pdf")


@bp.get("/p/<token>/checkin.ics")
def check_in_calendar(token: str) -> Response:
    """The check-in date as an all-day calendar event; 404 until the participant has chosen a date."""
    plan, participant, session = own_plan(token)
    if not plan.check_in:
        abort(404)
    parts = [f"My goal: {plan.goal}"] if plan.goal else []
    steps = plan.field(PlanField.ACTION_STEPS)
    if steps:
        parts.append("Action steps:\n" + "\n".join(f"- {line}" for line in steps))
    parts.append(f"My plan: {plan.plan_url}")
    event = check_in_event(
        uid=f"check-in-{session.code}-{participant.id}@pathways",
        day=plan.check_in,
        summary=f"Check in on my goal · {session.title}",
        description="\n".join(parts),
        url=plan.plan_url,
    )
    return private_download(event, "text/calendar", "check-in.ics")
