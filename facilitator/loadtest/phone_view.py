"""The phone's picture as static/js/phone/state.js (and, on an ideas step, ideas.js) keeps it, for Python clients:
the load generator and the tests.

A phone is sent its whole ``state`` when it connects; after that a step change is one ``step`` broadcast to the
room, with a ``me`` just before it where this phone's own part differs, ``saved`` when the person saved an
answer from another tab, and ``shared`` when a group-mate's answer to the open step arrives. Each is laid over the
last whole state.
"""

import time
from typing import Any


class PhoneView:
    """Feed it every event a phone receives on /participant; ``state`` is what the phone shows."""

    PARTS = ("step", "me", "saved", "shared")

    def __init__(self) -> None:
        self.state: dict[str, Any] | None = None
        self.early: dict[str, Any] = {}

    def _role_part(self, data: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
        """On a step change, what this phone's role is asked (``role_parts``), its role read from its group (the
        one a ``me`` brings, else the one it had)."""
        if self.state is None or (self.state.get("step") or {}).get("id") == (data.get("step") or {}).get("id"):
            return {}
        group = own.get("group", self.state.get("group")) or {}
        role = (group.get("role") or {}).get("id")
        return (data.get("role_parts") or {}).get(role, {}) if role else {}

    def feed(self, event: str, data: Any) -> dict[str, Any] | None:
        """The phone's new state if ``event`` changed it, else None."""
        if event == "state":
            self.state = data
            return data
        if event == "me":
            if self.state is None or (self.state.get("step") or {}).get("id") != data["step_id"]:
                self.early = data
                return None
            part = {k: v for k, v in data.items() if k != "step_id"}
        elif event == "step":
            mine = self.early if self.early.get("step_id") == (data.get("step") or {}).get("id") else {}
            self.early = {}
            own = {k: v for k, v in mine.items() if k != "step_id"}
            part = {**data, **self._role_part(data, own), **own}
        elif event == "saved":
            part = {"answers": {**(self.state or {}).get("answers", {}), data["step_id"]: data["value"]}}
        elif event == "shared":
            if self.state is None or (self.state.get("step") or {}).get("id") != data["step_id"]:
                return None  # for a step this phone has left
            shown = self.state.get("shared") or ()
            held = next((s for s in shown if s.get("participant_id") == data["participant_id"]), None)
            if held is not None and held["saved_at"] > data["saved_at"]:
                return None  # an older edit that arrived late
            part = {"shared": [*(s for s in shown if s is not held), data]}
        else:
            return None
        if self.state is None:
            return None
        self.state = {**self.state, **part}
        return self.state


class IdeasView:
    """An ideas step's board as static/js/phone/ideas.js keeps it: the room's ideas from a broadcast ``ideas`` (the
    phone's own part kept where it says null), a person's own part from one with ``"ideas": null`` (the room's list
    kept), both in the board a phone is sent as it connects; then each ``ideas_delta`` laid over it."""

    def __init__(self) -> None:
        self.board: dict[str, Any] | None = None
        self.room_at: dict[str, float] = {}  # step id -> when the room's ideas for it last arrived (monotonic)
        self.own_at: dict[str, float] = {}  # step id -> when this phone's own part for it last arrived

    def feed(self, event: str, data: Any) -> bool:
        """Whether ``event`` changed the board."""
        held = self.board
        if event == "ideas":
            same_step = held is not None and held["step_id"] == data["step_id"]
            same_pool = held is not None and held["pool"] == data["pool"]
            ideas = data.get("ideas")
            self.board = {
                **data,
                "ideas": {i["id"]: i for i in ideas} if ideas is not None else held["ideas"] if same_step else {},
                "mine": data["mine"] if data.get("mine") is not None else held["mine"] if same_pool else [],
                "my_votes": data["my_votes"] if data.get("my_votes") is not None
                else held["my_votes"] if same_step else [],
            }  # fmt: skip
            for arrived, part in ((self.room_at, "ideas"), (self.own_at, "mine")):
                if data.get(part) is not None:
                    arrived[data["step_id"]] = time.monotonic()
            return True
        if event == "ideas_delta" and held is not None and held["step_id"] == data["step_id"]:
            for idea in data.get("ideas") or ():
                held["ideas"][idea["id"]] = {**held["ideas"].get(idea["id"], {}), **idea}
            removed = set(data.get("removed") or ())
            held["ideas"] = {idea_id: idea for idea_id, idea in held["ideas"].items() if idea_id not in removed}
            held["mine"] = [own for own in held["mine"] if own["id"] not in removed]
            held["my_votes"] = [vote for vote in held["my_votes"] if vote["idea"] not in removed]
            return True
        return False

    def on(self, step_id: str) -> dict[str, Any] | None:
        """The board, if it is ``step_id``'s."""
        return self.board if self.board is not None and self.board["step_id"] == step_id else None

    def open_ideas(self, step_id: str) -> list[int]:
        """The ideas this phone may vote for on ``step_id`` (its own among them), oldest first."""
        board = self.on(step_id)
        if board is None:
            return []
        status = {idea["id"]: idea.get("status") for idea in board["mine"]}
        status.update((idea["id"], idea.get("status")) for idea in board["ideas"].values())  # the latest word
        return sorted(idea_id for idea_id, said in status.items() if said == "open")
