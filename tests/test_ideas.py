"""Ideas and votes without a server: the protocol file's fields, when a step takes ideas and votes, the ranking and
what each screen is sent, plans; and in the store (SQLite and PostgreSQL): a person's votes never past the step's
number, a resent idea or vote landing once, merging, and forgetting that takes ideas and votes away."""

import pytest

from exports.ideas_csv import ideas_csv
from facilitator.usecases import exporting
from facilitator.usecases import ideas as usecase
from protocols import ideas
from protocols.errors import DomainError
from protocols.ideas import Board, Idea, Vote
from protocols.loader import LIBRARY_DIR, ProtocolFileError, load_library, load_protocol_text
from protocols.model import PlanField
from protocols.session import AgendaItem, Session
from protocols.setup import sized_agenda

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

    # The export lists the ideas with their votes (no author on a room step) and puts them in the plans.
    export = exporting.gather(store, session.code)
    rows = [(row.step, row.idea, row.votes, row.author) for row in export.ideas]
    assert rows == [
        ("Post", "Idea 0", 2, ""),
        ("Post", "Idea 1", 1, ""),
        ("Vote", "Idea 0", 0, ""),
        ("Vote", "Idea 1", 0, ""),
    ]
    assert "Idea 0" in ideas_csv(export.ideas).decode("utf-8-sig")
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
