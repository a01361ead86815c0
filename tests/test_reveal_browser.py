"""Reveal and a scale's mean in Chromium: the projector shows "results to come" with the count while a step's results
are held back, the console's Reveal button (reached and pressed from the keyboard) shows them, and a scale's mean
stands beside its histogram on the projector and in the console's counts."""

import shutil

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import CONSOLE, PROJECTOR, SMALL_PROJECTOR, assert_accessible
from tests.support.results_room import open_room, protocol_toml

pytestmark = pytest.mark.live
STEPS = [
    {"id": "held", "reveal": True, "prompt": "What will you try first?"},
    {"id": "confidence", "kind": "scale", "min": 1, "max": 5, "show_mean": True, "prompt": "How ready do you feel?",
     "min_label": "Not yet", "max_label": "Ready"},
]  # fmt: skip


def font_px(page: Page, test_id: str) -> float:
    return page.get_by_test_id(test_id).evaluate("(node) => parseFloat(getComputedStyle(node).fontSize)")


def test_the_projector_waits_for_the_reveal_and_shows_the_mean(shared_live_server, peers, contexts, shots, tmp_path):
    room = open_room(shared_live_server, peers, protocol_toml(STEPS), ["Ana", "Ben", "Cy"])
    console = contexts(CONSOLE).new_page()
    console.goto(f"{shared_live_server.url}/console/{room.code}#key={room.key}")
    expect(console.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{shared_live_server.url}/projector/{room.code}")

    key = room.open("held")
    room.answer("Ana", key, "Exit tickets every lesson", "a1")
    room.answer("Ben", key, "Exit tickets and a hinge question", "b1")

    waiting = projector.get_by_test_id("results-to-come")
    expect(waiting).to_be_visible()
    expect(waiting).to_contain_text("Results to come")
    expect(waiting).to_contain_text("2 of 3 answered")
    expect(projector.get_by_test_id("aggregate")).to_be_hidden()
    expect(projector.get_by_text("Exit tickets", exact=False)).to_have_count(0)
    assert font_px(projector, "results-to-come-title") >= 40 and font_px(projector, "results-to-come-count") >= 32
    shots.take(projector, "projector-results-to-come-1920x1080")

    reveal = console.get_by_test_id("reveal")
    expect(reveal).to_have_text("Reveal results")
    expect(console.get_by_test_id("step-held")).to_be_visible()
    expect(console.get_by_test_id("answer-list")).to_contain_text("Exit tickets every lesson")  # the console sees all
    reveal.focus()  # a button in the step's controls: reached by Tab like the others, pressed with Enter
    expect(reveal).to_be_focused()
    assert_accessible(console, "console with results held back")
    shots.take(console, "console-results-held-1440x900")
    console.keyboard.press("Enter")

    expect(waiting).to_be_hidden()
    expect(projector.get_by_test_id("aggregate")).to_contain_text("tickets")
    expect(reveal).to_have_text("Hide results")
    expect(console.get_by_test_id("step-held")).to_be_hidden()
    shots.take(projector, "projector-revealed-1920x1080")

    key = room.open("confidence")
    for name, value in (("Ana", 3), ("Ben", 4), ("Cy", 4)):
        room.answer(name, key, value, name)
    expect(projector.get_by_test_id("mean")).to_have_text("Mean 3.7 · 3 answers")
    expect(console.get_by_test_id("count-mean")).to_have_text("3.7 (3 answers)")
    expect(reveal).to_have_text("Hide results")  # a step without reveal starts shown
    shots.take(projector, "projector-scale-mean-1920x1080")
    projector.set_viewport_size(SMALL_PROJECTOR)
    assert font_px(projector, "mean") >= 32
    mean, chart = projector.get_by_test_id("mean").bounding_box(), projector.locator(".histogram").bounding_box()
    assert mean["x"] >= chart["x"] + chart["width"], "the mean stands next to the histogram, to its right"
    shots.take(projector, "projector-scale-mean-1280x720")
    for path in shots.taken:  # kept where they can be looked at after the run
        shutil.copyfile(path, tmp_path / path.name)
