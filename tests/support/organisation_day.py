"""A store test's organisation and its first day: the Riverside organisation with one system goal, and a goal-setting
session of it, made straight in the store (no server)."""

from facilitator.store import Store
from protocols.loader import load_library
from protocols.organisations import Organisation, OrganisationDraft
from protocols.session import AgendaItem, Session
from protocols.setup import GoalDraft


def riverside(store: Store) -> tuple[Organisation, Session]:
    organisation, _ = store.create_organisation(OrganisationDraft("Riverside", (GoalDraft(None, "Readers"),)))
    session, _ = store.create_session(
        "Day one", "Riverside", [("Readers", "", organisation.goals[0].id)],
        [AgendaItem(1, load_library()["goal-setting"])], organisation_id=organisation.id,
    )  # fmt: skip
    return organisation, session
