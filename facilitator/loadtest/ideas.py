"""Ideas steps under load, as a room runs them: every phone posts its ideas (some resend one, as after a lost ack),
the console opens voting where a facilitator would, every phone gives its votes (several to the same ideas, one
taken back and given again), and the projector's ranking is timed until it shows every vote. Afterwards each
acknowledged idea and vote is looked for in the export's ideas.csv."""

import asyncio
import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import socketio

from facilitator.loadtest.phones import Phone, wait_until
from facilitator.loadtest.report import Report, percentile
from protocols.loader import load_library
from protocols.model import StepKind

POPULAR = 20  # the room's votes go to its first ideas of this many: many phones vote for the same ideas at once
RESENDING = 10  # one poster and one voter in this many sends an idea or a vote again, as after a lost ack


def needs_ideas(agenda: tuple[str, ...]) -> bool:
    """Whether any protocol of the agenda has an ideas step (affinity, 1-2-4-All, …)."""
    library = load_library()
    return any(pid in library and any(s.kind is StepKind.IDEAS for s in library[pid].steps) for pid in agenda)


class Projector:
    """The room's screen, as far as ideas go: the last ranking it was sent."""

    def __init__(self) -> None:
        self.client = socketio.AsyncClient(reconnection=False)
        self.board: dict[str, Any] | None = None
        self._changed = asyncio.Event()
        self.client.on("ideas", self._board, namespace="/projector")

    async def _board(self, data: dict[str, Any]) -> None:
        self.board = data
        self._changed.set()

    async def connect(self, url: str, code: str, timeout: float) -> None:
        await self.client.connect(url, namespaces=["/projector"], auth={"code": code}, transports=["websocket"],
                                  wait_timeout=timeout)  # fmt: skip

    async def wait(self, condition: Callable[[], bool], timeout: float) -> None:
        await wait_until(self._changed, condition, timeout)


@dataclass(frozen=True)
class PostedIdea:
    text: str
    pool: str  # the step it was posted on


@dataclass
class IdeasRoom:
    """What the run's ideas steps share: the console and projector, and every idea and vote acknowledged."""

    console: socketio.AsyncClient
    projector: Projector
    timeout: float
    report: Report
    ideas: dict[int, PostedIdea] = field(default_factory=dict)  # idea id -> the idea, as acknowledged
    votes: Counter[tuple[str, int]] = field(default_factory=Counter)  # (voting step, idea id) -> votes standing
    titles: dict[str, str] = field(default_factory=dict)  # step id -> its title, as ideas.csv names steps
    pools: dict[str, str] = field(default_factory=dict)  # step id -> the step whose ideas it shows
    seconds: dict[str, float] = field(default_factory=dict)  # step id -> from its move to its last board settled

    async def ask(self, phone: Phone, event: str, payload: dict[str, Any],
                  timings: list[float] | None) -> dict[str, Any] | None:  # fmt: skip
        """The phone's ``event``, timed into ``timings``; its ack, or None (an error in the report) if refused."""
        try:
            ack, took_ms = await phone.ask(event, payload, self.timeout)
        except Exception as error:  # every failure is a figure in the report
            self.report.errors.append(f"{event} {phone.number}: {type(error).__name__}: {error}")
            return None
        if not ack.get("ok"):
            self.report.errors.append(f"{event} {phone.number}: {ack.get('code')}: {ack.get('error')}")
            return None
        if timings is not None:
            timings.append(took_ms)
        return ack


async def run_step(room: IdeasRoom, phones: list[Phone], step: dict[str, Any], moved_at: float,
                   came_back: list[Phone]) -> None:  # fmt: skip
    """One ideas step, opened by the console at ``moved_at``: the posts, then (once voting is open) the votes. The
    phones that ``came_back`` on it were sent its board as they joined, which is not timed from the move."""
    key = step["id"]
    room.titles[key] = step["title"]
    await _boards(room, phones, key, moved_at, lambda board: True, untimed=came_back)
    room.pools[key] = next((b["pool"] for phone in phones if (b := phone.ideas.on(key))), key)
    held = (phones[0].ideas.on(key) or {}).get("ideas", {}) if phones else {}  # the room's ideas, as one phone holds
    room.report.board_kb = max(room.report.board_kb, round(len(json.dumps(list(held.values()))) / 1024, 1))
    if step["max_ideas"] and any((phone.ideas.on(key) or {}).get("posting") for phone in phones):
        await _post(room, phones, key, step["max_ideas"])
    if step["votes"]:
        opened_at = time.monotonic()
        if step["voting"] == "when_opened":  # the facilitator opens voting once the ideas are in
            ack = await room.console.call("open_voting", {"step_id": key}, namespace="/facilitator",
                                          timeout=room.timeout)  # fmt: skip
            if not ack.get("ok"):
                room.report.errors.append(f"open_voting: {ack}")
                return
        await _boards(room, phones, key, opened_at, lambda board: board["voting"])
        await _vote(room, phones, key, step["votes"], step["spread"])
    room.seconds[key] = time.monotonic() - moved_at


async def _boards(room: IdeasRoom, phones: list[Phone], key: str, since: float,
                  ready: Callable[[dict[str, Any]], bool], untimed: Sequence[Phone] = ()) -> None:  # fmt: skip
    """Until each phone shows the step's board ``ready``: each phone's wait, timed from ``since``."""

    async def shown(phone: Phone) -> None:
        try:
            await phone.wait(lambda: (board := phone.ideas.on(key)) is not None and ready(board), room.timeout)
            if phone not in untimed:
                room.report.board_ms.append((time.monotonic() - since) * 1000)
        except TimeoutError:
            room.report.errors.append(f"{key}'s board never reached phone {phone.number}")

    await asyncio.gather(*(shown(phone) for phone in phones))


async def _post(room: IdeasRoom, phones: list[Phone], key: str, max_ideas: int) -> None:
    """Each phone whose role posts here posts one or two ideas, one after the other; then each phone is timed until
    it shows every idea of the room."""
    acked_at, posters = 0.0, 0

    async def post(phone: Phone) -> None:
        nonlocal acked_at, posters
        if not (phone.last_state or {}).get("may_answer", True):
            return  # another role posts here (1-2-4-All's reporter)
        posters += 1
        resends = posters % RESENDING == 1
        sent = []
        for number in range(min(max_ideas, 1 + phone.number % 2)):
            text = f"Load idea {phone.number}.{number} on {key}"
            payload = {"step_id": key, "idea_id": f"{phone.number}-{key}-{number}", "text": text}
            ack = await room.ask(phone, "post_idea", payload, room.report.idea_ack_ms)
            if ack is not None:
                room.ideas[ack["idea"]] = PostedIdea(text, key)
                sent.append((payload, ack["idea"]))
                acked_at = max(acked_at, time.monotonic())
        if sent and resends:
            payload, idea = sent[0]
            again = await room.ask(phone, "post_idea", payload, None)
            room.report.ideas_resent += 1
            if again is not None and again["idea"] != idea:
                room.report.errors.append(f"phone {phone.number}'s resent idea became idea {again['idea']}")

    await asyncio.gather(*(post(phone) for phone in phones))
    room.report.ideas_posted = len(room.ideas)
    wanted = {idea_id for idea_id, idea in room.ideas.items() if idea.pool == key}

    async def shows_all(phone: Phone) -> None:
        try:
            await phone.wait(lambda: wanted <= set(phone.ideas.open_ideas(key)), room.timeout)
            room.report.ideas_shown_ms.append(max(0.0, time.monotonic() - acked_at) * 1000)
        except TimeoutError:
            missing = len(wanted - set(phone.ideas.open_ideas(key)))
            room.report.errors.append(f"phone {phone.number} never showed {missing} of the room's ideas on {key}")

    await asyncio.gather(*(shows_all(phone) for phone in phones))


def choose(number: int, ideas: list[int], votes: int, spread: bool) -> list[int]:
    """Phone ``number``'s votes among the ideas it shows: the room's first ideas draw them, so many phones vote for
    the same ideas at once; where votes may be spread, every other phone gives its first two to one idea."""
    popular = ideas[:POPULAR]
    picks = [popular[(number + n) % len(popular)] for n in range(min(votes, len(popular)))] if popular else []
    if spread and number % 2 == 0 and len(picks) > 1:
        picks[1] = picks[0]
    return picks


async def _vote(room: IdeasRoom, phones: list[Phone], key: str, votes: int, spread: bool) -> None:
    """Every phone at once, each giving its votes one after the other (a resend among them, for some), then taking
    its last back and giving it again; the projector is timed until its ranking shows every vote standing."""
    before = {phone.number: phone.received.get(key, 0) for phone in phones}
    acked_at = 0.0
    resending = {phone.number for phone in phones[::RESENDING]}

    async def give(phone: Phone, payload: dict[str, Any]) -> dict[str, Any] | None:
        nonlocal acked_at
        ack = await room.ask(phone, "vote", payload, room.report.vote_ack_ms)
        if ack is not None:
            room.votes[(key, ack["idea"])] += 1
            acked_at = max(acked_at, time.monotonic())
        return ack

    async def vote(phone: Phone) -> None:
        given = []
        for number, idea in enumerate(choose(phone.number, phone.ideas.open_ideas(key), votes, spread)):
            payload = {"step_id": key, "vote_id": f"{phone.number}-{key}-v{number}", "idea": idea}
            if await give(phone, payload) is not None:
                given.append(payload)
        if not given:
            return
        if phone.number in resending:
            room.report.votes_resent += 1
            await room.ask(phone, "vote", given[0], None)  # acknowledged again, counted once
        last = given[-1]
        taken = await room.ask(phone, "unvote", {"step_id": key, "vote_id": last["vote_id"]}, None)
        if taken is None or not taken["removed"]:
            room.report.errors.append(f"phone {phone.number}'s vote {last['vote_id']} was not taken back")
            return
        room.votes[(key, last["idea"])] -= 1
        await give(phone, {**last, "vote_id": f"{last['vote_id']}-again"})

    await asyncio.gather(*(vote(phone) for phone in phones))
    standing = {idea: count for (step, idea), count in room.votes.items() if step == key}
    total = sum(standing.values())
    room.report.votes_acked += total

    def ranked_right() -> bool:
        board = room.projector.board or {}
        return (board.get("step_id") == key and board["total_votes"] == total
                and all(shown["votes"] == standing.get(shown["id"], 0) for shown in board["ranked"]))  # fmt: skip

    try:
        await room.projector.wait(ranked_right, room.timeout)
        room.report.ranking_settle_ms.append(max(0.0, time.monotonic() - acked_at) * 1000)
    except TimeoutError:
        room.report.errors.append(f"the projector never showed the {total} votes of {key}: {room.projector.board}")
    room.report.votes_on_projector += (room.projector.board or {}).get("total_votes", 0)
    room.report.voting_messages.extend(phone.received.get(key, 0) - before[phone.number] for phone in phones)


def summarise(room: IdeasRoom, phones: list[Phone]) -> None:
    """Per ideas step: the ideas posted and votes standing, and the messages each phone was sent while it was open;
    and, for each phone sent its own part (its ideas and votes), how long after the room's board it came."""
    for phone in phones:
        arrived = phone.ideas
        room.report.own_board_ms.extend((own - arrived.room_at[key]) * 1000 for key, own in arrived.own_at.items()
                                        if own >= arrived.room_at.get(key, own + 1))  # fmt: skip
    for key, title in room.titles.items():
        received = [phone.received.get(key, 0) for phone in phones]
        room.report.idea_steps.append({
            "step": title,
            "ideas": sum(1 for idea in room.ideas.values() if idea.pool == key),
            "votes": sum(count for (step, _), count in room.votes.items() if step == key),
            "seconds": round(room.seconds.get(key, 0.0), 1),
            "messages_p50": round(percentile(received, 50), 1) if received else None,
            "messages_max": max(received, default=None),
        })  # fmt: skip


def check_ideas_csv(rows: list[dict[str, str]], room: IdeasRoom, report: Report) -> None:
    """Each acknowledged idea is a row of ideas.csv under the step it was posted on, and each voting step's row of
    it counts exactly the votes acknowledged (given, less those taken back; a resend once)."""
    counted = {(row["step"], row["idea"]): int(row["votes"]) for row in rows}
    report.ideas_missing = sum(1 for idea in room.ideas.values() if (room.titles[idea.pool], idea.text) not in counted)
    report.votes_counted = report.votes_miscounted = 0
    for step in {step for step, _ in room.votes}:
        for idea_id, idea in room.ideas.items():
            if idea.pool == room.pools[step]:
                found = counted.get((room.titles[step], idea.text), 0)
                report.votes_counted += found
                report.votes_miscounted += abs(found - room.votes[(step, idea_id)])
