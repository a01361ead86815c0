"""A whole session's export: plain data gathered from the store, plans built in a process pool, one ZIP written.

The CPU work (a PDF per participant) never runs in the server process. ``pathways export`` builds the ZIP in a
pool of worker processes; the console's routes start that same command as a child process at a lower priority
and read its progress from a status file, so the event loop carrying the live room is never blocked.
"""

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exports.answers_csv import answers_csv
from exports.bundle import CSV_NAME, OLD_CSV_NAME, SUMMARY_NAME, safe_filename, write_bundle
from exports.ideas_csv import IDEAS_CSV_NAME, ideas_csv
from exports.parking_lot_csv import PARKING_LOT_CSV_NAME, parking_lot_csv
from exports.plan_pdf import build_plan_pdf
from exports.style import paper_size
from exports.summary_pdf import build_summary_pdf
from facilitator.edge.language import current, language
from facilitator.store import DATABASE_FILE, Store
from facilitator.usecases.ideas import Results
from facilitator.usecases.plans import group_answers
from protocols.credentials import normalise_join_code
from protocols.errors import DomainError
from protocols.ideas import CsvIdea, ideas_steps
from protocols.parking_lot import Item
from protocols.plan import Plan, build_plan
from protocols.protocol_translations import localized_session
from protocols.session import Session
from protocols.summary import AnswerRow, Summary, answer_rows, build_summary
from protocols.visibility import Audience

EXPORTS_FOLDER = "exports"
STATUS_FILE = "status.json"
LOG_FILE = "export.log"  # what the child process printed: where to look when an export fails
Progress = Callable[[int, int], None]  # (plans done, plans in all)


@dataclass(frozen=True, slots=True)
class SessionExport:
    """Everything the ZIP holds, as plain data: the facilitator's copy of each plan, the CSV rows, the summary."""

    session: Session
    plans: tuple[tuple[int, Plan], ...]  # (participant id, plan)
    rows: tuple[AnswerRow, ...]
    summary: Summary
    parking_lot: tuple[tuple[Item, str], ...] = ()  # each question or idea with its author's name
    ideas: tuple[CsvIdea, ...] = ()  # every idea of the ideas steps, with its votes


def gather(store: Store, code: str) -> SessionExport:
    """Read a session from the store as plain data; ``unknown_session`` if there is no such code."""
    normal = normalise_join_code(code)
    session = store.session_by_code(normal) if normal else None
    if session is None:
        raise DomainError("unknown_session", "There is no session with the code {code}.", code=repr(code))
    participants = store.participants(session.id)
    names = {participant.id: participant.name for participant in participants}
    every_answer = store.all_answers(session.id)  # one read serves the plans, the CSV and the summary
    answers: dict[int, dict[str, object]] = {}
    for answer in every_answer:
        answers.setdefault(answer.participant_id, {})[answer.step_id] = answer.value
    shared = group_answers(store, session, every_answer, names)
    ideas = Results(store, session)  # every ideas step's board, read once for the plans and the CSV
    lang = language(session.language)  # the facilitator's copies and the summary read in the session's language
    plans = tuple(
        (
            participant.id,
            build_plan(
                session,
                participant.name,
                answers.get(participant.id, {}),
                reader=Audience.FACILITATOR,
                group_answers=shared.for_reader(participant.id),
                ideas=ideas.plan_lines(participant.id, lang),
                lang=lang,
            ),
        )
        for participant in participants
    )
    return SessionExport(
        session=session,
        plans=plans,
        rows=tuple(answer_rows(session, names, every_answer)),
        summary=build_summary(localized_session(session, lang.code), names, every_answer, lang),
        parking_lot=tuple((item, names.get(item.participant_id, "")) for item in store.parking_items(session.id)),
        ideas=tuple(ideas.csv_rows(names)),
    )


def _plan_pdf(job: tuple[Plan, str, str]) -> bytes:
    plan, paper, code = job
    return build_plan_pdf(plan, paper, language(code))


def _summary_pdf(summary: Summary, paper: str, code: str) -> bytes:
    """The summary PDF in language ``code``: a code crosses to a worker process, its catalogue is read there."""
    return build_summary_pdf(summary, paper, language(code))


class Documents:
    """The export's PDFs, built by ``workers`` processes (one per CPU by default) while the ZIP is written.

    The summary is one more job for the pool, so it is ready by the time the last plan is. A handful of plans is
    built in this process, where starting a pool would cost more than it saves.
    """

    def __init__(self, export: SessionExport, paper: str = "A4", workers: int | None = None) -> None:
        self.export = export
        self.paper = paper
        self.workers = workers or os.cpu_count() or 1
        self.language = language(export.session.language).code  # the session's, as its summary and plans are built
        self._pool: ProcessPoolExecutor | None = None
        self._summary: Future[bytes] | None = None

    def __enter__(self) -> "Documents":
        if self.workers > 1 and len(self.export.plans) >= 4 * self.workers:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
            self._summary = self._pool.submit(_summary_pdf, self.export.summary, self.paper, self.language)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def plans(self) -> Iterator[tuple[str, int, bytes]]:
        """(name, participant id, PDF) for each participant, in the order of ``export.plans``."""
        jobs = [(plan, self.paper, self.language) for _, plan in self.export.plans]
        if self._pool is None:
            pdfs: Iterator[bytes] = map(_plan_pdf, jobs)
        else:
            chunk = max(1, min(16, len(jobs) // (self.workers * 8)))
            pdfs = self._pool.map(_plan_pdf, jobs, chunksize=chunk)
        for (participant_id, plan), pdf in zip(self.export.plans, pdfs, strict=True):
            yield plan.participant, participant_id, pdf

    def summary(self) -> bytes:
        if self._summary is not None:
            return self._summary.result()
        return _summary_pdf(self.export.summary, self.paper, self.language)


def zip_name(session: Session) -> str:
    return f"{safe_filename(session.title, 'session')} {session.code}.zip"


def export_session(
    data_dir: Path,
    code: str,
    out_dir: Path,
    *,
    paper: str = "A4",
    workers: int | None = None,
    progress: Progress | None = None,
    database_url: str | None = None,
) -> Path:
    """Write the session's ZIP into ``out_dir`` and return its path. The file appears only once complete.

    The session is read from ``database_url`` (as ``PATHWAYS_DATABASE_URL``) if given, else from the SQLite file in
    ``data_dir``.
    """
    paper_size(paper)  # refuse a wrong paper size before any work
    database = Path(data_dir) / DATABASE_FILE
    if not database_url and not database.is_file():
        raise DomainError("no_data", "There is no Pathways database in {folder}.", folder=data_dir)
    store = Store(database_url or database)
    try:
        export = gather(store, code)
    finally:
        store.close()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / zip_name(export.session)
    partial_zip = target.with_name(target.name + ".part")
    total = len(export.plans)
    if progress:
        progress(0, total)

    def plans(documents: Documents) -> Iterator[tuple[str, int, bytes]]:
        for done, plan in enumerate(documents.plans(), start=1):
            yield plan
            if progress:
                progress(done, total)

    def files(documents: Documents) -> Iterator[tuple[str, bytes]]:
        """Built only once every plan is written: the summary has been building alongside them."""
        table = answers_csv(export.rows)
        yield CSV_NAME, table
        yield OLD_CSV_NAME, table
        if export.parking_lot:  # a day whose parking lot held nothing has no file of it
            yield PARKING_LOT_CSV_NAME, parking_lot_csv(export.parking_lot)
        if ideas_steps(export.session):  # an agenda with ideas steps: their ideas and votes
            yield IDEAS_CSV_NAME, ideas_csv(export.ideas)
        yield SUMMARY_NAME, documents.summary()

    try:
        with Documents(export, paper, workers) as documents:
            write_bundle(partial_zip, plans(documents), files(documents))
        os.replace(partial_zip, target)
    finally:
        partial_zip.unlink(missing_ok=True)
    return target


# The console's exports: a child process per session, its progress in a status file.


def export_dir(data_dir: Path, code: str) -> Path:
    return Path(data_dir) / EXPORTS_FOLDER / code


def write_status(path: Path, **status: Any) -> None:
    """Replace the status file in one step, so a reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(status), encoding="utf-8")
    os.replace(partial, path)


class StatusWriter:
    """A progress callback that writes the status file at most every quarter second (and always at the end)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._written = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done == 0 or done == total or now - self._written >= 0.25:
            self._written = now
            write_status(self.path, state="running", done=done, total=total)


class ExportRunner:
    """The exports of a data folder, one child process per session at most, whichever worker started it.

    A build holds a lock (``flock``) on ``exports/<code>.lock`` for as long as it and its process pool live: every
    worker sharing the data folder sees a build started by another, never starts a second, and knows one died
    (the lock goes with the last of its processes, however it ended). The file holds the build's process group,
    so any worker can stop it.
    """

    def __init__(self, data_dir: Path, paper: str, database_url: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.paper = paper
        self.database_url = database_url  # passed in the child's environment: a command line is visible to ``ps``
        self._children: dict[str, subprocess.Popen] = {}  # builds this worker started, to reap and to read exit codes

    def _lock_path(self, code: str) -> Path:
        return self.data_dir / EXPORTS_FOLDER / f"{code}.lock"

    def _claim(self, code: str) -> int | None:
        """The session's build lock, taken (an open descriptor), or None while a build holds it."""
        path = self._lock_path(code)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return None
        return descriptor

    def building(self, code: str) -> int | None:
        """The process group of the session's build while one runs, else None (0 if it is only starting)."""
        if not self._lock_path(code).exists():
            return None  # never built here
        descriptor = self._claim(code)
        if descriptor is not None:
            os.close(descriptor)
            return None
        text = self._lock_path(code).read_text(encoding="ascii").strip()
        return int(text) if text.isdigit() else 0

    def start(self, code: str) -> None:
        """Start building the session's ZIP in a child process, unless one is building already."""
        for _ in range(3):  # another worker's ``building`` holds the lock for a moment only: try again
            descriptor = self._claim(code)
            if descriptor is not None:
                break
            time.sleep(0.01)
        else:
            return
        try:
            if (earlier := self._children.pop(code, None)) is not None:
                earlier.wait()  # its lock is free, so it has exited: reap it
            folder = export_dir(self.data_dir, code)
            write_status(folder / STATUS_FILE, state="running", done=0, total=0)
            with (folder / LOG_FILE).open("wb") as log:
                # The child inherits the locked descriptor and keeps the lock; its own process group lets
                # ``discard`` stop its pool with it.
                env = {**os.environ, "PATHWAYS_DATABASE_URL": self.database_url} if self.database_url else None
                child = subprocess.Popen(self.command(code, folder), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                         pass_fds=(descriptor,), start_new_session=True, env=env)  # fmt: skip
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, str(child.pid).encode("ascii"), 0)
            self._children[code] = child
        finally:
            os.close(descriptor)

    def command(self, code: str, folder: Path) -> list[str]:
        """``pathways export`` for the session, writing into ``folder`` at a lower priority than the server."""
        return [
            sys.executable, "-m", "facilitator.cli", "export", code, "--out", str(folder),
            "--data-dir", str(self.data_dir), "--paper", self.paper, "--status-file", str(folder / STATUS_FILE),
            "--background",
        ]  # fmt: skip

    def status(self, code: str) -> dict[str, Any]:
        """``{"state": idle|running|done|failed, "done", "total", "error"}``, from the build's lock and status file."""
        path = export_dir(self.data_dir, code) / STATUS_FILE
        building = self.building(code) is not None  # before reading: a build writes its last status, then exits
        child = self._children.get(code)
        exit_status = child.wait() if child is not None and not building else None  # its lock gone, it has exited
        try:
            status = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            status = {"state": "idle", "done": 0, "total": 0}
        if status["state"] == "running" and not building:
            # It stopped without saying so: say so once and for all.
            status = {**status, "state": "failed", "error": self._failure(exit_status)}
            write_status(path, **status)
        if exit_status is not None:
            self._children.pop(code, None)
        return {"state": status["state"], "done": status.get("done", 0), "total": status.get("total", 0),
                "error": status.get("error", ""), "file": status.get("file", "")}  # fmt: skip

    @staticmethod
    def _failure(exit_status: int | None) -> str:
        """Why the build stopped, in the language of the request that found out (the console's)."""
        lang = current()
        if exit_status is None:  # started by another worker, or before a restart
            return lang.gettext("The export stopped before it finished (see {log}); start it again.", log=LOG_FILE)
        return lang.gettext(
            "The export stopped unexpectedly (exit status {status}; see {log}); start it again.",
            status=exit_status,
            log=LOG_FILE,
        )

    def discard(self, code: str) -> None:
        """Stop and delete the session's export, e.g. once someone deleted answers it holds: nothing stale stays.

        The build is stopped whichever worker started it, and gone before its folder is deleted."""
        group = self.building(code)
        if group:
            with suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while self.building(code) is not None and time.monotonic() < deadline:
                time.sleep(0.01)
        child = self._children.pop(code, None)
        if child is not None:
            child.wait()
        shutil.rmtree(export_dir(self.data_dir, code), ignore_errors=True)

    def zip_path(self, code: str) -> Path | None:
        """The finished ZIP, or None while there is none."""
        status = self.status(code)
        if status["state"] != "done" or not status["file"]:
            return None
        path = export_dir(self.data_dir, code) / status["file"]
        return path if path.is_file() else None
