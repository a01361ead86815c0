"""What a load test measured: percentiles, targets and verdicts, the report printed and written to docs."""

import json
import os
import platform
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

POSTGRESQL_TARGET = "pathways (postgresql)"


@dataclass
class Report:
    target: str
    participants: int
    joined: int = 0
    join_seconds: float = 0.0
    steps: int = 0
    fanout_ms: list[float] = field(default_factory=list)
    ack_ms: list[float] = field(default_factory=list)  # answers to steps not shared with the group
    ack_group_ms: list[float] = field(default_factory=list)  # answers to steps shared with the group
    settle_ms: list[float] = field(default_factory=list)  # from a group answer's ack to its last group-mate's phone
    tables: int = 0
    errors: list[str] = field(default_factory=list)
    acknowledged: int = 0
    lost: int = 0
    missing_from_export: int | None = None  # None: the target has no export to check
    steps_during_export: int = 0  # moves the console made while every phone's plan was being built
    fanout_export_ms: list[float] = field(default_factory=list)
    reconnected: int = 0
    memory_kb_per_phone: float | None = None
    server_rss_mb: float | None = None  # every worker's together
    unreached: int = 0  # a step (or a move during the export) that never reached a connected phone
    # Several workers (docs/DEPLOY.md): the phones that joined through each, and what each one used
    joined_per_worker: list[int] = field(default_factory=list)
    worker_rss_mb: list[float] = field(default_factory=list)
    worker_cpu_s: list[float] = field(default_factory=list)
    redis_peak_mb: float | None = None
    redis_cpu_s: float | None = None
    generator_cpu_s: float | None = None
    run_seconds: float | None = None

    def summary(self) -> dict[str, Any]:
        """The figures a person reads: percentiles rather than every sample."""
        samples_by_name = {"fanout": self.fanout_ms, "ack": self.ack_ms, "ack_group": self.ack_group_ms,
                           "settle": self.settle_ms, "fanout_export": self.fanout_export_ms}  # fmt: skip
        figures = {k: v for k, v in asdict(self).items() if k not in ("errors", *(f"{n}_ms" for n in samples_by_name))}
        figures["errors"] = len(self.errors)
        figures["step_arrivals"] = len(self.fanout_ms)  # a step shown on a phone, counted once per phone and step
        figures["first_errors"] = self.errors[:5]
        for name, samples in samples_by_name.items():
            for label, q in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100)):
                figures[f"{name}_{label}_ms"] = round(percentile(samples, q), 1) if samples else None
        return figures


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    if q >= 100:
        return ordered[-1]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(q) - 1] if len(ordered) > 1 else ordered[0]


def rss_kb(pid: int | None) -> int | None:
    """A local server's resident memory, from /proc (Linux); None where it can't be read."""
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def total_rss_kb(pids: tuple[int, ...]) -> int | None:
    """The resident memory of several local servers together; None unless every one can be read."""
    found = [rss_kb(pid) for pid in pids]
    return sum(found) if found and None not in found else None  # type: ignore[arg-type]


def cpu_seconds(pid: int) -> float | None:
    """The CPU time a local process has used so far (user and system), from /proc (Linux); None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime and stime, in clock ticks


WORKER_ROWS = ["joined_per_worker", "worker_rss_mb", "worker_cpu_s", "redis_peak_mb", "redis_cpu_s",
               "generator_cpu_s", "run_seconds"]  # fmt: skip


def format_report(reports: list[Report]) -> str:
    """The figures side by side, one column per target, with the product-over-baseline ratio when both ran."""
    summaries = [report.summary() for report in reports]
    rows = [
        "participants", "joined", "join_seconds", "steps", "fanout_p50_ms", "fanout_p95_ms", "fanout_p99_ms",
        "fanout_max_ms", "ack_p50_ms", "ack_p99_ms", "tables", "ack_group_p50_ms", "ack_group_p99_ms",
        "settle_p50_ms", "settle_p99_ms", "settle_max_ms", "acknowledged", "lost", "missing_from_export", "reconnected",
        "errors", "memory_kb_per_phone", "server_rss_mb", "steps_during_export", "fanout_export_p50_ms",
        "fanout_export_p99_ms", "step_arrivals", "unreached",
    ]  # fmt: skip
    if any(len(report.joined_per_worker) > 1 for report in reports):
        rows += WORKER_ROWS
    header = ["figure", *(report.target for report in reports)]
    ratio = len(reports) >= 2 and reports[-1].target == "baseline"  # the first Pathways run over the bare stack
    if ratio:
        header.append("ratio")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [row, *(str(summary.get(row)) for summary in summaries)]
        if ratio:
            a, b = summaries[0].get(row), summaries[-1].get(row)
            cells.append(f"{a / b:.2f}" if row.endswith("_ms") and a and b else "")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


TARGETS = """Targets: at 1,000 phones, step fan-out p99 no more than 1.3 times the
baseline's and under 250 ms, all joined within 15 s; answer acknowledgement p99 no more than 2 times the
baseline's (which keeps answers in memory), not one lost; under 50 KB of server memory per connected phone;
while every phone's plan is exported, step fan-out p99 under 500 ms. With a group protocol in tables of 6: the
group-step ack p99 no more than 1.5 times the room-step ack p99 of the same run, and every group-mate's phone shows
each answer within 1 s of its ack."""


def verdicts(reports: list[Report]) -> list[str]:
    """Each target, met or not, for a Pathways run and a baseline run measured together."""
    ours, base = reports[0].summary(), reports[-1].summary()
    checks: list[tuple[str, bool | None]] = [
        ("fan-out p99 under 250 ms", ours["fanout_p99_ms"] < 250),
        ("fan-out p99 within 1.3 × the baseline's", ours["fanout_p99_ms"] <= 1.3 * base["fanout_p99_ms"]),
        ("all joined within 15 s", ours["joined"] == ours["participants"] and ours["join_seconds"] < 15),
        ("ack p99 within 2 × the baseline's", ours["ack_p99_ms"] <= 2 * base["ack_p99_ms"]),
        ("no acknowledged answer lost", ours["lost"] == 0 and ours["missing_from_export"] in (0, None)
         and not ours["errors"]),  # None: --no-export-check
        ("under 50 KB per phone", (ours["memory_kb_per_phone"] or 0) < 50),
        ("fan-out p99 under 500 ms during the export", None if ours["fanout_export_p99_ms"] is None
         else ours["fanout_export_p99_ms"] < 500),
    ]  # fmt: skip
    if ours["ack_group_p99_ms"] is not None and ours["ack_p99_ms"] and ours["settle_max_ms"] is not None:
        checks += [
            ("group-step ack p99 within 1.5 × the room-step ack p99",
             ours["ack_group_p99_ms"] <= 1.5 * ours["ack_p99_ms"]),
            ("every group-mate shows each answer within 1 s of its ack", ours["settle_max_ms"] <= 1000),
        ]  # fmt: skip
    postgresql = next((report.summary() for report in reports if report.target == POSTGRESQL_TARGET), None)
    if reports[0].target == "pathways" and postgresql is not None and postgresql["ack_p99_ms"] and ours["ack_p99_ms"]:
        within = postgresql["ack_p99_ms"] <= 1.5 * ours["ack_p99_ms"]
        checks.append(("PostgreSQL ack p99 within 1.5 × SQLite's", within))
    said = {True: "met", False: "NOT MET", None: "not measured (no step was sent while the export ran)"}
    return [f"- {what}: {said[met]}" for what, met in checks]


WORKER_TARGETS = """Targets: every phone joins, through every worker; every step reaches every connected phone; not
one acknowledged answer lost, each found again in its phone's state and, where the facilitator may see it, in the
export; no errors."""


def worker_verdicts(report: Report) -> list[str]:
    """Each target of a run over several workers, met or not."""
    expected_arrivals = report.steps * report.joined - report.reconnected  # a phone that dropped was away once
    checks = [
        ("every phone joined", report.joined == report.participants),
        ("phones on every worker", bool(report.joined_per_worker) and min(report.joined_per_worker) > 0),
        ("every step reached every phone", report.unreached == 0 and len(report.fanout_ms) >= expected_arrivals),
        ("no acknowledged answer lost", report.lost == 0),
        ("every acknowledged answer in the export", report.missing_from_export in (0, None)),
        ("no errors", not report.errors),
    ]
    return [f"- {report.target}: {what}: {'met' if met else 'NOT MET'}" for what, met in checks]


def _measured_on() -> str:
    machine = (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return f"Measured {time.strftime('%Y-%m-%d')} on {machine} (load average {load:.1f} after the run)"


def _section(heading: str, setting: str, command: str, reports: list[Report], targets: str, found: list[str]) -> str:
    """A run as its section of docs/PERFORMANCE.md: when and where, the command, the figures, the targets, and
    whether each was met."""
    lines = [heading, "", f"{_measured_on()}, {setting}:", "", "```sh", command, "```", "", format_report(reports)]
    return "\n".join([*lines, "", targets, "", *found])


def workers_markdown(reports: list[Report], command: str) -> str:
    """A run over several workers as its section of docs/PERFORMANCE.md (under "Several workers")."""
    workers = max(len(report.joined_per_worker) for report in reports)
    setting = (f"with Redis, the {workers} workers and the load generator all on this machine; the console on the "
               "first worker, the phones spread over every worker in turn")  # fmt: skip
    found = [line for report in reports for line in worker_verdicts(report)]
    return _section(f"#### {reports[0].participants:,} phones across {workers} workers", setting, command, reports,
                    WORKER_TARGETS, found)  # fmt: skip


def markdown(reports: list[Report], command: str, title: str = "The live room under load") -> str:
    """The run as its section of docs/PERFORMANCE.md."""
    setting = ("with the load generator on the same machine, Pathways and the bare Flask-SocketIO baseline measured "
               "one after the other by the same generator")  # fmt: skip
    found = verdicts(reports) if len(reports) >= 2 else []
    return _section(f"## {title}", setting, command, reports, TARGETS, found)


def write_json(path: Path, reports: list[Report]) -> None:
    path.write_text(json.dumps([report.summary() for report in reports], indent=2) + "\n", encoding="utf-8")
