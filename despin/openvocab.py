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
    det, rank = [], []
    for h in hits:
        left, right = _neighbours(tokens, h.i)
        z_obs = zipf(h.word)
        ol, orr = log_bigram(left, h.word), log_bigram(h.word, right)
        rows = []
        for pos, (c, rel) in enumerate(zip(h.originals, h.relations, strict=True)):
            words = c.split()
            gl = log_bigram(left, words[0]) - ol
            gr = log_bigram(words[-1], right) - orr
            rows.append(
                [gl, gr, zipf(c) - z_obs, float("S" in rel), float("M" in rel),
                 float(set(rel) <= {"h", "H"}),
                 float(pos), float(c in doc_words)]
            )  # fmt: skip
        r = np.asarray(rows, dtype=float)
        near = [lex_p[k] for k, (a, b) in enumerate(lex_span) if a - NEAR <= h.i < b + NEAR]
        det.append(
            [z_obs, r[:, 2].max(), ol, orr, r[:, 0].max(), r[:, 1].max(),
             (r[:, 0] + r[:, 1]).max(), math.log(len(h.originals)), r[:, 3].max(),
             r[:, 7].max(), float(quotes[h.i]), p_sum, strong, max(near, default=0.0),
             math.log10(1 + n_words)]
        )  # fmt: skip
        rank.append(r)
    x = np.asarray(det, dtype=float).reshape(len(hits), len(OPEN_DETECTOR_FEATURES))
    return x, rank
