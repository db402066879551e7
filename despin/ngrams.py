"""Word and bigram statistics of ordinary English, loaded lazily and cached.

Unigram frequencies are wordfreq's English Zipf values; bigram counts are the Web 1T
subset that ships inside the `wordsegment` wheel. Both answer "how natural is this
wording next to these neighbours?", the main evidence that a word was swapped in.
They are read from lexicons/wordstats.tsv.gz (scripts/build_derived.py), a compact
copy of just what despin needs: loading wordfreq and wordsegment themselves takes
seconds. wordfreq still answers the odd query the table cannot (a phrase no lexicon
holds, a word with digits or accents), and both libraries stand in if the file is gone.
"""

from __future__ import annotations

import math
import re
from functools import cache, lru_cache

WORDSTATS_MAGIC = "# despin-wordstats: 1"
_PLAIN = re.compile(r"[a-z]+")  # wordfreq reads such a string as one token: 0 if unlisted


def _read() -> dict[str, str] | None:
    from .lexicon import read_derived

    found = read_derived("wordstats.tsv.gz", WORDSTATS_MAGIC)
    return found[1] if found is not None else None


@cache
def _tables() -> tuple[dict[str, float], dict[str, float], dict[str, str]] | None:
    """(Zipf by word or phrase, log10(1 + Web 1T count) by 'left right', the text of the
    best-neighbour sections), built at C speed.

    Only the dictionaries stay in memory, not the text they were read from.
    """
    sec = _read()
    if sec is None:
        return None
    zipfs: dict[str, float] = {}
    for row in sec["zipf"].split("\n"):  # rows of words sharing one value
        value, _, words = row.partition("\t")
        zipfs.update(dict.fromkeys(words.split("\t"), int(value) / 100))
    counts = map(float, sec["bigram counts"].split("\n"))
    logs = map(math.log10, map((1.0).__add__, counts))
    best = {k: v for k, v in sec.items() if k.startswith("best ")}
    return zipfs, dict(zip(sec["bigram keys"].split("\n"), logs, strict=True)), best


@cache
def best_neighbours() -> tuple[dict[str, float], dict[str, float]]:
    """Largest log10(1 + Web 1T count) of any bigram by its left word, and by its right word.

    An upper bound of how well any word can fit next to a neighbour.
    """
    tables = _tables()
    if tables is not None and tables[2]:
        sec = tables[2]

        def side(name: str) -> dict[str, float]:
            counts = map(float, sec[f"best {name} counts"].split("\n"))
            logs = map(math.log10, map((1.0).__add__, counts))
            return dict(zip(sec[f"best {name} words"].split("\n"), logs, strict=True))

        return side("left"), side("right")
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
def _bigrams() -> dict[str, float]:
    """Web 1T count by 'left right' (build-time use: read again, not kept by scoring)."""
    sec = _read()
    if sec is not None:
        counts = map(float, sec["bigram counts"].split("\n"))
        return dict(zip(sec["bigram keys"].split("\n"), counts, strict=True))
    import wordsegment

    if not wordsegment.BIGRAMS:
        wordsegment.load()
    return wordsegment.BIGRAMS


@cache
def _log_bigrams() -> dict[str, float]:
    """log10(1 + count) of every listed bigram."""
    tables = _tables()
    if tables is not None:
        return tables[1]
    log10 = math.log10
    return {k: log10(1.0 + v) for k, v in _bigrams().items()}


@cache
def _zipfs() -> dict[str, float]:
    tables = _tables()
    return tables[0] if tables is not None else {}


def zipf(phrase: str) -> float:
    """wordfreq Zipf frequency of a word or phrase (0 for unknown)."""
    z = _zipfs().get(phrase)
    if z is not None:
        return z
    if _PLAIN.fullmatch(phrase) and _tables() is not None:
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
