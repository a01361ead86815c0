"""Ideas and votes in real browsers: a phone posts an idea and spends its dots (one taken back), the projector ranks
the room's ideas by votes without names, readable from the back of the hall, and the console merges a duplicate."""

import pytest
from playwright.sync_api import expect

from tests.support.browser import CONSOLE, PHONE, PROJECTOR, assert_accessible, join_phone

pytestmark = pytest.mark.live


def font_px(locator) -> float:
    return float(locator.evaluate("node => parseFloat(getComputedStyle(node).fontSize)"))


def test_a_phone_votes_and_the_projector_ranks_the_ideas(live_server, contexts, peers, shots) -> None:
    created = live_server.create_session(agenda=["affinity"])
    code, url = created["code"], live_server.url
    console = peers(url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    others = [peers(url, "/participant", code=code, name=name).connect() for name in ("Ben", "Cara")]
    phone = contexts(PHONE).new_page()
    join_phone(phone, url, code, "Ana")
    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{url}/projector/{code}")
    desk = contexts(CONSOLE).new_page()
    desk.goto(f"{url}/console/{code}#key={created['facilitator_key']}")

    console.call("next")
    brainstorm = console.call("next")["step_id"]
    expect(phone.get_by_test_id("step-title")).to_have_text("Ideas, in silence")
    expect(phone.get_by_test_id("submit")).to_be_hidden()
    phone.get_by_test_id("idea-text").fill("Peer observation every half term")
    phone.get_by_test_id("post-idea").click()
    expect(phone.get_by_test_id("own-ideas")).to_contain_text("Peer observation every half term")
    posted = {}
    duplicates = ["Feedback students act on", "feedback students act on!"]
    for n, (peer, text) in enumerate(zip(others, duplicates, strict=True)):
        posted[text] = peer.call("post_idea", {"step_id": brainstorm, "idea_id": f"b{n}", "text": text})["idea"]
    expect(projector.get_by_test_id("projector-idea")).to_have_count(3)
    expect(desk.get_by_test_id("console-idea")).to_have_count(3)

    # On an ideas step the console counts ideas, not answers, and its Ideas panel is in sight under the open step.
    expect(desk.get_by_test_id("count-ideas")).to_have_text("3")
    expect(desk.get_by_test_id("count-answered")).to_be_hidden()
    expect(desk.get_by_test_id("count-votes")).to_be_hidden()  # this step takes no votes
    panel = desk.get_by_test_id("ideas-panel").bounding_box()
    assert panel and panel["y"] + 200 <= CONSOLE["height"], panel
    assert panel["y"] < desk.get_by_test_id("media-panel").bounding_box()["y"], "above the step's media"
    hide = desk.get_by_test_id("console-idea").first.get_by_test_id("idea-hidden")
    expect(hide).to_have_text("Hide (off the projector and the vote)")

    # The console merges the duplicate: its author's idea is now the one kept.
    desk.get_by_test_id("console-idea").filter(has_text="feedback students act on!").get_by_test_id(
        "idea-merge"
    ).click()
    desk.get_by_test_id("console-idea").filter(has_text="Feedback students act on").first.get_by_test_id(
        "idea-keep"
    ).click()
    expect(projector.get_by_test_id("projector-idea")).to_have_count(2)

    console.call("next")  # grouping
    console.call("next")  # the dot vote: five dots, several on one idea allowed
    expect(phone.get_by_test_id("votes-left")).to_have_text("5 of 5 votes left")
    feedback = phone.get_by_test_id("idea").filter(has_text="Feedback students act on")
    for _ in range(3):
        feedback.get_by_test_id("vote").click()
    expect(feedback).to_have_attribute("data-votes", "3")
    feedback.get_by_test_id("unvote").click()
    expect(feedback).to_have_attribute("data-votes", "2")
    phone.get_by_test_id("idea").filter(has_text="Peer observation").get_by_test_id("vote").click()
    expect(phone.get_by_test_id("votes-left")).to_have_text("2 of 5 votes left")
    vote_step = f"{brainstorm.split(':')[0]}:vote"
    for n, peer in enumerate(others):
        assert peer.call(
            "vote", {"step_id": vote_step, "vote_id": f"v{n}", "idea": posted["Feedback students act on"]}
        )["ok"]

    ranking = projector.get_by_test_id("projector-idea")
    expect(ranking.first).to_contain_text("Feedback students act on")
    expect(ranking.first).to_contain_text("4 votes")
    expect(ranking.nth(1)).to_contain_text("1 vote")
    expect(projector.get_by_test_id("ideas-totals")).to_have_text("2 ideas · 5 votes")
    for name in ("Ana", "Ben", "Cara"):
        expect(projector.get_by_test_id("ideas-board")).not_to_contain_text(name)
    assert font_px(ranking.first.locator(".idea-text")) >= 32 and font_px(ranking.first.locator(".idea-votes")) >= 32
    box = projector.get_by_test_id("idea-ranking").bounding_box()
    assert box and box["width"] >= 0.8 * PROJECTOR["width"], box
    shots.take(projector, "projector-ideas-1920x1080")
    shots.take(phone, "phone-ideas-390")
    expect(desk.get_by_test_id("ideas-totals")).to_have_text("2 ideas · 5 votes")
    expect(desk.get_by_test_id("count-ideas")).to_have_text("2")
    expect(desk.get_by_test_id("count-votes")).to_have_text("5")
    desk.evaluate("window.scrollTo(0, 0)")
    shots.take(desk, "console-ideas-1440x900")
    assert_accessible(phone, "the phone's ballot")
    assert_accessible(desk, "the console's Ideas panel")


def test_the_console_offers_to_keep_only_an_open_idea_when_merging(live_server, contexts, peers) -> None:
    created = live_server.create_session(agenda=["affinity"])
    code, url = created["code"], live_server.url
    console = peers(url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    ben = peers(url, "/participant", code=code, name="Ben").connect()
    console.call("next")
    brainstorm = console.call("next")["step_id"]
    texts = ["Feedback students act on", "feedback students act on!", "Time to plan together"]
    posted = {
        text: ben.call("post_idea", {"step_id": brainstorm, "idea_id": f"b{n}", "text": text})["idea"]
        for n, text in enumerate(texts)
    }
    assert console.call("moderate_idea", {"idea": posted["Time to plan together"], "hidden": True})["ok"]
    desk = contexts(CONSOLE).new_page()
    desk.goto(f"{url}/console/{code}#key={created['facilitator_key']}")
    ideas = desk.get_by_test_id("console-idea")
    expect(ideas).to_have_count(3)

    # A hidden idea is off the vote: nothing can be merged into it (the server would refuse).
    ideas.filter(has_text="feedback students act on!").get_by_test_id("idea-merge").click()
    expect(desk.get_by_test_id("idea-keep")).to_have_count(1)
    expect(ideas.filter(has_text="Time to plan together").get_by_test_id("idea-keep")).to_have_count(0)
    ideas.filter(has_text="Feedback students act on").first.get_by_test_id("idea-keep").click()
    expect(ideas.filter(has_text="feedback students act on!")).to_have_attribute("class", "idea-item is-merged")
