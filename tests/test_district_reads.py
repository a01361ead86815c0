"""The leaders' view and its CSVs read people's kept summaries: what they show equals what every person's records
give, after check-ins, new goals, edits and forgetting, on SQLite and PostgreSQL; a summary is made again only for
the people whose records changed; and nothing private, nor anything of a forgotten person, is kept in them."""

from typing import Any

from sqlalchemy import select

from facilitator.loadtest.district import seed
from facilitator.store import NewAnswer, Store
from facilitator.store.schema import follow_up_summaries
from facilitator.usecases import coaching
from facilitator.usecases.exporting import ExportRunner
from facilitator.usecases.forgetting import Answers, WholeSession, forget
from protocols.coaching.caseload import summarise
from protocols.coaching.coaches import AssignedHow, Assignment, CoachDraft
from protocols.coaching.organisation_view import leaders_view_of
from protocols.coaching.overview import coaching_overview
from protocols.coaching.thread import AgreedVersion, Author, MessageDraft, MessageKind
from protocols.followup import CheckInDraft, ProgressRow
from protocols.leaders import leaders_view_json
from protocols.loader import load_library
from protocols.organisations import OrganisationDraft
from protocols.session import AgendaItem, Participant, Session
from protocols.setup import GoalDraft, SessionEdit

PRIVATE = "PRIVATE-CANARY-never-for-leaders"
MEASURE = {
    "what": "Share of my class reading at grade level",
    "unit": "percent",
    "out_of": None,
    "baseline": {"value": 40, "date": "2026-01-05"},
    "target": {"value": 80, "date": "2027-06-01"},
}


def what_leaders_see(data: coaching.FollowUpData, view: Any) -> dict[str, Any]:
    """Everything the leaders' routes send, from one way of reading the organisation."""
    rows = coaching.caseload(data, None)
    ages = {r.id: r.age_days(data.today) for r in data.requests}
    return {
        "view": leaders_view_json(view),
        "rows": rows,
        "overview": coaching_overview(data.coaches, data.organisation.goals, rows, data.requests, ages),
        "requests": sorted(r.request_key for r in data.requests),
    }


def both_ways(store: Store, organisation_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """What leaders see from every person's records, and from the kept summaries."""
    organisation = store.organisation(organisation_id)
    assert organisation is not None
    records = coaching.follow_up_data(store, organisation)
    summaries = coaching.organisation_follow_up(store, organisation)
    closed = store.closed_requests(organisation_id)
    return (
        what_leaders_see(  # the people's records read now, each summarised afresh
            records,
            leaders_view_of(organisation.name, organisation.goals, [summarise(p) for p in records.people], closed),
        ),
        what_leaders_see(
            summaries, leaders_view_of(organisation.name, organisation.goals, summaries.summaries, closed)
        ),
    )


def kept_rows(store: Store) -> dict[int, str]:
    rows = store._rows(select(follow_up_summaries.c.person_id, follow_up_summaries.c.summaries), {})
    return {person_id: text for person_id, text in rows}


class District:
    """A small organisation with every kind of person the leaders' view counts."""

    def __init__(self, store: Store) -> None:
        self.store = store
        organisation, _ = store.create_organisation(
            OrganisationDraft("Riverside", (GoalDraft(None, "Literacy", ""), GoalDraft(None, "Belonging", "")))
        )
        self.id = organisation.id
        library = load_library()
        agenda = [AgendaItem(1, library["goal-setting"]), AgendaItem(2, library["revisit-goals"])]
        goals = [(goal.title, "", goal.id) for goal in organisation.goals] + [("Our own", "", None)]
        self.days = [
            store.create_session(f"Day {n}", "Riverside", goals, agenda, organisation_id=self.id, date=day)[0]
            for n, day in ((1, "2026-01-10"), (2, "2026-03-10"))
        ]
        self.ana, ana_token = self.join(0, "Ana", identifier="ana@r.org")
        self.answer(0, self.ana, goal=0, text="Every reader fluent", support=["coaching"], due="2026-02-01")
        self.ana_again, _ = store.add_participant(self.days[1].id, "Ana", earlier=[ana_token])
        self.answer(1, self.ana_again, goal=0, text="Every reader fluent by June", progress=2)
        self.typed, _ = self.join(1, "Ana typed", identifier="ana@r.org")  # only typed Ana's e-mail: their own
        self.answer(1, self.typed, goal=2, text="My own goal", support=["materials"])
        self.ben, _ = self.join(0, "Ben")
        self.answer(0, self.ben, goal=1, text="Belonging in every class", due="2099-01-01", measure=True)
        self.cleo, _ = self.join(1, "Cleo")  # joined, no goal
        for participant, level, support, result in ((self.ana, 3, ("release-time",), None), (self.ben, 4, (), 55.0)):
            self.check_in(participant, level, support, result)
        coach, _ = store.create_coach(self.id, CoachDraft("Ms Diaz", "", ()))
        ben_key = self.ben.person_id
        store.assign(self.id, [Assignment(ben_key, coach.id, AssignedHow.HAND, 1.0)])
        store.agree(self.id, ben_key, AgreedVersion("Belonging in every class", (), coach.id, 2.0, False),
                    MessageDraft(Author.COACH, MessageKind.AGREE))  # fmt: skip

    def join(self, day: int, name: str, identifier: str = "") -> tuple[Participant, str]:
        return self.store.add_participant(self.days[day].id, name, identifier=identifier)

    def answer(self, day: int, participant: Participant, *, goal: int, text: str, support=(), due="", progress=0,
               measure=False) -> None:  # fmt: skip
        session: Session = self.days[day]
        values: dict[str, object] = {"1:system-goal": session.system_goals[goal].id, "1:goal": text,
                                     "1:obstacles": "No time to plan together", "1:worry": PRIVATE}  # fmt: skip
        if support:
            values["1:support"] = list(support)
        if due:
            values["1:check-in"] = due
        if measure:
            values["1:measure"] = MEASURE
        if progress:
            values["2:progress"] = [{"step": "Read aloud daily", "level": progress}]
        self.store.save_answers(
            [NewAnswer(session.id, participant.id, step, f"{step}-{text}", value) for step, value in values.items()]
        )

    def check_in(self, participant: Participant, level: int, support=(), result=None) -> None:
        draft = CheckInDraft(
            progress=(ProgressRow("Read aloud daily", level),),
            obstacles="Too little time to plan",
            support=tuple(support),
            support_note="An hour a week",
            private_note=PRIVATE,
            result=result,
        )
        self.store.save_check_in(participant, draft)


def test_the_summaries_show_leaders_what_every_record_gives_and_stay_so_through_every_write(store):
    district = District(store)
    by_records, by_summaries = both_ways(store, district.id)
    assert by_summaries == by_records
    rows = {row["name"]: row for row in by_summaries["rows"]}
    assert set(rows) == {"Ana", "Ana typed", "Ben", "Cleo"} and rows["Ana"]["silent"] is False
    assert rows["Ben"]["agreed"] and rows["Ben"]["measure"]["latest"]["value"] == 55.0
    assert by_summaries["view"]["without_goal"] == 1 and by_summaries["view"]["open_requests"] == 2

    district.check_in(district.ben, 5, ("coaching",))  # a check-in
    district.answer(1, district.cleo, goal=1, text="Cleo's first goal", due="2026-04-01")  # a new goal
    district.answer(0, district.ben, goal=0, text="Belonging, reworded", due="2026-02-01")  # an edit
    store.update_session(district.days[0].id, SessionEdit("Day one", "Riverside", "", "2026-01-11", None))
    store.remove_identifier(district.ana.person_id)  # consent withdrawn
    by_records, by_summaries = both_ways(store, district.id)
    assert by_summaries == by_records
    rows = {row["name"]: row for row in by_summaries["rows"]}
    assert rows["Cleo"]["goal"] == "Cleo's first goal" and rows["Cleo"]["silent"] is True
    assert rows["Ana"]["identifier"] == "" and rows["Ben"]["silent"] is True  # a past date chosen after his check-in

    gone = store.forgotten_with(district.ana)
    store.forget_person(district.ana, gone)
    store.forget_coaching([district.ana.person_id, *(-member.id for member in gone)])
    assert district.ana.person_id not in kept_rows(store)  # at once, not at the next read
    by_records, by_summaries = both_ways(store, district.id)
    assert by_summaries == by_records and "Ana" not in {row["name"] for row in by_summaries["rows"]}
    kept = kept_rows(store)
    assert kept and not any(PRIVATE in text or "Every reader fluent" in text for text in kept.values())


def test_a_seeded_district_counts_the_same_from_summaries_as_from_every_record(store):
    organisation_id = seed(store, 60, 3, 150).organisation_id
    by_records, by_summaries = both_ways(store, organisation_id)
    assert by_summaries == by_records
    assert len(by_summaries["rows"]) == 60 and sum(g["people"] for g in by_summaries["view"]["system_goals"]) == 60


def test_only_the_people_whose_records_changed_are_read_again_and_another_process_reads_the_table(
    store, database, monkeypatch
):
    district = District(store)
    first = store.person_summaries(district.id)
    asked: list[Any] = []
    reading = store.person_records
    monkeypatch.setattr(store, "person_records", lambda org, ids=None: asked.append(ids) or reading(org, ids))
    assert store.person_summaries(district.id) == first and asked == []
    district.check_in(district.ben, 2)
    again = store.person_summaries(district.id)
    assert asked == [[district.ben.person_id]]
    assert [s.ratings[-1][1] for s in again if s.name == "Ben"] == [2.0]

    elsewhere = Store(database)  # a second worker, or the app after a restart: the table's copy, no record read
    try:
        monkeypatch.setattr(elsewhere, "person_records", lambda *args: (_ for _ in ()).throw(AssertionError(args)))
        assert elsewhere.person_summaries(district.id) == again
    finally:
        elsewhere.close()


def test_deleting_answers_or_a_whole_session_takes_the_summaries_made_from_them(store, tmp_path):
    """A person deleting their answers, or a facilitator deleting the day: no summary of them outlives the rows."""
    district = District(store)
    store.person_summaries(district.id)
    exports = ExportRunner(tmp_path, "A4")
    assert "Belonging in every class" in kept_rows(store)[district.ben.person_id]
    forget(store, exports, Answers(district.days[0], district.ben.id, None))
    assert district.ben.person_id not in kept_rows(store)
    assert "Every reader fluent by June" in "".join(kept_rows(store).values())
    forget(store, exports, WholeSession(district.days[1]))
    assert "Every reader fluent by June" not in "".join(kept_rows(store).values())
    assert "My own goal" not in "".join(kept_rows(store).values())


def test_the_summaries_of_a_session_s_people_go_before_the_session_does(store):
    district = District(store)
    store.person_summaries(district.id)
    day_two = [district.ana_again.id, district.typed.id, district.cleo.id]
    store.forget_summaries_of(day_two)
    assert set(kept_rows(store)) == {district.ben.person_id}
    store.delete_session(district.days[1].id)
    by_records, by_summaries = both_ways(store, district.id)
    assert by_summaries == by_records and {row["name"] for row in by_summaries["rows"]} == {"Ana", "Ben"}
