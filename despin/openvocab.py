"""Open-vocabulary candidates: spins that no lexicon lists.

Every ordinary word that no lexicon hit covers is a candidate if the synonym table
(despin.synonyms) knows originals for it. Whether it was spun is decided from how
much better an original would fit the neighbours (Web 1T bigrams), how common each
word is, and how spun the rest of the document already looks: open candidates only
speak up in text that the lexicons found spun, so clean text stays untouched.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .ngrams import log_bigram, zipf
from .synonyms import candidates
from .tokens import Token

FAMILY = "open-vocabulary"
SOURCE = "synonyms"
MIN_LEN = 3
MAX_ZIPF = 6.3  # "the", "and", "of": swaps of these are the lexicons' business
NEAR = 3  # tokens: how far a lexicon hit counts as "near"

OPEN_DETECTOR_FEATURES = (
    "zipf_obs",
    "zipf_gain",
    "fit_obs_left",
    "fit_obs_right",
    "fit_gain_left",
    "fit_gain_right",
    "fit_gain",
    "n_candidates",
    "rel_synonym",
    "in_doc",
    "in_quotes",
    "lex_p_per100",
    "lex_strong_per100",
    "near_lex_p",
    "log_doc_words",
)
OPEN_RANKER_FEATURES = (
    "fit_gain_left",
    "fit_gain_right",
    "zipf_gain",
    "rel_synonym",
    "rel_mythes",
    "rel_hyper",
    "position",
    "in_doc",
)


@dataclass(frozen=True)
class OpenHit:
    """Token `i` may be spun for one of `originals` (best relation first)."""

    i: int
    word: str
    originals: tuple[str, ...]
    relations: tuple[str, ...]


def find(tokens: list[Token], covered: np.ndarray, initial: list[bool]) -> list[OpenHit]:
    """One candidate per ordinary word outside every lexicon hit."""
    out = []
    for i, tok in enumerate(tokens):
        text = tok.text
        if covered[i] or len(text) < MIN_LEN or not text.isalpha():
            continue
        if text[0].isupper() and not initial[i]:
            continue  # a name, most likely
        low = text.lower()
        if zipf(low) >= MAX_ZIPF:
            continue
        cands = candidates(low)
        if cands:
            out.append(OpenHit(i, low, tuple(c for c, _ in cands), tuple(r for _, r in cands)))
    return out


def _neighbours(tokens: list[Token], i: int) -> tuple[str, str]:
    left = tokens[i - 1].lower if i > 0 and tokens[i - 1].is_word else "<s>"
    right = tokens[i + 1].lower if i + 1 < len(tokens) and tokens[i + 1].is_word else "</s>"
    return left, right


def features(
    tokens: list[Token],
    hits: list[OpenHit],
    quotes: list[bool],
    doc_words: set[str],
    lex_p: np.ndarray,
    lex_span: list[tuple[int, int]],
    n_words: int,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Detector rows (one per hit) and ranker rows (one per candidate of each hit).

    `lex_p` and `lex_span` are the probabilities and token ranges of the lexicon hits
    the document's spans were chosen from: the evidence that the text is spun at all.
    """
    per = 100.0 / max(n_words, 20)
    p_sum, strong = float(lex_p.sum()) * per, float((lex_p >= 0.9).sum()) * per
    near_p = _near_max(lex_p, lex_span, len(tokens))
    log_words = math.log10(1 + n_words)
    det, rows, bounds = [], [], []
    for h in hits:
        left, right = _neighbours(tokens, h.i)
        z_obs = zipf(h.word)
        ol, orr = log_bigram(left, h.word), log_bigram(h.word, right)
        first = len(rows)
        for pos, (c, rel) in enumerate(zip(h.originals, h.relations, strict=True)):
            words = c.split()
            gl = log_bigram(left, words[0]) - ol
            gr = log_bigram(words[-1], right) - orr
            rows.append(
                [gl, gr, zipf(c) - z_obs, float("S" in rel), float("M" in rel),
                 float(set(rel) <= {"h", "H"}),
                 float(pos), float(c in doc_words)]
            )  # fmt: skip
        bounds.append((first, len(rows)))
        r = rows[first:]
        # Plain max over a few floats: the same numbers numpy would give, without its overhead.
        det.append(
            [z_obs, max(x[2] for x in r), ol, orr, max(x[0] for x in r), max(x[1] for x in r),
             max(x[0] + x[1] for x in r), math.log(len(h.originals)), max(x[3] for x in r),
             max(x[7] for x in r), float(quotes[h.i]), p_sum, strong, near_p.get(h.i, 0.0),
             log_words]
        )  # fmt: skip
    table = np.asarray(rows, dtype=float).reshape(len(rows), len(OPEN_RANKER_FEATURES))
    rank = [table[a:b] for a, b in bounds]
    x = np.asarray(det, dtype=float).reshape(len(hits), len(OPEN_DETECTOR_FEATURES))
    return x, rank


def _near_max(lex_p: np.ndarray, lex_span: list[tuple[int, int]], size: int) -> dict[int, float]:
    """Per token index: the largest p of the lexicon spans within NEAR tokens of it."""
    out: dict[int, float] = {}
    for p, (a, b) in zip(lex_p.tolist(), lex_span, strict=True):
        for t in range(max(0, a - NEAR), min(size, b + NEAR)):
            if p > out.get(t, -1.0):
                out[t] = p
    return out
