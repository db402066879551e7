"""Word and bigram statistics of ordinary English, loaded lazily and cached.

Unigram frequencies come from wordfreq; bigram counts are the Web 1T subset that
ships inside the `wordsegment` wheel. Both answer "how natural is this wording
next to these neighbours?", the main evidence that a word was swapped in.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache


@cache
def _bigrams() -> tuple[dict[str, float], dict[str, float]]:
    import wordsegment

    if not wordsegment.BIGRAMS:
        wordsegment.load()
    return wordsegment.UNIGRAMS, wordsegment.BIGRAMS


@lru_cache(maxsize=200_000)
def zipf(phrase: str) -> float:
    """wordfreq Zipf frequency of a word or phrase (0 for unknown)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(phrase, "en")


def bigram_count(left: str, right: str) -> float:
    """Web 1T count of `left right` (lower case), 0 when not in the shipped subset."""
    return _bigrams()[1].get(f"{left} {right}", 0.0)


def log_bigram(left: str, right: str) -> float:
    return math.log10(1.0 + bigram_count(left, right))


def phrase_zipf(words: list[str]) -> float:
    """Zipf-like frequency of a word or phrase.

    wordfreq's estimate for a phrase multiplies word frequencies, which rates
    "international locations" as common; the rarest inner bigram's Web 1T count
    (about 1e12 tokens, so Zipf = log10(count) - 3) says how often it is really written.
    """
    if len(words) == 1:
        return zipf(words[0])
    low = min(bigram_count(a, b) for a, b in zip(words, words[1:], strict=False))
    return max(0.0, math.log10(1.0 + low) - 3.0)


def phrase_cohesion(words: list[str]) -> float:
    """Smallest log bigram count inside a phrase: low for "international locations"."""
    if len(words) < 2:
        return 0.0
    return min(log_bigram(a, b) for a, b in zip(words, words[1:], strict=False))
