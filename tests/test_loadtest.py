"""The load generator that ships with the product, run small against a real server and the bare baseline."""

import json
import os
import subprocess
import sys

import pytest

from facilitator.loadtest.generator import Options, run_sync
from facilitator.loadtest.report import Report, verdicts
from tests.support import ROOT
from tests.support.admin import ADMIN_TOKEN

pytestmark = pytest.mark.live


def test_the_load_generator_runs_a_whole_session_and_finds_every_acknowledged_answer(live_server):
    phones = 12
    report = run_sync(Options(url=live_server.url, participants=phones, admin_token=ADMIN_TOKEN, drop_share=0.25))
    assert report.errors == []
    assert report.joined == phones
    assert report.steps == 10, "every step of goal setting"
    assert report.reconnected == 3, "a quarter of the phones dropped and came back mid-way"
    assert len(report.fanout_ms) == report.steps * phones - report.reconnected, "the dropped phones were away once"
    assert report.acknowledged == report.steps * phones, "every phone answered every step"
    assert len(report.ack_ms) == report.acknowledged
    assert report.lost == 0
    assert report.missing_from_export == 0, "every acknowledged answer the facilitator may see is in the export"
    assert report.steps_during_export >= 1, "the console kept moving while the plans were built"
    assert len(report.fanout_export_ms) == report.steps_during_export * phones, "every move reached every phone"


def test_a_group_protocol_forms_tables_and_times_each_group_answer_until_every_mate_shows_it(live_server):
    """Tuning in tables of 3: the console forms the tables, the role steps are answered by their role holders
    alone, and each answer shared with the group is timed from its ack to its last group-mate's phone."""
    phones = 9
    report = run_sync(Options(url=live_server.url, participants=phones, admin_token=ADMIN_TOKEN, drop_share=0,
                              agenda=("tuning",), group_size=3))  # fmt: skip
    assert report.errors == []
    assert report.tables == 3
    assert report.ack_group_ms, "tuning has steps shared with the group"
    assert len(report.settle_ms) == len(report.ack_group_ms), "every group answer reached all its group-mates"
    assert report.acknowledged == len(report.ack_ms) + len(report.ack_group_ms)
    assert report.acknowledged < report.steps * phones, "a role's step is answered by its role holders alone"
    assert report.lost == 0 and report.missing_from_export == 0


def test_loadtest_local_measures_pathways_and_the_baseline_in_one_run(tmp_path):
    figures = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, "-m", "facilitator.loadtest.generator", "--local", "-n", "8", "--agenda",
         "goal-setting,tuning", "--group-size", "4", "--json", str(figures)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "| fanout_p99_ms |" in result.stdout and "| ratio |" in result.stdout
    pathways, baseline = json.loads(figures.read_text())
    assert (pathways["target"], baseline["target"]) == ("pathways", "baseline")
    for run in (pathways, baseline):
        assert run["joined"] == 8 and run["lost"] == 0 and run["errors"] == 0
        assert run["fanout_p99_ms"] > 0 and run["ack_p99_ms"] > 0
        assert run["tables"] == 2 and run["ack_group_p99_ms"] > 0 and run["settle_max_ms"] is not None
    assert pathways["missing_from_export"] == 0 and baseline["missing_from_export"] is None  # the baseline has none


def test_a_run_on_gevent_measures_both_servers_on_it_and_writes_a_section_of_its_own(tmp_path):
    """The engines compared: Pathways and the bare baseline both on gevent, beside the default engine's figures."""
    written = tmp_path / "PERFORMANCE.md"
    written.write_text("# Performance\n\n<!-- begin live-room -->\nThe default engine's.\n<!-- end live-room -->\n")
    result = subprocess.run(
        [sys.executable, "-m", "facilitator.loadtest.generator", "--local", "-n", "6", "--no-export-check",
         "--write", str(written)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, "PATHWAYS_ASYNC_MODE": "gevent"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    text = written.read_text()
    assert "The default engine's." in text  # left as it was
    section = text[text.index("<!-- begin live-room-6-gevent -->") : text.index("<!-- end live-room-6-gevent -->")]
    assert "## The live room under load: 6 phones, on gevent" in section
    assert "PATHWAYS_ASYNC_MODE=gevent pathways loadtest --local -n 6" in section
    assert "| joined | 6 | 6 |" in section


def test_the_export_benchmark_runs_small_and_times_every_step_while_plans_are_built(tmp_path):
    """The command docs/PERFORMANCE.md is made with. Its phones once waited for a whole ``state`` that a step change
    no longer sends (it is one ``step`` broadcast), so it timed out."""
    written = tmp_path / "PERFORMANCE.md"
    written.write_text("# Performance\n")
    result = subprocess.run(
        [sys.executable, "-m", "facilitator.loadtest.export_benchmark", "--plans", "3", "--phones", "2",
         "--moves", "2", "--write", str(written)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [line for line in written.read_text().splitlines() if line.startswith("| nothing else running")]
    assert len(rows) == 1 and rows[0].count("ms") == 3, rows
    assert "| while 3 plans are built |" in written.read_text()


def test_a_run_without_the_export_check_is_not_counted_as_losing_answers():
    """``--no-export-check`` leaves ``missing_from_export`` unknown (None): once, that read as answers lost."""
    ours, base = Report("pathways", 4), Report("baseline", 4)
    for report in (ours, base):
        report.joined, report.fanout_ms, report.ack_ms = 4, [10.0, 12.0], [20.0, 25.0]
    said = dict(line[2:].split(": ", 1) for line in verdicts([ours, base]))
    assert said["no acknowledged answer lost"] == "met"
    ours.lost = 1
    assert dict(line[2:].split(": ", 1) for line in verdicts([ours, base]))["no acknowledged answer lost"] == "NOT MET"


def test_loadtest_local_measures_sqlite_then_a_postgresql_it_starts_itself(tmp_path, postgresql_programs):
    figures = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, "-m", "facilitator.loadtest.generator", "--local", "-n", "6", "--database", "both",
         "--no-export-check", "--json", str(figures)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    sqlite, postgresql, baseline = json.loads(figures.read_text())
    assert [run["target"] for run in (sqlite, postgresql, baseline)] == [
        "pathways",
        "pathways (postgresql)",
        "baseline",
    ]
    assert postgresql["acknowledged"] == sqlite["acknowledged"] > 0 and postgresql["lost"] == 0
    assert "- PostgreSQL ack p99 within 1.5 × SQLite's: " in result.stdout


def test_the_district_benchmark_seeds_an_organisation_and_times_the_leaders_reads(tmp_path):
    """The command docs/PERFORMANCE.md's district figures are made with, run small."""
    written = tmp_path / "PERFORMANCE.md"
    written.write_text("# Performance\n")
    result = subprocess.run(
        [sys.executable, "-m", "facilitator.loadtest.district", "--people", "30", "--sessions", "3", "--check-ins",
         "60", "--repeats", "1", "--write", str(written)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    text = written.read_text()
    assert "30 people over 3 sessions and 60 check-ins" in text
    for read in ("/api/follow-up", "/api/follow-up/caseloads.csv", "/api/follow-up/silent.csv"):
        assert f"| `{read}` |" in text
