"""The words and phrases people wrote: the projector's word cloud, and the obstacles leaders read, counted by person.

The leaders' view, the console's summary and the summary PDF list obstacles with ``recurring_phrases``.

Obstacles are short statements ("Not enough planning time; timetable changes."), so they are read as phrases, the
way RAKE reads text: a phrase is a run of content words, cut at punctuation, at words that join two obstacles
("and", "or") and at longer runs of stop-words; up to two stop-words may sit inside a phrase, so "changes to the
timetable" stays one phrase. The same phrase written differently by different people is grouped by its set of words,
compared case-folded, without accents and crudely singular ("time for planning" is "planning time", "timetable
changes" is "changes to the timetable"), and shown in the wording most people used. Each person counts once per
phrase; the phrases most people wrote come first.

A phrase as written may be listed when one person wrote it (one of more than three words is cut at its widest
gaps). Its parts of up to three words are counted too, so that what several people share surfaces even when each
wrote it inside a longer phrase ("time" from "time to plan" and "time for reading conferences"); a part is listed
only when at least two people wrote it, and no phrase is listed when one already listed holds all its words and all
its people.

Stop-words come from yake's lists, one file per language, kept up to date by its maintainers in 30-odd languages.
A few words per language adjust them: words obstacles are made of that a general list drops ("changes"), and words
that only say something is wrong ("lack of", "is short"). yake's own keyword scoring is not used: it weighs a word
by its position, frequency and spread across a document's sentences, which a one-line statement does not have (it
misses "timetable changes" in the example above), and what leaders need is how many people name an obstacle, which it
does not count. Reading its files where the package is installed, rather than importing it, keeps numpy and networkx
out of the server.
"""

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

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
    """A phrase people wrote, in the wording most of them used, and how many people wrote it."""

    text: str
    people: int


MAX_WORDS = 3  # content words in a part of a longer phrase: enough for "time for reading conferences"
MAX_GAP = 2  # stop-words a phrase may hold between two of its words: "changes to the timetable"

# What obstacle statements need beyond the general lists, per language: words that only say something is wrong,
# words that join two obstacles, and words the general list drops that obstacles are made of.
_SAYS_WRONG = {
    "en": "lack lacking short shortage insufficient limited problem problems issue issues difficulty difficulties",
    "es": "falta faltan escasez escaso escasa escasos escasas insuficiente insuficientes suficiente suficientes "
    "demasiado demasiada demasiados demasiadas problema problemas dificultad dificultades",
    "fr": "manque manquent insuffisant insuffisante insuffisants insuffisantes problème problèmes difficulté "
    "difficultés",
}
_JOINS_TWO = {"en": "and or but", "es": "y e o u pero ni", "fr": "et ou mais ni"}
_OBSTACLE_WORDS = {"en": "changes help course"}

_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*|\S")  # a word (apostrophes and hyphens inside it) or one mark
_ELIDED = re.compile(r"(?:[^\W_]{1,2}|[^\W_]*[qQ][uU])['’](?=[^\W_])")  # French l', d', qu', jusqu'
_APOSTROPHES = frozenset("'’")  # a stray apostrophe ("teachers' time") is no break


@dataclass(frozen=True, slots=True)
class _Language:
    code: str
    stop: frozenset[str]
    joins_two: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Token:
    word: str | None  # the word as phrases are compared, None for a stop-word
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Found:
    words: frozenset[str]
    wording: str
    whole: bool  # a phrase as written, not a part of a longer one


def recurring_phrases(
    texts_by_person: Mapping[int, Sequence[str]], limit: int = 10, language: str = "en"
) -> tuple[Phrase, ...]:
    """The phrases most people wrote, each person counted once per phrase, at most ``limit``.

    ``language`` is a code such as "en", "es" or "fr-CA"; a language yake has no list for has no stop-words.
    """
    rules = _language(language[:2].lower())
    people: defaultdict[frozenset[str], set[int]] = defaultdict(set)
    texts_naming: Counter[frozenset[str]] = Counter()
    wordings: defaultdict[frozenset[str], Counter[str]] = defaultdict(Counter)
    whole: set[frozenset[str]] = set()
    for person, texts in texts_by_person.items():
        own_wordings: defaultdict[frozenset[str], set[str]] = defaultdict(set)
        for text in texts:
            found = list(_phrases(text, rules))
            texts_naming.update({phrase.words for phrase in found})
            for phrase in found:
                people[phrase.words].add(person)
                own_wordings[phrase.words].add(phrase.wording)
                if phrase.whole:
                    whole.add(phrase.words)
        for words, written in own_wordings.items():
            wordings[words].update(written)
    shown = {words: _most_used(written) for words, written in wordings.items()}
    candidates = [words for words in people if words in whole or len(people[words]) >= 2]
    candidates.sort(key=lambda words: (-len(people[words]), -len(words), -texts_naming[words], shown[words]))
    chosen: list[frozenset[str]] = []
    for words in candidates:
        if len(chosen) >= limit:
            break
        if not any(words <= other and people[words] <= people[other] for other in chosen):
            chosen.append(words)
    return tuple(Phrase(shown[words], len(people[words])) for words in chosen)


def _phrases(text: str, rules: _Language) -> Iterator[_Found]:
    """Every phrase of ``text``: the phrases as written, and their parts of up to ``MAX_WORDS`` words."""
    for clause in _clauses(text, rules):
        for chain in _chains(clause):
            pieces = {tuple(piece) for piece in _pieces(chain)}
            for first in range(len(chain)):
                for last in range(first, min(first + MAX_WORDS, len(chain))):
                    span = chain[first : last + 1]
                    wording = text[clause[span[0]].start : clause[span[-1]].end]
                    words = frozenset(filter(None, (clause[index].word for index in span)))
                    yield _Found(words, _as_shown(wording), tuple(span) in pieces)


def _clauses(text: str, rules: _Language) -> Iterator[list[_Token]]:
    """The stretches of ``text`` between punctuation marks and words that join two obstacles."""
    clause: list[_Token] = []
    for match in _TOKEN.finditer(text):
        token = match[0]
        if token in _APOSTROPHES:
            clause.append(_Token(None, match.start(), match.end()))
        elif not token[0].isalnum() or _fold(token) in rules.joins_two:
            yield clause
            clause = []
        else:
            clause.extend(_word_tokens(token, match.start(), rules))
    yield clause


def _word_tokens(token: str, start: int, rules: _Language) -> list[_Token]:
    folded = _fold(token)
    if folded in rules.stop or folded.isdigit():  # a number joins words ("year 9 classes") but lists number too
        return [_Token(None, start, start + len(token))]
    elided = _ELIDED.match(token)
    if elided:  # "d'engagement": the article is a stop-word, the noun a word
        cut = elided.end()
        return [_Token(None, start, start + cut), *_word_tokens(token[cut:], start + cut, rules)]
    return [_Token(_singular(folded, rules.code), start, start + len(token))]


def _chains(clause: list[_Token]) -> Iterator[list[int]]:
    """Positions of the clause's words, grouped where at most ``MAX_GAP`` stop-words separate them."""
    chain: list[int] = []
    for index, token in enumerate(clause):
        if token.word is None:
            continue
        if chain and index - chain[-1] - 1 > MAX_GAP:
            yield chain
            chain = []
        chain.append(index)
    if chain:
        yield chain


def _pieces(chain: list[int]) -> list[list[int]]:
    """A chain cut at its widest gaps (the middle one first) until no piece has more than ``MAX_WORDS`` words."""
    if len(chain) <= MAX_WORDS:
        return [chain]
    cut = max(range(1, len(chain)), key=lambda i: (chain[i] - chain[i - 1], -abs(2 * i - len(chain))))
    return _pieces(chain[:cut]) + _pieces(chain[cut:])


def _as_shown(wording: str) -> str:
    """One space between words, lower case except words written in capitals ("SEN", "IEP")."""
    spaced = " ".join(wording.split())
    return re.sub(r"[^\W_]+", lambda word: word[0] if word[0].isupper() else word[0].lower(), spaced)


def _most_used(wordings: Counter[str]) -> str:
    """The wording most people used; between equals the shortest, then the one with its accents."""
    return min(wordings, key=lambda w: (-wordings[w], len(w), -sum(not c.isascii() for c in w), w.swapcase()))


def _fold(word: str) -> str:
    """``word`` as compared: case-folded, one apostrophe, accents dropped (phones often leave them out)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold().replace("’", "'"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _singular(word: str, language: str) -> str:
    """A crude common form for a word's singular and plural: compared, never shown ("changes", "change": "chang")."""
    word = word.removesuffix("'s")
    if language == "en" and len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    plural_endings = "sx" if language == "fr" else "s"
    if len(word) > 3 and word[-1] in plural_endings and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


@cache
def _language(code: str) -> _Language:
    """The stop-words of a language: yake's list, adjusted for obstacle statements."""
    stop = {_fold(word) for word in _yake_stop_words(code)} | set(_fold(_SAYS_WRONG.get(code, "")).split())
    stop -= set(_fold(_OBSTACLE_WORDS.get(code, "")).split())
    return _Language(code, frozenset(stop), frozenset(_JOINS_TWO.get(code, "").split()))


def _yake_stop_words(code: str) -> list[str]:
    spec = find_spec("yake")  # finds the installed package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("yake is not installed: it holds the stop-word lists", name="yake")
    folder = Path(next(iter(spec.submodule_search_locations))) / "core" / "StopwordsList"
    path = folder / f"stopwords_{code}.txt"
    if not path.is_file():
        path = folder / "stopwords_noLang.txt"
    try:
        return path.read_text(encoding="utf-8").split()
    except UnicodeDecodeError:  # two of yake's lists are Latin-1, which yake itself falls back to
        return path.read_text(encoding="latin-1").split()
