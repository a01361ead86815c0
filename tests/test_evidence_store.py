"""Evidence files' storage behaves the same on SQLite and PostgreSQL: rows kept and listed per person, sizes and
counts summed, sharing switched, one file deleted, and a person's or a session's people's files forgotten."""

from facilitator.store import Store
from facilitator.store.evidence import EvidenceFolder
from protocols.evidence import Kind, Prepared
from protocols.loader import load_library
from protocols.session import AgendaItem
from tests.support.organisation_day import riverside


def keep(store: Store, folder: EvidenceFolder, participant, content: bytes, *, check_in_id=None, shared=False):
    prepared = Prepared(Kind.IMAGE, content, "jpg", f"work {len(content)}.jpg")
    return store.add_evidence(
        prepared,
        folder.write(content, prepared.suffix),
        organisation_id=None,
        person_id=participant.person_id,
        participant_id=participant.id,
        check_in_id=check_in_id,
        shared_with_group=shared,
    )


def test_files_are_listed_per_person_summed_counted_shared_and_deleted_one_at_a_time(store, tmp_path):
    folder = EvidenceFolder(tmp_path)
    _, session = riverside(store)
    ana, _ = store.add_participant(session.id, "Ana", identifier="ana@r.org")
    ben, _ = store.add_participant(session.id, "Ben")
    first = keep(store, folder, ana, b"a" * 300, shared=True)
    second = keep(store, folder, ana, b"b" * 200)
    keep(store, folder, ben, b"c" * 50)

    assert [file.id for file in store.evidence_of(ana.person_id)] == [first.id, second.id]
    assert store.evidence_file(first.id) == first and first.shared_with_group is True
    assert (first.kind, first.bytes, first.title, first.suffix) == (Kind.IMAGE, 300, "work 300.jpg", "jpg")
    assert store.evidence_bytes(ana.person_id) == 500 and store.evidence_bytes(ben.person_id) == 50
    assert store.evidence_counts([ana.person_id, ben.person_id, 999]) == {ana.person_id: 2, ben.person_id: 1}
    assert store.evidence_counts([]) == {}

    store.share_evidence(first.id, False)
    store.share_evidence(second.id, True)
    assert [file.shared_with_group for file in store.evidence_of(ana.person_id)] == [False, True]

    store.delete_evidence(second.id)
    assert store.evidence_file(second.id) is None and store.evidence_bytes(ana.person_id) == 300


def test_forgetting_returns_every_kept_name_of_the_person_and_of_their_uploads_and_leaves_others(store, tmp_path):
    folder = EvidenceFolder(tmp_path)
    _, session = riverside(store)
    ana, _ = store.add_participant(session.id, "Ana")
    ben, _ = store.add_participant(session.id, "Ben")
    anas = [keep(store, folder, ana, b"x" * size) for size in (10, 20)]
    bens = keep(store, folder, ben, b"y" * 30)

    names = store.forget_evidence([ana.person_id])
    assert sorted(names) == sorted(file.stored_name for file in anas)
    folder.remove(names)
    assert store.evidence_of(ana.person_id) == [] and store.evidence_of(ben.person_id) == [bens]
    assert sorted(path.name for path in folder.path.iterdir()) == [bens.stored_name]
    assert store.forget_evidence([], [ben.id]) == [bens.stored_name]  # by the participant who uploaded it
    assert store.forget_evidence([ana.person_id]) == []


def test_the_people_only_in_a_session_are_those_with_no_record_anywhere_else(store):
    organisation, first = riverside(store)
    second, _ = store.create_session(
        "Day two", "Riverside", [("Readers", "", organisation.goals[0].id)],
        [AgendaItem(1, load_library()["goal-setting"])], organisation_id=organisation.id,
    )  # fmt: skip
    ana, ana_token = store.add_participant(first.id, "Ana")
    ben, _ = store.add_participant(first.id, "Ben")
    store.add_participant(second.id, "Ana", earlier=[ana_token])
    assert store.people_only_in(first.id) == [ben.person_id]
    assert ana.person_id not in store.people_only_in(first.id)
