"""The bare baseline for ``pathways loadtest``: the same stack (Flask-SocketIO on the same server engine) with no
product logic, speaking just enough of docs/API.md for the load test's scenario.

It keeps answers in memory and sends each step to the whole room in one broadcast: the stack's own limit. For
group protocols it seats phones at tables in the order they joined, and an answer to a step shared with the group
goes to the author's table as one ``shared`` message. On an ideas step it keeps ideas and votes in memory, and
sends the room each window's new ideas and the projector its ranking, once per window. The product's figures
divided by these are what Pathways itself costs.
"""

import itertools
import sys
from collections import Counter
from typing import Any

from facilitator import runtime

LIVE_INTERVAL = 0.25  # Pathways' default (facilitator/app.py): ideas reach the room and the projector once per window


def create_baseline_app(async_mode: str):
    from flask import Flask, jsonify, request
    from flask_socketio import SocketIO, emit, join_room

    from protocols.ideas import ON_PROJECTOR
    from protocols.loader import load_library
    from protocols.session import AgendaItem, Session, SystemGoal
    from protocols.views import step_view

    app = Flask(__name__)
    socketio = SocketIO(app, async_mode=async_mode, logger=False, engineio_logger=False)
    goals = [{"id": n, "title": f"Goal {n}", "description": ""} for n in (1, 2, 3)]
    sessions: dict[str, dict[str, Any]] = {}
    codes = (f"BASE{n:02d}" for n in itertools.count(10))
    library = load_library()

    @app.post("/api/sessions")
    def create() -> Any:
        body = request.get_json(silent=True) or {}
        agenda = tuple(AgendaItem(uid, library[pid]) for uid, pid in enumerate(body.get("agenda", ["goal-setting"]), 1))
        shape = Session(0, "", "", "", tuple(SystemGoal(g["id"], g["title"]) for g in goals), agenda)
        steps = [step_view(agenda_step, len(shape.steps)) for agenda_step in shape.steps]
        code = next(codes)
        sessions[code] = {"steps": steps, "position": -1, "answers": {}, "names": {}, "ideas": {},
                          "ideas_by_phone": {}, "votes": {}, "voting_opened": set(), "pool": None, "new_ideas": [],
                          "delta_due": False}  # fmt: skip
        return jsonify({"code": code, "facilitator_key": "baseline", "system_goals": goals}), 201

    def current(session: dict[str, Any]) -> dict[str, Any] | None:
        position = session["position"]
        return session["steps"][position] if 0 <= position < len(session["steps"]) else None

    def state(session: dict[str, Any], answers: dict[str, Any], table: int | None = None) -> dict[str, Any]:
        step = current(session)
        phase = "lobby" if session["position"] < 0 else ("step" if step else "ended")
        group = {"number": table} if table is not None else None
        return {"phase": phase, "step": step, "may_answer": True, "answers": answers, "group": group}

    def table_room(code: str, table: int) -> str:
        return f"{code}:table:{table}"

    @socketio.on("connect", namespace="/participant")
    def participant_connect(auth: Any = None) -> None:
        code = (auth or {}).get("code")
        session = sessions[code]
        token = (auth or {}).get("token") or f"t{len(session['names'])}-{request.sid}"
        session["names"].setdefault(token, (auth or {}).get("name", ""))
        session["answers"].setdefault(token, {})
        session.setdefault("sids", {})[request.sid] = token
        join_room(code)
        table = session.setdefault("tables", {}).get(token)
        if table is not None:
            join_room(table_room(code, table))
        emit("welcome", {"token": token, "participant_id": token, "name": session["names"][token]})
        emit("state", state(session, session["answers"][token], table))
        if (current(session) or {}).get("kind") == "ideas":
            emit("ideas", ideas_board(session))

    def phone() -> tuple[str, dict[str, Any], str]:
        """The session and token of the phone sending the event."""
        return next((code, session, session["sids"][request.sid]) for code, session in sessions.items()
                    if request.sid in session.get("sids", {}))  # fmt: skip

    @socketio.on("answer", namespace="/participant")
    def answer(data: Any) -> dict[str, Any]:
        code, session, token = phone()
        session["answers"][token][data["step_id"]] = data["value"]
        table = session.get("tables", {}).get(token)
        step = current(session) or {}
        if table is not None and step.get("visibility") in ("group", "room-named"):
            shared = {"step_id": data["step_id"], "participant_id": token, "name": session["names"][token],
                      "value": data["value"]}  # fmt: skip
            socketio.emit("shared", shared, to=table_room(code, table), skip_sid=request.sid,
                          namespace="/participant")  # fmt: skip
        return {"ok": True}

    # Ideas steps: ideas and votes kept in memory; the room hears of new ideas, and the projector of the ranking, at
    # most once per LIVE_INTERVAL, as docs/API.md says Pathways does; nobody hears of a vote but its voter.
    def ideas_board(session: dict[str, Any]) -> dict[str, Any]:
        step = current(session) or {}
        opened = step["id"] in session["voting_opened"]
        pool = [idea for idea in session["ideas"].values() if idea["pool"] == session["pool"]]
        return {"step_id": step["id"], "pool": session["pool"], "ideas": pool, "mine": None, "my_votes": None,
                "posting": step["max_ideas"] > 0 and not (step["voting"] == "when_opened" and opened),
                "voting": step["votes"] > 0 and (step["voting"] == "from_start" or opened)}  # fmt: skip

    def ranking(session: dict[str, Any]) -> dict[str, Any]:
        step = current(session) or {}
        counts = Counter(idea for (_, step_id, _), idea in session["votes"].items() if step_id == step.get("id"))
        shown = sorted((i for i in session["ideas"].values() if i["pool"] == session["pool"]),
                       key=lambda idea: (-counts[idea["id"]], idea["id"]))[:ON_PROJECTOR]  # fmt: skip
        ranked = [{"id": idea["id"], "text": idea["text"], "votes": counts[idea["id"]]} for idea in shown]
        return {"step_id": step.get("id"), "ranked": ranked, "total_votes": sum(counts.values())}

    def changed(code: str, session: dict[str, Any], idea: dict[str, Any] | None = None) -> None:
        if idea is not None:
            session["new_ideas"].append(idea)
        if not session["delta_due"]:
            session["delta_due"] = True
            socketio.start_background_task(send_delta, code, session)

    def send_delta(code: str, session: dict[str, Any]) -> None:
        socketio.sleep(LIVE_INTERVAL)
        session["delta_due"] = False
        new, session["new_ideas"] = session["new_ideas"], []
        if new:
            delta = {"step_id": (current(session) or {}).get("id"), "ideas": new}
            socketio.emit("ideas_delta", delta, to=code, namespace="/participant")
        socketio.emit("ideas", ranking(session), to=f"{code}:projector", namespace="/projector")

    def send_boards(code: str, session: dict[str, Any]) -> None:
        if (current(session) or {}).get("kind") == "ideas":
            socketio.emit("ideas", ideas_board(session), to=code, namespace="/participant")
            socketio.emit("ideas", ranking(session), to=f"{code}:projector", namespace="/projector")

    @socketio.on("post_idea", namespace="/participant")
    def post_idea(data: Any) -> dict[str, Any]:
        code, session, token = phone()
        idea = session["ideas_by_phone"].get((token, data["idea_id"]))
        if idea is None:  # a resend lands once
            idea = {"id": len(session["ideas"]) + 1, "status": "open", "text": data["text"], "pool": data["step_id"]}
            session["ideas"][idea["id"]] = session["ideas_by_phone"][(token, data["idea_id"])] = idea
            changed(code, session, idea)
        return {"ok": True, "step_id": data["step_id"], "idea_id": data["idea_id"], "idea": idea["id"]}

    @socketio.on("vote", namespace="/participant")
    def vote(data: Any) -> dict[str, Any]:
        code, session, token = phone()
        session["votes"].setdefault((token, data["step_id"], data["vote_id"]), data["idea"])
        changed(code, session)
        return {"ok": True, "step_id": data["step_id"], "vote_id": data["vote_id"], "idea": data["idea"]}

    @socketio.on("unvote", namespace="/participant")
    def unvote(data: Any) -> dict[str, Any]:
        code, session, token = phone()
        removed = session["votes"].pop((token, data["step_id"], data["vote_id"]), None) is not None
        changed(code, session)
        return {"ok": True, "step_id": data["step_id"], "vote_id": data["vote_id"], "removed": removed}

    @socketio.on("open_voting", namespace="/facilitator")
    def open_voting(data: Any) -> dict[str, Any]:
        code = list(sessions)[-1]
        sessions[code]["voting_opened"].add(data["step_id"])
        send_boards(code, sessions[code])
        return {"ok": True, "step_id": data["step_id"], "voting": True}

    @socketio.on("connect", namespace="/projector")
    def projector_connect(auth: Any = None) -> None:
        code = (auth or {}).get("code")
        join_room(f"{code}:projector")
        if (current(sessions[code]) or {}).get("kind") == "ideas":
            emit("ideas", ranking(sessions[code]))

    @app.get("/healthz")
    def health() -> Any:
        return jsonify({"ok": True})

    @socketio.on("connect", namespace="/facilitator")
    def facilitator_connect(auth: Any = None) -> None:
        join_room("console")

    @socketio.on("form_groups", namespace="/facilitator")
    def form_groups(data: Any = None) -> dict[str, Any]:
        """Tables of ``size`` in the order phones joined; each connected phone is told its table."""
        code = list(sessions)[-1]
        session = sessions[code]
        size = int((data or {}).get("size", 6))
        session["tables"] = {token: 1 + n // size for n, token in enumerate(session["names"])}
        for sid, token in session.get("sids", {}).items():
            table = session["tables"][token]
            socketio.server.enter_room(sid, table_room(code, table), namespace="/participant")
            socketio.emit("state", state(session, session["answers"][token], table), to=sid, namespace="/participant")
        return {"ok": True}

    @socketio.on("next", namespace="/facilitator")
    def next_step(data: Any = None) -> dict[str, Any]:
        session = sessions[list(sessions)[-1]]  # the load test drives the session it made last
        code = list(sessions)[-1]
        session["position"] += 1
        full = state(session, {})
        payload = {"phase": full["phase"], "step": full["step"], "may_answer": True, "shared": []}
        socketio.emit("step", payload, to=code, namespace="/participant")  # laid over what each phone holds
        step = payload["step"]
        if step and step["kind"] == "ideas":
            session["pool"] = step["id"] if step["max_ideas"] else session["pool"]  # vote_on: the last step's ideas
            send_boards(code, session)
        return {"ok": True, "phase": payload["phase"], "step_id": step["id"] if step else None}

    return app, socketio


def main() -> None:
    port = int(sys.argv[sys.argv.index("--port") + 1]) if "--port" in sys.argv else 5099
    mode = runtime.async_mode_from_env()
    runtime.patch(mode)
    app, socketio = create_baseline_app(mode)
    socketio.run(app, host="127.0.0.1", port=port, log_output=False, **runtime.server_options(mode))


if __name__ == "__main__":
    main()
