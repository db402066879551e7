"""Word and bigram statistics of ordinary English, looked up lazily and cached.

Unigram frequencies are wordfreq's English Zipf values; bigram counts are the Web 1T
subset that ships inside the `wordsegment` wheel. Both answer "how natural is this
wording next to these neighbours?", the main evidence that a word was swapped in.
They are read from lexicons/derived.sqlite (scripts/build_derived.py), a compact copy
of just what despin needs, one key at a time (`despin.store`): loading wordfreq and
wordsegment themselves takes seconds. wordfreq still answers the odd query the table
cannot (a phrase no lexicon holds, a word with digits or accents), and both libraries
stand in if the file is gone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import cache, lru_cache

from . import store

_PLAIN = re.compile(r"[a-z]+")  # wordfreq reads such a string as one token: 0 if unlisted
# table -> its columns (scripts/build_derived.py writes them; despin.store reads them).
SCHEMA = {
    "zipf": "k TEXT PRIMARY KEY, v REAL NOT NULL",  # Zipf of a word or phrase
    "bigrams": "k TEXT PRIMARY KEY, v REAL NOT NULL",  # 'left right' -> log10(1 + count)
    "best_left": "k TEXT PRIMARY KEY, v REAL NOT NULL",  # largest v of a bigram k begins
    "best_right": "k TEXT PRIMARY KEY, v REAL NOT NULL",  # ... and of one k ends
}


@cache
def _stored() -> bool:
    """The shipped file holds the word statistics."""
    return store.meta("wordstats-sha256") is not None  # None when the file is not shipped


@cache
def best_neighbours() -> tuple[Mapping[str, float], Mapping[str, float]]:
    """Largest log10(1 + Web 1T count) of any bigram by its left word, and by its right word.

    An upper bound of how well any word can fit next to a neighbour.
    """
    if _stored():
        return store.table("best_left"), store.table("best_right")
    left: dict[str, float] = {}
    right: dict[str, float] = {}
    for key, v in _log_bigrams().items():
        a, _, b = key.partition(" ")
        if v > left.get(a, -1.0):
            left[a] = v
        if v > right.get(b, -1.0):
            right[b] = v
    return left, right


@cache
def _bigrams() -> Mapping[str, float]:
    """Web 1T count by 'left right' (build-time use: mining, held-out builds)."""
    if _stored():
        return store.table("bigrams", lambda v: float(round(10.0**v - 1.0)))
    import wordsegment

    if not wordsegment.BIGRAMS:
        wordsegment.load()
    return wordsegment.BIGRAMS


@cache
def _log_bigrams() -> Mapping[str, float]:
    """log10(1 + count) of every listed bigram."""
    if _stored():
        return store.table("bigrams")
    log10 = math.log10
    return {k: log10(1.0 + v) for k, v in _bigrams().items()}


@cache
def _zipfs() -> Mapping[str, float]:
    return store.table("zipf") if _stored() else {}


def zipf(phrase: str) -> float:
    """wordfreq Zipf frequency of a word or phrase (0 for unknown)."""
    z = _zipfs().get(phrase)
    if z is not None:
        return z
    if _PLAIN.fullmatch(phrase) and _stored():
        return 0.0
    return _wordfreq_zipf(phrase)


@lru_cache(maxsize=200_000)
def _wordfreq_zipf(phrase: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(phrase, "en")


def bigram_count(left: str, right: str) -> float:
    """Web 1T count of `left right` (lower case), 0 when not in the shipped subset."""
    return _bigrams().get(f"{left} {right}", 0.0)


def log_bigram(left: str, right: str) -> float:
    """log10(1 + Web 1T count of `left right`)."""
    return _log_bigrams().get(f"{left} {right}", 0.0)


def phrase_zipf(words: list[str]) -> float:
    """Zipf-like frequency of a word or phrase.

    wordfreq's estimate for a phrase multiplies word frequencies, which rates
    "international locations" as common; the rarest inner bigram's Web 1T count
    (about 1e12 tokens, so Zipf = log10(count) - 3) says how often it is really written.
    """
    if len(words) == 1:
        return zipf(words[0])
    return max(0.0, phrase_cohesion(words) - 3.0)


def phrase_cohesion(words: list[str]) -> float:
    """Smallest log bigram count inside a phrase: low for "international locations"."""
    if len(words) < 2:
        return 0.0
    logs = _log_bigrams()
    return min(logs.get(f"{a} {b}", 0.0) for a, b in zip(words, words[1:], strict=False))
