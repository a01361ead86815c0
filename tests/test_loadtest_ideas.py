"""The load generator on ideas steps: phones post, the room votes, the projector's ranking is timed, and every
acknowledged idea and vote is found again in the export's ideas.csv; run small against real servers."""

import json
import subprocess
import sys

import pytest

from facilitator.loadtest.generator import Options, run_sync
from facilitator.loadtest.ideas import IdeasRoom, PostedIdea, check_ideas_csv, choose
from facilitator.loadtest.report import Report
from tests.support import ROOT
from tests.support.admin import ADMIN_TOKEN

pytestmark = pytest.mark.live


def test_affinity_runs_with_every_idea_and_vote_counted_and_no_message_per_vote(tmp_path):
    """20 phones through affinity on Pathways and the bare baseline: one or two ideas each, five dots each (one taken
    back and given again), the projector showing every vote, and the section written to docs/PERFORMANCE.md."""
    phones = 20
    figures, written = tmp_path / "figures.json", tmp_path / "PERFORMANCE.md"
    written.write_text("# Performance\n")
    result = subprocess.run(
        [sys.executable, "-m", "facilitator.loadtest.generator", "--local", "-n", str(phones), "--agenda",
         "affinity", "--json", str(figures), "--write", str(written)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    pathways, baseline = json.loads(figures.read_text())
    for run in (pathways, baseline):
        assert run["errors"] == 0 and run["lost"] == 0, run["first_errors"]
        assert run["ideas_posted"] == sum(1 + n % 2 for n in range(phones)), "one or two ideas from each phone"
        assert run["ideas_resent"] == 2 and run["votes_resent"] == 2, "a resend from one phone in ten"
        assert run["votes_acked"] == phones * 5, "five dots each, the one taken back given again"
        assert run["votes_on_projector"] == run["votes_acked"], "the projector's ranking shows every vote"
        assert run["idea_ack_p99_ms"] > 0 and run["vote_ack_p99_ms"] > 0 and run["ack_p99_ms"] > 0
        assert run["ranking_settle_max_ms"] is not None and run["ideas_shown_max_ms"] is not None
        assert run["voting_messages_max"] <= 2, "nobody hears of another's vote"
        steps = {step["step"]: step for step in run["idea_steps"]}
        assert steps["Dot vote"]["votes"] == run["votes_acked"]
        assert steps["Dot vote"]["messages_max"] <= 3, "a phone hears the step and its board, not the room's votes"
        assert steps["Ideas, in silence"]["messages_max"] < run["ideas_posted"] / 3, "ideas arrive in batches"
    assert pathways["ideas_missing"] == 0, "every acknowledged idea is a row of ideas.csv"
    assert pathways["votes_counted"] == pathways["votes_acked"] and pathways["votes_miscounted"] == 0
    assert baseline["votes_counted"] is None, "the baseline has no export"
    text = written.read_text()
    section = text[text.index("<!-- begin ideas-steps-20 -->") : text.index("<!-- end ideas-steps-20 -->")]
    assert "## Ideas and votes under load: 20 phones" in section
    assert "| Dot vote | 0 | 100 |" in section, "the ideas steps' own table"
    assert "- no acknowledged idea or vote lost: met" in section


def test_one_two_four_all_has_the_reporters_post_and_the_console_open_voting(live_server):
    """1-2-4-All in foursomes: only each four's reporter posts; votes wait for the console's open_voting, one per
    idea; every vote acknowledged is on the projector and in the export."""
    phones = 12
    report = run_sync(Options(url=live_server.url, participants=phones, admin_token=ADMIN_TOKEN, drop_share=0,
                              agenda=("one-two-four-all",), group_size=4))  # fmt: skip
    assert report.errors == []
    assert report.tables == 3 and report.ideas_posted == 3, "one idea from each four's reporter"
    assert report.votes_acked == phones * 3, "three votes each, on three different ideas"
    assert report.votes_on_projector == report.votes_acked
    assert report.ideas_missing == 0 and report.votes_counted == report.votes_acked and report.votes_miscounted == 0


def test_the_export_check_finds_an_idea_missing_and_a_vote_miscounted():
    """The loss check can fail: an acknowledged idea absent from ideas.csv, and a vote counted twice."""
    report = Report("pathways", 2)
    room = IdeasRoom(console=None, projector=None, timeout=1, report=report)  # type: ignore[arg-type]
    room.titles = {"1:post": "Post", "1:vote": "Vote"}
    room.pools = {"1:post": "1:post", "1:vote": "1:post"}
    room.ideas = {7: PostedIdea("Tea", "1:post"), 8: PostedIdea("Cake", "1:post")}
    room.votes.update({("1:vote", 7): 2, ("1:vote", 8): 1})
    rows = [{"step": "Post", "idea": "Tea", "votes": "0"}, {"step": "Post", "idea": "Cake", "votes": "0"},
            {"step": "Vote", "idea": "Tea", "votes": "2"}, {"step": "Vote", "idea": "Cake", "votes": "1"}]  # fmt: skip
    check_ideas_csv(rows, room, report)
    assert (report.ideas_missing, report.votes_counted, report.votes_miscounted) == (0, 3, 0)
    check_ideas_csv([*rows[1:3], {"step": "Vote", "idea": "Cake", "votes": "2"}], room, report)
    assert (report.ideas_missing, report.votes_counted, report.votes_miscounted) == (1, 4, 1)


def test_votes_go_to_the_room_s_first_ideas_and_double_up_only_where_spread():
    assert choose(3, [10, 11, 12, 13], 3, spread=False) == [13, 10, 11], "one vote per idea"
    assert choose(4, [10, 11, 12, 13], 3, spread=True) == [10, 10, 12], "two dots on one idea"
    assert choose(5, [10, 11], 3, spread=False) == [11, 10], "no more votes than ideas to give them to"
    assert choose(1, list(range(100)), 2, spread=False) == [1, 2], "the room's first ideas draw the votes"
