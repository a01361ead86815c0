"""Ideas and votes without a server: the protocol file's fields, when a step takes ideas and votes, the ranking and
what each screen is sent, plans; and in the store (SQLite and PostgreSQL): a person's votes never past the step's
number, a resent idea or vote landing once, merging, and forgetting that takes ideas and votes away."""

import ast
import inspect

import pytest

from exports.ideas_csv import ideas_csv
from facilitator.live import ideas as live_ideas
from facilitator.live import parking_lot as parking_lot_live
from facilitator.live import throttle
from facilitator.usecases import exporting
from facilitator.usecases import ideas as usecase
from protocols import ideas, parking_lot
from protocols.errors import DomainError
from protocols.ideas import Board, Idea, Vote
from protocols.loader import LIBRARY_DIR, ProtocolFileError, load_library, load_protocol_text, protocol_from_dict
from protocols.model import PlanField
from protocols.session import AgendaItem, Session
from protocols.setup import sized_agenda
from tests.support import ROOT

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
    lines = ideas.plan_lines(shown, 12, [])
    assert lines == ("The room's idea 1: Student voice (5 votes)", "The room's idea 2: Time to plan (2 votes)")
    post = Board(session_of(protocol()).steps[2], tuple(IDEAS))
    assert ideas.plan_lines(post, 12, []) == ("My idea: time to plan! (merged into “Time to plan”)",)


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
    assert ideas.plan_lines(shown, 12, mine) == ("I voted for: Student voice",)


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


def test_a_merge_checks_both_ideas_as_its_transaction_reads_them(store, monkeypatch):
    live, _, (a, b, c) = open_ideas(store)
    usecase.moderate(store, live, {"idea": c, "hidden": True})
    assert refused_code(usecase.merge, store, live, {"idea": a, "into": c}) == "idea_not_open"
    # Two consoles at once: one merges B into A while the other, having read both open, merges A into B.
    as_read = {idea.id: idea for idea in store.ideas_of_step(live.id, live.current.key)}
    assert usecase.merge(store, live, {"idea": b, "into": a})
    monkeypatch.setattr(type(store), "idea", lambda _store, _session, idea: as_read.get(idea), raising=False)
    assert refused_code(usecase.merge, store, live, {"idea": a, "into": b}) == "idea_not_open"
    merged = {idea.id: idea.merged_into for idea in store.ideas_of_step(live.id, live.current.key)}
    assert merged == {a: None, b: a, c: None}, "never an idea merged into one merged into it"


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
        "mine": [{"id": ids[2], "status": "open", "table": None, "text": "Idea 2"}],
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
