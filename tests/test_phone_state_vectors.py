"""The phone's state merge is written twice: static/js/phone/state.js on the phone and, for the load generator and
the tests, facilitator/loadtest/phone_view.py. Both run the same vectors (tests/vectors/phone_state/*.json: the
messages a phone receives, and the state it must show after each), so the two copies cannot drift."""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from facilitator.loadtest.phone_view import PhoneView
from tests.support import ROOT
from tests.support.browser import PHONE

VECTORS = sorted((Path(__file__).resolve().parent / "vectors" / "phone_state").glob("*.json"))
STATE_JS = ROOT / "static" / "js" / "phone" / "state.js"

# Runs one vector's messages through state.js in the page; every input is frozen first, so a merge that changed
# the state or the message it was given (rather than making a new one) throws instead of passing.
RUN_IN_PAGE = """async (messages) => {
  const { initialView, receive } = await import('/static/js/phone/state.js');
  const freeze = (value) => {
    if (value && typeof value === 'object') Object.values(Object.freeze(value)).forEach(freeze);
    return value;
  };
  let view = freeze(initialView());
  return messages.map(({ event, data }) => {
    view = freeze(receive(view, event, freeze(data)));
    return view.state;
  });
}"""


def messages_of(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["messages"]


def test_there_are_vectors_for_every_message_a_phone_merges():
    events = {message["event"] for path in VECTORS for message in messages_of(path)}
    assert {"state", "step", "me", "saved", "shared"} <= events


@pytest.mark.parametrize("path", VECTORS, ids=lambda path: path.stem)
def test_the_python_phone_view_shows_each_vectors_states(path: Path):
    view = PhoneView()
    for number, message in enumerate(messages_of(path), start=1):
        view.feed(message["event"], message["data"])
        assert view.state == message["expect"], f"{path.name}: message {number} ({message['event']})"


@pytest.mark.parametrize("path", VECTORS, ids=lambda path: path.stem)
def test_the_phones_state_module_shows_each_vectors_states_in_chromium(path: Path, shared_live_server, contexts):
    page = contexts(PHONE).new_page()
    page.goto(f"{shared_live_server.url}/")
    messages = messages_of(path)
    states = page.evaluate(RUN_IN_PAGE, [{"event": m["event"], "data": m["data"]} for m in messages])
    for number, (message, state) in enumerate(zip(messages, states, strict=True), start=1):
        assert state == message["expect"], f"{path.name}: message {number} ({message['event']})"


def test_the_phones_state_module_is_pure():
    """No page, no storage, no socket: only functions from a view and a message to the next view."""
    source = STATE_JS.read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.S)
    assert not re.search(r"\b(import|document|window|localStorage|sessionStorage|io)\b", code)
