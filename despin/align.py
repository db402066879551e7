"""Word alignment of a spun text with its original, and word error rate.

Used by lexicon mining (which swaps did the spinner make?) and by evaluation (how
much of the spun text's distance to the original did restoration remove?).
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz.distance import Levenshtein

from .tokens import Token, normalize, tokenize


@dataclass(frozen=True)
class Substitution:
    """Spun words [start, end) of the spun text replaced original words."""

    start: int
    end: int
    spun: str
    original: str
    n_spun: int
    n_original: int


def _word_tokens(text: str) -> list[Token]:
    return [t for t in tokenize(text) if t.is_word]


def align(spun: str, original: str, max_len: int = 5) -> list[Substitution]:
    """Substitutions (not insertions or deletions) that turn `original` into `spun`.

    Blocks longer than `max_len` words on either side are dropped: those are a
    republisher's rewrites, not a spinner's swaps.
    """
    st, ot = _word_tokens(spun), _word_tokens(original)
    sm = SequenceMatcher(None, [t.lower for t in st], [t.lower for t in ot], autojunk=False)
    subs: list[Substitution] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "replace" or i2 - i1 > max_len or j2 - j1 > max_len:
            continue
        start, end = st[i1].start, st[i2 - 1].end
        o_text = original[ot[j1].start : ot[j2 - 1].end]
        subs.append(
            Substitution(start, end, spun[start:end], " ".join(o_text.split()), i2 - i1, j2 - j1)
        )
    return subs


def word_list(text: str) -> list[str]:
    return [normalize(t.text) for t in _word_tokens(text)]


def wer(hypothesis: str, reference: str) -> float:
    """Word error rate of `hypothesis` against `reference` (case-insensitive)."""
    ref = word_list(reference)
    if not ref:
        return 0.0
    return Levenshtein.distance(word_list(hypothesis), ref) / len(ref)


def wer_gain(spun: str, restored: str, original: str) -> float:
    """Share of the spun text's WER that restoration removed (1.0 = fully restored)."""
    before = wer(spun, original)
    if before == 0:
        return 0.0
    return (before - wer(restored, original)) / before
