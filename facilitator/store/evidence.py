"""Evidence files: their rows (who they belong to, what they are) and the folder in the data folder that holds their
bytes under random names."""

import os
import secrets
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update

from facilitator.store.base import StoreBase
from facilitator.store.schema import evidence_files, participants
from protocols.evidence import EvidenceFile, Kind, Prepared

EVIDENCE_FOLDER = "evidence"
EVIDENCE_COLUMNS = (
    evidence_files.c.id,
    evidence_files.c.organisation_id,
    evidence_files.c.person_id,
    evidence_files.c.participant_id,
    evidence_files.c.check_in_id,
    evidence_files.c.kind,
    evidence_files.c.title,
    evidence_files.c.stored_name,
    evidence_files.c.bytes,
    evidence_files.c.created_at,
    evidence_files.c.shared_with_group,
)
PEOPLE = bindparam("people", expanding=True)
NEW_EVIDENCE = insert(evidence_files).returning(evidence_files.c.id)
EVIDENCE_BY_ID = select(*EVIDENCE_COLUMNS).where(evidence_files.c.id == bindparam("evidence"))
EVIDENCE_OF_PERSON = (
    select(*EVIDENCE_COLUMNS).where(evidence_files.c.person_id == bindparam("person")).order_by(evidence_files.c.id)
)
SELECTED_FOR_PROGRESS = (
    select(*EVIDENCE_COLUMNS)
    .where(evidence_files.c.person_id.in_(PEOPLE), evidence_files.c.shared_with_progress.is_(True))
    .order_by(evidence_files.c.id)
)
BYTES_OF_PERSON = select(func.coalesce(func.sum(evidence_files.c.bytes), 0)).where(
    evidence_files.c.person_id == bindparam("person")
)
COUNTS_OF_PEOPLE = (
    select(evidence_files.c.person_id, func.count())
    .where(evidence_files.c.person_id.in_(PEOPLE))
    .group_by(evidence_files.c.person_id)
)
SHARE_EVIDENCE = update(evidence_files).where(evidence_files.c.id == bindparam("evidence"))
DELETE_EVIDENCE = delete(evidence_files).where(evidence_files.c.id == bindparam("evidence"))
NAMES_OF_PEOPLE = select(evidence_files.c.stored_name).where(
    evidence_files.c.person_id.in_(PEOPLE) | evidence_files.c.participant_id.in_(bindparam("uploaders", expanding=True))
)
FORGET_EVIDENCE = delete(evidence_files).where(
    evidence_files.c.person_id.in_(PEOPLE) | evidence_files.c.participant_id.in_(bindparam("uploaders", expanding=True))
)

ELSEWHERE = (
    select(participants.c.person_id)
    .where(participants.c.session_id != bindparam("session"), participants.c.person_id.is_not(None))
    .scalar_subquery()
)
PEOPLE_ONLY_IN_SESSION = (
    select(participants.c.person_id)
    .distinct()
    .where(
        participants.c.session_id == bindparam("session"),
        participants.c.person_verified.is_(True),
        participants.c.person_id.not_in(ELSEWHERE),
    )
)


def _evidence(row: Sequence[Any]) -> EvidenceFile:
    *head, kind, title, stored_name, size, created_at, shared = row
    return EvidenceFile(*head, Kind(kind), title, stored_name, int(size), float(created_at), bool(shared))


class EvidenceFolder:
    """The bytes of evidence files: ``evidence/`` in the data folder (0700), one file each (0600), named at random so
    no uploaded name ever reaches the disk. Student work shown on a step is kept alike in a folder of its own."""

    def __init__(self, data_dir: Path | str, folder: str = EVIDENCE_FOLDER) -> None:
        self.path = Path(data_dir) / folder

    def write(self, content: bytes, suffix: str) -> str:
        self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.path, 0o700)
        name = f"{secrets.token_hex(16)}.{suffix}"
        descriptor = os.open(self.path / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
        return name

    def read(self, name: str) -> bytes:
        return (self.path / Path(name).name).read_bytes()

    def remove(self, names: Sequence[str]) -> None:
        for name in names:
            (self.path / Path(name).name).unlink(missing_ok=True)


class Evidence(StoreBase):
    def add_evidence(
        self,
        prepared: Prepared,
        stored_name: str,
        *,
        organisation_id: int | None,
        person_id: int,
        participant_id: int,
        check_in_id: int | None,
        shared_with_group: bool,
    ) -> EvidenceFile:
        row = {
            "organisation_id": organisation_id,
            "person_id": person_id,
            "participant_id": participant_id,
            "check_in_id": check_in_id,
            "kind": prepared.kind.value,
            "title": prepared.title,
            "stored_name": stored_name,
            "bytes": len(prepared.content),
            "created_at": time.time(),
            "shared_with_group": shared_with_group,
        }
        with self._db.transaction() as db:
            evidence_id = db.run(NEW_EVIDENCE, row).rows[0][0]
        return _evidence([evidence_id, *row.values()])

    def evidence_file(self, evidence_id: int) -> EvidenceFile | None:
        rows = self._rows(EVIDENCE_BY_ID, {"evidence": evidence_id})
        return _evidence(rows[0]) if rows else None

    def evidence_of(self, person_id: int) -> list[EvidenceFile]:
        """A person's files (``PersonRecord.person_id``), oldest first."""
        return [_evidence(row) for row in self._rows(EVIDENCE_OF_PERSON, {"person": person_id})]

    def progress_evidence(self, person_ids: Sequence[int]) -> dict[int, list[EvidenceFile]]:
        """The files each of these people selected for their shared progress, oldest first, in one read."""
        found: dict[int, list[EvidenceFile]] = {}
        for row in self._rows(SELECTED_FOR_PROGRESS, {"people": list(person_ids) or [0]}):
            file = _evidence(row)
            found.setdefault(file.person_id, []).append(file)
        return found

    def evidence_bytes(self, person_id: int) -> int:
        return int(self._rows(BYTES_OF_PERSON, {"person": person_id})[0][0])

    def evidence_counts(self, person_ids: Sequence[int]) -> dict[int, int]:
        """How many files each of these people keeps (absent: none)."""
        if not person_ids:
            return {}
        return {int(person): int(count) for person, count in self._rows(COUNTS_OF_PEOPLE, {"people": list(person_ids)})}

    def share_evidence(self, evidence_id: int, shared: bool) -> None:
        with self._db.transaction() as db:
            db.run(SHARE_EVIDENCE, {"evidence": evidence_id, "shared_with_group": shared})

    def delete_evidence(self, evidence_id: int) -> None:
        with self._db.transaction() as db:
            db.run(DELETE_EVIDENCE, {"evidence": evidence_id})

    def people_only_in(self, session_id: int) -> list[int]:
        """The people (``PersonRecord.person_id``) whose every participant record is in this session: deleting the
        session leaves nothing of them, so nothing of their evidence stays either."""
        return [int(row[0]) for row in self._rows(PEOPLE_ONLY_IN_SESSION, {"session": session_id})]

    def forget_evidence(self, person_ids: Sequence[int], uploader_ids: Sequence[int] = ()) -> list[str]:
        """Delete the rows of these people's files (or uploaded from these participant records); returns the names
        their bytes are kept under, for the folder to delete."""
        params = {"people": list(person_ids) or [0], "uploaders": list(uploader_ids) or [0]}
        with self._db.transaction() as db:
            names = [row[0] for row in db.run(NAMES_OF_PEOPLE, params).rows]
            if names:
                db.run(FORGET_EVIDENCE, params)
        return names
