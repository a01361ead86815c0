"""The participant's pages: joining by code or QR, the phone page, and their own plan (HTML, PDF, check-in date)."""

from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template

from exports.calendar import check_in_event
from exports.plan_pdf import build_plan_pdf
from facilitator import runtime, urls
from facilitator.plans import participant_plan
from facilitator.store import get_store
from facilitator.words import words
from protocols.credentials import normalise_join_code
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
        "phone.html", words=words(), code=normal, title=session.title, join_question=session.join_question
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
    plan, _, _ = own_plan(token)
    return render_template(
        "plan.html", words=words(), plan=plan, pdf_url=f"/p/{token}/plan.pdf", ics_url=f"/p/{token}/checkin.ics"
    )


@bp.get("/p/<token>/plan.pdf")
def plan_pdf(token: str) -> Response:
    plan, _, _ = own_plan(token)
    pdf = runtime.offload(current_app.config["ASYNC_MODE"], build_plan_pdf, plan, current_app.config["PAPER_SIZE"])
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'attachment; filename="my-action-plan.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


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
    response = Response(event, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'attachment; filename="check-in.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
