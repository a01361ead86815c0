"""Obstacles as the phrases people wrote: grouped across wordings, plurals and accents, each person counted once,
with each language's stop-words."""

from protocols.phrases import Phrase, recurring_phrases


def counted(texts_by_person, **options):
    return {phrase.text: phrase.people for phrase in recurring_phrases(texts_by_person, **options)}


def test_a_statement_gives_the_phrases_written_not_single_words():
    phrases = recurring_phrases({1: ["Not enough planning time; timetable changes."]})
    assert phrases == (Phrase("planning time", 1), Phrase("timetable changes", 1))


def test_the_same_phrase_written_differently_by_different_people_is_one_phrase():
    texts = {
        1: ["Not enough planning time; timetable changes."],
        2: ["Time for planning is short"],
        3: ["Changes to the timetable"],
        4: ["A timetable change"],
        5: ["Timetable changes!"],
    }
    phrases = recurring_phrases(texts)
    assert phrases[0] == Phrase("timetable changes", 4)  # the wording two people used, not the other two
    assert phrases[1] == Phrase("planning time", 2)  # the shorter of two wordings one person each wrote
    assert len(phrases) == 2  # "planning", "time", "timetable": nothing the two phrases do not already say


def test_each_person_counts_once_per_phrase_however_often_they_write_it():
    texts = {1: ["Planning time", "planning time, planning time", "No planning time"], 2: ["Time for planning"]}
    assert recurring_phrases(texts) == (Phrase("planning time", 2),)


def test_what_people_share_inside_longer_phrases_is_counted():
    texts = {1: ["Not enough time for reading conferences"], 2: ["No time to plan guided reading"], 3: ["Time!"]}
    phrases = counted(texts)
    assert next(iter(phrases)) == "time" and phrases["time"] == 3
    assert phrases["reading"] == 2
    assert phrases["time for reading conferences"] == 1  # each phrase as written is still listed
    assert phrases["plan guided reading"] == 1  # a long one cut at its widest gap, "time" apart
    assert "reading conferences" not in phrases  # a part only one person wrote is not a pattern


def test_words_that_only_say_something_is_wrong_are_left_out():
    texts = {1: ["Lack of time"], 2: ["Not enough time"], 3: ["Too little time"], 4: ["Time is short"]}
    assert recurring_phrases(texts) == (Phrase("time", 4),)


def test_two_obstacles_joined_by_and_are_two_phrases():
    texts = {1: ["Marking load and behaviour"], 2: ["Behaviour, marking load"]}
    assert counted(texts) == {"marking load": 2, "behaviour": 2}


def test_most_people_first_and_at_most_the_limit():
    texts = {n: ["Parent contact"] for n in range(1, 4)} | {n: ["Data entry"] for n in range(4, 9)} | {9: ["Noise"]}
    phrases = recurring_phrases(texts, limit=2)
    assert phrases == (Phrase("data entry", 5), Phrase("parent contact", 3))


def test_capitals_are_kept_only_for_words_written_in_capitals():
    texts = {1: ["IEP meetings; Marking"], 2: ["iep meetings"], 3: ["IEP Meetings"]}
    assert counted(texts) == {"IEP meetings": 3, "marking": 1}


def test_a_maintained_list_drops_words_a_short_one_would_keep():
    assert counted({1: ["Unfortunately, the parents"], 2: ["Parents, obviously"]}) == {"parents": 2}


def test_spanish_stop_words_plurals_and_accents():
    texts = {
        1: ["Falta de tiempo para planificar; cambios de horario."],
        2: ["Cambios en el horario"],
        3: ["Poco tiempo para planificar"],
        4: ["Demasiadas reuniones"],
        5: ["Una reunión más"],
        6: ["reunion"],  # typed without its accent
    }
    phrases = counted(texts, language="es")
    assert phrases == {"reunión": 3, "cambios de horario": 2, "tiempo para planificar": 2}
    assert counted({1: ["Falta de tiempo"]}, language="es") == {"tiempo": 1}
    assert counted({1: ["Falta de tiempo"]}, language="en") == {"falta de tiempo": 1}  # English keeps "de"


def test_french_stop_words_elisions_and_accents():
    texts = {
        1: ["Manque de temps pour préparer; changements d'emploi du temps."],
        2: ["Les changements de l'emploi du temps"],
        3: ["Pas assez de temps pour preparer"],
    }
    phrases = recurring_phrases(texts, language="fr-CA")
    assert phrases == (
        Phrase("temps", 3),
        Phrase("changements d'emploi du temps", 2),
        Phrase("temps pour préparer", 2),  # the wording with its accents, between equals
    )


def test_a_language_without_a_list_still_gives_phrases():
    assert recurring_phrases({1: ["Tiempo"], 2: ["tiempo"]}, language="xx") == (Phrase("tiempo", 2),)


def test_nothing_written_gives_nothing():
    assert recurring_phrases({}) == ()
    assert recurring_phrases({1: [], 2: ["", " ; ... "], 3: ["Not enough, too many"]}) == ()
