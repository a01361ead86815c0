"""A scale step's mean and count beside its histogram, where the step says ``show_mean = true``."""

import pytest

from protocols.aggregates import live_counts
from protocols.loader import ProtocolFileError, protocol_from_dict
from protocols.session import AgendaItem, Answer, Session
from tests.support.results_room import newest_live, open_room, protocol_toml

SCALE = {"id": "confidence", "kind": "scale", "min": 1, "max": 5, "show_mean": True}


def session_of(**fields) -> Session:
    step = {"title": "Confidence", "prompt": "How sure?", "visibility": "room", "minutes": 1, **SCALE, **fields}
    protocol = protocol_from_dict({"id": "p", "title": "P", "purpose": "P.", "steps": [step]})
    return Session(1, "ABC123", "Day", "", (), (AgendaItem(1, protocol),), position=0)


def histogram(session: Session, values, **flags) -> dict:
    answers = [Answer(n, "1:confidence", f"a{n}", value, float(n), **flags) for n, value in enumerate(values)]
    return live_counts(session, len(answers), len(answers), answers, {})["aggregate"]


@pytest.mark.parametrize(
    ("values", "mean"),
    [([4], 4.0), ([1, 2], 1.5), ([1, 2, 2], 1.7), ([1, 1, 1, 2], 1.3), ([3, 3, 4, 4, 5, 5, 5, 1], 3.8)],
)
def test_the_mean_has_one_decimal_rounded_half_up_with_its_count(values, mean):
    aggregate = histogram(session_of(), values)
    assert aggregate["mean"] == mean and aggregate["count"] == len(values)
    assert sum(bar["count"] for bar in aggregate["bars"]) == len(values)


def test_no_answers_yet_means_no_mean():
    aggregate = histogram(session_of(), [])
    assert aggregate["mean"] is None and aggregate["count"] == 0


def test_a_scale_without_show_mean_sends_no_mean():
    aggregate = histogram(session_of(show_mean=False), [2, 4])
    assert "mean" not in aggregate and "count" not in aggregate


def test_answers_hidden_from_the_projector_are_not_in_the_mean():
    assert histogram(session_of(), [1, 5], hidden=True)["count"] == 0
    assert histogram(session_of(), [1, 4])["mean"] == 2.5


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        (
            {"kind": "choice", "options": ["A", "B"]},
            "steps[0].show_mean: the mean is a scale's: it needs kind = 'scale'",
        ),
        ({"visibility": "facilitator"}, "steps[0].show_mean: shows the room's answers on the projector"),
    ],
)
def test_the_loader_refuses_a_mean_where_there_is_none_to_show(fields, problem):
    with pytest.raises(ProtocolFileError) as refused:
        session_of(**fields)
    assert problem in str(refused.value)


def test_the_projector_and_console_get_the_mean_as_answers_come_in(shared_live_server, peers):
    room = open_room(shared_live_server, peers, protocol_toml([SCALE]), ["Ana", "Ben", "Cy"])
    key = room.open("confidence")
    for name, value in (("Ana", 2), ("Ben", 5), ("Cy", 5)):
        room.answer(name, key, value, name)
    shown = newest_live(room.projector, key, lambda live: live["aggregate"]["count"] == 3)
    assert shown["aggregate"]["mean"] == 4.0
    assert [bar["count"] for bar in shown["aggregate"]["bars"]] == [0, 1, 0, 0, 2]
    console = newest_live(room.console, key, lambda live: live["aggregate"]["count"] == 3)
    assert console["aggregate"]["mean"] == 4.0

    room.answer("Cy", key, 1, "Cy-again")  # an edit moves the mean
    assert newest_live(room.projector, key, lambda live: live["aggregate"]["mean"] == 2.7)["aggregate"]["count"] == 3
