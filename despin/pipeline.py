"""The whole path: text -> tokens -> candidates -> features -> model -> report -> restore.

`Engine` holds the compiled lexicons and the model; the module-level `score` and
`restore` use one shared default engine built on first use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .features import (
    DETECTOR_FEATURES,
    HitContext,
    _quote_state,
    adjacent_strong,
    densities,
    detector_row,
    hit_context,
    original_counts,
    ranker_row,
)
from .lexicon import Lexicon, load_lexicon, shipped_lexicons
from .matcher import Hit, Matcher
from .model import Models, shipped_models
from .report import Edit, Report, Restoration, Span, Suggestion
from .rewrite import surface_form
from .tokens import Token, tokenize

DEFAULT_THRESHOLD = 0.75
"""Spans at or above this probability are reported and restored."""

_STRONG_P = 0.9


def document_features(p: np.ndarray, n_words: int) -> list[float]:
    """Document-level evidence from its span probabilities (see model.DOCUMENT_FEATURES)."""
    per = 100.0 / max(n_words, 20)
    return [
        float(p.sum() * per) if p.size else 0.0,
        float(p.max()) if p.size else 0.0,
        float((p >= _STRONG_P).sum() * per),
        float(np.log10(1 + n_words)),
    ]


@dataclass
class Analysis:
    """Everything the models see for one text; also what `despin train` learns from."""

    text: str
    tokens: list[Token]
    n_words: int
    hits: list[Hit]
    contexts: list[HitContext]
    detector_x: np.ndarray
    ranker_x: list[np.ndarray]


class Engine:
    """Compiled lexicons plus model. Build once, call `score`/`restore` many times."""

    def __init__(
        self,
        lexicon_paths: Iterable[str | Path] | None = None,
        families: Iterable[str] | None = None,
        *,
        lexicons: Iterable[Lexicon] | None = None,
        models: Models | None = None,
        use_shipped: bool = True,
    ) -> None:
        lex = list(lexicons) if lexicons is not None else []
        if use_shipped and lexicons is None:
            lex.extend(shipped_lexicons())
        lex.extend(load_lexicon(p) for p in lexicon_paths or ())
        if families:
            wanted = set(families)
            lex = [lx for lx in lex if lx.family in wanted or lx.name in wanted]
        self.lexicons = tuple(lex)
        self._models = models
        self._matcher: Matcher | None = None

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            self._matcher = Matcher(self.lexicons)
        return self._matcher

    @property
    def models(self) -> Models:
        if self._models is None:
            m = shipped_models()
            if m is None:
                raise RuntimeError("no model is installed: run `despin train`")
            self._models = m
        return self._models

    # -- features ---------------------------------------------------------------------------

    def analyze(self, text: str) -> Analysis:
        tokens = tokenize(text)
        n_words = sum(1 for t in tokens if t.is_word)
        hits = self.matcher.find(tokens)
        quotes = _quote_state(tokens, text) if hits else []
        dens = densities(hits, n_words)
        orig_counts = original_counts(tokens, hits) if hits else []
        adjacent = adjacent_strong(hits)
        contexts, det_rows, rank_x = [], [], []
        for h, d, oc, adj in zip(hits, dens, orig_counts, adjacent, strict=True):
            ctx = hit_context(tokens, text, h, quotes)
            spun_words = h.key.split()
            total = sum(e.n_spun for e in h.entries)
            rows = [ranker_row(e, total, ctx, spun_words) for e in h.entries]
            contexts.append(ctx)
            rank_x.append(np.asarray(rows, dtype=float))
            det_rows.append(detector_row(h, ctx, spun_words, rows, (d[0], d[1]), n_words, oc, adj))
        det = np.asarray(det_rows, dtype=float).reshape(len(hits), len(DETECTOR_FEATURES))
        return Analysis(text, tokens, n_words, hits, contexts, det, rank_x)

    # -- scoring ----------------------------------------------------------------------------

    def _spans(self, a: Analysis) -> list[Span]:
        """Every non-overlapping hit with its probability, best first, then by position."""
        if not a.hits:
            return []
        m = self.models
        p_hit = fluency_veto(
            a, m.detector_proba(a.detector_x, [h.entries[0].family for h in a.hits])
        )
        spans = []
        for k in select_hits(a, p_hit):
            h = a.hits[k]
            start, end = a.tokens[h.i].start, a.tokens[h.j - 1].end
            surface = a.text[start:end]
            logits = m.ranker.logit(a.ranker_x[k])
            share = np.exp(logits - logits.max())
            share /= share.sum()
            sugg = []
            seen: set[str] = set()
            for c in np.argsort(-share, kind="stable"):
                e = h.entries[c]
                new = surface_form(surface, e.original)
                if new in seen:
                    continue
                seen.add(new)
                src = f"lexicon:{e.lexicon}"
                sugg.append(Suggestion(new, float(p_hit[k] * share[c]), src, e.rule_id))
            evidence = {
                n: float(v) for n, v in zip(DETECTOR_FEATURES, a.detector_x[k], strict=True)
            }
            spans.append(
                Span(
                    start, end, surface, float(p_hit[k]), tuple(sugg), h.entries[0].family, evidence
                )
            )
        spans.sort(key=lambda s: s.start)
        return spans

    def _document_score(self, spans: list[Span], n_words: int) -> float:
        p = np.array([s.p_spun for s in spans])
        x = np.array([document_features(p, n_words)])
        return float(self.models.document.proba(x)[0])

    def score(self, text: str, threshold: float = DEFAULT_THRESHOLD) -> Report:
        """Score `text`: document probability of spin and the spans at or above `threshold`."""
        a = self.analyze(text)
        spans = self._spans(a)
        doc = self._document_score(spans, a.n_words) if a.n_words else 0.0
        return Report(doc, tuple(s for s in spans if s.p_spun >= threshold), a.n_words)

    def restore(self, text: str, threshold: float = DEFAULT_THRESHOLD) -> Restoration:
        """Apply the top suggestion of every span at or above `threshold`."""
        from .rewrite import plan_edit

        report = self.score(text, threshold)
        edits: list[Edit] = []
        for s in report.spans:
            if not s.suggestions:
                continue
            e = plan_edit(text, s.start, s.end, s.suggestions[0].text, s.p_spun, s.rule_id)
            if e is not None and (not edits or e.start >= edits[-1].end):
                edits.append(e)
        from .report import apply_edits

        return Restoration(apply_edits(text, edits), tuple(edits), report)


_FIT_LEFT = DETECTOR_FEATURES.index("fit_left")
_FIT_RIGHT = DETECTOR_FEATURES.index("fit_right")
_N_WORDS = DETECTOR_FEATURES.index("n_words")
VETO_FIT = -4.0
VETO_P = 0.2


def fluency_veto(a: Analysis, p: np.ndarray) -> np.ndarray:
    """Cap the probability of hits whose every candidate reads far worse in place.

    When an observed word forms a common collocation with a neighbour and no
    candidate does ("Prime Minister" vs "Top Minister": 10^6 fewer Web 1T bigrams),
    the wording is almost surely the author's, however spun the rest of the text is.
    """
    if not len(p):
        return p
    fit = np.minimum(a.detector_x[:, _FIT_LEFT], a.detector_x[:, _FIT_RIGHT])
    single = a.detector_x[:, _N_WORDS] == 1  # a spun phrase is judged by its own cohesion
    return np.where((fit <= VETO_FIT) & single, np.minimum(p, VETO_P), p)


def select_hits(a: Analysis, p: np.ndarray) -> list[int]:
    """Indices of non-overlapping hits: most probable first, longer first on ties.

    A hit inside a longer likely one ("go" in "go to", "company" in "information
    company") yields to it: the phrase is the spinner's unit, not its parts.
    """
    inside = {
        k
        for k, h in enumerate(a.hits)
        for m, g in enumerate(a.hits)
        if m != k and p[m] >= 0.5 and g.i <= h.i and h.j <= g.j and (g.j - g.i) > (h.j - h.i)
    }
    order = sorted(
        (k for k in range(len(a.hits)) if k not in inside),
        key=lambda k: (-p[k], a.hits[k].i - a.hits[k].j),
    )
    taken = np.zeros(len(a.tokens), dtype=bool)
    chosen = []
    for k in order:
        h = a.hits[k]
        if not taken[h.i : h.j].any():
            taken[h.i : h.j] = True
            chosen.append(k)
    return chosen


_DEFAULT: Engine | None = None


def default_engine() -> Engine:
    """The shared engine with the shipped lexicons and model, built on first use."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Engine()
    return _DEFAULT


def score(text: str, threshold: float = DEFAULT_THRESHOLD) -> Report:
    """Score `text` with the shipped lexicons and model."""
    return default_engine().score(text, threshold)


def restore(text: str, threshold: float = DEFAULT_THRESHOLD) -> Restoration:
    """Restore `text` with the shipped lexicons and model."""
    return default_engine().restore(text, threshold)
