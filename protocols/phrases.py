"""The words people use most: one way of counting words for the projector's word cloud, the leaders' summary and
the follow-up of an organisation's goals."""

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_COMMON_WORDS = frozenset(
    """
    the and for are but not you all any can her was one our out his has had how its may new now see two
    who did get let put say she too use that with have this will your from they know want been more when
    what some them than then very into just like also each make most over such only other which their
    there would about could should these those where while being because through
    """.split()
)


def meaningful_words(text: str) -> list[str]:
    """The words of ``text`` a room's picture counts, in order: lower case, three letters or more, common ones out."""
    return [word for word in _WORD.findall(text.lower()) if word not in _COMMON_WORDS]


@dataclass(frozen=True, slots=True)
class Phrase:
    """A word or two-word phrase that recurs in what people wrote, and how many people wrote it."""

    text: str
    people: int


def recurring_phrases(texts_by_person: Mapping[int, Sequence[str]], limit: int = 10) -> tuple[Phrase, ...]:
    """The words and two-word phrases most people used, each person counted once per phrase.

    Common words are left out; a two-word phrase is listed only when at least two people wrote it.
    """
    words: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for texts in texts_by_person.values():
        own_words: set[str] = set()
        own_pairs: set[str] = set()
        for text in texts:
            found = meaningful_words(text)
            own_words.update(found)
            own_pairs.update(f"{a} {b}" for a, b in pairwise(found))
        words.update(own_words)
        pairs.update(own_pairs)
    ranked = [(text, n) for text, n in pairs.items() if n >= 2] + list(words.items())
    ranked.sort(key=lambda pair: (-pair[1], -pair[0].count(" "), pair[0]))
    return tuple(Phrase(text, n) for text, n in ranked[:limit])
