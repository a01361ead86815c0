"""``support-requests.csv``: the open support requests of an organisation, to hand to the coaches who follow them
up. Only what people shared with leaders: never a private answer or a check-in's private note."""

from collections.abc import Iterable

from exports.answers_csv import table_csv
from protocols.leaders import SupportRequest

COLUMNS = ("name", "email_or_staff_id", "system_goal", "goal", "support", "note", "asked_on", "where")


def support_requests_csv(requests: Iterable[SupportRequest]) -> bytes:
    return table_csv(
        COLUMNS,
        ((r.name, r.identifier, r.system_goal, r.goal, r.support, r.note, r.asked_on, r.where) for r in requests),
    )
