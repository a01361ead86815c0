"""1-2-4-All's "All" on a phone in Chromium when the facilitator formed no tables: posting is the reporter's, but
with no tables there is no reporter, so the phone offers everyone the post box (not "your group's reporter posts
here") and the idea reaches the room."""

import pytest
from playwright.sync_api import expect

from tests.support.browser import PHONE, join_phone

pytestmark = pytest.mark.live


def test_with_no_tables_formed_everyone_s_phone_offers_the_post_box_on_all(live_server, peers, contexts):
    created = live_server.create_session(agenda=["one-two-four-all"])
    code = created["code"]
    console = peers(live_server.url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    projector = peers(live_server.url, "/projector", code=code).connect()
    phone = contexts(PHONE).new_page()
    join_phone(phone, live_server.url, code, "Ana Lima")
    assert console.call("goto", {"step_id": "1:all"})["ok"]

    phone.get_by_test_id("idea-text").fill("Exit tickets every Friday")
    phone.get_by_test_id("post-idea").click()
    expect(phone.get_by_test_id("own-ideas")).to_contain_text("Exit tickets every Friday")
    expect(phone.get_by_text("posts here; you vote once voting opens")).to_have_count(0)
    board = projector.wait_for("ideas", lambda b: b["step_id"] == "1:all" and b["total_ideas"] == 1)
    assert board["everyone_posts"] is True
