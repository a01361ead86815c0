"""Group protocols under load: forming tables through the console's ``form_groups``, and how long an answer shared
with the group takes to settle, from its ack until every group-mate's phone shows it."""

import asyncio
from dataclasses import dataclass

import socketio

from facilitator.loadtest.phones import Phone
from facilitator.loadtest.report import Report
from protocols.loader import load_library

SHARED_WITH_GROUP = ("group", "room-named")  # protocols.visibility.shared_with_group, as docs/API.md names them


def needs_groups(agenda: tuple[str, ...]) -> bool:
    """Whether any protocol of the agenda is run in groups (tuning, 1-2-4-All, …)."""
    library = load_library()
    return any(protocol_id in library and library[protocol_id].grouping is not None for protocol_id in agenda)


def shared_with_group(step: dict) -> bool:
    return step.get("visibility") in SHARED_WITH_GROUP


@dataclass(frozen=True)
class GroupAck:
    """An answer to a group-shared step, acknowledged at ``at`` (monotonic seconds)."""

    author: Phone
    step_id: str
    at: float


async def form_groups(console: socketio.AsyncClient, phones: list[Phone], size: int, timeout: float,
                      report: Report) -> None:  # fmt: skip
    """Tables of about ``size`` from every connected phone, as a facilitator forms them; waits until each phone
    knows its table."""
    ack = await console.call("form_groups", {"size": size, "confirm": True}, namespace="/facilitator",
                             timeout=timeout)  # fmt: skip
    if not ack.get("ok"):
        report.errors.append(f"form_groups: {ack}")
        return

    async def seated(phone: Phone) -> None:
        try:
            await phone.wait(lambda: phone.table is not None, timeout)
        except TimeoutError:
            report.errors.append(f"phone {phone.number} was never told its table")

    await asyncio.gather(*(seated(phone) for phone in phones))
    report.tables = len({phone.table for phone in phones if phone.table is not None})


async def settle(acks: list[GroupAck], phones: list[Phone], timeout: float, report: Report) -> None:
    """For each acknowledged group answer: the time from its ack until the last group-mate's phone showed it."""
    by_table: dict[int, list[Phone]] = {}
    for phone in phones:
        if phone.table is not None:
            by_table.setdefault(phone.table, []).append(phone)

    async def one(ack: GroupAck) -> None:
        mates = [phone for phone in by_table.get(ack.author.table, []) if phone is not ack.author]
        key = (ack.step_id, ack.author.name)
        try:
            await asyncio.gather(*(mate.wait(lambda mate=mate: key in mate.mates_seen, timeout) for mate in mates))
        except TimeoutError:
            report.errors.append(f"{ack.author.name}'s answer to {ack.step_id} never reached every group-mate")
            return
        last = max((mate.mates_seen[key] for mate in mates), default=ack.at)
        report.settle_ms.append(max(0.0, last - ack.at) * 1000)

    await asyncio.gather(*(one(ack) for ack in acks))
