"""Deleting people and what they wrote: the one way, which also deletes every export that held them.

Every door that deletes goes through ``forget``: a person's plan page (everything about them, in every session),
their phone's ``forget`` event (their answers in one session), the admin deleting a session. An export is a copy
of a session's names and answers on disk, so each session the deletion touched loses its export; the facilitator
builds it again from what is left.
"""

from dataclasses import dataclass

from facilitator.store import Store
from facilitator.store.evidence import EvidenceFolder
from facilitator.usecases import artifacts, media
from facilitator.usecases.exporting import ExportRunner
from protocols.session import Participant, Session


@dataclass(frozen=True, slots=True)
class Answers:
    """A participant's answers in their session: one step's (``step_id``), or all of them."""

    session: Session
    participant_id: int
    step_id: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    """Everything held about the person a participant proves to be: each session's records, check-ins, identifier,
    and the coaching loop's: their coach, requests, conversation and reminders; their sharing choice and the warm
    feedback they sent or received; their parking-lot items and upvotes."""

    participant: Participant


@dataclass(frozen=True, slots=True)
class WholeSession:
    """A session and everyone and everything in it."""

    session: Session


Deletion = Answers | Person | WholeSession


def forget(store: Store, exports: ExportRunner, deletion: Deletion) -> int:
    """Delete what ``deletion`` names, then the export of every session it touched; returns how many records went
    (answers, the person's sessions, or the one session).

    The rows go first and the exports second: a build that read the rows before is stopped and its files deleted,
    and a build started after cannot hold them. Nothing deleted, no export lost.
    """
    match deletion:
        case Answers(session, participant_id, step_id):
            codes = [session.code]
            store.forget_summaries_of([participant_id])  # the leaders' summary made from them goes first
            ideas_gone = store.forget_ideas([participant_id], step_id)  # their ideas and votes there: counts drop
            removed = store.delete_answers(participant_id, step_id) + len(ideas_gone)
        case Person(participant):
            gone = store.forgotten_with(participant)
            codes = _codes(store, [member.session_id for member in gone])
            keys = [-member.id for member in gone]  # as the coaching loop knows each (PersonRecord.person_id)
            if participant.person_id is not None and participant.person_verified:
                keys.append(participant.person_id)
            _forget_evidence(store, exports, keys, [member.id for member in gone])
            store.forget_progress(keys, [member.id for member in gone])  # sharing, warm feedback sent or received
            artifacts.forget(store, exports.data_dir, uploaders=[member.id for member in gone])  # student work shown
            store.forget_ideas([member.id for member in gone])  # their ideas and votes, in every session
            store.forget_parking_lot(participant_ids=[member.id for member in gone])  # their items and upvotes
            removed = store.forget_person(participant, gone)
            _forget_coaching(store, keys)
        case WholeSession(session):
            codes = [session.code]
            typed_only = [-participant_id for participant_id in store.participant_names(session.id)]
            only_here = [*typed_only, *store.people_only_in(session.id)]  # a person linked elsewhere keeps theirs
            _forget_evidence(store, exports, only_here, [])
            store.forget_progress(only_here, session_ids=[session.id])  # and the feedback sent in its rounds
            artifacts.forget(store, exports.data_dir, session_id=session.id)
            store.forget_ideas(list(store.participant_names(session.id)))
            media.forget(store, exports.data_dir, session.id)  # the facilitator's uploads shown on its steps
            store.forget_parking_lot(session_id=session.id)
            store.forget_summaries_of(list(store.participant_names(session.id)))
            store.delete_session(session.id)
            _forget_coaching(store, typed_only)  # who was a person of their own only in this session
            removed = 1
    if removed:
        for code in codes:
            exports.discard(code)
    return removed


def _forget_evidence(store: Store, exports: ExportRunner, keys: list[int], uploaders: list[int]) -> None:
    """These people's evidence files: the rows, then the bytes in the data folder's ``evidence/``."""
    EvidenceFolder(exports.data_dir).remove(store.forget_evidence(keys, uploaders))


def _forget_coaching(store: Store, keys: list[int]) -> None:
    """The coaching loop's records of these people (``PersonRecord.person_id``): their coach, requests, thread,
    agreed versions and every reminder to or about them. After their records are gone, so no page or reminder pass
    in between can make them again from what was still there."""
    store.forget_reminders(keys)
    store.forget_coaching(keys)  # last: it also clears what the deletions left in the database's files


def _codes(store: Store, session_ids: list[int]) -> list[str]:
    """The join codes of these sessions (exports are kept by code), read before anything is deleted."""
    sessions = (store.session_by_id(session_id) for session_id in dict.fromkeys(session_ids))
    return [session.code for session in sessions if session is not None]
