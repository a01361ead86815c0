"""How fast the console draws a crowded room in Chromium, against the console as it was before the compact list.

    python -m facilitator.loadtest.console_benchmark [--answers 2000] [--incoming 100] [--repeats 3]
        [--write docs/PERFORMANCE.md]

Starts `pathways serve` on a throwaway data folder; real Socket.IO phones (the load test's phone model) join, and
all but the spare ones answer a room-visible text step. Debian's Chromium (Playwright) then opens the console twice,
once as it is and once with the previous answers panel and group board served in place of today's (the baseline,
kept in console_baseline/), and measures in the page: from the ``state`` message to the first frame painted with
every answer counted; from each of ``--incoming`` answers arriving together (the spare phones) to the frame that
shows it; and, back in the lobby once groups are formed, the board of every table and a person moved. A tool for
developers: it needs the ``test`` extra (aiohttp, python-socketio client, Playwright).
"""

import argparse
import asyncio
import os
import platform
import statistics
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from exports.markdown import replace_section

HERE = Path(__file__).parent
BASELINE = HERE / "console_baseline"
CHROMIUM = "/usr/bin/chromium"  # Debian's package; never a browser a tool downloads
VIEWPORT = {"width": 1440, "height": 900}
GROUP_SIZE = 6
VARIANTS = ("before", "now")  # the baseline first: the spare phones it is given leave the room as it found it


def _serving(script: str) -> Any:
    async def serve(route: Any) -> None:
        await route.fulfill(body=script, content_type="text/javascript")

    return serve


async def _page(browser: Any, url: str, variant: str) -> Any:
    """The console in a fresh context, with the probe installed; ``before`` is served the previous panel and board."""
    context = await browser.new_context(viewport=VIEWPORT)
    await context.add_init_script(path=str(HERE / "console_probe.js"))
    if variant == "before":
        for name in ("answers.js", "groups.js"):
            await context.route(f"**/static/js/console/{name}", _serving((BASELINE / name).read_text(encoding="utf-8")))

        async def older_css(route: Any) -> None:
            today = await route.fetch()
            extra = (BASELINE / "console.css").read_text(encoding="utf-8")
            await route.fulfill(response=today, body=await today.text() + "\n" + extra)

        await context.route("**/static/css/console.css", older_css)
    page = await context.new_page()
    page.on("pageerror", lambda error: print(f"{variant}: the page threw {error}", flush=True))
    await page.goto(url)
    return page


SHOWS_ANSWERS = "(n) => () => document.getElementById('answers-count').textContent === `(${n})`"
SHOWS_BOARD = ("(n) => () => document.querySelectorAll('#group-board .table').length === n"
               " && document.querySelector('#group-board .member') !== null")  # fmt: skip
SHOWS_AT_TABLE_1 = "(name) => () => document.querySelector('[data-testid=table-1]').textContent.includes(name)"


async def _opened(page: Any, shows: str, argument: Any) -> float:
    return await page.evaluate(f"(a) => consoleProbe.opened('state', ({shows})(a))", argument)


async def _answer(phone: Any, step_id: str, value: str) -> None:
    ack = await phone.client.call("answer", {"step_id": step_id, "answer_id": f"b-{phone.number}", "value": value},
                                  namespace="/participant", timeout=120)  # fmt: skip
    if not ack.get("ok"):
        raise RuntimeError(f"phone {phone.number}: {ack}")


def _value(n: int) -> str:
    from facilitator.loadtest.console_crowd import SENTENCES, long_answer

    return long_answer(n) if n % 40 == 0 else f"{SENTENCES[n % len(SENTENCES)]} ({n})"


async def _measure(url: str, code: str, key: str, answers: int, incoming: int, repeats: int) -> dict[str, Any]:
    import aiohttp
    import socketio
    from playwright.async_api import async_playwright

    from facilitator.loadtest.phones import Phone

    figures: dict[str, Any] = {variant: {} for variant in VARIANTS}
    console_url = f"{url}/console/{code}#key={key}"
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        phones = [Phone(n, url, http) for n in range(answers + incoming * len(VARIANTS))]
        for start in range(0, len(phones), 200):  # 200 a second, as a room arrives
            await asyncio.gather(*(phone.join(code, 120) for phone in phones[start : start + 200]))
        print(f"{len(phones)} phones joined", flush=True)
        console = socketio.AsyncClient(reconnection=False)
        latest: dict[str, Any] = {}
        console.on("state", latest.update, namespace="/facilitator")
        await console.connect(url, namespaces=["/facilitator"], auth={"code": code, "key": key},
                              transports=["websocket"], wait_timeout=60)  # fmt: skip
        step_id = (await console.call("next", {"from": None}, namespace="/facilitator", timeout=60))["step_id"]
        await asyncio.gather(*(_answer(phone, step_id, _value(phone.number)) for phone in phones[:answers]))
        print(f"{answers} answers given", flush=True)
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for n, variant in enumerate(VARIANTS):
                given = answers + n * incoming  # the baseline's spare phones have answered by the second
                opened = []
                for _ in range(repeats):
                    page = await _page(browser, console_url, variant)
                    opened.append(await _opened(page, SHOWS_ANSWERS, given))
                    elements = await page.evaluate("consoleProbe.elements()")
                    await page.context.close()
                page = await _page(browser, console_url, variant)
                await _opened(page, SHOWS_ANSWERS, given)
                await page.evaluate(f"consoleProbe.followAnswers({incoming})")
                spare = phones[answers + n * incoming : answers + (n + 1) * incoming]
                await asyncio.gather(*(_answer(phone, step_id, _value(phone.number)) for phone in spare))
                followed = await page.evaluate("consoleProbe.followed")
                await page.context.close()
                figures[variant].update(open_ms=opened, answer_elements=elements, incoming_ms=followed["latencies"],
                                        incoming_all_ms=followed["all"])  # fmt: skip
                print(f"{variant}: answers measured", flush=True)
            await console.call("prev", {"from": step_id}, namespace="/facilitator", timeout=60)
            formed = await console.call("form_groups", {"size": GROUP_SIZE, "by": "random", "confirm": True},
                                        namespace="/facilitator", timeout=120)  # fmt: skip
            figures["tables"] = formed["groups"]
            for n, variant in enumerate(VARIANTS):
                board, moves = [], []
                for attempt in range(repeats):
                    page = await _page(browser, console_url, variant)
                    board.append(await _opened(page, SHOWS_BOARD, formed["groups"]))
                    # seated somewhere, moved to table 1, in sight: a different person each time (one the baseline
                    # moved is at table 1 already, and a move to where they sit changes nothing)
                    mover = phones[answers + n * repeats + attempt]
                    await page.evaluate("consoleProbe.arrivals.length = 0")
                    await console.call("move", {"participant_id": _seated(latest)[mover.name], "group": 1},
                                       namespace="/facilitator", timeout=60)  # fmt: skip
                    moves.append(await _opened(page, SHOWS_AT_TABLE_1, mover.name))
                    figures[variant]["board_elements"] = await page.evaluate("consoleProbe.elements()")
                    await page.context.close()
                figures[variant].update(board_ms=board, move_ms=moves)
                print(f"{variant}: board measured", flush=True)
            await browser.close()
        await console.disconnect()
        await asyncio.gather(*(phone.client.disconnect() for phone in phones))
    return figures


def _seated(state: dict[str, Any]) -> dict[str, int]:
    """Each seated person's participant id, by name, from a console's state."""
    return {member["name"]: member["participant_id"] for group in state["groups"] for member in group["members"]}


def run(answers: int, incoming: int, repeats: int) -> dict[str, Any]:
    """Every figure, on a server started here on a throwaway data folder."""
    from facilitator.loadtest.local import free_port, local_server, server_env
    from protocols.credentials import new_secret

    token = new_secret()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with tempfile.TemporaryDirectory(prefix="pathways-console-") as folder:
        port = free_port()
        env = server_env(token, answers + 2 * incoming + 10, None)
        with local_server(["facilitator", "serve", "--data-dir", folder], port, env):
            url = f"http://127.0.0.1:{port}"
            import requests

            created = requests.post(f"{url}/api/sessions", headers={"Authorization": f"Bearer {token}"},
                                    json={"title": "Console benchmark", "system_goals": ["Literacy"],
                                          "agenda": ["what-so-what-now-what"]}, timeout=10).json()  # fmt: skip
            figures = asyncio.run(_measure(url, created["code"], created["facilitator_key"], answers, incoming,
                                           repeats))  # fmt: skip
    return {"answers": answers, "incoming": incoming, "repeats": repeats, "load": load, **figures}


def _ms(samples: list[float]) -> str:
    return f"{statistics.median(samples):.0f} ms"


def _spread(samples: list[float]) -> str:
    ordered = sorted(samples)
    return " / ".join(f"{value:.0f}" for value in (statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))],
                                                   ordered[-1])) + " ms"  # fmt: skip


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def report(figures: dict[str, Any]) -> str:
    """The figures as their section of docs/PERFORMANCE.md."""
    before, now, answers, incoming = figures["before"], figures["now"], figures["answers"], figures["incoming"]
    machine = (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}"
    )
    command = (f"python -m facilitator.loadtest.console_benchmark --answers {answers} --incoming {incoming}"
               f" --repeats {figures['repeats']}")  # fmt: skip
    rows = [
        _row("in Chromium, 1440 × 900", "before (cards)", "now (compact list)"),
        "|---|---|---|",
        _row(f"open the console on a step with {answers:,} answers: from the `state` message to the first frame "
             "painted with them (median)", _ms(before["open_ms"]), _ms(now["open_ms"])),
        _row("elements in the page then", f"{before['answer_elements']:,}", f"{now['answer_elements']:,}"),
        _row(f"{incoming} answers arriving together: each from its `answer` message to the frame that shows it "
             "(median / 95th percentile / slowest)", _spread(before["incoming_ms"]), _spread(now["incoming_ms"])),
        _row(f"the same {incoming}: from the first message to the frame showing the last",
             f"{before['incoming_all_ms']:.0f} ms", f"{now['incoming_all_ms']:.0f} ms"),
        _row(f"the group board, {figures['tables']} tables of {GROUP_SIZE}: from `state` to the first frame painted "
             "(median)", _ms(before["board_ms"]), _ms(now["board_ms"])),
        _row("elements in the page then", f"{before['board_elements']:,}", f"{now['board_elements']:,}"),
        _row("a person moved to table 1: from `state` to the frame that shows them there (median)",
             _ms(before["move_ms"]), _ms(now["move_ms"])),
    ]  # fmt: skip
    return f"""## The console at {answers:,} answers

Measured {datetime.now(UTC):%Y-%m-%d} on {machine} (load average {figures["load"]:.1f} as it started: other work
shares these cores), with Debian's Chromium (headless, through Playwright), `pathways serve` and the phones all on
this machine:

```sh
{command} --write docs/PERFORMANCE.md
```

{answers + 2 * incoming:,} real Socket.IO phones (the load test's phone model) join a session of What? So what? Now
what?; {answers:,} of them answer its first step (room-visible text, one answer in 40 of 1,000 characters). The
benchmark opens the console and measures in the page, from the moment the Socket.IO message arrives (before the
console's own handler runs) to the end of the first frame painted showing it. "Before" is the same page with the
previous answers panel and group board served in place of today's (one card per answer, built again whole for
every answer; every table's people and a menu of every table for each of them); "now" is the compact list (only
the rows in sight in the page, drawn once a frame) and the board that fills a table as it nears sight. Each
console is then sent {incoming} answers from spare phones at once (the baseline first, from {answers:,}; today's
from {answers + incoming:,}). Back in the lobby, groups are formed and each console is opened on the board, then a
person is moved. Openings are the median of {figures["repeats"]}.

{chr(10).join(rows)}
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m facilitator.loadtest.console_benchmark",
                                     description=__doc__.splitlines()[0])  # fmt: skip
    parser.add_argument("--answers", type=int, default=2000, help="phones that answer before the console opens")
    parser.add_argument("--incoming", type=int, default=100, help="answers sent at once to an open console")
    parser.add_argument("--repeats", type=int, default=3, help="openings measured per console")
    parser.add_argument("--write", type=Path, help="write the figures as a section of this Markdown file")
    args = parser.parse_args(argv)
    text = report(run(args.answers, args.incoming, args.repeats))
    print(text)
    if args.write:
        replace_section(args.write, "console-2000", text)


if __name__ == "__main__":
    main()
