"""The two addresses a reminder carries: the follow-up link (to a person's page) and the stop-reminders link.

Built on the public address the caller gives (``urls.base_url()`` in a request, the configured address in a
background pass), as every address Pathways hands out is.
"""


def follow_up_url(base_url: str, token: str) -> str:
    """Opens the person's page for a while after the reminder was sent (``Outbox.follow_up_link``)."""
    return f"{base_url.rstrip('/')}/r/{token}"


def stop_url(base_url: str, token: str) -> str:
    """Asks, then stops reminders to the address it was sent to (``facilitator/routes/reminders.py``)."""
    return f"{base_url.rstrip('/')}/stop/{token}"
