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
    # Ideas steps (facilitator/loadtest/ideas.py)
    idea_ack_ms: list[float] = field(default_factory=list)  # post_idea, first sends
    vote_ack_ms: list[float] = field(default_factory=list)  # vote, first sends (and a vote given again)
    board_ms: list[float] = field(default_factory=list)  # from the console's move or open_voting to a phone's board
    own_board_ms: list[float] = field(default_factory=list)  # from a phone's room board to its own part after it
    board_kb: float = 0.0  # the room's ideas in the largest board a phone was sent, JSON-encoded
    ideas_shown_ms: list[float] = field(default_factory=list)  # from a step's last idea ack to a phone showing all
    ranking_settle_ms: list[float] = field(default_factory=list)  # from a step's last vote ack to the projector
    ideas_posted: int = 0
    ideas_resent: int = 0
    votes_acked: int = 0  # the votes standing, as acknowledged: given, less those taken back
    votes_resent: int = 0
    votes_on_projector: int = 0  # the projector's vote totals once settled, every voting step's together
    ideas_missing: int | None = None  # acknowledged ideas not in the export's ideas.csv; None: not checked
    votes_counted: int | None = None  # the votes ideas.csv counts for the acknowledged ideas; None: not checked
    votes_miscounted: int | None = None  # ideas.csv against the acks: each idea's difference, summed
    voting_messages: list[int] = field(default_factory=list)  # messages a phone was sent while the room voted
    idea_steps: list[dict[str, Any]] = field(default_factory=list)  # per ideas step: ideas, votes, messages a phone

    def summary(self) -> dict[str, Any]:
        """The figures a person reads: percentiles rather than every sample."""
        samples_by_name = {"fanout": self.fanout_ms, "ack": self.ack_ms, "ack_group": self.ack_group_ms,
                           "settle": self.settle_ms, "fanout_export": self.fanout_export_ms,
                           "idea_ack": self.idea_ack_ms, "vote_ack": self.vote_ack_ms, "board": self.board_ms,
                           "own_board": self.own_board_ms,
                           "ideas_shown": self.ideas_shown_ms, "ranking_settle": self.ranking_settle_ms}  # fmt: skip
        samples = ("errors", "voting_messages", *(f"{n}_ms" for n in samples_by_name))
        figures = {k: v for k, v in asdict(self).items() if k not in samples}
        figures["voting_messages_max"] = max(self.voting_messages, default=None)
        figures["ideas_messages_max"] = max((step["messages_max"] for step in self.idea_steps), default=None)
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


IDEAS_ROWS = ["ack_p95_ms", "ideas_posted", "ideas_resent", "idea_ack_p50_ms", "idea_ack_p95_ms", "idea_ack_p99_ms",
              "ideas_shown_p50_ms", "ideas_shown_p99_ms", "ideas_shown_max_ms", "board_p50_ms", "board_p99_ms",
              "own_board_p50_ms", "own_board_p99_ms", "board_kb",
              "votes_acked", "votes_resent", "vote_ack_p50_ms", "vote_ack_p95_ms", "vote_ack_p99_ms",
              "ranking_settle_max_ms", "votes_on_projector", "ideas_missing", "votes_counted", "votes_miscounted",
              "ideas_messages_max", "voting_messages_max"]  # fmt: skip
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
    if any(report.idea_steps for report in reports):
        rows += IDEAS_ROWS
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
    if ours["idea_steps"]:
        checks += ideas_checks(ours, base)
    postgresql = next((report.summary() for report in reports if report.target == POSTGRESQL_TARGET), None)
    if reports[0].target == "pathways" and postgresql is not None and postgresql["ack_p99_ms"] and ours["ack_p99_ms"]:
        within = postgresql["ack_p99_ms"] <= 1.5 * ours["ack_p99_ms"]
        checks.append(("PostgreSQL ack p99 within 1.5 × SQLite's", within))
    said = {True: "met", False: "NOT MET", None: "not measured"}
    return [f"- {what}: {said[met]}" for what, met in checks]


IDEAS_TARGETS = """On ideas steps: post_idea and vote acks p99 no more than 2 times the baseline's in the same
scenario, and a vote's p99 no more than 1.5 times the answer ack p99 of the same run (both with one message in
flight per phone and no broadcast to the phones meanwhile; an idea's is not, as the room's ideas stream to every
phone while they are posted); every phone shows every idea within 1 s of the last idea's ack, and the projector
every vote within 1 s of the last vote's ack; each phone's board no more than 1.5 times the baseline's at p99, its
own part (its ideas and votes) within 1 s after it; phones hear nothing of the others' votes (at most 2 messages a
phone while the room votes) and of ideas in batches (a phone's messages on a step no more than 4, plus 4 a second
while it was open); every acknowledged idea in the export's ideas.csv with exactly the votes acknowledged, and the
projector's totals the same."""


def ideas_checks(ours: dict[str, Any], base: dict[str, Any]) -> list[tuple[str, bool | None]]:
    """The ideas steps' targets, met or not, from a run's summary and the baseline's."""

    def within(figure: str, times: float, of: dict[str, Any], other: str | None = None) -> bool | None:
        mine, theirs = ours[figure], of[other or figure]
        return None if mine is None or not theirs else mine <= times * theirs

    batched = all(step["messages_max"] <= 4 + 4 * step["seconds"] for step in ours["idea_steps"])
    return [
        ("post_idea ack p99 within 2 × the baseline's", within("idea_ack_p99_ms", 2, base)),
        ("vote ack p99 within 2 × the baseline's", within("vote_ack_p99_ms", 2, base)),
        ("vote ack p99 within 1.5 × the answer ack p99", within("vote_ack_p99_ms", 1.5, ours, "ack_p99_ms")),
        ("every phone shows every idea within 1 s", None if ours["ideas_shown_max_ms"] is None
         else ours["ideas_shown_max_ms"] <= 1000),
        ("the projector shows every vote within 1 s", None if ours["ranking_settle_max_ms"] is None
         else ours["ranking_settle_max_ms"] <= 1000),
        ("board p99 within 1.5 × the baseline's", within("board_p99_ms", 1.5, base)),
        ("each phone's own part within 1 s of the room's board", None if ours["own_board_p99_ms"] is None
         else ours["own_board_p99_ms"] <= 1000),
        ("no message to the phones per vote", (ours["voting_messages_max"] or 0) <= 2),
        ("ideas reach the phones in batches", batched),
        ("no acknowledged idea or vote lost", ours["ideas_missing"] in (0, None)
         and ours["votes_miscounted"] in (0, None) and ours["votes_on_projector"] == ours["votes_acked"]),
    ]  # fmt: skip


def ideas_table(report: Report) -> str:
    """Each ideas step of a run: the ideas posted and votes standing, and the messages a phone was sent meanwhile."""
    lines = ["| ideas step | ideas posted | votes standing | seconds open | messages a phone, p50 | "
             "most to one phone |", "|---|---|---|---|---|---|"]  # fmt: skip
    lines += [f"| {s['step']} | {s['ideas']} | {s['votes']} | {s['seconds']} | {s['messages_p50']} | "
              f"{s['messages_max']} |" for s in report.idea_steps]  # fmt: skip
    return "\n".join(lines)


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
    if not reports[0].idea_steps:
        return _section(f"## {title}", setting, command, reports, TARGETS, found)
    steps = [f"{report.target}:\n\n{ideas_table(report)}" for report in reports if report.idea_steps]
    return _section(f"## {title}", setting, command, reports, "\n\n".join([*steps, TARGETS, IDEAS_TARGETS]), found)


def write_json(path: Path, reports: list[Report]) -> None:
    path.write_text(json.dumps([report.summary() for report in reports], indent=2) + "\n", encoding="utf-8")
