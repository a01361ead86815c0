"""A simulated phone: joins, follows the step, answers what a person would, comes back after a drop."""

import asyncio
import time
from collections.abc import Callable
from typing import Any

import aiohttp
import socketio

from facilitator.loadtest.phone_view import IdeasView, PhoneView

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


async def wait_until(changed: asyncio.Event, condition: Callable[[], bool], timeout: float) -> None:
    """Until ``condition`` holds, looked at again each time ``changed`` is set; TimeoutError after ``timeout``."""

    async def until() -> None:
        while not condition():
            changed.clear()
            await changed.wait()

    await asyncio.wait_for(until(), timeout)


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
        self.ideas = IdeasView()  # an ideas step's board, as static/js/phone/ideas.js keeps it
        self.received: dict[str, int] = {}  # step id -> messages this phone was sent while that step was open
        self.last_state: dict[str, Any] | None = None
        self.acked: dict[str, Any] = {}
        self.visibility: dict[str, str] = {}  # step id -> who may see its answers
        self.mates_seen: dict[tuple[str, str], float] = {}  # (step id, a group-mate's name) -> when first shown
        self._changed = asyncio.Event()
        self.client = self._new_client()

    def _new_client(self) -> socketio.AsyncClient:
        client = socketio.AsyncClient(reconnection=False, http_session=self.http)
        client.on("welcome", self._welcome, namespace="/participant")
        client.on("*", self._event, namespace="/participant")  # state, step, me, saved, shared, ideas, ideas_delta
        return client

    async def _welcome(self, data: dict[str, Any]) -> None:
        self.token = data["token"]
        self._changed.set()

    async def _event(self, event: str, data: Any = None) -> None:
        state = self.view.feed(event, data)
        open_step = ((self.view.state or {}).get("step") or {}).get("id")
        if open_step is not None:
            self.received[open_step] = self.received.get(open_step, 0) + 1
        if self.ideas.feed(event, data):
            self._changed.set()
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

    async def wait(self, condition: Callable[[], bool], timeout: float) -> None:
        await wait_until(self._changed, condition, timeout)

    async def ask(self, event: str, payload: dict[str, Any], timeout: float) -> tuple[dict[str, Any], float]:
        """Send ``event`` and wait for its ack: the ack, and how long it took in milliseconds."""
        started = time.monotonic()
        ack = await self.client.call(event, payload, namespace="/participant", timeout=timeout)
        return ack, (time.monotonic() - started) * 1000

    async def join(self, code: str, timeout: float) -> None:
        auth = {"code": code, "token": self.token} if self.token else {"code": code, "name": self.name}
        await self.client.connect(self.url, namespaces=["/participant"], auth=auth, transports=["websocket"],
                                  wait_timeout=timeout)  # fmt: skip
        await self.wait(lambda: self.token is not None and self.last_state is not None, timeout)

    async def drop(self) -> None:
        await self.client.disconnect()
        self.client = self._new_client()
        self.view = PhoneView()
        self.ideas = IdeasView()
        self.last_state = None
