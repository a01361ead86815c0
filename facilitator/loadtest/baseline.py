"""The bare baseline for ``pathways loadtest``: the same stack (Flask-SocketIO on the same server engine) with no
product logic, speaking just enough of docs/API.md for the load test's scenario.

It keeps answers in memory and sends each step to the whole room in one broadcast: the stack's own limit. For
group protocols it seats phones at tables in the order they joined, and an answer to a step shared with the group
goes to the author's table as one ``shared`` message. The product's figures divided by these are what Pathways
itself costs.
"""

import itertools
import sys
from typing import Any

from facilitator import runtime


def create_baseline_app(async_mode: str):
    from flask import Flask, jsonify, request
    from flask_socketio import SocketIO, emit, join_room

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
        sessions[code] = {"steps": steps, "position": -1, "answers": {}, "names": {}}
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

    @socketio.on("answer", namespace="/participant")
    def answer(data: Any) -> dict[str, Any]:
        for code, session in sessions.items():
            token = session.get("sids", {}).get(request.sid)
            if token is not None:
                session["answers"][token][data["step_id"]] = data["value"]
                table = session.get("tables", {}).get(token)
                step = current(session) or {}
                if table is not None and step.get("visibility") in ("group", "room-named"):
                    shared = {"step_id": data["step_id"], "participant_id": token, "name": session["names"][token],
                              "value": data["value"]}  # fmt: skip
                    socketio.emit("shared", shared, to=table_room(code, table), skip_sid=request.sid,
                                  namespace="/participant")  # fmt: skip
                return {"ok": True}
        return {"ok": False, "error": "unknown phone"}

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
