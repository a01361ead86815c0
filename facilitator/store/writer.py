"""Group commit: answers that arrive together are written in one transaction, and each phone's ack waits for it.

A thousand phones answering at the same moment would otherwise cost a thousand flushes to disk, one after
another. One writer takes every answer waiting, commits them at once, then wakes each sender; a sender is acked
only once its answer is durable, as before.
"""

import logging
import queue
import threading
import time
from collections.abc import Callable

from flask import current_app

from facilitator.extensions import socketio
from facilitator.store.answers import NewAnswer
from facilitator.store.facade import Store, get_store
from protocols.session import Answer

EXTENSION_KEY = "pathways.answer_writer"
MAX_BATCH = 500  # one transaction stays short enough that a step change is never held up behind it
log = logging.getLogger(__name__)


class _Waiting:
    """One sender's answer and the lock it waits on: held until its batch is written (a lock is much cheaper to
    make than an Event under eventlet's green threading, and a thousand are made at once)."""

    __slots__ = ("answer", "done", "error", "result")

    def __init__(self, answer: NewAnswer) -> None:
        self.answer = answer
        self.done = threading.Lock()
        self.done.acquire()
        self.result: tuple[Answer, bool] | None = None
        self.error: BaseException | None = None


class AnswerWriter:
    """Saves answers for the socket handlers. ``save`` blocks its caller (a green thread under eventlet) until
    the batch holding its answer is committed, and returns what ``Store.save_answers`` returned for it."""

    def __init__(self, store: Store, start: Callable[[Callable[[], None]], object]) -> None:
        self._store = store
        self._start = start
        self._waiting: queue.Queue[_Waiting] = queue.Queue()  # not SimpleQueue: its C lock would stall eventlet
        self._started = False
        self._lock = threading.Lock()

    def save(self, answer: NewAnswer) -> tuple[Answer, bool]:
        self._ensure_started()
        waiting = _Waiting(answer)
        self._waiting.put(waiting)
        waiting.done.acquire()  # released by the writer once the batch holding this answer is committed
        if waiting.error is not None:
            raise waiting.error
        assert waiting.result is not None
        return waiting.result

    def _ensure_started(self) -> None:
        with self._lock:
            if not self._started:
                self._started = True
                self._start(self._run)

    def _run(self) -> None:
        while True:
            batch = [self._waiting.get()]
            time.sleep(0)  # let every handler that is ready put its answer in before this batch is taken
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._waiting.get_nowait())
                except queue.Empty:
                    break
            self._write(batch)

    def _write(self, batch: list[_Waiting]) -> None:
        try:
            results = self._store.save_answers([waiting.answer for waiting in batch])
        except Exception:  # one bad answer must not fail the others: write them one by one
            if len(batch) == 1:
                log.exception("An answer could not be saved")
                batch[0].error = RuntimeError("The answer could not be saved; it will be sent again.")
                batch[0].done.release()
                return
            for waiting in batch:
                self._write([waiting])
            return
        for waiting, result in zip(batch, results, strict=True):
            waiting.result = result
            waiting.done.release()


def answer_writer() -> AnswerWriter:
    """The app's writer, made on first use; its loop runs as a background task of the server's async mode."""
    writer = current_app.extensions.get(EXTENSION_KEY)
    if writer is None:
        writer = current_app.extensions.setdefault(
            EXTENSION_KEY, AnswerWriter(get_store(), socketio.start_background_task)
        )
    return writer
