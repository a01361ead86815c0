"""The load generator over several workers: a redis-server and two ``pathways serve`` it starts, one room on both."""

import json
import resource
import subprocess
import sys

import pytest

from facilitator.loadtest.report import Report, worker_verdicts
from facilitator.runtime import raise_file_limit
from tests.support import ROOT

pytestmark = pytest.mark.live


def test_two_workers_on_redis_run_one_room_and_every_acknowledged_answer_is_found(tmp_path, redis_server_program):
    """The console on the first worker, phones on both: each step reaches every phone, whichever worker it joined,
    and every acknowledged answer is in the phone's state and the export. The figures are written as their own
    section of docs/PERFORMANCE.md."""
    phones = 40
    figures, written = tmp_path / "figures.json", tmp_path / "PERFORMANCE.md"
    written.write_text("# Performance\n\n<!-- begin workers -->\nold figures\n<!-- end workers -->\n\n## After\n")
    result = subprocess.run(
        [sys.executable, "-m", "facilitator.loadtest.generator", "--local", "--workers", "2", "-n", str(phones),
         "--drop-share", "0.1", "--json", str(figures), "--write", str(written)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    [run] = json.loads(figures.read_text())
    assert run["target"] == "pathways, 2 workers"
    assert run["joined_per_worker"] == [20, 20], "the phones were spread over both workers in turn"
    assert run["joined"] == phones and run["errors"] == 0 and run["unreached"] == 0
    assert run["steps"] >= 9 and run["reconnected"] == 4
    assert run["step_arrivals"] == run["steps"] * phones - run["reconnected"], "every step reached every phone"
    assert run["acknowledged"] == run["steps"] * phones and run["lost"] == 0
    assert run["missing_from_export"] == 0, "every acknowledged answer the facilitator may see is in the export"
    assert run["steps_during_export"] >= 1
    assert len(run["worker_rss_mb"]) == 2 and min(run["worker_rss_mb"]) > 20
    assert run["redis_peak_mb"] > 0 and len(run["worker_cpu_s"]) == 2
    assert "- pathways, 2 workers: every step reached every phone: met" in result.stdout
    text = written.read_text()
    assert "old figures" not in text and text.endswith("## After\n")
    assert "#### 40 phones across 2 workers" in text and "| joined_per_worker | [20, 20] |" in text


def test_a_worker_that_no_phone_reached_fails_its_verdict():
    """Phones all on one worker would prove nothing about the other: the verdict says so."""
    report = Report("pathways, 2 workers", 4)
    report.joined, report.steps, report.fanout_ms = 4, 1, [5.0] * 4
    report.joined_per_worker = [4, 0]
    said = dict(line.split(": ", 2)[1:] for line in worker_verdicts(report))
    assert said["phones on every worker"] == "NOT MET"
    assert said["every step reached every phone"] == "met"
    report.joined_per_worker, report.unreached = [2, 2], 1
    said = dict(line.split(": ", 2)[1:] for line in worker_verdicts(report))
    assert said["phones on every worker"] == "met" and said["every step reached every phone"] == "NOT MET"


def test_the_generator_lifts_its_open_file_limit_to_the_hard_limit():
    """5,000 phones are 5,000 open sockets: more than the soft limit many shells start with."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    lowered = 256  # below any hard limit, above what the test process needs
    resource.setrlimit(resource.RLIMIT_NOFILE, (lowered, hard))
    try:
        raised = raise_file_limit()
        now = resource.getrlimit(resource.RLIMIT_NOFILE)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    if hard == resource.RLIM_INFINITY:  # nothing to lift it to: the limit is left as it was
        assert raised == lowered and now == (lowered, hard)
    else:
        assert raised == hard and now == (hard, hard)
