"""Ideas and votes: posting and voting in one transaction that counts the person's own (never more than the step
allows, whoever else votes at once), moderating and merging, the reads the screens and exports need, forgetting."""

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from sqlalchemy import Insert, and_, bindparam, delete, exists, func, select, update

from facilitator.store.activity_tables import idea_votes, idea_voting, ideas
from facilitator.store.base import IN_SESSION, StoreBase, insert_for
from facilitator.store.database import Link
from facilitator.store.schema import participants
from protocols.ideas import Idea, Vote

IDEA_COLUMNS = (
    ideas.c.id, ideas.c.participant_id, ideas.c.step_id, ideas.c.idea_id, ideas.c.text, ideas.c.posted_at,
    ideas.c.group_number, ideas.c.hidden, ideas.c.spotlight, ideas.c.merged_into,
)  # fmt: skip
VOTE_COLUMNS = (idea_votes.c.participant_id, idea_votes.c.vote_id, idea_votes.c.idea, idea_votes.c.step_id)
PARTICIPANT = bindparam("participant")
STEP = bindparam("step")

# One person's writes wait for each other (PostgreSQL: the row lock; SQLite holds the write lock for the whole
# transaction anyway), so two tabs voting at once are counted one after the other.
LOCK_PERSON = select(participants.c.id).where(participants.c.id == PARTICIPANT).with_for_update()
POSTED = select(*IDEA_COLUMNS).where(ideas.c.participant_id == PARTICIPANT, ideas.c.idea_id == bindparam("idea_id"))
POSTED_COUNT = select(func.count()).where(ideas.c.participant_id == PARTICIPANT, ideas.c.step_id == STEP)
NEW_IDEA = ideas.insert().returning(ideas.c.id)
IDS = bindparam("ids", expanding=True)
# An idea's row stays as read until its transaction ends (PostgreSQL; SQLite writes one at a time anyway): a vote
# and a hide, or two merges of the same ideas, wait for each other instead of each acting on what the other changed.
# Every transaction locks in one order, so none waits for another that waits for it (a deadlock, which PostgreSQL
# breaks by failing one): the ideas it changes first, by id, in one statement; then the votes.
LOCK_IDEAS = (
    select(*IDEA_COLUMNS)
    .where(ideas.c.session_id == IN_SESSION, ideas.c.id.in_(IDS))
    .order_by(ideas.c.id)
    .with_for_update()
)  # fmt: skip
LOCK_IDEAS_ANYWHERE = select(ideas.c.id).where(ideas.c.id.in_(IDS)).order_by(ideas.c.id).with_for_update()
# The idea a vote goes to: read as it stands (following a merge), then locked alone, shared, so votes for one idea
# do not wait for each other while a hide or a merge of it waits for them. No IN list: the store's fast path.
IDEA = select(*IDEA_COLUMNS).where(ideas.c.session_id == IN_SESSION, ideas.c.id == bindparam("idea"))
LOCK_IDEA_TO_VOTE = IDEA.with_for_update(read=True)
IDEAS_BY_ID_ANYWHERE = select(*IDEA_COLUMNS).where(ideas.c.id.in_(IDS))
IDEAS_BY_ID = IDEAS_BY_ID_ANYWHERE.where(ideas.c.session_id == IN_SESSION)
IDEAS_OF_STEP = (
    select(*IDEA_COLUMNS).where(ideas.c.session_id == IN_SESSION, ideas.c.step_id == STEP).order_by(ideas.c.id)
)
IDEAS_OF_SESSION = select(*IDEA_COLUMNS).where(ideas.c.session_id == IN_SESSION).order_by(ideas.c.id)
_step_of = ideas.alias("step_of")
# The ideas spotlighted on the step of ``idea`` (which a new spotlight takes down): locked with it, in one order.
SPOTLIT = select(ideas.c.id).where(
    ideas.c.session_id == IN_SESSION,
    ideas.c.spotlight.is_(True),
    ideas.c.step_id == select(_step_of.c.step_id).where(_step_of.c.id == bindparam("idea")).scalar_subquery(),
)
MODERATE = update(ideas).where(ideas.c.id == bindparam("row"))
UNSPOTLIGHT_STEP = (
    update(ideas)
    .where(ideas.c.session_id == IN_SESSION, ideas.c.step_id == STEP, ideas.c.spotlight.is_(True))
    .values(spotlight=False)
)  # fmt: skip
MERGE = update(ideas).where(ideas.c.id == bindparam("row")).values(merged_into=bindparam("kept"), spotlight=False)
FOLLOWERS = select(ideas.c.id).where(ideas.c.merged_into.in_(IDS))
FOLLOW_MERGE = (
    update(ideas)
    .where(ideas.c.merged_into == bindparam("merged"))
    .values(merged_into=bindparam("kept"))
    .returning(*IDEA_COLUMNS)
)  # fmt: skip

VOTE = bindparam("vote")
CAST = select(*VOTE_COLUMNS).where(idea_votes.c.participant_id == PARTICIPANT, idea_votes.c.vote_id == VOTE)
SESSION_VOTES = select(*VOTE_COLUMNS).where(idea_votes.c.session_id == IN_SESSION).order_by(idea_votes.c.id)
MY_VOTES = select(*VOTE_COLUMNS).where(idea_votes.c.participant_id == PARTICIPANT, idea_votes.c.step_id == STEP)
STEP_VOTES = (
    select(*VOTE_COLUMNS)
    .where(idea_votes.c.session_id == IN_SESSION, idea_votes.c.step_id == STEP)
    .order_by(idea_votes.c.id)
)  # fmt: skip
STEP_VOTES_OF = STEP_VOTES.where(idea_votes.c.participant_id.in_(bindparam("people", expanding=True)))
VOTES_ON = select(*VOTE_COLUMNS).where(idea_votes.c.idea.in_(IDS))
TAKE_VOTES_ON = delete(idea_votes).where(idea_votes.c.idea.in_(IDS)).returning(*VOTE_COLUMNS)
# The votes a hidden idea gives back: those of the step voting now alone; votes acknowledged on a step that has
# closed stay (a hidden idea is off the vote, not out of the record).
GIVE_BACK = (
    delete(idea_votes)
    .where(idea_votes.c.idea == bindparam("idea"), idea_votes.c.step_id == STEP)
    .returning(*VOTE_COLUMNS)
)  # fmt: skip
OWN_IDEAS = select(*IDEA_COLUMNS).where(ideas.c.participant_id == PARTICIPANT).order_by(ideas.c.id)
OWN_VOTES = select(*VOTE_COLUMNS).where(idea_votes.c.participant_id == PARTICIPANT).order_by(idea_votes.c.id)
NEW_VOTE = idea_votes.insert()
TAKE_BACK = (
    delete(idea_votes)
    .where(idea_votes.c.participant_id == PARTICIPANT, idea_votes.c.step_id == STEP, idea_votes.c.vote_id == VOTE)
    .returning(*VOTE_COLUMNS)
)  # fmt: skip
COUNTS = (
    select(idea_votes.c.idea, func.count())
    .where(idea_votes.c.session_id == IN_SESSION, idea_votes.c.step_id == STEP)
    .group_by(idea_votes.c.idea)
)
COUNTS_OF = COUNTS.where(idea_votes.c.idea.in_(IDS))
VOTERS = select(func.count(idea_votes.c.participant_id.distinct())).where(
    idea_votes.c.session_id == IN_SESSION, idea_votes.c.step_id == STEP
)
_kept = idea_votes.alias("kept")
# A merged idea's vote whose voter has one on the kept idea already, where a person gives one vote per idea: returned.
DOUBLED_VOTES = delete(idea_votes).where(
    idea_votes.c.idea == bindparam("merged"),
    idea_votes.c.step_id.in_(bindparam("one_per_idea", expanding=True)),
    exists().where(
        and_(_kept.c.idea == bindparam("kept"), _kept.c.participant_id == idea_votes.c.participant_id,
             _kept.c.step_id == idea_votes.c.step_id)
    ),
)  # fmt: skip
MOVE_VOTES = update(idea_votes).where(idea_votes.c.idea == bindparam("merged")).values(idea=bindparam("kept"))
VOTING_OPENED = select(idea_voting.c.opened_at).where(
    idea_voting.c.session_id == IN_SESSION, idea_voting.c.step_id == STEP
)

PEOPLE = bindparam("people", expanding=True)
FORGET_VOTES_OF = delete(idea_votes).where(idea_votes.c.participant_id.in_(PEOPLE))
FORGET_STEP_VOTES_OF = FORGET_VOTES_OF.where(idea_votes.c.step_id == STEP)
FORGET_IDEAS_OF = select(ideas.c.id).where(ideas.c.participant_id.in_(PEOPLE))
FORGET_STEP_IDEAS_OF = FORGET_IDEAS_OF.where(ideas.c.step_id == STEP)
UNMERGE_FROM = update(ideas).where(ideas.c.merged_into.in_(IDS)).values(merged_into=None)
FORGET_IDEAS = delete(ideas).where(ideas.c.id.in_(IDS))


@lru_cache(maxsize=2)
def _open_voting(dialect: str) -> Insert:
    return insert_for(dialect)(idea_voting).on_conflict_do_nothing()


def _idea(row: Sequence[Any]) -> Idea:
    row_id, participant_id, step_id, idea_id, text, posted_at, group_number, hidden, spotlight, merged_into = row
    return Idea(row_id, participant_id, step_id, idea_id, text, posted_at, group_number, bool(hidden), bool(spotlight),
                merged_into)  # fmt: skip


def _vote(row: Sequence[Any]) -> Vote:
    return Vote(*row)


class Ideas(StoreBase):
    """Ideas posted on steps and the votes given to them."""

    def post_idea(
        self,
        session_id: int,
        step_id: str,
        participant_id: int,
        idea_id: str,
        check: Callable[[int], str],
        group_number: int | None = None,
    ) -> tuple[Idea, bool]:
        """Post an idea: ``check(ideas the person posted on the step)`` runs inside the transaction and returns the
        text, or raises. A resent ``idea_id`` returns the idea posted with it and False."""
        with self._db.transaction() as db:
            db.run(LOCK_PERSON, {"participant": participant_id})
            posted = db.run(POSTED, {"participant": participant_id, "idea_id": idea_id}).rows
            if posted:
                return _idea(posted[0]), False
            ((count,),) = db.run(POSTED_COUNT, {"participant": participant_id, "step": step_id}).rows
            text = check(count)
            row = {"session_id": session_id, "step_id": step_id, "participant_id": participant_id, "idea_id": idea_id,
                   "text": text, "posted_at": time.time(), "group_number": group_number}  # fmt: skip
            ((new_id,),) = db.run(NEW_IDEA, row).rows
        return Idea(new_id, participant_id, step_id, idea_id, text, row["posted_at"], group_number), True

    def cast_vote(
        self,
        session_id: int,
        step_id: str,
        participant_id: int,
        vote_id: str,
        idea: int,
        check: Callable[[Idea | None, list[Vote]], None],
    ) -> tuple[Vote, bool]:
        """Give a vote to ``idea`` (or to the idea it was merged into): ``check(the idea, the person's votes on the
        step)`` runs inside the transaction, so the count it sees is the count the vote joins. A resent ``vote_id``
        returns the vote given with it and False."""
        with self._db.transaction() as db:
            db.run(LOCK_PERSON, {"participant": participant_id})
            cast = db.run(CAST, {"participant": participant_id, "vote": vote_id}).rows
            if cast:
                return _vote(cast[0]), False
            target = self._followed(db, session_id, idea)
            mine = [_vote(row) for row in db.run(MY_VOTES, {"participant": participant_id, "step": step_id}).rows]
            check(target, mine)
            assert target is not None  # check refuses an unknown idea
            db.run(NEW_VOTE, {"session_id": session_id, "step_id": step_id, "participant_id": participant_id,
                              "vote_id": vote_id, "idea": target.id, "voted_at": time.time()})  # fmt: skip
        return Vote(participant_id, vote_id, target.id, step_id), True

    @staticmethod
    def _followed(db: Link, session_id: int, idea: int) -> Idea | None:
        """The idea, or the one it was merged into (and so on), locked alone, shared: a hide or a merge waits for
        the vote. The merges are followed without locks (a vote holding one idea while it waits for the next would
        deadlock with a merge holding that one and changing the first); the idea found is locked and read again, and
        followed on if it was merged meanwhile."""
        for _ in range(20):
            rows = db.run(IDEA, {"session": session_id, "idea": idea}).rows
            found = _idea(rows[0]) if rows else None
            if found is not None and found.merged_into is None:
                rows = db.run(LOCK_IDEA_TO_VOTE, {"session": session_id, "idea": idea}).rows
                found = _idea(rows[0]) if rows else None
            if found is None or found.merged_into is None:
                return found
            idea = found.merged_into
        return None

    @staticmethod
    def _locked(db: Link, session_id: int, ids: Sequence[int]) -> dict[int, Idea]:
        """These ideas of the session as they stand, their rows locked until the transaction ends."""
        rows = db.run(LOCK_IDEAS, {"session": session_id, "ids": sorted(set(ids))}).rows
        return {idea.id: idea for idea in map(_idea, rows)}

    @staticmethod
    def _locked_anywhere(db: Link, ids: Sequence[int]) -> None:
        """Lock these ideas' rows, whatever their session, until the transaction ends (as ``_locked`` does)."""
        db.run(LOCK_IDEAS_ANYWHERE, {"ids": sorted(set(ids))})

    def take_back_vote(self, participant_id: int, step_id: str, vote_id: str) -> Vote | None:
        """Take back one of the person's votes on the step; None if it is not there (taken back already)."""
        with self._db.transaction() as db:
            rows = db.run(TAKE_BACK, {"participant": participant_id, "step": step_id, "vote": vote_id}).rows
        return _vote(rows[0]) if rows else None

    def votes_of(self, participant_id: int, step_id: str) -> list[Vote]:
        return [_vote(row) for row in self._rows(MY_VOTES, {"participant": participant_id, "step": step_id})]

    def votes_on_step(
        self, session_id: int, step_id: str, people: Iterable[int] | None = None
    ) -> dict[int, list[Vote]]:
        """Every voter's votes on the step (or only these people's), by voter: one query for the whole room."""
        params: dict[str, Any] = {"session": session_id, "step": step_id}
        if people is not None:
            params["people"] = sorted(set(people)) or [0]
        by_voter: dict[int, list[Vote]] = {}
        for row in self._rows(STEP_VOTES if people is None else STEP_VOTES_OF, params):
            given = _vote(row)
            by_voter.setdefault(given.participant_id, []).append(given)
        return by_voter

    def votes_on_ideas(self, ids: Iterable[int]) -> list[Vote]:
        """The votes these ideas hold, on any step."""
        return [_vote(row) for row in self._rows(VOTES_ON, {"ids": sorted(set(ids)) or [0]})]

    def own_ideas(self, participant_id: int) -> tuple[list[Idea], list[Vote], list[Idea]]:
        """A participant's ideas, their votes and the ideas those went to: what their own data holds."""
        posted = [_idea(row) for row in self._rows(OWN_IDEAS, {"participant": participant_id})]
        given = [_vote(row) for row in self._rows(OWN_VOTES, {"participant": participant_id})]
        ids = sorted({vote.idea for vote in given}) or [0]
        return posted, given, [_idea(row) for row in self._rows(IDEAS_BY_ID_ANYWHERE, {"ids": ids})]

    def ideas_of_step(self, session_id: int, step_id: str) -> list[Idea]:
        return [_idea(row) for row in self._rows(IDEAS_OF_STEP, {"session": session_id, "step": step_id})]

    def ideas_by_id(self, session_id: int, ids: Iterable[int]) -> list[Idea]:
        params = {"session": session_id, "ids": sorted(set(ids)) or [0]}
        return [_idea(row) for row in self._rows(IDEAS_BY_ID, params)]

    def voters(self, session_id: int, step_id: str) -> int:
        """How many people hold a vote on the step."""
        ((count,),) = self._rows(VOTERS, {"session": session_id, "step": step_id})
        return int(count)

    def vote_counts(self, session_id: int, step_id: str, ids: Iterable[int] | None = None) -> dict[int, int]:
        """Votes given on ``step_id``, by idea: every idea's, or only these ideas' (a delta's)."""
        params: dict[str, Any] = {"session": session_id, "step": step_id}
        if ids is not None:
            params["ids"] = sorted(set(ids)) or [0]
        return dict(self._rows(COUNTS if ids is None else COUNTS_OF, params))  # type: ignore[arg-type]

    def moderate_idea(self, session_id: int, idea_id: int, voting_step: str | None, *, hidden: bool | None = None,
                      spotlight: bool | None = None) -> tuple[Idea | None, list[Vote]]:  # fmt: skip
        """Hide an idea (off the projector and the vote: its votes on ``voting_step``, the step open, go back to
        their voters, returned here) or spotlight it (the only one of its step). The idea as it is now, None if the
        session has no such idea."""
        with self._db.transaction() as db:
            taken_down = db.run(SPOTLIT, {"session": session_id, "idea": idea_id}).rows if spotlight else []
            idea = self._locked(db, session_id, [idea_id, *(row[0] for row in taken_down)]).get(idea_id)
            if idea is None:
                return None, []
            new_hidden = idea.hidden if hidden is None else hidden
            new_spotlight = idea.spotlight if spotlight is None else spotlight
            if new_spotlight:
                db.run(UNSPOTLIGHT_STEP, {"session": session_id, "step": idea.step_id})
            db.run(MODERATE, {"row": idea.id, "hidden": new_hidden, "spotlight": new_spotlight})
            returned = []
            if new_hidden and voting_step is not None:
                returned = [_vote(row) for row in db.run(GIVE_BACK, {"idea": idea.id, "step": voting_step}).rows]
        return replace(idea, hidden=new_hidden, spotlight=new_spotlight), returned

    def merge_ideas(
        self, session_id: int, merged: int, kept: int, plan: Callable[[Idea | None, Idea | None], Sequence[str]]
    ) -> tuple[Idea, Idea, list[Vote], list[Idea]]:
        """``merged`` joins ``kept``: its votes go there (but on the steps giving one vote per idea, which ``plan``
        returns, a voter who has one on ``kept`` gets theirs back), as do the ideas merged into it before.
        ``plan(merged, kept)`` checks both as read here, their rows locked, so two merges of the same ideas at
        once wait for each other. Returns both as they are now, the votes the merged idea held, and the ideas merged
        into it before, which now point to ``kept``."""
        with self._db.transaction() as db:
            followers = [row[0] for row in db.run(FOLLOWERS, {"ids": [merged]}).rows]
            locked = self._locked(db, session_id, [merged, kept, *followers])
            duplicate, kept_idea = locked.get(merged), locked.get(kept)
            one_per_idea = plan(duplicate, kept_idea)
            assert duplicate is not None and kept_idea is not None  # plan refuses a missing idea
            held = [_vote(row) for row in db.run(VOTES_ON, {"ids": [merged]}).rows]
            params = {"merged": merged, "kept": kept}
            db.run(DOUBLED_VOTES, {**params, "one_per_idea": list(one_per_idea) or [""]})
            db.run(MOVE_VOTES, params)
            followed = [_idea(row) for row in db.run(FOLLOW_MERGE, params).rows]
            db.run(MERGE, {"row": merged, "kept": kept})
        return replace(duplicate, merged_into=kept, spotlight=False), kept_idea, held, followed

    def open_voting(self, session_id: int, step_id: str) -> None:
        """Voting opens on the step (once: opening it again changes nothing)."""
        with self._db.transaction() as db:
            opened = {"session_id": session_id, "step_id": step_id, "opened_at": time.time()}
            db.run(_open_voting(self._db.dialect), opened)

    def voting_opened(self, session_id: int, step_id: str) -> bool:
        return bool(self._rows(VOTING_OPENED, {"session": session_id, "step": step_id}))

    def session_ideas(self, session_id: int) -> tuple[list[Idea], list[Vote]]:
        """Every idea and vote of the session: what plans and the export are made from."""
        every = [_idea(row) for row in self._rows(IDEAS_OF_SESSION, {"session": session_id})]
        return every, [_vote(row) for row in self._rows(SESSION_VOTES, {"session": session_id})]

    def forget_ideas(self, participant_ids: Sequence[int], step_id: str | None = None) -> list[int]:
        """These people's votes and ideas (with the votes others gave them): every one, or those given and posted on
        one step. An idea merged into one of theirs is its own again. Returns the ids of the ideas that went."""
        params: dict[str, Any] = {"people": list(participant_ids) or [0]}
        if step_id is not None:
            params["step"] = step_id
        with self._db.transaction() as db:
            ids = [row[0] for row in db.run(FORGET_IDEAS_OF if step_id is None else FORGET_STEP_IDEAS_OF, params).rows]
            if ids:  # the ideas it changes locked first, as a hide or a merge locks them: neither waits on the other
                followers = [row[0] for row in db.run(FOLLOWERS, {"ids": ids}).rows]
                self._locked_anywhere(db, [*ids, *followers])
            db.run(FORGET_VOTES_OF if step_id is None else FORGET_STEP_VOTES_OF, params)
            if ids:
                for statement in (TAKE_VOTES_ON, UNMERGE_FROM, FORGET_IDEAS):
                    db.run(statement, {"ids": ids})
        return ids
