"""The addresses Pathways hands out: what phones scan, what the console and projector open, what a plan links to.

Every absolute address is built here, on one public address (``base_url``), so plan links, the PDF's QR code, the
calendar file and the join address all keep working, or all warn together, after the day.
"""

import ipaddress
from urllib.parse import urlsplit

from flask import current_app, request

# Names that resolve only on the network they are on: mDNS (.local), home routers, RFC 8375, ICANN's private TLD.
LOCAL_NAME_SUFFIXES = (".local", ".localhost", ".lan", ".home.arpa", ".internal")


def base_url() -> str:
    """The public address: PUBLIC_URL when someone set it, else the address ``pathways serve`` found for itself
    (LISTEN_URL: the LAN address on ``--host 0.0.0.0``), else the host this request came to."""
    configured = current_app.config.get("PUBLIC_URL") or current_app.config.get("LISTEN_URL")
    return (configured or request.host_url).rstrip("/")


def join_page_url() -> str:
    """Where a phone types a join code (the handout's short address)."""
    return f"{base_url()}/j"


def join_url(code: str) -> str:
    return f"{base_url()}/j/{code}"


def projector_url(code: str) -> str:
    return f"{base_url()}/projector/{code}"


def console_url(code: str, key: str) -> str:
    """The key rides in the fragment: browsers never send it to a server, a proxy log or a referrer."""
    return f"{base_url()}/console/{code}#key={key}"


def check_in_url(check_in: str) -> str:
    """The check-in link a calendar or a printed plan carries: it opens the check-in form alone."""
    return f"{base_url()}/c/{check_in}"


def check_in_calendar_url(check_in: str) -> str:
    return f"{check_in_url(check_in)}/checkin.ics"


def leaders_url(organisation_id: int, key: str) -> str:
    """The organisation's follow-up; the key rides in the fragment, as the console's does."""
    return f"{base_url()}/leaders#organisation={organisation_id}&key={key}"


def coach_url(coach_id: int, key: str) -> str:
    """A coach's view of their people; the key rides in the fragment, as the leaders' does."""
    return f"{base_url()}/coach#coach={coach_id}&key={key}"


def is_local_address(url: str) -> bool:
    """Whether ``url``'s host can be reached only from this machine or its network: loopback, private, link-local
    or another address the internet does not route, a bare machine name, or a name under a local-only suffix."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host or host.endswith(LOCAL_NAME_SUFFIXES)
    return not address.is_global


def local_public_address() -> str | None:
    """The public address when nobody chose it and it works on this network only; else None, nothing to warn of.

    Plan links carry this address for good: once the laptop leaves the network (or the day ends) they stop
    working. ``pathways serve`` prints this warning and the admin page shows it.
    """
    if current_app.config.get("PUBLIC_URL"):
        return None
    address = base_url()
    return address if is_local_address(address) else None


def public_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the public address (links are built on it as typed), or None when it can."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "give the whole address people open, starting with https:// or http:// (e.g. https://pd.example.org)"
    if parts.query or parts.fragment:
        return "give the address alone, without ? or #"
    return None
