"""Open-vocabulary candidates: spins that no lexicon lists.

Every ordinary word that no lexicon hit covers is a candidate if the synonym table
(despin.synonyms) knows originals for it. Whether it was spun is decided from how
much better an original would fit the neighbours (Web 1T bigrams), how common each
word is, and how spun the rest of the document already looks: open candidates only
speak up in text that the lexicons found spun, so clean text stays untouched.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from functools import cache, lru_cache
from itertools import repeat
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from .features import per_100_words
from .ngrams import best_neighbours, log_bigram, zipf
from .synonyms import candidates
from .tokens import Token, normalize

if TYPE_CHECKING:
    from .model import Linear

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


def is_close(relations: tuple[str, ...]) -> bool:
    """Whether a word's closest candidate (the first) is a WordNet synonym or a MyThes
    entry: such words are reported at a lower bar (pipeline.OPEN_MIN_P_CLOSE)."""
    return bool(relations) and ("S" in relations[0] or "M" in relations[0])


class OpenHit(NamedTuple):
    """Token `i` may be spun for one of `originals` (best relation first)."""

    i: int
    word: str
    originals: tuple[str, ...]
    relations: tuple[str, ...]


def find(tokens: list[Token], covered: np.ndarray, initial: Sequence[bool]) -> list[OpenHit]:
    """One candidate per ordinary word outside every lexicon hit (`initial`: per token,
    whether it starts a sentence; read for capitalised candidates only)."""
    out = []
    cov = covered.tolist()
    for i, tok in enumerate(tokens):
        text = tok.text
        if cov[i] or len(text) < MIN_LEN or not text.isalpha():
            continue
        low = text.lower()
        originals = _originals(low)  # None for most words: checked before the casing
        if originals is None or (text[0].isupper() and not initial[i]):
            continue  # nothing to propose, or a name most likely
        out.append(OpenHit(i, low, *originals))
    return out


@lru_cache(maxsize=200_000)
def _originals(low: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(originals, relations) of an ordinary word, None if too common or without any."""
    if zipf(low) >= MAX_ZIPF:
        return None
    cands = candidates(low)
    if not cands:
        return None
    return tuple(c for c, _ in cands), tuple(r for _, r in cands)


def _neighbours(
    tokens: list[Token], i: int, words: list[str | None] | None = None
) -> tuple[str, str]:
    if words is not None:
        left = words[i - 1] if i > 0 else None
        right = words[i + 1] if i + 1 < len(words) else None
        return left if left is not None else "<s>", right if right is not None else "</s>"
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
    words: list[str | None] | None = None,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Detector rows (one per hit) and ranker rows (one per candidate of each hit).

    `lex_p` and `lex_span` are the probabilities and token ranges of the lexicon hits
    the document's spans were chosen from: the evidence that the text is spun at all.
    """
    x = detector_rows(tokens, hits, quotes, doc_words, lex_p, lex_span, n_words, words)
    rows, bounds = [], []
    for h in hits:
        first = len(rows)
        rows.extend(_ranker_rows(tokens, h, doc_words, words))
        bounds.append((first, len(rows)))
    table = np.asarray(rows, dtype=float).reshape(len(rows), len(OPEN_RANKER_FEATURES))
    return x, [table[a:b] for a, b in bounds]


def detector_rows(
    tokens: list[Token],
    hits: list[OpenHit],
    quotes: list[bool],
    doc_words: set[str],
    lex_p: np.ndarray,
    lex_span: list[tuple[int, int]],
    n_words: int,
    words: list[str | None] | None = None,
    near_p: list[float] | None = None,
) -> np.ndarray:
    """The detector rows of `features` alone: scoring needs a hit's ranker rows only when
    it reports the hit (`ranker_rows`), and most candidates stay below that. `near_p`:
    `near_lex_p` per token, when the caller has it."""
    per = per_100_words(n_words)
    p_sum, strong = float(lex_p.sum()) * per, float((lex_p >= 0.9).sum()) * per
    if near_p is None:
        near_p = near_lex_p(lex_p, lex_span, len(tokens))
    log_words = math.log10(1 + n_words)
    if len(_FIT_MEMO) > _FIT_MEMO_MAX:
        _FIT_MEMO.clear()
    det = []
    for h in hits:
        left, right = _neighbours(tokens, h.i, words)
        z_obs, zgain, _, (zgain_max, n_log, syn_max) = _word_columns(
            h.word, h.originals, h.relations
        )
        ol, gl = _fit_gains(left, h.word, h.originals, True)
        orr, gr = _fit_gains(h.word, right, h.originals, False)
        # Plain max over a few floats: the same numbers numpy would give, without its overhead.
        det.append(
            [z_obs, zgain_max, ol, orr, max(gl), max(gr), max(map(_ADD, gl, gr)), n_log,
             syn_max, 0.0 if doc_words.isdisjoint(h.originals) else 1.0, float(quotes[h.i]),
             p_sum, strong, near_p[h.i], log_words]
        )  # fmt: skip
    return np.asarray(det, dtype=float).reshape(len(hits), len(OPEN_DETECTOR_FEATURES))


def ranker_rows(
    tokens: list[Token], h: OpenHit, doc_words: set[str], words: list[str | None] | None = None
) -> np.ndarray:
    """The ranker rows of one hit, as `features` gives them."""
    rows = _ranker_rows(tokens, h, doc_words, words)
    return np.asarray(rows, dtype=float).reshape(len(rows), len(OPEN_RANKER_FEATURES))


def _ranker_rows(
    tokens: list[Token], h: OpenHit, doc_words: set[str], words: list[str | None] | None
) -> list[list[float]]:
    left, right = _neighbours(tokens, h.i, words)
    _, zgain, rels, _ = _word_columns(h.word, h.originals, h.relations)
    gl = _fit_gains(left, h.word, h.originals, True)[1]
    gr = _fit_gains(h.word, right, h.originals, False)[1]
    return [
        [a, b, z, *rel, float(pos), float(c in doc_words)]
        for pos, (a, b, z, rel, c) in enumerate(zip(gl, gr, zgain, rels, h.originals, strict=True))
    ]


_ADD = float.__add__
_FIT_MEMO: dict[tuple[str, str, bool], tuple[float, list[float], tuple[str, ...]]] = {}
_FIT_MEMO_MAX = 200_000  # word pairs whose fit gains are kept across documents


def _fit_gains(a: str, b: str, originals: tuple[str, ...], left: bool) -> tuple[float, list[float]]:
    """log bigram of the observed pair (a, b) and, per original, how much better it fits:
    for the left neighbour `a` (left=True) the original's first word replaces `b`, for
    the right neighbour `b` its last word replaces `a`."""
    key = (a, b, left)
    found = _FIT_MEMO.get(key)
    if found is None or found[2] != originals:
        obs = log_bigram(a, b)
        if left:
            gains = [log_bigram(a, c.split()[0]) - obs for c in originals]
        else:
            gains = [log_bigram(c.split()[-1], b) - obs for c in originals]
        found = _FIT_MEMO[key] = (obs, gains, originals)
    return found[0], found[1]


@cache  # a handful of distinct relation codes: shared, not copied
def _relation_columns(rel: str) -> tuple[float, float, float]:
    return float("S" in rel), float("M" in rel), float(set(rel) <= {"h", "H"})


@lru_cache(maxsize=100_000)
def _word_columns(
    word: str, originals: tuple[str, ...], relations: tuple[str, ...]
) -> tuple[float, list[float], list[tuple[float, float, float]], tuple[float, float, float]]:
    """Zipf of the word, Zipf gain per original, per original its relation columns
    (synonym, MyThes, only hypernym/hyponym), and (best Zipf gain, log of the number of
    originals, any synonym): what no context changes."""
    z_obs = zipf(word)
    rels = [_relation_columns(r) for r in relations]
    zgain = [zipf(c) - z_obs for c in originals]
    top = (max(zgain), math.log(len(originals)), max(r[0] for r in rels))
    return z_obs, zgain, rels, top


@lru_cache(maxsize=100_000)
def _static(
    word: str, originals: tuple[str, ...], relations: tuple[str, ...]
) -> tuple[float, float, float, float]:
    """What a word's candidates (`_originals`, which the caller has) say whatever the
    context: its Zipf, the best candidate Zipf, whether any is a synonym, log of their
    number."""
    return (
        zipf(word),
        max(map(zipf, originals)),
        max(float("S" in r) for r in relations),
        math.log(len(originals)),
    )


class _Bound(NamedTuple):
    """The linear upper bound of `prune`, its weights worked out once per document."""

    base: float
    w_z: float
    w_zg: float
    w_n: float
    w_syn: float
    w_q: float
    w_near: float
    a_l: float
    a_r: float
    c_ol: float
    c_or: float
    w_in: float
    quick: bool
    in_doc_hi: float
    limit: float
    limit_far: float  # the limit of a word whose closest candidate is not a synonym


_WEIGHTS: dict[int, tuple[Linear, dict[str, float], float]] = {}


def _weights(detector: Linear) -> tuple[dict[str, float], float]:
    """Per feature the weight of the raw value, and the sum of weight x mean (per detector)."""
    found = _WEIGHTS.get(id(detector))
    if found is None or found[0] is not detector:
        raw = (detector.coef / detector.scale).tolist()
        w = dict(zip(OPEN_DETECTOR_FEATURES, raw, strict=True))
        mu = dict(zip(OPEN_DETECTOR_FEATURES, detector.mean.tolist(), strict=True))
        if len(_WEIGHTS) > 64:
            _WEIGHTS.clear()
        found = _WEIGHTS[id(detector)] = (detector, w, sum(w[k] * mu[k] for k in w))
    return found[1], found[2]


def _bound(
    detector: Linear, lex_p: np.ndarray, n_words: int, min_p: float, min_p_far: float | None
) -> _Bound:
    w, w_mu = _weights(detector)
    per = per_100_words(n_words)
    doc = {
        "lex_p_per100": float(lex_p.sum()) * per,
        "lex_strong_per100": float((lex_p >= 0.9).sum()) * per,
        "log_doc_words": math.log10(1 + n_words),
    }
    # The logit is linear: sum of w * (x - mu). Every constant goes into `base`; a fit
    # gain enters at its best case (the best neighbour bigram) when its weight is positive,
    # at its worst (no bigram: 0) otherwise, so the sum is an upper bound.
    base = detector.intercept + sum(w[k] * v for k, v in doc.items())
    base -= w_mu
    g_l, g_r, g = w["fit_gain_left"], w["fit_gain_right"], w["fit_gain"]
    c_ol = w["fit_obs_left"] - g_l - g  # per unit of the observed word's own left bigram
    c_or = w["fit_obs_right"] - g_r - g
    return _Bound(
        base,
        w["zipf_obs"],
        w["zipf_gain"],
        w["n_candidates"],
        w["rel_synonym"],
        w["in_quotes"],
        w["near_lex_p"],
        max(g_l, 0.0) + max(g, 0.0),  # per unit of the best left bigram
        max(g_r, 0.0) + max(g, 0.0),
        c_ol,
        c_or,
        w["in_doc"],
        c_ol <= 0 and c_or <= 0,  # then ol = orr = 0 bounds them all
        max(w["in_doc"], 0.0),
        _limit(min_p),
        _limit(min_p if min_p_far is None else max(min_p, min_p_far)),
    )


def _limit(min_p: float) -> float:
    """The logit a bound must reach for p >= min_p."""
    return math.log(min_p / (1.0 - min_p)) - 1e-6  # margin for rounding


def prune(
    tokens: list[Token],
    hits: list[OpenHit],
    quotes: list[bool],
    doc_words: set[str],
    lex_p: np.ndarray,
    lex_span: list[tuple[int, int]],
    n_words: int,
    detector: Linear,
    min_p: float,
    words: list[str | None] | None = None,
    min_p_far: float | None = None,
) -> list[OpenHit]:
    """The hits whose detector probability could reach `min_p`; the rest surely cannot.
    `min_p_far` (if higher): the floor instead of a word whose closest candidate is not
    a synonym (`is_close`).

    An upper bound of the (linear) detector's logit from what is cheap to know: the
    context-free features exactly, the fit gains through the best Web 1T bigram any
    word makes with the neighbours. A first pass also bounds the observed word's own
    bigram counts (when the model weighs them down, 0 is their best case); only the
    hits that pass it pay for those look-ups, and only the survivors of the second pass
    for the full feature rows. Most candidates of a spun text stay far below `min_p`.
    """
    if not hits:
        return hits
    b = _bound(detector, lex_p, n_words, min_p, min_p_far)
    near_p = near_lex_p(lex_p, lex_span, len(tokens))
    best_left, best_right = best_neighbours()
    out = []
    for h in hits:
        left, right = _neighbours(tokens, h.i, words)
        z_obs, zmax, syn, n_log = _static(h.word, h.originals, h.relations)
        fixed = (
            b.base
            + b.w_z * z_obs
            + b.w_zg * (zmax - z_obs)
            + b.w_n * n_log
            + b.w_syn * syn
            + b.w_q * quotes[h.i]
            + b.w_near * near_p[h.i]
            + b.a_l * best_left.get(left, 0.0)
            + b.a_r * best_right.get(right, 0.0)
        )
        limit = b.limit if is_close(h.relations) else b.limit_far
        if b.quick and fixed + b.in_doc_hi < limit:
            continue
        if _second_pass(b, fixed, left, h.word, right, h.originals, doc_words, limit):
            out.append(h)
    return out


def _second_pass(
    b: _Bound,
    fixed: float,
    left: str,
    word: str,
    right: str,
    originals: tuple[str, ...],
    doc_words: set[str],
    limit: float,
) -> bool:
    """The bound with the observed word's own bigrams and whether an original is in the text."""
    ol, orr = log_bigram(left, word), log_bigram(word, right)
    in_doc = 0.0 if doc_words.isdisjoint(originals) else 1.0
    return fixed + b.c_ol * ol + b.c_or * orr + b.w_in * in_doc >= limit


class _Word(NamedTuple):
    """What find() and prune() need of a token text, whatever its context."""

    low: str
    originals: tuple[str, ...]
    relations: tuple[str, ...]
    capital: bool
    static: tuple[float, float, float, float]
    close: bool  # is_close(relations)


class _Seen:
    """Token texts met so far, each with an id: per id, the row of its `_Word` (0 for a
    text that can be no candidate) in a numpy table of its context-free bound columns
    (z_obs, zmax, syn, n_log), and the best Web 1T bigram any word makes after it and
    before it. One dictionary look-up per token then gives everything the first bound
    needs, gathered at C speed: look-ups in the large tables cost cache misses, and a
    document's rare words would pay several each."""

    lock = threading.Lock()

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.rows = np.zeros(1024, np.intp)  # per id
        self.best_after = np.zeros(1024)  # per id: best_left of its word ("<s>" if none)
        self.best_before = np.zeros(1024)  # per id: best_right of its word ("</s>" if none)
        self.words: list[_Word | None] = [None]  # per row
        self.table = np.zeros((1024, 4))  # per row

    def lookup(
        self, texts: list[str]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[_Word | None]]:
        """Per text its row, bound columns, best bigram after and before its word, and the
        list the rows index (texts met for the first time are added). Under a lock, so
        that threads scoring at once never see a half-added text or a table being reset."""
        with self.lock:
            if len(self.ids) > _SEEN_MAX:
                self.__init__()  # type: ignore[misc]
            ids = np.fromiter(map(self.ids.get, texts, repeat(-1)), np.intp, len(texts))
            for k in (ids < 0).nonzero()[0].tolist():
                text = texts[k]
                found = self.ids.get(text)  # the same new text twice in one document
                if found is None:
                    found = self.ids[text] = self._add(text)
                ids[k] = found
            rows = self.rows[ids]
            return rows, self.table[rows], self.best_after[ids], self.best_before[ids], self.words

    def _add(self, text: str) -> int:
        key = len(self.ids)
        if key == len(self.rows):
            self.rows = np.concatenate([self.rows, np.zeros_like(self.rows)])
            self.best_after = np.concatenate([self.best_after, np.zeros_like(self.best_after)])
            self.best_before = np.concatenate([self.best_before, np.zeros_like(self.best_before)])
        best_left, best_right = best_neighbours()
        word = normalize(text) if text[:1].isalnum() else None
        self.best_after[key] = best_left.get("<s>" if word is None else word, 0.0)
        self.best_before[key] = best_right.get("</s>" if word is None else word, 0.0)
        w = _word(text)
        if w is not None:
            row = len(self.words)
            if row == len(self.table):
                self.table = np.concatenate([self.table, np.zeros_like(self.table)])
            self.words.append(w)
            self.table[row] = w.static
            self.rows[key] = row
        return key


_SEEN_MAX = 200_000  # token texts remembered across documents (then forgotten at once)
_SEEN = _Seen()


def _word(text: str) -> _Word | None:
    """The open-vocabulary facts of a token text; None if it can be no candidate."""
    if len(text) < MIN_LEN or not text.isalpha():
        return None
    low = text.lower()
    found = _originals(low)
    if found is None:
        return None
    static = _static(low, *found)
    return _Word(low, found[0], found[1], text[0].isupper(), static, is_close(found[1]))


def find_pruned(
    tokens: list[Token],
    covered: np.ndarray,
    initial: Sequence[bool],
    quotes: list[bool],
    doc_words: set[str],
    lex_p: np.ndarray,
    lex_span: list[tuple[int, int]],
    n_words: int,
    detector: Linear,
    min_p: float,
    words: list[str | None],
    texts: list[str] | None = None,
    near_p: list[float] | None = None,
    min_p_far: float | None = None,
) -> list[OpenHit]:
    """`prune(find(...))`, the same hits, with the per-token work at C speed: token texts
    looked up in a table kept across documents, the first bound computed with numpy for
    every token at once (in prune's order, so the same sums to the bit), and the rest of
    find and prune only for the few candidates that pass it. `texts`: the token texts.
    """
    if texts is None:
        texts = [t.text for t in tokens]
    n = len(texts)
    rows, static, best_after, best_before, seen_words = _SEEN.lookup(texts)
    maybe = (rows > 0) & ~covered
    if not maybe.any():
        return []
    b = _bound(detector, lex_p, n_words, min_p, min_p_far)
    best_left, best_right = best_neighbours()
    z_obs, zmax, syn, n_log = static.T
    # The best bigrams after the left neighbour and before the right one, per token
    # (the neighbours are tokens too, or "<s>", "</s>").
    after = np.empty(n)
    after[0] = best_left.get("<s>", 0.0)
    after[1:] = best_after[:-1]
    before = np.empty(n)
    before[-1] = best_right.get("</s>", 0.0)
    before[:-1] = best_before[1:]
    fixed = b.base + b.w_z * z_obs
    fixed = fixed + b.w_zg * (zmax - z_obs)
    fixed = fixed + b.w_n * n_log
    fixed = fixed + b.w_syn * syn
    fixed = fixed + b.w_q * np.array(quotes, dtype=float)
    if near_p is None:
        near_p = near_lex_p(lex_p, lex_span, n)
    fixed = fixed + b.w_near * np.array(near_p)
    fixed = fixed + b.a_l * after
    fixed = fixed + b.a_r * before
    if b.quick:  # the lower limit here; a word's own below
        maybe &= fixed + b.in_doc_hi >= b.limit
    bounds = fixed.tolist()
    out = []
    for i in maybe.nonzero()[0].tolist():
        w = seen_words[rows[i]]
        assert w is not None
        if w.capital and not initial[i]:
            continue  # a name most likely
        limit = b.limit if w.close else b.limit_far
        if b.quick and bounds[i] + b.in_doc_hi < limit:
            continue
        left = (words[i - 1] if i > 0 else None) or "<s>"
        right = (words[i + 1] if i + 1 < n else None) or "</s>"
        if _second_pass(b, bounds[i], left, w.low, right, w.originals, doc_words, limit):
            out.append(OpenHit(i, w.low, w.originals, w.relations))
    return out


def near_lex_p(lex_p: np.ndarray, lex_span: list[tuple[int, int]], size: int) -> list[float]:
    """Per token: the largest p of the lexicon spans within NEAR tokens of it (0 if none;
    probabilities are never below 0, so 0 is also what max() over none defaults to)."""
    out = [0.0] * size
    for p, (a, b) in zip(lex_p.tolist(), lex_span, strict=True):
        for t in range(max(0, a - NEAR), min(size, b + NEAR)):
            if p > out[t]:
                out[t] = p
    return out
