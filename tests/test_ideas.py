"""Ideas and votes without a server: the protocol file's fields, when a step takes ideas and votes, the ranking and
what each screen is sent, plans; and in the store (SQLite and PostgreSQL): a person's votes never past the step's
number, a resent idea or vote landing once, merging, forgetting that takes ideas and votes away, and two connections
racing (a vote and a merge, a hide and a forget) without a deadlock; the console's refusal of ids no database holds."""

import ast
import inspect
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest

from exports.ideas_csv import ideas_csv
from facilitator.live import ideas as live_ideas
from facilitator.live import parking_lot as parking_lot_live
from facilitator.live import throttle
from facilitator.store import Store, get_store
from facilitator.usecases import exporting
from facilitator.usecases import ideas as usecase
from protocols import ideas, parking_lot
from protocols.errors import DomainError
from protocols.ideas import Board, Idea, Vote
from protocols.language import IN_ENGLISH
from protocols.loader import LIBRARY_DIR, ProtocolFileError, load_library, load_protocol_text, protocol_from_dict
from protocols.model import PlanField
from protocols.session import AgendaItem, Session
from protocols.setup import sized_agenda
from protocols.visibility import Audience
from tests.support import ROOT
from tests.support.sockets import call

STEPS = """
id = "t"
title = "T"
purpose = "P"
[[steps]]
id = "post"
title = "Post"
prompt = "Post"
kind = "ideas"
visibility = "room"
{post}
[[steps]]
id = "vote"
title = "Vote"
prompt = "Vote"
kind = "ideas"
visibility = "room"
plan = "takeaways"
{vote}
"""


def protocol(post: str = "", vote: str = 'vote_on = "post"\nvotes = 2'):
    return load_protocol_text(STEPS.format(post=post, vote=vote))


def test_the_library_uses_ideas_where_practitioners_vote():
    library = load_library(LIBRARY_DIR)
    all_step = library["one-two-four-all"].steps[-1]
    assert (all_step.kind, all_step.who, all_step.ideas.max_ideas, all_step.ideas.plan_ideas) == (
        "ideas", "reporter", 1, ("top",))  # fmt: skip
    affinity = {step.id: step for step in library["affinity"].steps}
    assert affinity["vote"].ideas.spread and affinity["vote"].ideas.vote_on == "brainstorm"
    assert "Kawakita" in library["affinity"].source


@pytest.mark.parametrize(
    ("post", "vote", "problem"),
    [
        ("", 'vote_on = "nowhere"', "'nowhere' is not an earlier ideas step"),
        ("", 'vote_on = "post"\nmax_ideas = 2', "takes no ideas of its own"),
        ("max_ideas = 0\nvotes = 0", "", "takes ideas (max_ideas), votes (votes), or both"),
        ("voting = 'sometimes'", "", "'sometimes' is not one of"),
        ("plan_ideas = ['everything']", "", "must be a list of mine, voted, top"),
        ("max_ideas = 11", "", "11 is outside 0 to 10"),
    ],
)
def test_a_broken_ideas_step_says_what_is_wrong(post, vote, problem):
    with pytest.raises(ProtocolFileError) as raised:
        protocol(post, vote)
    assert problem in str(raised.value)


def test_the_room_votes_on_ideas_it_can_see():
    with pytest.raises(ProtocolFileError) as raised:
        load_protocol_text(STEPS.format(post="", vote="").replace('visibility = "room"', 'visibility = "private"', 1))
    assert "steps[0].visibility: the room votes on its ideas" in str(raised.value)


def session_of(definition) -> Session:
    agenda = sized_agenda((AgendaItem(1, definition, 2),))
    return Session(id=1, code="ABC123", title="Day", organisation="", system_goals=(), agenda=agenda, position=2)


def board(step_index: int, ideas_: list[Idea], counts=None, opened=False) -> Board:
    session = session_of(protocol())
    return Board(session.steps[step_index], tuple(ideas_), counts or {}, opened)


IDEAS = [
    Idea(1, 10, "1:post@2", "a", "Time to plan", 1.0, 3),
    Idea(2, 11, "1:post@2", "b", "Shorter meetings", 2.0, hidden=True),
    Idea(3, 12, "1:post@2", "c", "time to plan!", 3.0, merged_into=1),
    Idea(4, 13, "1:post@2", "d", "Student voice", 4.0, spotlight=True),
]


def test_a_vote_step_reads_the_same_rounds_ideas_and_ranks_them_without_names():
    vote_step = session_of(protocol()).steps[3]
    assert (vote_step.key, ideas.pool_key(vote_step)) == ("1:vote@2", "1:post@2")
    shown = board(3, IDEAS, {1: 2, 4: 5, 2: 9})
    assert [idea.id for idea in shown.ranked()] == [4, 1], "hidden and merged ideas leave the vote"
    projector = ideas.projector_board(shown, {13: "Dev"})
    assert [(i["text"], i["votes"]) for i in projector["ranked"]] == [("Student voice", 5), ("Time to plan", 2)]
    assert "name" not in projector["ranked"][0] and projector["spotlight"]["id"] == 4
    assert ideas.projector_board(shown, {}, revealed=False)["ranked"] == []
    phones = ideas.phone_ideas(IDEAS)
    assert phones[1] == {"id": 2, "status": "hidden", "table": None} and "votes" not in str(phones)
    assert phones[2] == {"id": 3, "status": "merged", "table": None, "merged_into": 1}
    own = ideas.phone_board(shown, 12, [Vote(12, "v", 4, "1:vote@2")])
    assert own["mine"] == [{"id": 3, "status": "merged", "table": None, "merged_into": 1, "text": "time to plan!"}]
    assert own["my_votes"] == [{"vote_id": "v", "idea": 4}] and own["voting"] is True


def test_posting_and_voting_follow_the_step_and_the_persons_count():
    post_step = session_of(protocol("votes = 2")).steps[2]
    assert ideas.posting_open(post_step, False) and not ideas.voting_open(post_step, False)
    assert not ideas.posting_open(post_step, True) and ideas.voting_open(post_step, True)
    with pytest.raises(DomainError) as refused:
        ideas.check_new_idea(post_step, {"idea_id": "x", "text": "An idea"}, 3, False)
    assert refused.value.code == "no_ideas_left"
    vote_step = session_of(protocol()).steps[3]
    mine = [Vote(1, "a", 1, vote_step.key)]
    for idea, votes, code in ((IDEAS[0], mine, "already_voted"), (IDEAS[1], [], "unknown_idea"),
                              (IDEAS[3], mine * 2, "no_votes_left")):  # fmt: skip
        with pytest.raises(DomainError) as refused:
            ideas.check_vote(vote_step, idea, votes, False)
        assert refused.value.code == code


def test_the_plan_holds_the_rooms_top_ideas_and_ones_own_never_a_name():
    shown = board(3, IDEAS, {1: 2, 4: 5})
    lines = ideas.plan_lines(shown, 12, [], IN_ENGLISH)
    assert lines == ("The room's idea 1: Student voice (5 votes)", "The room's idea 2: Time to plan (2 votes)")
    post = Board(session_of(protocol()).steps[2], tuple(IDEAS))
    assert ideas.plan_lines(post, 12, [], IN_ENGLISH) == ("My idea: time to plan! (merged into “Time to plan”)",)


def test_the_store_counts_each_persons_votes_once_and_never_past_the_number(store):
    definition = protocol("votes = 2\nvoting = 'from_start'\nplan = 'takeaways'\nplan_ideas = ['mine', 'top']")
    session, _ = store.create_session("Day", "", [("Goal", "")], [AgendaItem(1, definition)])
    people = [store.add_participant(session.id, name)[0] for name in ("Ana", "Ben")]
    live = store.session_by_id(session.id).next(0.0)
    store.save_run_state(live)
    step_id = live.current.key
    posted = [
        usecase.post(store, session.id, person.id, {"step_id": step_id, "idea_id": f"i{n}", "text": f"Idea {n}"})
        for n, person in enumerate(people)
    ]
    again = usecase.post(store, session.id, people[0].id, {"step_id": step_id, "idea_id": "i0", "text": "Idea 0"})
    assert again.changed is False and again.idea.id == posted[0].idea.id
    for vote_id, idea in (("a", posted[0].idea.id), ("b", posted[1].idea.id)):
        assert usecase.vote(
            store, session.id, people[0].id, {"step_id": step_id, "vote_id": vote_id, "idea": idea}
        ).changed
    resent = usecase.vote(
        store, session.id, people[0].id, {"step_id": step_id, "vote_id": "a", "idea": posted[0].idea.id}
    )
    assert resent.changed is False
    with pytest.raises(DomainError) as refused:
        usecase.vote(store, session.id, people[0].id, {"step_id": step_id, "vote_id": "c", "idea": posted[0].idea.id})
    assert refused.value.code == "no_votes_left"
    assert usecase.vote(
        store, session.id, people[1].id, {"step_id": step_id, "vote_id": "d", "idea": posted[0].idea.id}
    )
    assert store.vote_counts(session.id, step_id) == {posted[0].idea.id: 2, posted[1].idea.id: 1}

    # The export lists the ideas with their votes and, as the console shows them, who posted each (the facilitator's
    # copy, as answers.csv and parking_lot.csv are, whatever the step shows the room); it puts them in the plans.
    export = exporting.gather(store, session.code)
    rows = [(row.step, row.idea, row.votes, row.participant) for row in export.ideas]
    assert rows == [
        ("Post", "Idea 0", 2, "Ana"),
        ("Post", "Idea 1", 1, "Ben"),
        ("Vote", "Idea 0", 0, "Ana"),
        ("Vote", "Idea 1", 0, "Ben"),
    ]
    csv_lines = ideas_csv(export.ideas).decode("utf-8-sig").splitlines()
    assert csv_lines[0] == "participant,protocol,step,idea,votes,status,table,posted"
    assert csv_lines[1].startswith("Ana,T,Post,Idea 0,2,open,,")
    ana_plan = dict(export.plans)[people[0].id]
    assert ana_plan.field(PlanField.TAKEAWAYS) == (
        "My idea: Idea 0", "The room's idea 1: Idea 0 (2 votes)", "The room's idea 2: Idea 1 (1 vote)")  # fmt: skip

    # Ben's idea merged into Ana's: Ana voted for both, so one comes back to her; the count is two, not three.
    usecase.merge(store, live, {"idea": posted[1].idea.id, "into": posted[0].idea.id})
    assert store.vote_counts(session.id, step_id) == {posted[0].idea.id: 2}
    assert len(store.votes_of(people[0].id, step_id)) == 1
    # Forgetting Ana takes her idea and every vote on it, and her own votes.
    assert store.forget_ideas([people[0].id]) == [posted[0].idea.id]
    assert store.vote_counts(session.id, step_id) == {}
    assert [(i.id, i.status) for i in store.ideas_of_step(session.id, step_id)] == [(posted[1].idea.id, "open")]


@pytest.mark.parametrize("fields", [{"kind": "ideas", "max_ideas": 2}, {"kind": "scale", "min": 1, "max": 5}])
def test_approve_is_for_written_answers_alone(fields):
    """Approval holds back written answers (text, list): an ideas step (or a scale) that asks for it is refused by
    the loader, not loaded and then ignored while unapproved ideas reach the projector."""
    step = {"id": "s", "title": "S", "prompt": "P", "visibility": "room", "minutes": 1, "approve": True, **fields}
    with pytest.raises(ProtocolFileError) as raised:
        protocol_from_dict({"id": "p", "title": "P", "purpose": "P.", "steps": [step]})
    assert "steps[0].approve: approval holds back written answers: it needs kind = 'text' or 'list'" in str(
        raised.value
    )


def test_a_vote_on_a_hidden_idea_is_no_line_of_the_plan():
    voted = protocol(vote='vote_on = "post"\nvotes = 2\nplan_ideas = ["voted"]')
    shown = Board(session_of(voted).steps[3], tuple(IDEAS))
    mine = [Vote(12, "v1", 4, "1:vote@2"), Vote(12, "v2", 2, "1:vote@2")]  # idea 2 is hidden
    assert ideas.plan_lines(shown, 12, mine, IN_ENGLISH) == ("I voted for: Student voice",)


def open_ideas(store, people=("Ana", "Ben", "Cy")):
    """A session on a step taking ideas and two votes each (one per idea) from its start; each person posts one."""
    definition = protocol("votes = 2\nvoting = 'from_start'")
    session, _ = store.create_session("Day", "", [("Goal", "")], [AgendaItem(1, definition)])
    members = [store.add_participant(session.id, name)[0] for name in people]
    live = store.session_by_id(session.id).next(0.0)
    store.save_run_state(live)
    step_id = live.current.key
    ids = [
        usecase.post(store, live.id, member.id, {"step_id": step_id, "idea_id": "i", "text": f"Idea {n}"}).idea.id
        for n, member in enumerate(members)
    ]
    return live, members, ids


def give(store, live, member, vote_id, idea):
    request = {"step_id": live.current.key, "vote_id": vote_id, "idea": idea}
    return usecase.vote(store, live.id, member.id, request)


def refused_code(use, *args):
    with pytest.raises(DomainError) as refused:
        use(*args)
    return refused.value.code


def test_hiding_an_idea_gives_its_votes_back_to_their_voters(store):
    live, (_, ben, cy), ids = open_ideas(store)
    step_id = live.current.key
    for member, vote_id, idea in ((ben, "b1", ids[0]), (cy, "c1", ids[0]), (cy, "c2", ids[1])):
        assert give(store, live, member, vote_id, idea).changed
    moderated = usecase.moderate(store, live, {"idea": ids[0], "hidden": True})
    assert moderated.idea.hidden
    assert sorted((vote.participant_id, vote.vote_id) for vote in moderated.returned) == [(ben.id, "b1"), (cy.id, "c1")]
    assert store.vote_counts(live.id, step_id) == {ids[1]: 1}
    assert [vote.vote_id for vote in store.votes_of(cy.id, step_id)] == ["c2"]
    assert give(store, live, cy, "c3", ids[2]).changed, "the vote given back is given again"
    shown_again = usecase.moderate(store, live, {"idea": ids[0], "hidden": False})
    assert shown_again.returned == [] and store.vote_counts(live.id, step_id) == {ids[1]: 1, ids[2]: 1}
    # A person's own data holds their ideas (with what became of them) and the ideas they voted for.
    assert usecase.own_data(store, live, cy.id) == {
        "posted": [{"protocol": "T", "step": "Post", "idea": "Idea 2", "status": "open"}],
        "voted_for": [{"protocol": "T", "step": "Post", "idea": "Idea 1"}, {"protocol": "T", "step": "Post",
                                                                             "idea": "Idea 2"}],
    }  # fmt: skip


def test_an_id_no_database_holds_names_no_idea(store):
    """2**70 is a whole number JSON carries and no database holds (nor 2**40 PostgreSQL's INTEGER ids): refused as
    an unknown idea, never sent to the database to overflow there (an internal_error)."""
    live, (ana, _, _), ids = open_ideas(store)
    for huge in (2**31, 2**40, 2**63, 2**70, 0, -1):
        assert refused_code(give, store, live, ana, "v", huge) == "unknown_idea"
        assert refused_code(usecase.moderate, store, live, {"idea": huge, "hidden": True}) == "unknown_idea"
        assert refused_code(usecase.merge, store, live, {"idea": ids[0], "into": huge}) == "unknown_idea"
        assert refused_code(usecase.merge, store, live, {"idea": huge, "into": ids[0]}) == "unknown_idea"
    assert refused_code(ideas.idea_number, True) == refused_code(parking_lot.item_id, True) == "bad_request"
    assert refused_code(parking_lot.item_id, 2**40) == "unknown_parking_item"


def test_a_merge_checks_both_ideas_as_its_transaction_reads_them(database, store):
    """Two consoles at once, each with its own connection: one merges B into A while the other, having read both
    open, merges A into B. One merge goes through; the other, reading both as its transaction locks them, is
    refused: never an idea merged into one merged into it."""
    live, _, (a, b, c) = open_ideas(store)
    usecase.moderate(store, live, {"idea": c, "hidden": True})
    assert refused_code(usecase.merge, store, live, {"idea": a, "into": c}) == "idea_not_open"
    other = Store(database)
    try:
        for _ in range(ROUNDS):
            live, _, (a, b, _) = open_ideas(store)
            outcomes = race(partial(usecase.merge, store, live, {"idea": b, "into": a}),
                            partial(usecase.merge, other, live, {"idea": a, "into": b}))  # fmt: skip
            refused = [o.code for o in outcomes if isinstance(o, DomainError)]
            assert len(refused) == 1 and refused[0] in ("idea_not_open", "unknown_idea"), outcomes
            merged = {idea.id: idea.merged_into for idea in store.ideas_of_step(live.id, live.current.key)}
            assert {(i, kept) for i, kept in merged.items() if kept} in ({(b, a)}, {(a, b)}), merged
    finally:
        other.close()


ROUNDS = 25  # races run per test: enough for the statements of two transactions to interleave every way


def race(*jobs):
    """Run the jobs at once, each on its own thread: what each returned, or the DomainError it raised. Any other
    exception (a deadlock PostgreSQL broke, an internal error) fails the test."""
    start = threading.Barrier(len(jobs))

    def run(job):
        start.wait()
        try:
            return job()
        except DomainError as refused:
            return refused

    with ThreadPoolExecutor(len(jobs)) as pool:
        return [future.result() for future in [pool.submit(run, job) for job in jobs]]


def test_a_vote_for_a_merged_idea_and_a_merge_of_the_idea_it_joined_never_deadlock(database, store):
    """A vote follows A's merge into B while B is merged into C: the vote locks only the idea it lands on, so it
    never holds A while the merge (holding B, C) moves A over to C. The vote lands on C either way."""
    other = Store(database)
    try:
        for _ in range(ROUNDS):
            live, (ana, _, _), (a, b, c) = open_ideas(store)
            usecase.merge(store, live, {"idea": a, "into": b})
            step_id = live.current.key
            given, merged = race(
                partial(store.cast_vote, live.id, step_id, ana.id, "v", a, lambda idea, mine: None),
                partial(usecase.merge, other, live, {"idea": b, "into": c}),
            )
            assert given[1] is True and merged.kept.id == c
            assert store.vote_counts(live.id, step_id) == {c: 1}
            assert {i.id: i.merged_into for i in store.ideas_of_step(live.id, step_id)} == {a: c, b: c, c: None}
    finally:
        other.close()


def test_hiding_an_idea_while_its_author_is_forgotten_never_deadlocks(database, store):
    """A hide locks the idea and then gives its votes back; forgetting its author (who voted for it too) locks the
    ideas it deletes before deleting any vote, in the same order: one waits for the other, and the idea and every
    vote on it are gone after both."""
    other = Store(database)
    try:
        for _ in range(ROUNDS):
            live, (ana, ben, _), (a, _, _) = open_ideas(store)
            step_id = live.current.key
            for member, vote_id in ((ana, "a1"), (ben, "b1")):
                give(store, live, member, vote_id, a)
            (idea, returned), forgotten = race(
                partial(store.moderate_idea, live.id, a, step_id, hidden=True),
                partial(other.forget_ideas, [ana.id]),
            )
            assert forgotten == [a]
            if idea is not None:  # the hide went first: both votes went back
                assert sorted(vote.vote_id for vote in returned) == ["a1", "b1"]
            assert a not in store.vote_counts(live.id, step_id)
            assert store.votes_of(ben.id, step_id) == [] and store.votes_of(ana.id, step_id) == []
    finally:
        other.close()


def test_each_persons_part_of_the_board_comes_from_one_read_of_every_vote(store, monkeypatch):
    """At a step change every author and voter gets their own part: the votes of the whole room are read once, not
    once per person, and the part carries no room's list (``ideas`` null: the phone keeps the broadcast's)."""
    live, (ana, ben, cy), ids = open_ideas(store)
    for member, vote_id, idea in ((ben, "b1", ids[0]), (cy, "c1", ids[0]), (cy, "c2", ids[1])):
        give(store, live, member, vote_id, idea)
    board = usecase.open_board(store, live)
    statements = []
    run = store._db.run
    monkeypatch.setattr(store._db, "run", lambda *args: statements.append(args[1]) or run(*args))
    parts = usecase.own_parts(store, live.id, board)
    assert len(statements) == 1, statements
    assert set(parts) == {ana.id, ben.id, cy.id}
    assert parts[cy.id] == {
        "step_id": live.current.key, "pool": live.current.key, "posting": True, "voting": True, "ideas": None,
        "everyone_posts": True, "mine": [{"id": ids[2], "status": "open", "table": None, "text": "Idea 2"}],
        "my_votes": [{"vote_id": "c1", "idea": ids[0]}, {"vote_id": "c2", "idea": ids[1]}],
    }  # fmt: skip
    room = ideas.room_board(board)
    assert (room["mine"], room["my_votes"], [idea["id"] for idea in room["ideas"]]) == (None, None, ids)


def test_the_live_rooms_import_what_they_use_at_the_top():
    """broadcast.py imports no activity inside a function to get round a cycle: the handlers refresh the ideas."""
    tree = ast.parse((ROOT / "facilitator" / "live" / "broadcast.py").read_text(encoding="utf-8"))
    inside = [
        ast.unparse(node)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert inside == []


def test_one_throttle_gathers_a_windows_changes_for_ideas_and_the_parking_lot():
    pending = throttle.Pending()
    assert pending.add(7, {1: False}) is True, "the first change of a window schedules the delta"
    assert pending.add(7, {1: True, 2: False}) is False and pending.add(7, {2: False}) is False
    assert pending.add(8, {5: True}) is True, "each session has its own window"
    assert pending.take(7) == {1: True, 2: False}, "phones hear of an idea if any change of the window said so"
    assert pending.take(7) == {} and pending.add(7, {3: False}) is True
    for module in (live_ideas, parking_lot_live):
        assert "throttle.gather(" in inspect.getsource(module) and "class Pending" not in inspect.getsource(module)


def test_hiding_an_idea_during_a_later_vote_keeps_the_votes_acknowledged_on_the_step_before(store):
    """A Post step that takes votes, then a Vote step on its ideas: hiding an idea while the room votes gives back
    the votes of the Vote step alone; those acknowledged on the Post step stay in the export and in own data."""
    definition = protocol("votes = 2\nvoting = 'from_start'")
    session, _ = store.create_session("Day", "", [("Goal", "")], [AgendaItem(1, definition)])
    ana, ben = (store.add_participant(session.id, name)[0] for name in ("Ana", "Ben"))
    post = store.session_by_id(session.id).next(0.0)
    store.save_run_state(post)
    idea = usecase.post(store, post.id, ana.id, {"step_id": post.current.key, "idea_id": "i", "text": "Idea"}).idea
    assert give(store, post, ben, "on-post", idea.id).changed
    vote = post.next(1.0)
    store.save_run_state(vote)
    assert give(store, vote, ben, "on-vote", idea.id).changed
    hidden = usecase.moderate(store, vote, {"idea": idea.id, "hidden": True})
    assert [(v.vote_id, v.step_id) for v in hidden.returned] == [("on-vote", vote.current.key)]
    assert store.vote_counts(post.id, post.current.key) == {idea.id: 1}, "the Post step's vote stays"
    assert store.vote_counts(vote.id, vote.current.key) == {}
    rows = [(row.step, row.votes, row.status) for row in exporting.gather(store, session.code).ideas]
    assert rows == [("Post", 1, "hidden"), ("Vote", 0, "hidden")]
    assert usecase.own_data(store, vote, ben.id)["voted_for"] == [{"protocol": "T", "step": "Post", "idea": "Idea"}]


def test_a_merge_carries_the_ideas_merged_into_the_duplicate_before(store):
    """A merged into B, then B into C: A now points to C, and the merge says so (its author and every screen must
    hear of it), so no phone keeps A merged into an idea that left the vote."""
    live, (ana, _, _), (a, b, c) = open_ideas(store)
    assert usecase.merge(store, live, {"idea": a, "into": b}).followed == []
    merged = usecase.merge(store, live, {"idea": b, "into": c})
    assert [(idea.id, idea.participant_id, idea.merged_into) for idea in merged.followed] == [(a, ana.id, c)]


def test_the_console_hears_how_many_people_voted(store):
    live, (_, ben, cy), ids = open_ideas(store)
    for member, vote_id, idea in ((ben, "b1", ids[0]), (cy, "c1", ids[0]), (cy, "c2", ids[1])):
        give(store, live, member, vote_id, idea)
    board = usecase.open_board(store, live)
    console = ideas.console_board(board, {})
    assert (console["total_votes"], console["total_voters"]) == (3, 2)
    assert ideas.console_board(board, {}, board.ideas[:1])["total_voters"] == 2, "a delta carries it too"
    assert [b.voters for b in usecase.Results(store, live).boards] == [2, 0]


def test_ideas_csv_names_authors_where_visibility_says_the_facilitator_sees_names(store, monkeypatch):
    live, _, _ = open_ideas(store)
    asked = []

    def shows_name(audience, visibility):
        asked.append(audience)
        return False

    monkeypatch.setattr(ideas, "shows_name", shows_name)
    rows = exporting.gather(store, live.code).ideas
    assert rows and {row.participant for row in rows} == {""}
    assert set(asked) == {Audience.FACILITATOR}


def test_forgetting_on_a_step_that_is_not_the_open_boards_reads_nothing_of_it(store, monkeypatch):
    live, (ana, _, _), _ = open_ideas(store)
    statements = []
    run = store._db.run
    monkeypatch.setattr(store._db, "run", lambda *args: statements.append(args[1]) or run(*args))
    assert usecase.leaving(store, live, ana.id, "1:goal@1") is None
    assert statements == []
    assert usecase.leaving(store, live, ana.id, live.current.key) is not None


def test_console_events_refuse_ids_no_database_holds(app, sio, create_session):
    """2**70 is a whole number JSON carries and no database holds: each console event refuses it with the code it
    gives an unknown id, never an internal error from the database."""
    created = create_session(agenda=["goal-setting"])
    console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
    sio("/participant", code=created["code"], name="Ana")
    step_id = call(console, "next", "/facilitator")["step_id"]
    with app.app_context():
        ana = get_store().participants(get_store().session_by_code(created["code"]).id)[0].id
    for event, payload, code in (
        ("moderate", {"participant_id": 2**70, "step_id": step_id, "hidden": True}, "unknown_answer"),
        ("moderate", {"participant_id": 2**40, "step_id": step_id, "hidden": True}, "unknown_answer"),
        ("artifact_page", {"artifact_id": 2**70, "page": 1}, "unknown_artifact"),
        ("artifact_page", {"artifact_id": -1, "page": 1}, "unknown_artifact"),
        ("move", {"participant_id": 2**70, "group": 1}, "unknown_participant"),
        ("move", {"participant_id": ana, "group": 2**70}, "bad_request"),
    ):
        ack = call(console, event, "/facilitator", payload)
        assert (ack["ok"], ack["code"]) == (False, code), (event, payload, ack)
