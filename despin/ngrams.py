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


@cache
def _sections() -> dict[str, str] | None:
    from .lexicon import read_derived

    found = read_derived("wordstats.tsv.gz", WORDSTATS_MAGIC)
    return found[1] if found is not None else None


@cache
def _bigram_keys() -> list[str]:
    sec = _sections()
    return sec["bigram keys"].split("\n") if sec is not None else []


@cache
def _bigrams() -> dict[str, float]:
    """Web 1T count by 'left right'."""
    sec = _sections()
    if sec is not None:
        counts = map(float, sec["bigram counts"].split("\n"))
        return dict(zip(_bigram_keys(), counts, strict=True))
    import wordsegment

    if not wordsegment.BIGRAMS:
        wordsegment.load()
    return wordsegment.BIGRAMS


@cache
def _log_bigrams() -> dict[str, float]:
    """log10(1 + count) of every listed bigram, worked out once (at C speed)."""
    sec = _sections()
    if sec is not None:
        counts = map(float, sec["bigram counts"].split("\n"))
        logs = map(math.log10, map((1.0).__add__, counts))
        return dict(zip(_bigram_keys(), logs, strict=True))
    log10 = math.log10
    return {k: log10(1.0 + v) for k, v in _bigrams().items()}


@cache
def _zipfs() -> dict[str, float]:
    """Zipf by word or phrase (rows of words sharing one value: dict.fromkeys per row)."""
    sec = _sections()
    out: dict[str, float] = {}
    for row in sec["zipf"].split("\n") if sec is not None else ():
        value, _, words = row.partition("\t")
        out.update(dict.fromkeys(words.split("\t"), int(value) / 100))
    return out


def zipf(phrase: str) -> float:
    """wordfreq Zipf frequency of a word or phrase (0 for unknown)."""
    z = _zipfs().get(phrase)
    if z is not None:
        return z
    if _PLAIN.fullmatch(phrase) and _sections() is not None:
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
