"""The whole path: text -> tokens -> candidates -> features -> model -> report -> restore.

`Engine` holds the compiled lexicons and the model; the module-level `score` and
`restore` use one shared default engine built on first use.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from operator import itemgetter
from pathlib import Path

import numpy as np

from . import openvocab, tortured
from .corroborate import LONE_BAR, LONE_WORDS, corroborate
from .features import (
    DETECTOR_FEATURES,
    HitContext,
    _quote_state,
    _sentence_initial,
    adjacent_strong,
    densities,
    detector_fixed,
    detector_row_from,
    hit_context,
    is_strong,
    original_counts,
    per_100_words,
    ranker_row,
    restored_neighbours,
)
from .lexicon import Entry, Lexicon, load_lexicon, shipped_lexicons
from .matcher import Hit, Matcher, haystack
from .model import Linear, Models, shipped_models
from .register import scientific
from .report import Edit, Report, Restoration, Span, Suggestion
from .rewrite import surface_form
from .tokens import Token, Tokens, normalize, token_columns_words

DEFAULT_THRESHOLD = 0.75
"""Spans at or above this probability are reported and restored."""

_STRONG_P = 0.9
_SCIENCE = "tortured-science"
_START = itemgetter(0)
_Planned = tuple[int, float, str, Callable[[], Span]]  # start, p, family, make the span

DOC_GATE = 0.5
"""In a text whose document score d is below this, news-spinner and open-vocabulary
spans need p >= threshold * DOC_GATE / d to be reported (and restored): the less likely
the text is spun at all, the surer a span must be. Each such span is a common word swap
("stated" for "said") that authors also write; in an article judged clean it is most
likely the author's word. Tortured phrases are evidence of their own and keep the
plain threshold."""
GATED_FAMILIES = frozenset({"news-spinner", "open-vocabulary"})
YIELD_P = DEFAULT_THRESHOLD
"""A lexicon hit of YIELDING_FAMILIES below this probability (one not reported at the default
threshold) leaves its words to a known term the tortured-phrase generator rebuilds over
them; the hit yields to it."""
YIELDING_FAMILIES = frozenset({"news-spinner"})
WIDEN_P = 0.8
"""A listed tortured phrase widened into a longer known term (`tortured.widen`) is at least
this likely: a neighbour the list shows swapped in completes the term, evidence of its own
even beside a listed phrase that is ordinary wording in some field ("malignant growth")."""


def document_features(p: np.ndarray, n_words: int) -> list[float]:
    """Document-level evidence from its span probabilities (see model.DOCUMENT_FEATURES)."""
    per = per_100_words(n_words)
    # The ufuncs' own reductions: what p.sum() and p.max() compute, without their
    # Python-level wrappers (called once per document on a few numbers).
    return [
        float(np.add.reduce(p) * per) if p.size else 0.0,
        float(np.maximum.reduce(p)) if p.size else 0.0,
        float(np.count_nonzero(p >= _STRONG_P) * per),
        float(np.log10(1 + n_words)),
    ]


@dataclass
class Analysis:
    """Everything the models see for one text; also what `despin train` learns from."""

    text: str
    tokens: Tokens
    n_words: int
    hits: list[Hit]
    contexts: list[HitContext]
    detector_x: np.ndarray
    ranker_x: list[np.ndarray]
    words: list[str | None] | None = None
    """Per token: its normalised form if it is a word, else None (worked out once)."""
    quotes: list[bool] | None = None
    """Per token: inside a quotation (features._quote_state), when worked out."""
    texts: list[str] | None = None
    """Per token: its text (the tokens' third column, kept from tokenizing)."""


def _normalize_all(texts: list[str]) -> list[str]:
    """[normalize(t) for t in texts], lower-cased in one call.

    NUL separates the texts: neither cased nor case-ignorable, it ends a word for the
    final-sigma rule exactly as the end of a string does. A text holding NUL itself
    (a token of its own) takes the slow path.
    """
    joined = "\x00".join(texts)
    if "\x00" not in "".join(texts):
        out = normalize(joined).split("\x00")
        if len(out) == len(texts):
            return out
    return [normalize(t) for t in texts]


def _shipped_science() -> tuple[Entry, ...]:
    """The entries of the shipped science lexicons (what lexicons/terms.tsv.gz indexes)."""
    return tuple(
        e for lx in shipped_lexicons() if lx.family == "tortured-science" for e in lx.entries
    )


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
        open_vocab: bool = True,
    ) -> None:
        lex = list(lexicons) if lexicons is not None else []
        if use_shipped and lexicons is None:
            lex.extend(shipped_lexicons())
        lex.extend(load_lexicon(p) for p in lexicon_paths or ())
        if families:
            wanted = set(families)
            lex = [lx for lx in lex if lx.family in wanted or lx.name in wanted]
        self.lexicons = tuple(lex)
        self.open_vocab = open_vocab and (not families or openvocab.FAMILY in set(families))
        science = [e for lx in self.lexicons if lx.family == "tortured-science" for e in lx.entries]
        self._science_entries = tuple(science)
        # With other lexicons than the science family's, the generator looks only at texts
        # that read as science (`register.scientific`); with that family alone
        # (`--family science`), at every text.
        self._register_gate = any(lx.family != _SCIENCE for lx in self.lexicons)
        self._tortured: tortured.TermIndex | None = None
        """Also weigh words no lexicon lists (needs a model with an open detector)."""
        self._models = models
        self._matcher: Matcher | None = None
        self._hit_memo: dict[tuple[str, str, str], _Fixed] = {}
        self._strong_memo: dict[str, bool] = {}  # is_strong by key: the key fixes the entries
        """(key, left, right) -> `_hit_fixed`: hits recur between the same neighbours."""

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            self._matcher = Matcher(self.lexicons)
        return self._matcher

    @property
    def tortured_index(self) -> tortured.TermIndex | None:
        """What the tortured-phrase generator knows (None without a science lexicon)."""
        if self._tortured is None and self._science_entries:
            if self._science_entries == _shipped_science():
                from .termstore import stored_index

                self._tortured = stored_index()
            if self._tortured is None:
                self._tortured = tortured.build_index(
                    self._science_entries, extra_keys=tortured.wordnet_term_keys()
                )
        return self._tortured

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
        starts, ends, texts, others = token_columns_words(text)
        tokens = Tokens(starts, ends, texts)
        lowers = _normalize_all(texts)
        words: list[str | None] = lowers.copy()  # type: ignore[assignment]
        for k in others:
            words[k] = None
        n_words = len(words) - len(others)
        hay = haystack(lowers)
        hits = self.matcher.find(tokens, lowers, hay)
        quotes = _quote_state(tokens, text, starts) if hits else []
        strong_memo = self._strong_memo
        strong = [
            strong_memo[h.key]
            if h.key in strong_memo
            else strong_memo.setdefault(h.key, is_strong(h))
            for h in hits
        ]
        dens = densities(hits, strong, n_words)
        orig_counts = original_counts(tokens, hits, lowers, hay) if hits else []
        adjacent = adjacent_strong(hits, strong)
        restored = restored_neighbours(hits, strong)
        contexts, det_rows, rank_x = [], [], []
        memo = self._hit_memo
        if len(memo) > _HIT_MEMO_MAX:
            memo.clear()
        for h, d, oc, adj in zip(hits, dens, orig_counts, adjacent, strict=True):
            ctx = hit_context(tokens, text, h, quotes, restored, words)
            found = memo.get((h.key, ctx.left, ctx.right))
            if found is None:
                found = memo[(h.key, ctx.left, ctx.right)] = _hit_fixed(h, ctx)
            contexts.append(ctx)
            rank_x.append(found[0])
            det_rows.append(detector_row_from(found[1], ctx, d, n_words, oc, adj))
        det = np.asarray(det_rows, dtype=float).reshape(len(hits), len(DETECTOR_FEATURES))
        return Analysis(
            text, tokens, n_words, hits, contexts, det, rank_x, words, quotes or None, texts
        )

    # -- scoring ----------------------------------------------------------------------------

    def _spans(self, a: Analysis) -> list[Span]:
        """Every non-overlapping hit with its probability, then by position."""
        return [make() for _, _, _, make in self._plan(a)[0]]

    def _plan(self, a: Analysis, threshold: float | None = None) -> tuple[list[_Planned], float]:
        """(start, p, family, how to build the span) of every span `_spans` returns, in its
        order, and the document score: scoring builds only the spans it reports (most stay
        below the threshold).

        With `threshold` (scoring), open-vocabulary candidates are not looked for when the
        document score gates every one of them out (`_open_bar` above 1)."""
        if not a.hits and self.tortured_index is None:
            return [], self._doc_of([], a)
        m = self.models
        p_hit = fluency_veto(
            a, m.detector_proba(a.detector_x, [h.entries[0].family for h in a.hits])
        )
        chosen = select_hits(a, p_hit)
        probs = p_hit.tolist()
        covered = np.zeros(len(a.tokens), dtype=bool)
        generated: list[_Planned] = []
        if self.tortured_index is not None and self._reads_as_science(a):
            generated, chosen = self._science_plan(a, probs, chosen, covered)
        for h in a.hits:  # open-vocabulary candidates avoid every hit
            covered[h.i : h.j] = True
        plan = [
            (a.tokens.starts[a.hits[k].i], probs[k], a.hits[k].entries[0].family,
             partial(self._lexicon_span, a, k, probs[k]))
            for k in chosen
        ]  # fmt: skip
        plan.extend(generated)
        plan.sort(key=_START)
        doc = self._doc_of(plan, a)  # open-vocabulary spans do not count in it
        # Scoring reports no open span below its bar (the lower one for a word whose
        # closest relation is a synonym): candidates surely under it are not worked out;
        # listing (threshold None) wants every one from OPEN_LIST_P.
        close, far = (
            (OPEN_LIST_P, OPEN_LIST_P)
            if threshold is None
            else (_open_bar(threshold, doc, close=True), _open_bar(threshold, doc))
        )
        if (
            self.open_vocab
            and m.open_detector is not None
            and m.open_ranker is not None
            and close <= 1.0
        ):
            floor, far = (min(max(bar, OPEN_LIST_P), 1.0 - 1e-9) for bar in (close, far))
            oa = open_analysis(a, p_hit, chosen, covered, m.open_detector, floor, far)
            if oa is not None:
                p_open = m.open_detector.proba(oa.detector_x)
                plan.extend(
                    (a.tokens.starts[h.i], float(p), _open_key(h),
                     partial(_open_span, a, oa, k, float(p), m.open_ranker))
                    for k, (h, p) in enumerate(zip(oa.hits, p_open, strict=True))
                    if p >= OPEN_LIST_P
                )  # fmt: skip
                plan.sort(key=_START)
        return plan, doc

    def _reads_as_science(self, a: Analysis) -> bool:
        """Whether the tortured-phrase generator looks at `a` (see `_register_gate`): with
        no gate, or nothing to count with, it does."""
        index = self.tortured_index
        if index is None or not self._register_gate or a.words is None:
            return True
        return scientific(a.words, a.n_words, index)

    def _science_plan(
        self, a: Analysis, probs: list[float], chosen: list[int], covered: np.ndarray
    ) -> tuple[list[_Planned], list[int]]:
        """Tortured-phrase spans the generator adds (`tortured.widen`, `tortured.generate`),
        and the lexicon hits left `chosen`; `covered` gets the tokens they take.

        A news-spinner hit that is unlikely here (p < YIELD_P: "element" for "component")
        leaves its words to a rebuilt known term ("principal element analysis"), and one
        inside an expected phrase of the list as written ("regression method", not
        "regression way") is the author's wording, as the generator takes such a term.
        A listed tortured phrase with neighbours that rebuild a longer known term
        ("cruel" + "squared mistake" -> "mean squared error") becomes that term. In a
        page or more, a rebuilt term no other tortured phrase backs is kept under the
        threshold (`despin.corroborate`)."""
        index = self.tortured_index
        assert index is not None
        words = a.words
        if words is None:
            words = [t.lower if t.is_word else None for t in a.tokens]
        soft = np.zeros(len(a.tokens), dtype=bool)
        authors = set()
        for k, (h, q) in enumerate(zip(a.hits, probs, strict=True)):
            if h.entries[0].family not in YIELDING_FAMILIES:
                covered[h.i : h.j] = True
            elif q < YIELD_P:
                soft[h.i : h.j] = True
            elif tortured.in_list_term(words, h.i, h.j, index):
                authors.add(k)
            else:
                covered[h.i : h.j] = True
        soft &= ~covered
        if authors:
            chosen = [k for k in chosen if k not in authors]
        generated: list[_Planned] = []
        widened: list[frozenset] = []  # the words of listed phrases widened into longer terms
        taken = np.zeros(len(a.tokens), dtype=bool)
        for k in chosen:
            h = a.hits[k]
            if h.entries[0].family != _SCIENCE:
                continue
            for e in h.entries[:3]:
                g = tortured.widen(words, h.i, h.j, e.original, covered | taken, index)
                if g is not None:
                    p = max(probs[k], WIDEN_P)
                    widened.append(frozenset(g.observed.split()))
                    make = partial(_generated_span, a, g, p)
                    generated.append((a.tokens.starts[g.i], p, _SCIENCE, make))
                    taken[g.i : g.j] = True
                    break
        covered |= taken
        rebuilt: list[tuple[tortured.Generated, float]] = []
        for g in tortured.generate(a.tokens, covered, index, a.words, soft):
            p = tortured.probability(g)
            if p < YIELD_P and soft[g.i : g.j].any():
                continue  # a weak candidate leaves the hit its words
            rebuilt.append((g, p))
            taken[g.i : g.j] = True
        hits = a.hits
        if generated or rebuilt:  # they take the words of the hits they widen or overlap
            took = taken.tolist()  # a list: slices of it test at C speed
            chosen = [k for k in chosen if True not in took[hits[k].i : hits[k].j]]
        backed = rebuilt
        if rebuilt and a.n_words >= LONE_WORDS:
            listed = widened + [
                frozenset(words[hits[k].i : hits[k].j]) - {None}
                for k in chosen
                if hits[k].entries[0].family == _SCIENCE and probs[k] >= LONE_BAR
            ]
            backed = corroborate(rebuilt, listed)
        for (g, p), (_, q) in zip(rebuilt, backed, strict=True):
            make = partial(_generated_span, a, g, q, q < p)
            generated.append((a.tokens.starts[g.i], q, _SCIENCE, make))
        covered |= taken
        return generated, chosen

    def _lexicon_span(self, a: Analysis, k: int, p: float) -> Span:
        h = a.hits[k]
        start, end = a.tokens.starts[h.i], a.tokens.ends[h.j - 1]
        surface = a.text[start:end]
        if len(h.entries) == 1:  # the softmax of one logit is exactly 1
            order, share = [0], [1.0]
        else:
            sh = _softmax(self.models.ranker.logit(a.ranker_x[k]))
            order, share = np.argsort(-sh, kind="stable").tolist(), sh.tolist()
        sugg = []
        seen: set[str] = set()
        for c in order:
            e = h.entries[c]
            new = surface_form(surface, e.original)
            if new in seen:
                continue
            seen.add(new)
            sugg.append(Suggestion(new, float(p * share[c]), f"lexicon:{e.lexicon}", e.rule_id))
        evidence = dict(zip(DETECTOR_FEATURES, a.detector_x[k].tolist(), strict=True))
        return Span(start, end, surface, float(p), tuple(sugg), h.entries[0].family, evidence)

    def _document_score(self, p_spans: list[float], n_words: int) -> float:
        """From the probabilities of the non-open spans, in text order."""
        # The document model was fitted on lexicon evidence; open candidates only
        # speak in texts that evidence already calls spun.
        p = np.array(p_spans)
        x = np.array([document_features(p, n_words)])
        return float(self.models.document.proba(x)[0])

    def preload(self) -> Engine:
        """Load lexicons and model and read every derived table whole now.

        By default the tables of lexicons/derived.sqlite are read one key at a time, which
        keeps a one-page run fast (cold start ~0.4 s); a long run reads each table whole
        once it has asked enough of it. `preload` pays that (about a second, some 200 MB)
        up front: call it before scoring many documents, and before forking workers, which
        then share the tables instead of each reading its own. Returns the engine.

        It ends with `gc.collect()` and `gc.freeze()`: the objects alive then (the tables
        among them) are never traversed by the cyclic garbage collector again, which
        spares every later full collection and keeps forked workers from copying the
        pages those objects sit on.
        """
        import gc

        from . import ngrams, store, synonyms

        self.matcher, self.models, self.tortured_index  # noqa: B018 - built on first use
        ngrams.best_neighbours(), ngrams._log_bigrams(), ngrams._zipfs(), synonyms._derived()
        self.score(_WARM_TEXT)  # whatever else a score touches
        store.read_all()
        gc.collect()
        gc.freeze()
        return self

    def _doc_of(self, plan: list[_Planned], a: Analysis) -> float:
        """The document score of `a` from the lexicon and generated spans of its plan (in
        text order), 0 without words."""
        if not a.n_words:
            return 0.0
        return self._document_score([p for _, p, _, _ in plan], a.n_words)

    def score(self, text: str, threshold: float = DEFAULT_THRESHOLD) -> Report:
        """Score `text`: document probability of spin and the spans at or above `threshold`.

        TypeError for a `text` that is no str (bytes: decode them first), ValueError for
        a `threshold` outside [0, 1]."""
        check_text(text)
        check_threshold(threshold)
        a = self.analyze(text)
        plan, doc = self._plan(a, threshold)
        bar = {family: _gate(threshold, doc) for family in GATED_FAMILIES}
        bar[openvocab.FAMILY] = _open_bar(threshold, doc)
        bar[OPEN_CLOSE] = _open_bar(threshold, doc, close=True)
        keep = tuple(make() for _, p, family, make in plan if p >= bar.get(family, threshold))
        return Report(doc, keep, a.n_words)

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


def check_text(text: object, what: str = "text") -> str:
    """`text` if it is a str; else a TypeError that says what to do."""
    if isinstance(text, str):
        return text
    kind = type(text).__name__
    if isinstance(text, bytes | bytearray | memoryview):
        raise TypeError(
            f"{what} must be str, not {kind}: decode it first, e.g. "
            "data.decode('utf-8') or data.decode('utf-8', errors='replace')"
        )
    raise TypeError(f"{what} must be str, not {kind}")


def check_threshold(threshold: object) -> float:
    """`threshold` if it is a number from 0 to 1; else a ValueError (TypeError: no number)."""
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
        raise TypeError(f"threshold must be a number from 0 to 1, not {threshold!r}")
    if not 0.0 <= threshold <= 1.0:  # NaN fails too
        raise ValueError(f"threshold must be from 0 to 1, not {threshold!r}")
    return float(threshold)


def _gate(threshold: float, doc: float) -> float:
    """The bar of a gated family: below an even document score, the threshold raised in
    proportion (doc 0.25: twice the threshold, so nothing at 0.75)."""
    return threshold if doc >= DOC_GATE else threshold * (DOC_GATE / max(doc, 1e-9))


def _open_bar(threshold: float, doc: float, close: bool = False) -> float:
    """The bar of an open-vocabulary span (above 1: none can be reported); `close`: of a
    word whose closest candidate relation is a synonym (`OPEN_MIN_P_CLOSE`)."""
    return _gate(max(threshold, OPEN_MIN_P_CLOSE if close else OPEN_MIN_P), doc)


def _open_key(h: openvocab.OpenHit) -> str:
    """The plan key of an open hit: which bar it must clear (`Engine.score`)."""
    return OPEN_CLOSE if openvocab.is_close(h.relations) else openvocab.FAMILY


_HIT_MEMO_MAX = 100_000
"""Hit wordings with neighbours whose fixed features an engine keeps (then forgets)."""


_Fixed = tuple[np.ndarray, tuple[list[float], list[float], float]]


def _hit_fixed(h: Hit, ctx: HitContext) -> _Fixed:
    """Ranker rows (read-only array) and `detector_fixed` of a hit between its neighbours."""
    spun_words = h.key.split()
    total = sum(e.n_spun for e in h.entries)
    rows = [ranker_row(e, total, ctx, spun_words) for e in h.entries]
    x = np.asarray(rows, dtype=float)
    x.flags.writeable = False  # shared by every analysis that meets this wording
    return x, detector_fixed(h, ctx.left, ctx.right, spun_words, rows)


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


def _softmax(logits: np.ndarray) -> np.ndarray:
    share = np.exp(logits - logits.max())
    return share / share.sum()


OPEN_GATE = 0.5
"""Open-vocabulary candidates are weighed only in texts with a lexicon span this likely."""
OPEN_LIST_P = 0.5
"""Open-vocabulary candidates below this are not even listed (`despin explain` included):
most ordinary words have some synonym, and listing them all costs time."""
OPEN_MIN_P = 0.9
"""Open-vocabulary spans are reported (and restored) only at or above this probability,
whatever the threshold: out of fold, real news-spinner swaps that no lexicon lists are
hard to tell from the author's own rare words below it (see docs/how-it-works.md)."""
OPEN_MIN_P_CLOSE = 0.8
"""The bar instead of OPEN_MIN_P for a word whose closest candidate (the first one) is a
WordNet synonym or a MyThes entry: held out (scripts/open_figures.py), such words
between 0.8 and 0.9 were spun in every text scored (news-spinner and synthetic), while
below 0.8, and for hypernyms and similar words below 0.9, authors' own words come in."""
OPEN_CLOSE = "open-vocabulary:close"
"""Plan key of open hits under OPEN_MIN_P_CLOSE (their spans' family is open-vocabulary)."""


@dataclass
class OpenAnalysis:
    hits: list[openvocab.OpenHit]
    detector_x: np.ndarray
    ranker_x: list[np.ndarray] | None
    """Per hit its ranker rows; None when scoring (worked out by `ranker_rows` on demand)."""
    doc_words: set[str] | None = None

    def ranker_rows(self, a: Analysis, k: int) -> np.ndarray:
        if self.ranker_x is not None:
            return self.ranker_x[k]
        assert self.doc_words is not None
        return openvocab.ranker_rows(a.tokens, self.hits[k], self.doc_words, a.words)


def open_analysis(
    a: Analysis,
    p_hit: np.ndarray,
    chosen: list[int],
    covered: np.ndarray | None = None,
    detector: Linear | None = None,
    min_p: float = OPEN_LIST_P,
    min_p_far: float | None = None,
) -> OpenAnalysis | None:
    """Open-vocabulary candidates of `a` and their features, given the lexicon evidence.

    None when no lexicon span reaches OPEN_GATE: without spin the lexicons can
    vouch for, every rare synonym would be a suspect (and scoring clean text stays
    as cheap as the lexicon pass). With `detector`, candidates it surely scores below
    `min_p` are left out before their features are computed (training wants all);
    `min_p_far`: the floor instead for a word whose closest candidate is no synonym.
    """
    if not chosen or p_hit[chosen].max() < OPEN_GATE:
        return None
    if covered is None:
        covered = np.zeros(len(a.tokens), dtype=bool)
        for h in a.hits:
            covered[h.i : h.j] = True
    words = a.words if a.words is not None else [t.lower if t.is_word else None for t in a.tokens]
    doc_words = set(words)
    doc_words.discard(None)
    spans = [(a.hits[k].i, a.hits[k].j) for k in chosen]
    quotes = a.quotes if a.quotes is not None else _quote_state(a.tokens, a.text)
    lex_p = p_hit[chosen]
    initial = _Initial(a.tokens, a.text)
    near_p = openvocab.near_lex_p(lex_p, spans, len(a.tokens))
    if detector is not None:
        args = (quotes, doc_words, lex_p, spans, a.n_words, detector, min_p, words, a.texts)
        hits = openvocab.find_pruned(a.tokens, covered, initial, *args, near_p, min_p_far)
    else:
        hits = openvocab.find(a.tokens, covered, initial)
    if not hits:
        return None
    if detector is not None:  # scoring: ranker rows only for the spans it builds
        x = openvocab.detector_rows(
            a.tokens, hits, quotes, doc_words, lex_p, spans, a.n_words, words, near_p
        )
        return OpenAnalysis(hits, x, None, doc_words)
    x, rank = openvocab.features(
        a.tokens, hits, quotes, doc_words, lex_p, spans, a.n_words, words=words
    )
    return OpenAnalysis(hits, x, rank, doc_words)


class _Initial(Sequence[bool]):
    """Whether token i starts a sentence, worked out when find() asks (capitalised words)."""

    def __init__(self, tokens: list[Token], text: str) -> None:
        self.tokens, self.text = tokens, text

    def __len__(self) -> int:
        return len(self.tokens)

    def __getitem__(self, i):  # type: ignore[override]
        return _sentence_initial(self.tokens, self.text, i)


def _generated_span(
    a: Analysis, g: tortured.Generated, p: float | None = None, unbacked: bool = False
) -> Span:
    """`unbacked`: `despin.corroborate` lowered p (said in the evidence)."""
    start, end = a.tokens.starts[g.i], a.tokens.ends[g.j - 1]
    surface = a.text[start:end]
    p = tortured.probability(g) if p is None else p
    rule = f"{tortured.SOURCE}:{g.observed}>{g.term}"
    sugg = (Suggestion(surface_form(surface, g.term), p, tortured.SOURCE, rule),)
    evidence = {
        "n_changed": float(g.n_changed),
        "n_list_attested": float(g.n_list),
        "list_term": float(g.list_term),
        "markers": float(g.n_markers),
        "known": float(g.known_term),
    }
    if unbacked:
        evidence["unbacked"] = 1.0
    return Span(start, end, surface, p, sugg, "tortured-science", evidence)


def _open_span(a: Analysis, oa: OpenAnalysis, k: int, p: float, ranker: Linear) -> Span:
    h, x = oa.hits[k], oa.detector_x[k]
    tok = a.tokens[h.i]
    share = _softmax(ranker.logit(oa.ranker_rows(a, k)))
    sugg = tuple(
        Suggestion(
            surface_form(tok.text, h.originals[c]),
            float(p * share[c]),
            openvocab.SOURCE,
            f"{openvocab.SOURCE}:{h.word}>{h.originals[c]}",
        )
        for c in np.argsort(-share, kind="stable")
    )
    evidence = dict(zip(openvocab.OPEN_DETECTOR_FEATURES, x.tolist(), strict=True))
    return Span(tok.start, tok.end, tok.text, p, sugg, openvocab.FAMILY, evidence)


def select_hits(a: Analysis, p: np.ndarray) -> list[int]:
    """Indices of non-overlapping hits: most probable first, longer first on ties.

    A hit inside a longer likely one ("go" in "go to", "company" in "information
    company") yields to it: the phrase is the spinner's unit, not its parts.
    """
    probs = p.tolist()
    likely = [g for g, q in zip(a.hits, probs, strict=True) if q >= 0.5 and g.j - g.i > 1]
    inside = set()
    if likely:  # only a likely phrase of two or more tokens can hold another hit
        # Ends of the likely phrases by their start: a hit looks only at the phrases
        # starting at most `longest` tokens before it (was: at every likely phrase,
        # quadratic in a long text).
        ends: dict[int, list[int]] = {}
        for g in likely:
            ends.setdefault(g.i, []).append(g.j)
        longest = max(g.j - g.i for g in likely)
        for k, h in enumerate(a.hits):
            n = h.j - h.i
            if any(
                h.j <= e and e - s > n
                for s in range(max(0, h.i - longest + 1), h.i + 1)
                for e in ends.get(s, ())
            ):
                inside.add(k)
    order = sorted(
        (k for k in range(len(a.hits)) if k not in inside),
        key=lambda k: (-probs[k], a.hits[k].i - a.hits[k].j),
    )
    taken = [False] * len(a.tokens)
    chosen = []
    for k in order:
        h = a.hits[k]
        if True not in taken[h.i : h.j]:
            taken[h.i : h.j] = [True] * (h.j - h.i)
            chosen.append(k)
    return chosen


_DEFAULT: Engine | None = None
_WARM_TEXT = "The 2 international locations signed a brand new settlement final 12 months."


def default_engine() -> Engine:
    """The shared engine with the shipped lexicons and model, built on first use."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Engine()
    return _DEFAULT


def preload() -> Engine:
    """Read the shipped tables whole now, for a long run (see `Engine.preload`)."""
    return default_engine().preload()


def score(text: str, threshold: float = DEFAULT_THRESHOLD) -> Report:
    """Score `text` with the shipped lexicons and model."""
    return default_engine().score(text, threshold)


def restore(text: str, threshold: float = DEFAULT_THRESHOLD) -> Restoration:
    """Restore `text` with the shipped lexicons and model."""
    return default_engine().restore(text, threshold)
