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

import gzip
import importlib.resources
import math
import re
from functools import cache, lru_cache

WORDSTATS_MAGIC = "# despin-wordstats: 1"
_PLAIN = re.compile(r"[a-z]+")  # wordfreq reads such a string as one token: 0 if unlisted


@cache
def _wordstats() -> tuple[dict[str, float], dict[str, float]] | None:
    """(Zipf by word or phrase, Web 1T count by 'left right'), None without the file."""
    f = importlib.resources.files("despin.lexicons") / "wordstats.tsv.gz"
    if not f.is_file():
        return None
    with f.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        text = fh.read()
    if not text.startswith(WORDSTATS_MAGIC + "\n"):
        from .lexicon import LexiconError

        raise LexiconError(f"lexicons/wordstats.tsv.gz: expected '{WORDSTATS_MAGIC}' on line 1")
    _, _, body = text.partition("\n[zipf]\n")
    zrows, _, brows = body.partition("\n[bigrams]\n")
    zipfs: dict[str, float] = {}
    for row in zrows.split("\n"):
        value, *words = row.split("\t")
        zipfs.update(dict.fromkeys(words, int(value) / 100))
    lines = brows.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    keys = [line.partition("\t")[0] for line in lines]
    counts = [float(line.partition("\t")[2]) for line in lines]
    return zipfs, dict(zip(keys, counts, strict=True))


@cache
def _bigrams() -> dict[str, float]:
    stats = _wordstats()
    if stats is not None:
        return stats[1]
    import wordsegment

    if not wordsegment.BIGRAMS:
        wordsegment.load()
    return wordsegment.BIGRAMS


@cache
def _log_bigrams() -> dict[str, float]:
    """log10(1 + count) of every listed bigram, worked out once."""
    log10 = math.log10
    return {k: log10(1.0 + v) for k, v in _bigrams().items()}


@cache
def _zipfs() -> dict[str, float]:
    stats = _wordstats()
    return stats[0] if stats is not None else {}


def zipf(phrase: str) -> float:
    """wordfreq Zipf frequency of a word or phrase (0 for unknown)."""
    z = _zipfs().get(phrase)
    if z is not None:
        return z
    if _PLAIN.fullmatch(phrase) and _wordstats() is not None:
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
