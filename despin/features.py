"""Context features for lexicon hits (detector) and their candidates (ranker).

A hit is a candidate, not a verdict: "chief" is spun in "North Korean chief" and not
in "NATO chief Jens Stoltenberg". The features describe the wording and its
neighbours so that a small model can tell the two apart.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

from .lexicon import Entry
from .matcher import Hit, haystack
from .ngrams import log_bigram, phrase_cohesion, phrase_zipf
from .tokens import Token, Tokens

DETECTOR_FEATURES = (
    "n_spun",
    "n_clean",
    "specificity",
    "enrichment",
    "zipf_spun",
    "zipf_gain",
    "n_words",
    "cohesion_spun",
    "fit_left",
    "fit_right",
    "natural_left",
    "natural_right",
    "title_mid",
    "proper_context",
    "proper_run",
    "all_caps",
    "in_quotes",
    "family_news",
    "family_science",
    "inflected",
    "orig_in_doc",
    "adjacent_strong",
    "density_strong",
    "density_weak",
    "density_x_enrichment",
    "log_doc_words",
)

RANKER_FEATURES = (
    "share",
    "n_spun",
    "zipf_orig",
    "fit_left",
    "fit_right",
    "cohesion_orig",
    "inflected",
    "len_diff",
)

_SENT_END = {".", "!", "?", "…", ":", ";", "“", '"', "(", "[", "—", "–", "-"}
_OPEN_Q = {"“", "‘", "«"}
_CLOSE_Q = {"”", "’", "»"}


class HitContext(NamedTuple):
    """What surrounds a hit: neighbour words and casing facts (a named tuple: a document
    builds dozens, at a fraction of a frozen dataclass's cost)."""

    left: str
    right: str
    sentence_initial: bool
    title_mid: bool
    proper_context: bool
    proper_run: bool
    all_caps: bool
    in_quotes: bool


def _is_cap(tok: Token) -> bool:
    return tok.text[:1].isupper()


def _sentence_initial(tokens: Sequence[Token], text: str, i: int) -> bool:
    if i == 0:
        return True
    if isinstance(tokens, Tokens):  # the columns: no Token built
        gap = text[tokens.ends[i - 1] : tokens.starts[i]]
        return tokens.texts[i - 1] in _SENT_END or "\n" in gap
    prev = tokens[i - 1]
    return prev.text in _SENT_END or "\n" in text[prev.end : tokens[i].start]


def _quote_state(tokens: list[Token], text: str, starts: list[int] | None = None) -> list[bool]:
    """Per token: inside a quotation (curly quotes, or an odd count of straight ones).

    The state changes only at quote marks and line breaks, so it is worked out at
    those tokens (found with str.find and bisect) and filled in between. `starts`:
    the tokens' start offsets, when the caller has them.
    """
    n = len(tokens)
    if not n:
        return []
    if isinstance(tokens, Tokens):
        starts, texts = tokens.starts, tokens.texts
    else:
        if starts is None:
            starts = list(map(_START, tokens))
        texts = [t.text for t in tokens]
    events: dict[int, list[str]] = {}  # token index -> what happens before/at it
    pos = text.find("\n")
    while pos != -1:  # tokens hold no whitespace: a line break sits between two tokens
        k = bisect_right(starts, pos)
        if 1 <= k < n:
            events.setdefault(k, []).append("\n")
        pos = text.find("\n", pos + 1)
    for mark in _QUOTE_MARKS:
        pos = text.find(mark)
        while pos != -1:
            k = bisect_right(starts, pos) - 1
            if k >= 0 and starts[k] == pos and texts[k] == mark:
                events.setdefault(k, []).append(mark)
            pos = text.find(mark, pos + 1)
    out = [False] * n
    inside = straight = False
    last = 0
    for k in sorted(events):
        out[last:k] = [inside or straight] * (k - last)
        found = events[k]
        if "\n" in found:
            inside = straight = False
        t = texts[k]
        if t in found and t != "\n":
            if t in _OPEN_Q:
                inside = True
            elif t in _CLOSE_Q and t != "’":
                inside = False
            elif t == '"':
                straight = not straight
        out[k] = inside or straight
        last = k + 1
    out[last:] = [inside or straight] * (n - last)
    return out


_QUOTE_MARKS = ("“", "‘", "«", "”", "’", "»", '"')
_START = attrgetter("start")


def restored_neighbours(
    hits: list[Hit], strong: list[bool]
) -> tuple[dict[int, str], dict[int, str]]:
    """Words that strong hits most likely stood for, by token: (last word by end token,
    first word by start token).

    Spinners swap in runs: in "both international locations" the word next to "both"
    was "countries", and "either countries" reads far worse than "both countries"
    where "either international" and "both international" read alike.
    """
    last: dict[int, str] = {}
    first: dict[int, str] = {}
    for h, s in zip(hits, strong, strict=True):
        if not s:
            continue
        words = max(h.entries, key=lambda e: e.n_spun).original.lower().split()
        last.setdefault(h.j - 1, words[-1])
        first.setdefault(h.i, words[0])
    return last, first


def hit_context(
    tokens: list[Token],
    text: str,
    hit: Hit,
    quotes: list[bool],
    restored: tuple[dict[int, str], dict[int, str]] = ({}, {}),
    words: list[str | None] | None = None,
) -> HitContext:
    """Neighbours (restored where a strong spin stands next to the hit) and casing facts.

    `words`: per token its normalised form if a word, else None (when already known)."""
    i, j = hit.i, hit.j
    if words is not None:
        left = (words[i - 1] if i > 0 else None) or "<s>"
        right = (words[j] if j < len(words) else None) or "</s>"
    else:
        left = tokens[i - 1].lower if i > 0 and tokens[i - 1].is_word else "<s>"
        right = tokens[j].lower if j < len(tokens) and tokens[j].is_word else "</s>"
    if left != "<s>":
        left = restored[0].get(i - 1, left)
    if right != "</s>":
        right = restored[1].get(j, right)
    initial = _sentence_initial(tokens, text, i)
    if words is not None and isinstance(tokens, Tokens):  # the same facts, from the columns
        texts = tokens.texts
        span = [texts[k] for k in range(i, j) if words[k] is not None]
        prev = texts[i - 1] if i > 0 and words[i - 1] is not None else None
        nxt = j < len(texts) and words[j] is not None and texts[j][:1].isupper()
    elif words is not None:  # the same facts, with the word test read from `words`
        span = [tokens[k].text for k in range(i, j) if words[k] is not None]
        prev = tokens[i - 1].text if i > 0 and words[i - 1] is not None else None
        nxt = j < len(tokens) and words[j] is not None and tokens[j].text[:1].isupper()
    else:
        span = [t.text for t in tokens[i:j] if t.is_word]
        prev = tokens[i - 1].text if i > 0 and tokens[i - 1].is_word else None
        nxt = j < len(tokens) and tokens[j].is_word and _is_cap(tokens[j])
    title_mid = not initial and any(t[:1].isupper() for t in span)
    prev_cap = (
        prev is not None
        and (
            (len(prev) > 1 and prev.isupper())  # an acronym: "NATO chief"
            or (prev[:1].isupper() and not _sentence_initial(tokens, text, i - 1))
        )
    )
    next_cap = nxt
    all_caps = any(len(t) > 1 and t.isupper() for t in span)
    return HitContext(
        left,
        right,
        initial,
        title_mid,
        prev_cap or next_cap,
        prev_cap and next_cap,
        all_caps,
        quotes[i],
    )


def _fit(
    ctx: HitContext, spun_words: list[str], orig_words: list[str] | tuple[str, ...]
) -> tuple[float, float]:
    """How much better the original fits its neighbours than the spun wording does."""
    fl = log_bigram(ctx.left, orig_words[0]) - log_bigram(ctx.left, spun_words[0])
    fr = log_bigram(orig_words[-1], ctx.right) - log_bigram(spun_words[-1], ctx.right)
    return fl, fr


def ranker_row(e: Entry, total: int, ctx: HitContext, spun_words: list[str]) -> list[float]:
    orig_words, z_orig, cohesion = _phrase_stats(e.original.lower())
    fl, fr = _fit(ctx, spun_words, orig_words)
    return [
        e.n_spun / total if total else 0.0,
        math.log1p(e.n_spun),
        z_orig,
        fl,
        fr,
        cohesion,
        float(e.inflected),
        float(len(orig_words) - len(spun_words)),
    ]


@lru_cache(maxsize=100_000)
def _phrase_stats(phrase: str) -> tuple[tuple[str, ...], float, float]:
    """Words, phrase_zipf and phrase_cohesion of a phrase (lexicon phrases recur)."""
    words = phrase.split()
    return tuple(words), phrase_zipf(words), phrase_cohesion(words)


def detector_row(
    hit: Hit,
    ctx: HitContext,
    spun_words: list[str],
    ranker_rows: list[list[float]],
    density: tuple[float, float],
    n_doc_words: int,
    orig_in_doc: int,
    adjacent: int,
) -> list[float]:
    fixed = detector_fixed(hit, ctx.left, ctx.right, spun_words, ranker_rows)
    return detector_row_from(fixed, ctx, density, n_doc_words, orig_in_doc, adjacent)


def detector_fixed(
    hit: Hit, left: str, right: str, spun_words: list[str], ranker_rows: list[list[float]]
) -> tuple[list[float], list[float], float]:
    """The detector features that depend on the hit's entries and neighbour words only:
    (columns before title_mid, family and inflection columns, enrichment). The same
    wording between the same neighbours recurs, so callers may keep them."""
    n_spun = sum(e.n_spun for e in hit.entries)
    n_clean = max(e.n_clean for e in hit.entries)
    families = {e.family for e in hit.entries}
    _, z_spun, cohesion = _phrase_stats(hit.key)
    z_orig = max(r[2] for r in ranker_rows)
    enrich = enrichment(hit)
    head = [
        math.log1p(n_spun),
        math.log1p(n_clean),
        math.log((n_spun + 0.5) / (n_clean + 0.5)),
        enrich,
        z_spun,
        z_orig - z_spun,
        float(len(spun_words)),
        cohesion if len(spun_words) > 1 else 6.0,
        max(r[3] for r in ranker_rows),
        max(r[4] for r in ranker_rows),
        log_bigram(left, spun_words[0]),
        log_bigram(spun_words[-1], right),
    ]
    kind = [
        float("news-spinner" in families),
        float("tortured-science" in families),
        float(all(e.inflected for e in hit.entries)),
    ]
    return head, kind, enrich


def detector_row_from(
    fixed: tuple[list[float], list[float], float],
    ctx: HitContext,
    density: tuple[float, float],
    n_doc_words: int,
    orig_in_doc: int,
    adjacent: int,
) -> list[float]:
    """A detector row from `detector_fixed` and what is particular to this occurrence."""
    head, kind, enrich = fixed
    return [
        *head,
        float(ctx.title_mid),
        float(ctx.proper_context),
        float(ctx.proper_run),
        float(ctx.all_caps),
        float(ctx.in_quotes),
        *kind,
        math.log1p(orig_in_doc),
        float(adjacent),
        density[0],
        density[1],
        density[0] * enrich,
        math.log10(1 + n_doc_words),
    ]


def original_counts(
    tokens: list[Token], hits: list[Hit], lowers: list[str] | None = None, hay: str | None = None
) -> list[int]:
    """Per hit: how often its candidate originals occur elsewhere in the document.

    A spinner swaps a word everywhere it can, so a text that also says "said"
    plainly probably wrote "stated" on purpose. `lowers`: the tokens' normalised forms;
    `hay`: them joined as Matcher.haystack does, when the caller has it.
    """
    if hay is None:
        if lowers is None:
            lowers = [t.lower for t in tokens]
        hay = haystack(lowers)
    cache: dict[str, int] = {}
    out = []
    for h in hits:
        best = 0
        for e in h.entries:
            key = e.original.lower()
            if key not in cache:
                cache[key] = hay.count(f" {key} ")
            best = max(best, cache[key])
        out.append(best)
    return out


def enrichment(hit: Hit) -> float:
    """How much more often the phrase was seen spun than its everyday frequency predicts.

    log(times seen spun) - log(Zipf-scaled frequency): high for "international
    locations" (rare in English, often spun), low for "in" even if a swap listed it.
    """
    n_spun = sum(e.n_spun for e in hit.entries)
    return math.log(n_spun + 0.5) - math.log(10.0) * (_phrase_stats(hit.key)[1] - 3.0)


def is_strong(hit: Hit) -> bool:
    """Cheap first-pass spin evidence: a phrase spinners use far beyond its natural rate."""
    return enrichment(hit) > 0.0 and all(e.n_clean == 0 for e in hit.entries)


def adjacent_strong(hits: list[Hit], strong: list[bool]) -> list[int]:
    """Per hit: strong hits (`strong`: is_strong per hit) that end where it starts or
    start where it ends.

    Spinners swap in runs ("2 international locations", "officers mentioned"), so a
    weak hit next to a strong one is more likely spun.
    """
    ends = {h.j for h, s in zip(hits, strong, strict=True) if s}
    starts = {h.i for h, s in zip(hits, strong, strict=True) if s}
    return [int(h.i in ends) + int(h.j in starts) for h in hits]


DENSITY_WORDS = 100
"""Densities (per 100 words) count a shorter text as this long: in a 24-word paragraph,
the three other one-off mined swaps beside a hit are no 12.5 per 100 words of spin, and
read as such they made clean short texts look spun (document score 0.9998 for a clean
science paragraph under the old 20-word floor)."""


def per_100_words(n_words: int) -> float:
    """The factor that turns a count in a text of `n_words` words into one per 100 words."""
    return 100.0 / max(n_words, DENSITY_WORDS)


def densities(hits: list[Hit], strong_hits: list[bool], n_words: int) -> list[tuple[float, float]]:
    """Per hit: (other strong hits, other weak hits) of its family per 100 words.

    Strong and weak are counted apart, not strong and all: the two counts would move
    together and a linear model would weigh them against each other. Only hits of the
    same spinner family count: a tortured phrase says nothing of news spin. (Plain
    Python: counts of 0/1 are exact in floats, so this is what numpy gave, faster for
    the few dozen hits of a document.)
    """
    per = per_100_words(n_words)
    family = [h.entries[0].family for h in hits]
    n_strong: dict[str, float] = {}
    n_weak: dict[str, float] = {}
    for fam, s in zip(family, strong_hits, strict=True):
        if s:
            n_strong[fam] = n_strong.get(fam, 0.0) + 1.0
        else:
            n_weak[fam] = n_weak.get(fam, 0.0) + 1.0
    out = []
    for fam, strong in zip(family, strong_hits, strict=True):
        s = 1.0 if strong else 0.0
        out.append(((n_strong.get(fam, 0.0) - s) * per, (n_weak.get(fam, 0.0) - (1.0 - s)) * per))
    return out
