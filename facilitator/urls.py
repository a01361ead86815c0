"""The addresses Pathways hands out: what phones scan, what the console and projector open."""

from flask import current_app, request


def base_url() -> str:
    """PUBLIC_URL when set (``pathways serve --host 0.0.0.0`` sets it to the LAN address), else this request's host."""
    configured = current_app.config.get("PUBLIC_URL")
    return (configured or request.host_url).rstrip("/")


def join_url(code: str) -> str:
    return f"{base_url()}/j/{code}"


def projector_url(code: str) -> str:
    return f"{base_url()}/projector/{code}"


def console_url(code: str, key: str) -> str:
    """The key rides in the fragment: browsers never send it to a server, a proxy log or a referrer."""
    return f"{base_url()}/console/{code}#key={key}"


def plan_url(token: str) -> str:
    return f"{base_url()}/p/{token}/plan"


def leaders_url(organisation_id: int, key: str) -> str:
    """The organisation's follow-up; the key rides in the fragment, as the console's does."""
    return f"{base_url()}/leaders#organisation={organisation_id}&key={key}"
