"""The phone's picture as static/js/phone/state.js keeps it, for Python clients: the load generator and the tests.

A phone is sent its whole ``state`` when it connects; after that a step change is one ``step`` broadcast to the
room, with a ``me`` just before it where this phone's own part differs, ``saved`` when the person saved an
answer from another tab, and ``shared`` when a group-mate's answer to the open step arrives. Each is laid over the
last whole state.
"""

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
