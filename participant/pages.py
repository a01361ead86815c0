"""The participant's pages: joining by code or QR, the phone page, and their own plan (HTML and PDF)."""

from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template

from exports.plan_pdf import build_plan_pdf
from facilitator import runtime, urls
from facilitator.store import get_store
from facilitator.words import words
from protocols.credentials import normalise_join_code
from protocols.plan import Plan, build_plan
from protocols.visibility import Audience

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


def own_plan(token: str) -> Plan:
    """The plan of the participant holding ``token``: their own, private answers included. 404 for anyone else."""
    store = get_store()
    participant = store.participant_by_token(token)
    session = store.session_by_id(participant.session_id) if participant else None
    if participant is None or session is None:
        abort(404)
    answers = store.answers_of(participant.id)
    return build_plan(session, participant.name, answers, reader=Audience.AUTHOR, plan_url=urls.plan_url(token))


@bp.get("/p/<token>/plan")
def plan_page(token: str) -> str:
    plan = own_plan(token)
    return render_template("plan.html", words=words(), plan=plan, pdf_url=f"/p/{token}/plan.pdf")


@bp.get("/p/<token>/plan.pdf")
def plan_pdf(token: str) -> Response:
    plan = own_plan(token)
    pdf = runtime.offload(current_app.config["ASYNC_MODE"], build_plan_pdf, plan, current_app.config["PAPER_SIZE"])
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'attachment; filename="my-action-plan.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
