"""How fast plans are built, and proof that building them never slows the live room.

    python -m facilitator.loadtest.export_benchmark [--plans 1000] [--phones 50] [--moves 20]
        [--write docs/PERFORMANCE.md]

Seeds a throwaway data folder with a day of ``--plans`` participants (goal setting, then a tuning round in groups
of six), then measures: one plan on demand (built here, and over HTTP from a real server), the whole ZIP through
the process pool (``pathways export``), and how long ``--phones`` real Socket.IO phones wait for each step the
console opens, first with nothing else running, then while the server builds the 1,000-plan export. A tool for
developers: it needs the ``test`` extra (python-socketio client, requests).
"""

import argparse
import os
import platform
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from exports.markdown import replace_section

ADMIN_TOKEN = "benchmark-admin-token-0123456789abcdef"
GOALS = [
    ("Every student reads fluently by grade 3", "Literacy across the curriculum"),
    ("Feedback that moves learning forward", "Timely, specific feedback students act on"),
    ("Belonging for every learner", "Every student known by name, strengths and needs"),
]
FIRST = ["Zoë", "Αλέξανδρος", "Юлия", "Amara", "Mateus", "Siobhán", "Kwame", "Ingrid", "José", "Nguyễn"]
LAST = ["Ødegård", "Παπαδόπουλος", "Смирнова", "Okafor", "Gonçalves", "Ní Bhriain", "Mensah", "Løvaas", "Muñoz"]
SENTENCES = [
    "I will use exit tickets twice a week and sort them into three groups before the next lesson.",
    "Time to plan with my grade-level team is the biggest obstacle, with parent communication close behind.",
    "My students will explain their next step in their own words when they get work back.",
    "Reading conferences with six students a day, keeping running records in a shared sheet.",
    "I know my students well and I already run small groups; I need a routine that lasts past October.",
    "Fewer students will need reteaching after the unit test, and more will revise without being asked.",
    "Feedback within two days on every writing task, using a single-point rubric.",
    "The team meets on Thursdays, which clashes with duty; release time would make it work.",
]


def _text(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


def seed(data_dir: Path, people: int, seed_value: int = 7) -> tuple[str, str, list[str]]:
    """A finished day with ``people`` participants in groups of six; returns the code, its key and every token."""
    from facilitator.store import DATABASE_FILE, Store
    from protocols.answers import validate_answer
    from protocols.groups import Seating, answers_step
    from protocols.loader import load_library
    from protocols.model import GroupBy, StepKind
    from protocols.session import AgendaItem, GroupSettings

    rng = random.Random(seed_value)
    library = load_library()
    store = Store(data_dir / DATABASE_FILE)
    agenda = [AgendaItem(1, library["goal-setting"]), AgendaItem(2, library["tuning"])]
    session, key = store.create_session(
        "Spring PD day", "Riverside District", GOALS, agenda, facilitator="Dr. Amara Okafor", date="2027-03-15"
    )
    tokens, ids = [], []
    for n in range(people):
        participant, token = store.add_participant(session.id, f"{FIRST[n % len(FIRST)]} {LAST[n % len(LAST)]} {n}")
        tokens.append(token)
        ids.append(participant.id)
    groups = [ids[start : start + 6] for start in range(0, people, 6)]
    store.save_groups(session.id, GroupSettings(6, GroupBy.RANDOM), groups)
    seating = Seating({number: tuple(members) for number, members in enumerate(groups, start=1)})
    for participant_id in ids:
        for agenda_step in session.steps:
            step = agenda_step.step
            if not answers_step(agenda_step, seating, participant_id):
                continue
            value: object = {
                StepKind.TEXT: _text(rng, rng.randint(1, 2)),
                StepKind.GOAL: rng.choice(session.system_goals).id,
                StepKind.DATE: f"2027-04-{rng.randint(10, 28)}",
                StepKind.SCALE: rng.randint(step.scale_min, step.scale_max),
            }.get(step.kind)
            if step.kind is StepKind.LIST:
                count = rng.randint(step.min_items, min(3, step.max_items))
                value = [
                    {"text": rng.choice(SENTENCES), "date": f"2027-0{4 + n}-1{n}"}
                    if step.dated
                    else rng.choice(SENTENCES)
                    for n in range(count)
                ]
            elif step.kind is StepKind.CHOICE:
                ids_ = [option.id for option in step.options]
                value = rng.sample(ids_, rng.randint(1, 2)) if step.multiple else rng.choice(ids_)
            if value is None:
                continue
            checked = validate_answer(step, value, session.system_goals)
            store.save_answer(
                session.id, participant_id, agenda_step.key, f"{participant_id}-{agenda_step.key}", checked
            )
    store.close()
    return session.code, key, tokens


def _median_ms(run: Callable[[], object], times: int) -> float:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def single_plan_ms(data_dir: Path, token: str, times: int = 30) -> float:
    """One author's plan built from the store, as ``GET /p/<token>/plan.pdf`` does: median milliseconds."""
    from exports.plan_pdf import build_plan_pdf
    from facilitator.store import DATABASE_FILE, Store
    from facilitator.usecases.plans import participant_plan

    store = Store(data_dir / DATABASE_FILE)

    def build() -> bytes:
        participant = store.participant_by_token(token)
        assert participant is not None
        session = store.session_by_id(participant.session_id)
        assert session is not None
        plan = participant_plan(store, session, participant, check_in_url="http://x/p/t/plan")
        return build_plan_pdf(plan)

    build()  # fonts load once per process
    try:
        return _median_ms(build, times)
    finally:
        store.close()


class Phone:
    """A real Socket.IO phone that notes when each step reaches it."""

    def __init__(self, url: str, code: str, name: str) -> None:
        import socketio

        self.arrivals: list[tuple[float, str | None]] = []
        self._changed = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        for event in ("state", "step"):  # a step change reaches phones as one ``step`` broadcast
            self.client.on(event, self._state, namespace="/participant")
        self.client.connect(url, namespaces=["/participant"], auth={"code": code, "name": name},
                            transports=["websocket"], wait_timeout=20)  # fmt: skip

    def _state(self, state: dict) -> None:
        now = time.perf_counter()
        with self._changed:
            self.arrivals.append((now, (state.get("step") or {}).get("id")))
            self._changed.notify_all()

    def arrival(self, after: float, step_id: str, timeout: float = 30) -> float:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for when, seen in self.arrivals:
                    if when >= after and seen == step_id:
                        return when
                if time.monotonic() > deadline:
                    raise TimeoutError(f"step {step_id} did not reach a phone in {timeout}s")
                self._changed.wait(0.5)


PACE = 0.25  # seconds between the console's moves: brisker than any facilitator, gentler than a flood


def step_latencies(console: object, phones: list[Phone], moves: int) -> list[float]:
    """Milliseconds from the console's next/prev to each phone receiving the new step, over ``moves`` moves."""
    latencies = []
    for move in range(moves):
        time.sleep(PACE)
        start = time.perf_counter()
        ack = console.call("next" if move % 2 == 0 else "prev", namespace="/facilitator", timeout=30)  # type: ignore[attr-defined]
        latencies.extend((phone.arrival(start, ack["step_id"]) - start) * 1000 for phone in phones)
    return latencies


def _figures(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "median": statistics.median(ordered),
        "p95": ordered[int(0.95 * (len(ordered) - 1))],
        "max": ordered[-1],
    }


def live_room(
    data_dir: Path, export_code: str, key: str, token: str, phones_count: int, moves: int
) -> dict[str, object]:
    """Step latency to real phones on ``pathways serve``, without and then during the server-side export."""
    import requests
    import socketio

    from facilitator.loadtest.local import free_port, local_server

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve = ["facilitator", "serve", "--data-dir", str(data_dir)]
    with local_server(serve, port, {"PATHWAYS_ADMIN_TOKEN": ADMIN_TOKEN}, log=data_dir.parent / "server.log"):
        created = requests.post(f"{url}/api/sessions", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
                                json={"title": "Live room", "system_goals": ["Literacy"],
                                      "agenda": ["goal-setting"]}, timeout=10).json()  # fmt: skip
        console = socketio.Client(reconnection=False)
        auth = {"code": created["code"], "key": created["facilitator_key"]}
        console.connect(url, namespaces=["/facilitator"], auth=auth, transports=["websocket"], wait_timeout=20)
        phones = [Phone(url, created["code"], f"Phone {n}") for n in range(phones_count)]
        console.call("next", namespace="/facilitator", timeout=30)
        baseline = step_latencies(console, phones, moves)

        plan_http = _median_ms(lambda: requests.get(f"{url}/p/{token}/plan.pdf", timeout=10).raise_for_status(), 20)
        headers = {"X-Facilitator-Key": key}
        started = time.perf_counter()
        requests.post(f"{url}/api/sessions/{export_code}/export", headers=headers, timeout=10).raise_for_status()
        during: list[float] = []
        status: dict = {}
        while True:
            status = requests.get(f"{url}/api/sessions/{export_code}/export", headers=headers, timeout=10).json()
            if status["state"] != "running":
                break
            during.extend(step_latencies(console, phones, 2))
        export_seconds = time.perf_counter() - started
        if status["state"] != "done":
            raise RuntimeError(f"the server's export ended {status}")
        for phone in phones:
            phone.client.disconnect()
        console.disconnect()
        return {
            "baseline": _figures(baseline),
            "during": _figures(during),
            "moves_during": len(during) // phones_count,
            "server_export_seconds": export_seconds,
            "plans": status["total"],
            "plan_http_ms": plan_http,
        }


def run(people: int, phones: int, moves: int) -> dict[str, object]:
    """Every figure, measured in a throwaway data folder."""
    from facilitator.usecases.exporting import export_session

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with tempfile.TemporaryDirectory(prefix="pathways-benchmark-") as folder:
        data_dir = Path(folder) / "data"
        print(f"Seeding a day of {people} participants ...", flush=True)
        code, key, tokens = seed(data_dir, people)
        print("One plan on demand ...", flush=True)
        single = single_plan_ms(data_dir, tokens[len(tokens) // 2])
        print(f"{people} plans through the pool (pathways export) ...", flush=True)
        start, cpu = time.perf_counter(), _cpu_seconds()
        path = export_session(data_dir, code, Path(folder) / "out")
        export_seconds = time.perf_counter() - start
        export_cpu = _cpu_seconds() - cpu  # this process and its pool's workers
        zip_mb = path.stat().st_size / 1e6
        print(f"The live room: {phones} phones, {moves} steps, then steps during the server's export ...", flush=True)
        live = live_room(data_dir, code, key, tokens[0], phones, moves)
    return {"people": people, "phones": phones, "moves": moves, "single_ms": single, "export_seconds": export_seconds,
            "zip_mb": zip_mb, "load": load, "export_cpu": export_cpu, **live}  # fmt: skip


def _cpu_seconds() -> float:
    """CPU time used by this process and the children it has waited for (the pool's workers, once shut down)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _against(value: float, target: float, unit: str, digits: int = 0) -> str:
    return f"{value:.{digits}f} {unit} ({'within target' if value < target else 'OVER TARGET'})"


def report(figures: dict) -> str:
    """The figures as their section of docs/PERFORMANCE.md."""
    base, during, people, plans = figures["baseline"], figures["during"], figures["people"], figures["plans"]
    machine = (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}"
    )
    command = (
        f"python -m facilitator.loadtest.export_benchmark --plans {people} --phones {figures['phones']}"
        f" --moves {figures['moves']}"
    )
    timings = [
        _row("what", "target", "measured"),
        "|---|---|---|",
        _row("one plan on demand, built from the store (median of 30)", "under 200 ms",
             _against(figures["single_ms"], 200, "ms")),
        _row("one plan over HTTP, `GET /p/<token>/plan.pdf` on `pathways serve` (median of 20)", "under 200 ms",
             _against(figures["plan_http_ms"], 200, "ms")),
        _row(f"{people} plans, CSV and summary in one ZIP: `pathways export` (process pool, a worker per core)",
             "under 20 s", _against(figures["export_seconds"], 20, "s", 1) + f"; ZIP {figures['zip_mb']:.0f} MB"),
        _row("the CPU time that export took, over all its processes", "",
             f"{figures['export_cpu']:.1f} s ({figures['export_cpu'] / (os.cpu_count() or 1):.1f} s a core)"),
        _row("the same export started from the console's route while the room runs (lower priority)", "",
             f"{figures['server_export_seconds']:.1f} s"),
    ]  # fmt: skip
    latency = [
        _row("step reaches the phones", "median", "95th percentile", "slowest"),
        "|---|---|---|---|",
        _row("nothing else running", *(f"{base[k]:.0f} ms" for k in ("median", "p95", "max"))),
        _row(f"while {plans} plans are built", *(f"{during[k]:.0f} ms" for k in ("median", "p95", "max"))),
    ]
    return f"""## Plans and exports

Measured {datetime.now(UTC):%Y-%m-%d} on {machine} (load average {figures["load"]:.1f} as it started: other work
shares these cores), with

```sh
{command} --write docs/PERFORMANCE.md
```

The benchmark seeds a throwaway data folder with a finished day: {people} participants, goal setting (nine steps)
then one round of the tuning protocol in groups of six, answers of one or two sentences, up to three dated action
steps. Each facilitator's copy is two to three pages.

{chr(10).join(timings)}

Wall times depend on the cores being free (this machine is shared, hence the load average above); the CPU time is
the figure to compare across runs and machines: divided by the cores, it is the export's time on an idle machine.

### Never at the live room's expense

{figures["phones"]} real Socket.IO phones (websocket) are connected to `pathways serve` (eventlet). The console
opens a step {figures["moves"]} times, one every {PACE} s (next, prev, next, ...), and the benchmark times how long
each phone waits for the new step (its `step` message). Then the console starts the {plans}-plan export
(`POST /api/sessions/<code>/export`) and keeps opening steps at the same pace until the export is done
({figures["moves_during"]} steps).

{chr(10).join(latency)}

Why the room does not stall: the server never builds the export itself. `POST .../export` starts `pathways export`
as a child process at a lower CPU priority (`nice` 10); it builds the PDFs in a process pool, one worker per core,
and writes its progress to a status file that `GET .../export` reads. A single plan on demand is built on a real
OS thread (eventlet's `tpool`, in `facilitator/runtime.py`), off the event loop.
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m facilitator.loadtest.export_benchmark", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--plans", type=int, default=1000, help="participants, so plans in the export")
    parser.add_argument("--phones", type=int, default=50, help="real Socket.IO phones in the live room")
    parser.add_argument("--moves", type=int, default=20, help="steps opened for the baseline")
    parser.add_argument("--write", type=Path, help="write the figures as Markdown to this file")
    args = parser.parse_args(argv)
    figures = run(args.plans, args.phones, args.moves)
    text = report(figures)
    print(text)
    if args.write:
        replace_section(args.write, "plans-and-exports", text)


if __name__ == "__main__":
    main()
