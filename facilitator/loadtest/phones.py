"""A simulated phone: joins, follows the step, answers what a person would, comes back after a drop."""

import asyncio
import time
from typing import Any

import aiohttp
import socketio

from facilitator.loadtest.phone_view import PhoneView

DEFAULT_GOALS = [
    {"title": "Every student reads fluently by grade 3"},
    {"title": "Feedback that moves learning forward"},
    {"title": "Belonging for every learner"},
]


def sample_answer(step: dict[str, Any], system_goals: list[dict[str, Any]], author: int, marker: str = "") -> Any:
    """A valid value for ``step`` (as the ``state`` event shows it), different for each ``author``."""
    kind = step["kind"]
    text = f"{marker}answer {author} to {step['id']}"
    if kind == "text":
        return text
    if kind == "list":
        count = max(step["min_items"], min(step["max_items"], 1 + author % 3))
        if step.get("dated"):
            return [{"text": f"{text} item {n}", "date": f"2027-0{1 + n}-1{n}"} for n in range(1, count + 1)]
        return [f"{text} item {n}" for n in range(1, count + 1)]
    if kind == "choice":
        ids = [option["id"] for option in step["options"]]
        return ids[: 1 + author % len(ids)] if step["multiple"] else ids[author % len(ids)]
    if kind == "scale":
        return step["min"] + author % (step["max"] - step["min"] + 1)
    if kind == "goal":
        return system_goals[author % len(system_goals)]["id"]
    if kind == "rank":
        ids = [option["id"] for option in step["options"]]
        return ids[author % len(ids) :] + ids[: author % len(ids)]
    if kind == "date":
        return f"2027-01-{10 + author % 18:02d}"
    if kind == "progress":
        return [{"step": f"{text} step {n}", "level": step["min"] + (author + n) % (step["max"] - step["min"] + 1)}
                for n in range(1, 3)]  # fmt: skip
    if kind == "measure":
        return {"what": f"{text} measure", "unit": "percent", "out_of": None,
                "baseline": {"value": 20 + author % 30, "date": "2026-12-01"},
                "target": {"value": 80, "date": "2027-06-01"}}  # fmt: skip
    raise ValueError(f"no sample answer for a {kind!r} step")


class Phone:
    """One simulated participant: joins, notes when each step arrives, answers, may drop and come back."""

    def __init__(self, number: int, url: str, http: aiohttp.ClientSession) -> None:
        self.number = number
        self.url = url
        self.http = http  # one HTTP session for every phone: thousands of sessions would cost the generator
        self.name = f"Load {number:04d}"
        self.token: str | None = None
        self.step_arrived: dict[str, float] = {}
        self.arrivals: list[tuple[float, str | None]] = []  # every step this phone was shown, and when
        self.view = PhoneView()  # what the phone shows, built from its events as static/js/phone/state.js does
        self.last_state: dict[str, Any] | None = None
        self.acked: dict[str, Any] = {}
        self.visibility: dict[str, str] = {}  # step id -> who may see its answers
        self.mates_seen: dict[tuple[str, str], float] = {}  # (step id, a group-mate's name) -> when first shown
        self._changed = asyncio.Event()
        self.client = self._new_client()

    def _new_client(self) -> socketio.AsyncClient:
        client = socketio.AsyncClient(reconnection=False, http_session=self.http)
        client.on("welcome", self._welcome, namespace="/participant")
        client.on("*", self._event, namespace="/participant")  # state, step, me, saved
        return client

    async def _welcome(self, data: dict[str, Any]) -> None:
        self.token = data["token"]
        self._changed.set()

    async def _event(self, event: str, data: Any = None) -> None:
        state = self.view.feed(event, data)
        if state is None:
            return
        step = state.get("step")
        if event != "me":
            self.arrivals.append((time.monotonic(), step["id"] if step else None))
        if step and step["id"] not in self.step_arrived:
            self.step_arrived[step["id"]] = time.monotonic()
            self.visibility[step["id"]] = step.get("visibility", "")
        for shown in state.get("shared") or ():  # group-mates' answers to the open step, with their names
            self.mates_seen.setdefault((shown["step_id"], shown.get("name", "")), time.monotonic())
        self.last_state = state
        self._changed.set()

    @property
    def table(self) -> int | None:
        """The table this phone sits at, as its state says."""
        return ((self.last_state or {}).get("group") or {}).get("number")

    async def wait(self, condition, timeout: float) -> None:
        async def until() -> None:
            while not condition():
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(until(), timeout)

    async def join(self, code: str, timeout: float) -> None:
        auth = {"code": code, "token": self.token} if self.token else {"code": code, "name": self.name}
        await self.client.connect(self.url, namespaces=["/participant"], auth=auth, transports=["websocket"],
                                  wait_timeout=timeout)  # fmt: skip
        await self.wait(lambda: self.token is not None and self.last_state is not None, timeout)

    async def drop(self) -> None:
        await self.client.disconnect()
        self.client = self._new_client()
        self.view = PhoneView()
        self.last_state = None
