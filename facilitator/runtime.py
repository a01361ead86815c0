"""The one module that knows which concurrency library serves Pathways.

eventlet is the default; ``PATHWAYS_ASYNC_MODE=gevent`` or ``threading`` swaps it without touching other code.
Every monkey patch and every hand-off of blocking work to a real OS thread lives here.
"""

import os
import warnings
from collections.abc import Callable
from typing import TypeVar

ASYNC_MODES = ("eventlet", "gevent", "threading")
DEFAULT_ASYNC_MODE = "eventlet"
# eventlet serves 1,024 connections at once unless told otherwise: a hall of 2,000 phones would be turned away.
DEFAULT_MAX_CONNECTIONS = 10_000
T = TypeVar("T")

try:
    import resource
except ImportError:  # Windows: no per-process open-file limit to raise
    resource = None  # type: ignore[assignment]


def async_mode_from_env() -> str:
    mode = os.environ.get("PATHWAYS_ASYNC_MODE", DEFAULT_ASYNC_MODE).strip().lower()
    if mode not in ASYNC_MODES:
        raise SystemExit(f"PATHWAYS_ASYNC_MODE must be one of {', '.join(ASYNC_MODES)}, not {mode!r}")
    return mode


def server_options(mode: str) -> dict[str, object]:
    """What ``socketio.run`` needs for ``mode``: eventlet's connection cap, from PATHWAYS_MAX_CONNECTIONS."""
    if mode == "eventlet":
        return {"max_size": int(os.environ.get("PATHWAYS_MAX_CONNECTIONS", DEFAULT_MAX_CONNECTIONS))}
    if mode == "threading":
        return {"allow_unsafe_werkzeug": True}  # a LAN tool, not a public site: see docs/DEPLOY.md
    return {}


def patch(mode: str) -> None:
    """Make the standard library cooperative for ``mode``. Call before importing the app."""
    if mode == "eventlet":
        with warnings.catch_warnings():
            warnings.simplefilter(
                "ignore"
            )  # eventlet announces its deprecation; known: see docs/DEPLOY.md on moving off eventlet
            import eventlet

        eventlet.monkey_patch()
    elif mode == "gevent":
        try:
            from gevent import monkey
        except ImportError:
            raise SystemExit("PATHWAYS_ASYNC_MODE=gevent needs gevent: pip install 'pathways[gevent]'") from None
        monkey.patch_all()


def offload(mode: str, function: Callable[..., T], *args: object) -> T:
    """Run CPU-bound work (PDFs, exports) on a real OS thread so the live event loop keeps serving phones."""
    if mode == "eventlet":
        from eventlet import tpool

        return tpool.execute(function, *args)
    if mode == "gevent":
        import gevent

        return gevent.get_hub().threadpool.apply(function, args)
    return function(*args)


def raise_file_limit() -> int | None:
    """Lift this process's open-file limit (RLIMIT_NOFILE) from its soft value to its hard one, and return it.

    Each phone is a socket, and a socket is an open file: a hall of 2,000 needs more than the soft limit of 1,024
    that shells and systemd services start with. ``pathways serve`` raises it as it starts, and so does the load
    generator (servers it starts inherit it). None where there is none.
    """
    if resource is None:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        return hard
    return None if soft == resource.RLIM_INFINITY else soft
