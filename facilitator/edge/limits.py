"""Rate limits per address and per connection: token buckets that refill over time.

Join codes are short, so look-ups of codes that do not exist are limited per address: guessing codes is hopeless
at a few misses a second. Real joins are limited far more loosely, since a whole school may reach the server
from one address. A connection that floods events is slowed to its own budget without costing anyone else.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

from protocols.errors import DomainError, Phrase

EXTENSION_KEY = "pathways.limits"


@dataclass(frozen=True, slots=True)
class Rate:
    """``burst`` actions at once, then ``per_second`` more each second."""

    burst: float
    per_second: float


class RateLimiter:
    """Token buckets keyed by address or connection; the least recently used keys are forgotten past ``max_keys``."""

    def __init__(self, rate: Rate, *, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, when)
        self._lock = threading.Lock()

    def _tokens(self, key: str, now: float) -> float:
        tokens, when = self._buckets.get(key, (self.rate.burst, now))
        return min(self.rate.burst, tokens + (now - when) * self.rate.per_second)

    def allow(self, key: str, cost: float = 1.0) -> bool:
        """Take ``cost`` tokens from ``key``'s bucket if it has them."""
        with self._lock:
            now = self._clock()
            tokens = self._tokens(key, now)
            allowed = tokens >= cost
            self._buckets[key] = (tokens - cost if allowed else tokens, now)
            self._buckets.move_to_end(key)
            while len(self._buckets) > self._max_keys:
                self._buckets.popitem(last=False)
            return allowed

    def exhausted(self, key: str) -> bool:
        """True while ``key`` has less than one token left; takes nothing."""
        with self._lock:
            return key in self._buckets and self._tokens(key, self._clock()) < 1.0

    def check(self, key: str, what: str) -> None:
        """Take one token or refuse with a ``rate_limited`` error that says what to do (``what`` marked ``N_``)."""
        if not self.allow(key):
            wait = max(1, round(1 / self.rate.per_second)) if self.rate.per_second else 60
            raise DomainError(
                "rate_limited", "Too many {what} from here; wait {wait} s and try again.", what=Phrase(what), wait=wait
            )

    def forget(self, key: str) -> None:
        with self._lock:
            self._buckets.pop(key, None)


@dataclass
class Limits:
    """The limits one server enforces; each can be set in the app config (see the README's settings)."""

    code_misses: RateLimiter  # look-ups of join codes (or tokens) that do not exist, per address
    joins: RateLimiter  # new participants, per address
    events: RateLimiter  # Socket.IO events, per connection


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = limits_from_config(app.config)


def limits() -> Limits:
    """The running app's limits."""
    return current_app.extensions[EXTENSION_KEY]


def limits_from_config(config: dict) -> Limits:
    return Limits(
        code_misses=RateLimiter(Rate(config["LIMIT_CODE_MISSES_BURST"], config["LIMIT_CODE_MISSES_PER_SECOND"])),
        joins=RateLimiter(Rate(config["LIMIT_JOINS_BURST"], config["LIMIT_JOINS_PER_SECOND"])),
        events=RateLimiter(Rate(config["LIMIT_EVENTS_BURST"], config["LIMIT_EVENTS_PER_SECOND"])),
    )
