"""``pathways loadtest``: many simulated phones driving a running server through the public API alone.

It does what a district's IT team needs before the day: create a session, bring N phones in, run the agenda
step by step with every phone answering, drop and reconnect a share of them mid-way, then check that no
acknowledged answer is missing. It measures join time, step fan-out (from the facilitator's ``next`` to each
phone's new ``state``), answer acknowledgements, errors and, when it can read it, the server's memory. Ideas steps
are run as a room runs them (``facilitator/loadtest/ideas.py``): ideas posted, then votes given.

Only docs/API.md is used: the same scenario runs against the bare Flask-SocketIO baseline
(``facilitator/loadtest/baseline.py``), so the product's cost over its stack is a ratio taken in one run.
"""

import asyncio
import csv
import io
import logging
import sys
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import aiohttp
import click
import socketio

from exports.ideas_csv import IDEAS_CSV_NAME
from exports.markdown import replace_section
from facilitator.loadtest.ideas import IdeasRoom, Projector, check_ideas_csv, needs_ideas, run_step, summarise
from facilitator.loadtest.local import free_port, local_server, server_env, throwaway_database
from facilitator.loadtest.phones import DEFAULT_GOALS, Phone, sample_answer
from facilitator.loadtest.report import (
    POSTGRESQL_TARGET,
    Report,
    format_report,
    markdown,
    rss_kb,
    total_rss_kb,
    verdicts,
    worker_verdicts,
    workers_markdown,
    write_json,
)
from facilitator.loadtest.tables import GroupAck, form_groups, needs_groups, settle, shared_with_group
from facilitator.runtime import DEFAULT_ASYNC_MODE, async_mode_from_env, raise_file_limit
from protocols.credentials import new_secret

log = logging.getLogger(__name__)  # progress, for a run of thousands of phones that takes minutes


@dataclass
class Options:
    url: str
    participants: int
    admin_token: str
    join_rate: float = 200.0  # phones joining per second
    drop_share: float = 0.05  # phones that drop and come back mid-way
    agenda: tuple[str, ...] = ("goal-setting",)
    timeout: float = 60.0  # seconds to wait for any one thing before counting it as an error
    server_pids: tuple[int, ...] = ()  # local servers whose memory is read (one per worker)
    phone_urls: tuple[str, ...] = ()  # workers the phones are spread over in turn; empty: every phone on ``url``
    export_check: bool = True  # also count every acknowledged answer the facilitator may see in the export's CSV
    group_size: int = 6  # tables of about this many, formed by the console when the agenda has a group protocol


async def _create_session(options: Options) -> dict[str, Any]:
    body = {"title": f"Load test, {options.participants} phones", "system_goals": DEFAULT_GOALS,
            "agenda": list(options.agenda)}  # fmt: skip
    headers = {"Authorization": f"Bearer {options.admin_token}"}
    async with aiohttp.ClientSession() as http, http.post(f"{options.url}/api/sessions", json=body,
                                                          headers=headers) as response:  # fmt: skip
        if response.status != 201:
            raise RuntimeError(f"creating the session failed: {response.status} {await response.text()}")
        return await response.json()


async def run(options: Options, target: str = "pathways") -> Report:
    """One whole scenario against ``options.url``; returns what was measured."""
    # No cap on connections: aiohttp's default of 100 would hold every phone past the hundredth.
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        return await _run(options, target, http)


async def _run(options: Options, target: str, http: aiohttp.ClientSession) -> Report:
    report = Report(target=target, participants=options.participants)
    created = await _create_session(options)
    code, goals = created["code"], created.get("system_goals") or []
    console = socketio.AsyncClient(reconnection=False)
    auth = {"code": code, "key": created["facilitator_key"]}
    await console.connect(options.url, namespaces=["/facilitator"], transports=["websocket"], auth=auth,
                          wait_timeout=options.timeout)  # fmt: skip
    room = None
    if needs_ideas(options.agenda):  # the projector shows the ideas' ranking; the load test times it
        room = IdeasRoom(console, Projector(), options.timeout, report)
        await room.projector.connect(options.url, code, options.timeout)
    urls = options.phone_urls or (options.url,)
    phones = [Phone(n, urls[n % len(urls)], http) for n in range(options.participants)]
    rss_before = total_rss_kb(options.server_pids)

    async def join(phone: Phone) -> None:
        await asyncio.sleep(phone.number / options.join_rate)  # pacing the ramp, not waiting for a result
        try:
            await phone.join(code, options.timeout)
            report.joined += 1
        except Exception as error:  # every failure is a figure in the report
            report.errors.append(f"join {phone.number}: {type(error).__name__}: {error}")

    started = time.monotonic()
    await asyncio.gather(*(join(phone) for phone in phones))
    report.join_seconds = round(time.monotonic() - started, 2)
    log.info("%d of %d phones joined in %.1f s", report.joined, options.participants, report.join_seconds)
    rss_joined = total_rss_kb(options.server_pids)
    if rss_before and rss_joined and report.joined:
        report.memory_kb_per_phone = round((rss_joined - rss_before) / report.joined, 1)
    live = [phone for phone in phones if phone.token]
    report.joined_per_worker = [sum(1 for phone in live if phone.url == url) for url in urls]
    if needs_groups(options.agenda):
        await form_groups(console, live, options.group_size, options.timeout, report)
    dropping = live[: int(len(live) * options.drop_share)]
    number = 0
    while True:
        number += 1
        drop_now = number == 3 and dropping
        if drop_now:
            await asyncio.gather(*(phone.drop() for phone in dropping))
        sent = time.monotonic()
        ack = await _move(console, "next", options, report)
        if ack is None or ack["phase"] == "ended":
            break
        report.steps += 1
        step_id = ack["step_id"]
        connected = [phone for phone in live if not (drop_now and phone in dropping)]
        await _gather_step(connected, step_id, sent, options, report)
        if drop_now:
            await _come_back(dropping, code, step_id, options, report)
        step = next(((p.last_state or {}).get("step") for p in live if p.step_arrived.get(step_id)), None) or {}
        if room is not None and step.get("kind") == "ideas":
            await run_step(room, live, step, sent, dropping if drop_now else [])
        else:
            group_acks: list[GroupAck] = []
            await asyncio.gather(*(_answer(phone, step_id, goals, options, report, group_acks) for phone in live))
            await settle(group_acks, live, options.timeout, report)
        log.info("step %d: %d answers, %d ideas and %d votes acknowledged in all, %d errors", report.steps,
                 report.acknowledged, report.ideas_posted, report.votes_acked, len(report.errors))  # fmt: skip
    if room is not None:
        summarise(room, live)
        await room.projector.client.disconnect()
    report.worker_rss_mb = [round(kb / 1024, 1) for pid in options.server_pids if (kb := rss_kb(pid))]
    report.server_rss_mb = round(sum(report.worker_rss_mb), 1) if report.worker_rss_mb else None
    log.info("the agenda ended; each phone comes back to count its saved answers")
    await _check_nothing_lost(live, code, options, report)
    if options.export_check:
        log.info("%d answers lost; the export is built while the console keeps moving", report.lost)
        await _check_export(live, code, created["facilitator_key"], options, report, console, room)
    await asyncio.gather(*(phone.client.disconnect() for phone in live), console.disconnect())
    return report


async def _gather_step(phones: list[Phone], step_id: str, sent: float, options: Options, report: Report) -> None:
    async def arrival(phone: Phone) -> None:
        try:
            await phone.wait(lambda: step_id in phone.step_arrived, options.timeout)
            report.fanout_ms.append((phone.step_arrived[step_id] - sent) * 1000)
        except TimeoutError:
            report.unreached += 1
            report.errors.append(f"step {step_id} never reached phone {phone.number}")

    await asyncio.gather(*(arrival(phone) for phone in phones))


async def _come_back(phones: list[Phone], code: str, step_id: str, options: Options, report: Report) -> None:
    async def back(phone: Phone) -> None:
        try:
            await phone.join(code, options.timeout)
            state = phone.last_state or {}
            if (state.get("step") or {}).get("id") != step_id:
                report.errors.append(f"phone {phone.number} came back to the wrong step")
            if state.get("answers") != phone.acked:
                report.errors.append(f"phone {phone.number} came back without its saved answers")
            report.reconnected += 1
        except Exception as error:
            report.errors.append(f"reconnect {phone.number}: {type(error).__name__}: {error}")

    await asyncio.gather(*(back(phone) for phone in phones))


async def _answer(
    phone: Phone, step_id: str, goals: list, options: Options, report: Report, group_acks: list[GroupAck]
) -> None:
    """The phone answers the open step if it is theirs to answer; a step shared with the group is timed apart."""
    state = phone.last_state or {}
    step = state.get("step")
    if not step or step["id"] != step_id or step.get("kind") == "none" or not state.get("may_answer", True):
        return
    value = sample_answer(step, goals, phone.number, marker="load ")
    try:
        payload = {"step_id": step_id, "answer_id": f"{phone.number}-{step_id}", "value": value}
        ack, took_ms = await phone.ask("answer", payload, options.timeout)
    except Exception as error:
        report.errors.append(f"answer {phone.number}: {type(error).__name__}: {error}")
        return
    if ack.get("ok"):
        if shared_with_group(step):
            report.ack_group_ms.append(took_ms)
            group_acks.append(GroupAck(phone, step_id, time.monotonic()))
        else:
            report.ack_ms.append(took_ms)
        phone.acked[step_id] = value
        report.acknowledged += 1
    else:
        report.errors.append(f"answer {phone.number}: {ack.get('error')}")


async def _check_nothing_lost(phones: list[Phone], code: str, options: Options, report: Report) -> None:
    """Every phone comes back with its token; its saved answers must hold every answer it was told is saved."""

    async def check(phone: Phone) -> None:
        try:
            await phone.drop()
            await phone.join(code, options.timeout)
        except Exception as error:
            report.errors.append(f"final check {phone.number}: {type(error).__name__}: {error}")
            return  # could not look: an error, not a loss
        saved = (phone.last_state or {}).get("answers") or {}
        report.lost += sum(1 for step_id, value in phone.acked.items() if saved.get(step_id) != value)

    wave = max(10, int(options.join_rate))  # a second's joins at a time: the check is no load test of its own
    for start in range(0, len(phones), wave):
        await asyncio.gather(*(check(phone) for phone in phones[start : start + wave]))


async def _check_export(
    phones: list[Phone],
    code: str,
    key: str,
    options: Options,
    report: Report,
    console: socketio.AsyncClient,
    room: IdeasRoom | None = None,
) -> None:
    """Through the facilitator's export: each acknowledged answer the facilitator may see is a row of the CSV, and
    each acknowledged idea, with its votes, a row of ideas.csv.

    While every phone's plan is built, the console keeps moving between the last two steps, one move every
    quarter second, and each move's fan-out to every phone is timed: the live room must not wait for the export.
    """
    url = f"{options.url}/api/sessions/{code}/export"
    headers = {"X-Facilitator-Key": key}
    async with aiohttp.ClientSession() as http:
        async with http.post(url, headers=headers) as started:
            if started.status == 404:
                return  # a target without exports (the bare baseline)
            if started.status != 202:
                report.errors.append(f"export: {started.status} {await started.text()}")
                return
        deadline = time.monotonic() + max(options.timeout, 0.05 * len(phones) + 60)
        moves = 0
        while True:
            async with http.get(url, headers=headers) as polled:
                status = await polled.json()
            if status["state"] in ("done", "failed") or time.monotonic() > deadline:
                break
            moves += 1
            await _move_during_export(console, phones, "prev" if moves % 2 else "next", options, report)
            await asyncio.sleep(0.25)  # the pace of a presenter clicking through, not a wait for a result
        if status["state"] != "done":
            report.errors.append(f"export: {status}")
            return
        async with http.get(f"{url}.zip", headers=headers) as download:
            content = await download.read()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        rows = _csv_rows(archive, "answers.csv")
        if room is not None:
            check_ideas_csv(_csv_rows(archive, IDEAS_CSV_NAME), room, report)
    per_person: dict[str, int] = {}
    for row in rows:
        per_person[row["participant"]] = per_person.get(row["participant"], 0) + 1
    missing = 0
    for phone in phones:
        expected = sum(1 for step_id in phone.acked if phone.visibility.get(step_id) != "private")
        missing += max(0, expected - per_person.get(phone.name, 0))
    report.missing_from_export = missing


def _csv_rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


async def _move_during_export(
    console: socketio.AsyncClient, phones: list[Phone], move: str, options: Options, report: Report
) -> None:
    sent = time.monotonic()
    ack = await _move(console, move, options, report)
    if ack is None:
        return
    step_id = ack["step_id"]
    report.steps_during_export += 1

    async def arrival(phone: Phone) -> None:
        def shown() -> float | None:
            return next((at for at, shown_id in phone.arrivals if at >= sent and shown_id == step_id), None)

        try:
            await phone.wait(lambda: shown() is not None, options.timeout)
            report.fanout_export_ms.append((shown() - sent) * 1000)  # type: ignore[operator]
        except TimeoutError:
            report.unreached += 1
            report.errors.append(f"{move} during the export never reached phone {phone.number}")

    await asyncio.gather(*(arrival(phone) for phone in phones))


async def _move(console: socketio.AsyncClient, move: str, options: Options, report: Report) -> dict[str, Any] | None:
    """The console's ``next`` or ``prev``; None, and an error in the report, when it fails or is refused."""
    try:
        ack = await console.call(move, namespace="/facilitator", timeout=options.timeout)
    except Exception as error:  # a console that lost its connection is a figure in the report, not a crash
        report.errors.append(f"{move}: {type(error).__name__}: {error}")
        return None
    if not ack.get("ok"):
        report.errors.append(f"{move}: {ack}")
        return None
    return ack


def run_sync(options: Options, target: str = "pathways") -> Report:
    return asyncio.run(run(options, target))


def _run_local(options: Options, databases: tuple[str, ...] = ("sqlite",)) -> list[Report]:
    """This machine's Pathways (fresh data folder) on each database asked for, then the bare baseline, measured one
    after the other. PostgreSQL is a throwaway server started here, as the tests start theirs."""
    token = new_secret()
    reports = []
    for database in databases:
        with tempfile.TemporaryDirectory(prefix="pathways-loadtest-") as data_dir, throwaway_database(database) as url:
            port = free_port()
            env = server_env(token, options.participants, url)
            with local_server(["facilitator", "serve", "--data-dir", data_dir], port, env) as process:
                product = Options(**{**asdict(options), "url": f"http://127.0.0.1:{port}", "admin_token": token,
                                     "server_pids": (process.pid,)})  # fmt: skip
                target = POSTGRESQL_TARGET if database == "postgresql" else "pathways"
                reports.append(run_sync(product, target))
    port = free_port()
    with local_server(["facilitator.loadtest.baseline"], port, {}) as process:
        baseline = Options(**{**asdict(options), "url": f"http://127.0.0.1:{port}", "server_pids": (process.pid,)})
        reports.append(run_sync(baseline, "baseline"))
    return reports


@click.command("loadtest")
@click.argument("url", required=False)
@click.option("--participants", "-n", default=100, show_default=True, type=click.IntRange(1, 20_000))
@click.option("--join-rate", default=200.0, show_default=True, help="Phones joining per second.")
@click.option("--drop-share", default=0.05, show_default=True, type=click.FloatRange(0, 1),
              help="Share of phones that drop and reconnect mid-way.")  # fmt: skip
@click.option("--agenda", default="goal-setting", show_default=True,
              help="Protocol ids, comma-separated; affinity or one-two-four-all puts ideas to a vote.")  # fmt: skip
@click.option(
    "--admin-token", envvar="PATHWAYS_ADMIN_TOKEN", help="The server's admin token [env PATHWAYS_ADMIN_TOKEN]."
)
@click.option("--server-pid", "server_pids", type=int, multiple=True,
              help="The server's process id, to read its memory (same machine only); once per worker.")  # fmt: skip
@click.option("--local", is_flag=True, help="Start Pathways and the bare baseline here; measure both in one run.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 16),
              help="With --local: this many workers on a Redis of their own, the phones spread over them.")  # fmt: skip
@click.option("--export-check/--no-export-check", default=True, show_default=True,
              help="Also find every acknowledged answer in the facilitator's export.")  # fmt: skip
@click.option("--database", "databases", default="sqlite", show_default=True,
              type=click.Choice(["sqlite", "postgresql", "both"]),
              help="With --local: the database Pathways runs on; both measures SQLite, then PostgreSQL.")  # fmt: skip
@click.option("--group-size", default=6, show_default=True, type=click.IntRange(2, 30),
              help="Tables of about this many, when the agenda has a group protocol.")  # fmt: skip
@click.option("--timeout", default=60.0, show_default=True, help="Seconds to wait for any one thing.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="Also write figures here.")
@click.option("--write", "markdown_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the figures as their section of this Markdown file (docs/PERFORMANCE.md): the live room, "
                   "group steps, ideas and votes, or several workers.")  # fmt: skip
def loadtest_command(url: str | None, participants: int, join_rate: float, drop_share: float, agenda: str,
                     admin_token: str | None, server_pids: tuple[int, ...], local: bool, workers: int,
                     export_check: bool, databases: str, group_size: int, timeout: float, json_path: Path | None,
                     markdown_path: Path | None) -> None:  # fmt: skip
    """Drive a running server with simulated phones through the public API and report what was measured. URL may
    name several workers of one deployment, comma-separated: the console uses the first, the phones all in turn.

    Exits 1 if any acknowledged answer is missing at the end or anything failed.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    limit = raise_file_limit()  # every phone is an open socket, here and (with --local) in the servers started here
    if limit is not None and limit < participants + 200:
        needed = f"{participants} phones need about {participants + 200} open files"
        raise click.ClickException(f"{needed}, and this process may open {limit}: raise the hard limit (ulimit -Hn)")
    agenda_ids = tuple(part.strip() for part in agenda.split(",") if part.strip())
    urls = tuple(part.strip().rstrip("/") for part in (url or "").split(",") if part.strip())
    options = Options(url=urls[0] if urls else "", participants=participants, admin_token=admin_token or "",
                      join_rate=join_rate, drop_share=drop_share, agenda=agenda_ids, timeout=timeout,
                      server_pids=server_pids, export_check=export_check, group_size=group_size,
                      phone_urls=urls if len(urls) > 1 else ())  # fmt: skip
    chosen = ("sqlite", "postgresql") if databases == "both" else (databases,)
    several = workers > 1 or len(urls) > 1
    if workers > 1 and not local:
        raise click.UsageError("--workers starts workers here, with --local; for a running deployment, give each "
                               "worker's URL, comma-separated.")  # fmt: skip
    if local and workers > 1:
        from facilitator.loadtest.workers import run_workers  # lazily: it imports this module

        reports = [run_workers(options, workers, database) for database in chosen]
    elif local:
        reports = _run_local(options, chosen)
    elif not url or not admin_token:
        raise click.UsageError("Give the server's URL and its admin token, or use --local.")
    else:
        reports = [run_sync(options, "pathways, several workers" if several else "pathways")]
    click.echo(format_report(reports))
    if several:
        click.echo("\n".join(line for report in reports for line in worker_verdicts(report)))
    elif len(reports) >= 2:
        click.echo("\n".join(verdicts(reports)))
    if json_path:
        write_json(json_path, reports)
    engine = async_mode_from_env()  # local servers, Pathways and the baseline alike, run on the environment's
    command = "pathways loadtest " + " ".join(sys.argv[2:] if sys.argv[1:2] == ["loadtest"] else sys.argv[1:])
    if engine != DEFAULT_ASYNC_MODE:
        command = f"PATHWAYS_ASYNC_MODE={engine} {command}"
    if markdown_path and several:
        replace_section(markdown_path, "workers", workers_markdown(reports, command))
    elif markdown_path:
        section, title = _section(agenda_ids, participants, engine)
        replace_section(markdown_path, section, markdown(reports, command, title))
    if any(report.lost or report.missing_from_export or report.errors for report in reports):
        for report in reports:
            for error in report.errors[:10]:
                click.echo(f"{report.target}: {error}", err=True)
        sys.exit(1)


def _section(agenda: tuple[str, ...], participants: int, engine: str) -> tuple[str, str]:
    """The run's section of docs/PERFORMANCE.md and its title: an ideas step's, a group protocol's, another room
    size's and another engine's figures each have their own, beside the live room's at 1,000 on the default engine."""
    section, title = ("live-room", "The live room under load")
    if needs_ideas(agenda):
        section, title = ("ideas-steps", "Ideas and votes under load")
    elif needs_groups(agenda):
        section, title = ("group-steps", "Group steps under load")
    if participants != 1000:
        section, title = f"{section}-{participants}", f"{title}: {participants:,} phones"
    if engine != DEFAULT_ASYNC_MODE:
        section, title = f"{section}-{engine}", f"{title}, on {engine}"
    return section, title


if __name__ == "__main__":
    loadtest_command()
