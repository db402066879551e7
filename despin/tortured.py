"""Tortured phrases no list has seen: rebuild the term a phrase was made from.

Tortured phrases are word-by-word synonym swaps of technical terms ("irregular
woodland" for "random forest"). The science lexicon teaches which words the
spinners put in for which ("irregular" for "random" in "irregular variable",
"woodland" for "forest" elsewhere); the generator tries those swaps, and synonym
inversion, on every run of two to four words, and proposes the result when it is a
known term (an expected phrase of the list, or a multiword WordNet term) while the
observed wording is not. A proposal whose changed words the list mostly shows as
expected wording, never as swapped in (`spunness`), is weak evidence: "automatic
detection" -> "automatic recognition" swaps one technical word for another. Where no
known term is reached, a single word the list shows swapped in far more often than
expected, rare in English and in known terms ("blunder"), is restored on its own when it
stands in a pair that is no common English ("blunder resilience" -> "error resilience").
"""

from __future__ import annotations

import math
import operator
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache

import numpy as np

from .lexicon import Entry, phrase_key
from .tokens import Token

SOURCE = "generated:science"
MAX_WORDS = 4
MAX_SWAPS = 6  # list-attested originals tried per word, most frequent first
MAX_SYNONYMS = 6
MARKER_ZIPF = 4.5  # markers are rarer words than this
MARKER_MIN = 3
EVERYDAY_LOG_BIGRAM = 4.0  # log10 Web 1T count of 10,000: ordinary English
FUNCTION_ZIPF = 6.0  # "of", "in", "this": swaps of these make no tortured phrase
SPUN_MIN = -0.5  # below: every changed word is mostly the list's expected wording
AS_WRITTEN = 8  # `_pair_bit`: offset of the bits for terms as written
PAIRS_KEPT = 100_000
BIGRAM_WEIGHT = 1.0
EXTEND_LOG_BIGRAM = 2.0
EXTEND_SPUN = 1.0
EXTEND_STRONG = 1.5
EXTEND_ZIPF = 4.5  # a neighbour this common joins a rebuilt term only into a known term
# `_strong`: a word flagged alone has at least STRONG_SPUN `spunness` and is rarer than
# STRONG_ZIPF in English, or RARE_SPUN and rarer than RARE_ZIPF (under one in a million
# words: less likely the author's); and at most STRONG_TERMS known terms hold it.
STRONG_SPUN = 2.5
STRONG_ZIPF = 4.0
RARE_SPUN = 1.5
RARE_ZIPF = 3.0
STRONG_TERMS = 2


_LENGTHS = np.arange(MAX_WORDS, 1, -1)  # window lengths, longest first
_LENGTH_BITS = (1 << _LENGTHS)[:, None]  # `_pair_bit`: a window of that length may rebuild
_WRITTEN_BITS = (1 << (_LENGTHS + AS_WRITTEN))[:, None]  # ... may be a known term as written
_PAST = np.array([-1])  # `breaks` past the last token: no window reaches there
# `_word_flags` bits: a word; swappable (`_swappable`); may begin a pair with a `_pair_bit`;
# strong (`_strong`, of a swappable word only).
_WORD, _SWAPPABLE, _BEGINS, _STRONG = 1, 2, 4, 8
FLAGS_KEPT = 200_000


@dataclass(frozen=True)
class TermIndex:
    """What the generator knows: word swaps from a tortured-phrase list, and terms."""

    swaps: dict[str, tuple[str, ...]]  # spun word -> originals, most often seen first
    swap_counts: dict[tuple[str, str], int]
    markers: dict[str, int]  # words seen swapped in >= 2 times and never in an expected phrase
    spun_n: dict[str, int]  # word -> times the list shows it swapped in
    clean_n: dict[str, int]  # word -> expected phrases that hold it
    terms: frozenset[str]  # phrase keys of known terms
    list_terms: frozenset[str]  # the subset that are expected phrases of the list
    listed: frozenset[str]  # tortured phrases already on the list (the lexicon's job)
    by_start: dict[tuple[int, str], dict[str, tuple[tuple[str, ...], ...]]] = field(
        default_factory=dict
    )
    """Terms by (length, first word), then second word: candidates are looked up."""
    term_n: dict[str, int] = field(default_factory=dict)
    """Per word the list shows swapped in, and its other number: known terms that hold it."""
    options: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)
    """Per word, what `_options` found (filled as words are met)."""
    by_len: dict[int, dict[str, tuple[frozenset[str], dict]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """`by_start` split by length, with each first word's set of second words (built once)."""
    memo: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)
    """Word sets derived from the index, worked out on first use."""
    lam: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    """`spunness` per word (filled as words are met)."""
    start_bits: dict[str | None, int] = field(default_factory=dict, compare=False, repr=False)
    """`_start_bits` per word (filled as words are met)."""
    pairs: dict[tuple[str | None, str | None], int] = field(
        default_factory=dict, compare=False, repr=False
    )
    """`_pair_bits` per pair of neighbouring words (filled as pairs are met, bounded)."""
    flags: dict[str | None, int] = field(
        default_factory=lambda: {None: 0}, compare=False, repr=False
    )
    """`_word_flags` per word (filled as words are met, bounded)."""
    seconds: dict[tuple[str, int], tuple[frozenset[str], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """`_seconds` per word and term length (filled as words are met)."""
    best: dict[str, Generated | None] = field(default_factory=dict, compare=False, repr=False)
    """`_best` per observed window (filled as windows are met, bounded)."""


def build_index(
    entries: Iterable[Entry], extra_terms: Iterable[str] = (), extra_keys: Iterable[str] = ()
) -> TermIndex:
    """Index the (tortured, expected) `entries` of a science lexicon, plus `extra_terms`
    (or `extra_keys`: terms already written as matching keys)."""
    counts: Counter[tuple[str, str]] = Counter()
    list_terms, listed = set(), set()
    for e in entries:
        if e.inflected:
            continue
        s, o = phrase_key(e.spun), phrase_key(e.original)
        listed.add(s)
        list_terms.add(o)
        sw, ow = s.split(), o.split()
        if len(sw) == len(ow):
            for a, b in zip(sw, ow, strict=True):
                if a != b:
                    counts[(a, b)] += 1
    by_word: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (a, b), n in counts.items():
        by_word[a].append((-n, b))
    swaps = {a: tuple(b for _, b in sorted(v)[:MAX_SWAPS]) for a, v in by_word.items()}
    spun_n: Counter[str] = Counter()
    for (a, _), n in counts.items():
        spun_n[a] += n
    clean_n = Counter(w for t in list_terms for w in set(t.split()))
    in_expected = set(clean_n)
    markers = {
        w: n
        for w, n in spun_n.items()
        if n >= MARKER_MIN and w not in in_expected and _zipf(w) < MARKER_ZIPF
    }
    terms = set(list_terms) | {phrase_key(t) for t in extra_terms} | set(extra_keys)
    # Terms start and end with content words: "a level" is no technical term.
    split = {t: t.split() for t in terms}  # keys: single spaces, so len == count(" ") + 1
    terms = {
        t
        for t, w in split.items()
        if 2 <= len(w) <= MAX_WORDS and _content(w[0]) and _content(w[-1])
    }
    forms = {f for w in swaps for f in _forms(w)}
    term_n = Counter(x for t in terms for x in set(split[t]) if x in forms)
    by_start: dict[tuple[int, str], dict[str, list[tuple[str, ...]]]] = defaultdict(dict)
    for t in sorted(terms):
        words = tuple(split[t])
        by_start[(len(words), words[0])].setdefault(words[1], []).append(words)
    return TermIndex(
        swaps,
        dict(counts),
        markers,
        dict(spun_n),
        dict(clean_n),
        frozenset(terms),
        frozenset(list_terms),
        frozenset(listed),
        {k: {w: tuple(v) for w, v in d.items()} for k, d in by_start.items()},
        dict(term_n),
    )


def in_list_term(words: list[str | None], i: int, j: int, index: TermIndex) -> bool:
    """Tokens [i, j) lie inside an expected phrase of the list written as is ("regression
    method"): looked up by first and second word, no string built for the windows that
    begin no known term."""
    vocab = index.memo.get("list_words")
    if vocab is None:  # words of the list's expected phrases: most hits hold another
        vocab = index.memo["list_words"] = frozenset(w for t in index.list_terms for w in t.split())
    if not vocab.issuperset(words[i:j]):
        return False
    tables = _tables(index)
    size = len(words)
    for n in range(max(2, j - i), MAX_WORDS + 1):
        table = tables[n]
        for start in range(max(0, j - n), min(i, size - n) + 1):
            found = table.get(words[start])  # type: ignore[arg-type]
            if found is None or words[start + 1] not in found[0]:
                continue
            window = tuple(words[start : start + n])
            if window in found[1][words[start + 1]] and " ".join(window) in index.list_terms:  # type: ignore[arg-type]
                return True
    return False


def widen(
    words: list[str | None], i: int, j: int, original: str, covered: np.ndarray, index: TermIndex
) -> Generated | None:
    """A listed tortured phrase at tokens [i, j) (restored to `original`) with the words
    beside it, rebuilt into a longer known term: "cruel" + "squared mistake" -> "mean squared
    error". Each neighbour taken in is a swap the list attests, or stays as written; at
    least one is swapped. None when no such term is reached."""
    core = phrase_key(original).split()
    found = []
    size = len(words)
    for left in range(MAX_WORDS - len(core) + 1):
        for right in range(MAX_WORDS - len(core) - left + 1):
            if not left + right or i - left < 0 or j + right > size:
                continue
            outside = [*range(i - left, i), *range(j, j + right)]
            if any(words[k] is None or covered[k] for k in outside):
                continue
            lw = words[i - left : i]
            rw = words[j : j + right]
            opts = [frozenset({w, *index.swaps.get(w, ())}) for w in lw]  # type: ignore[arg-type]
            opts += [frozenset({c}) for c in core]
            opts += [frozenset({w, *index.swaps.get(w, ())}) for w in rw]  # type: ignore[arg-type]
            if len(opts) < 2:
                continue
            observed = [*lw, *core, *rw]
            for combo in _combos(len(opts), index, opts):
                changed = [(a, b) for a, b in zip(observed, combo, strict=True) if a != b]
                if not changed or not all(_content(a) and _content(b) for a, b in changed):
                    continue
                seen = sum(index.swap_counts.get(c, 0) for c in changed)
                key = " ".join(combo)
                is_list = key in index.list_terms
                found.append((-len(changed), is_list, seen, key, i - left, j + right))
    if not found:
        return None
    _, is_list, _, key, a, b = max(found)
    observed = " ".join(w for w in words[a:b] if w is not None)
    return Generated(a, b, observed, key, 1, 1, is_list)


def _forms(word: str) -> tuple[str, str]:
    """`word` and its other grammatical number, crudely (no lemmatiser: fast)."""
    return (word, word[:-1] if word.endswith("s") else word + "s")


@cache
def wordnet_terms() -> frozenset[str]:
    """Multiword terms of the shipped synonym table (WordNet and MyThes lemmas)."""
    from .synonyms import multiword_terms

    return multiword_terms()


def wordnet_term_keys() -> frozenset[str]:
    """`wordnet_terms` as matching keys, precomputed."""
    from .synonyms import multiword_term_keys

    return multiword_term_keys()


@cache
def shipped_index() -> TermIndex:
    from .lexicon import shipped_lexicons

    entries = [
        e for lx in shipped_lexicons() if lx.family == "tortured-science" for e in lx.entries
    ]
    return build_index(entries, extra_keys=wordnet_term_keys())


@dataclass(frozen=True)
class Generated:
    """Tokens [i, j) may be a tortured form of `term`."""

    i: int
    j: int
    observed: str
    term: str
    n_changed: int
    n_list: int  # changed words whose swap the list attests
    list_term: bool  # the term is an expected phrase of the list
    n_markers: int = 0  # words only ever seen as the tortured side of the list
    known_term: bool = True  # False: rebuilt word by word, the result is no known term
    spunness: float = 0.0  # the greatest `spunness` among the changed words
    strong_word: bool = False  # one word the list shows swapped in far more often than expected


def _options(word: str, index: TermIndex) -> frozenset[str]:
    """The word, the originals the list swapped it for, and its one-word synonyms."""
    opts = index.options.get(word)
    if opts is None:
        from .synonyms import candidate_words

        found = {word, *index.swaps.get(word, ())}
        found.update(candidate_words(word, MAX_SYNONYMS))
        opts = index.options[word] = frozenset(found)
    return opts


def _start_bits(word: str | None, index: TermIndex) -> int:
    """Bit n: some option of `word` begins a known term of n words (remembered per word)."""
    found = index.start_bits.get(word)
    if found is None:
        opts = () if word is None else _options(word, index)
        tables = _tables(index).items()
        found = sum(1 << n for n, table in tables if any(o in table for o in opts))
        index.start_bits[word] = found
    return found


def _pair_bits(
    words: list[str | None], wanted: np.ndarray, index: TermIndex, flags: np.ndarray | None = None
) -> np.ndarray:
    """`_pair_bit` of each token (where `wanted`) and the next: a window whose first two words
    have no bit for its length is neither a known term nor anything to rebuild. Worked
    out once per pair of words (remembered), not once per window. `flags`: `_flags(words)`."""
    out = np.zeros(len(words), dtype=np.int64)
    memo = index.pairs
    if len(memo) > PAIRS_KEPT:
        memo.clear()  # bounded: a long run of texts does not grow it without end
    if flags is None:
        flags = _flags(words, index)
    # Only a word that begins a known term as written, or whose options begin one, and is
    # followed by a word, can begin a pair with a bit: most pairs are never built.
    mask = wanted & ((flags & _BEGINS) != 0)
    mask[:-1] &= (flags[1:] & _WORD) != 0
    mask[-1:] = False  # the last token begins no pair
    at = mask.nonzero()[0]
    if not len(at):
        return out
    ks = at.tolist()
    get = words.__getitem__
    pairs = list(zip(map(get, ks), map(get, map((1).__add__, ks)), strict=True))
    found = list(map(memo.get, pairs))  # the pairs, built and looked up at C speed
    if None in found:
        for m in _nones(found):
            f = memo.get(pairs[m])  # met earlier in this text
            found[m] = memo[pairs[m]] = _pair_bit(*pairs[m], index) if f is None else f
    out[at] = found
    return out


def _nones(found: list) -> list[int]:
    """Positions of None in `found` (look-ups that missed), found with list.index at C
    speed: a text has a few words met for the first time among hundreds."""
    out = []
    k = -1
    try:
        while True:
            k = found.index(None, k + 1)
            out.append(k)
    except ValueError:
        return out


def _flags(words: list[str | None], index: TermIndex) -> np.ndarray:
    """`_word_flags` per token (0 for None): one look-up per token, at C speed once the
    words were met, gives every per-word test the generator makes of every token."""
    memo = index.flags
    if len(memo) > FLAGS_KEPT:
        # Bounded: a long run of texts does not grow the per-word tables without end.
        for table in (index.options, index.start_bits, index.seconds, index.lam, memo):
            table.clear()
        memo[None] = 0
    found = list(map(memo.get, words))
    if None in found:
        for k in _nones(found):
            w = words[k]
            f = memo.get(w)  # met earlier in this text
            found[k] = memo[w] = _word_flags(w, index) if f is None else f  # type: ignore[arg-type]
    return np.array(found, dtype=np.uint8)


def _word_flags(w: str, index: TermIndex) -> int:
    """The bits `_WORD`, `_SWAPPABLE`, `_BEGINS` (whether `_pair_bit` can be non-zero for a
    pair `w` begins) and `_STRONG` of a word."""
    swappable = w in _swappable_words(index)
    begins = _start_bits(w, index) != 0 or any(
        table.get(w) is not None for table in _tables(index).values()
    )
    strong = swappable and _strong(w, index)
    return _WORD | _SWAPPABLE * swappable | _BEGINS * begins | _STRONG * strong


_UNSEEN = object()


def _pair_bit(first: str | None, second: str | None, index: TermIndex) -> int:
    """Bit n: some n-word term begins with an option of `first` then one of `second` (a
    window may rebuild it); bit n + AS_WRITTEN: some n-word term begins with `first second`
    itself (the window may be a known term as written)."""
    if first is None or second is None:
        return 0
    found = 0
    for n, table in _tables(index).items():
        entry = table.get(first)
        if entry is not None and second in entry[0]:
            found |= 1 << (n + AS_WRITTEN)
    bits = _start_bits(first, index)
    if bits:
        after = _options(second, index)
        for n in range(2, MAX_WORDS + 1):
            if bits >> n & 1 and not all(map(after.isdisjoint, _seconds(first, n, index))):
                found |= 1 << n
    return found


def _seconds(first: str, n: int, index: TermIndex) -> tuple[frozenset[str], ...]:
    """The second words of the n-word terms that begin with an option of `first`, one set
    per option (remembered per word: a word begins many pairs, each tested against them)."""
    found = index.seconds.get((first, n))
    if found is None:
        table = _tables(index)[n]
        found = tuple(table[o][0] for o in _options(first, index) if o in table)
        index.seconds[(first, n)] = found
    return found


def _same_word(a: str, b: str) -> bool:
    """Inflections of one word ("networks", "network"): no swap."""
    from .synonyms import all_lemmas

    if a.rstrip("s") == b.rstrip("s"):
        return True
    return bool(all_lemmas(a) & all_lemmas(b))


def spunness(word: str, index: TermIndex) -> float:
    """log odds that the list shows `word` (either number) swapped in rather than expected.

    "vitality" (often swapped in, never expected) is high; "energy" (in many expected
    phrases) is low: swapping "energy" out of a phrase is no evidence of spin.
    """
    found = index.lam.get(word)
    if found is None:
        forms = set(_forms(word))
        spun = sum(index.spun_n.get(x, 0) for x in forms)
        clean = sum(index.clean_n.get(x, 0) for x in forms)
        found = index.lam[word] = math.log((spun + 0.5) / (clean + 0.5))
    return found


def _log_bigrams() -> dict[str, float]:
    from .ngrams import _log_bigrams

    return _log_bigrams()


def _zipf(word: str) -> float:
    from .ngrams import zipf

    return zipf(word)


@cache
def _content(word: str) -> bool:
    return _zipf(word) < FUNCTION_ZIPF


def _best(observed: list[str], index: TermIndex, options: list[frozenset[str]]) -> Generated | None:
    found = []
    n = len(observed)
    for combo in _combos(n, index, options):
        key = " ".join(combo)
        changed = [(a, b) for a, b in zip(observed, combo, strict=True) if a != b]
        if not changed or all(_same_word(a, b) for a, b in changed):
            continue
        if not all(_content(a) and _content(b) for a, b in changed):
            continue  # "of this" -> "in this": function words are no tortured phrase
        n_list = sum(c in index.swap_counts for c in changed)
        # Best: no unattested swap, the observed grammatical number, fewest changes, an
        # expected phrase of the list, the swaps the list shows most often.
        agree = _plural(observed[-1]) == _plural(combo[-1])
        seen = sum(index.swap_counts.get(c, 0) for c in changed)
        found.append(
            (n_list - len(changed), agree, -len(changed), key in index.list_terms, seen, key,
             n_list, changed)
        )  # fmt: skip
    if not found:
        return None
    *_, is_list, _, key, n_list, changed = max(found)
    # One changed word the list shows swapped in is evidence ("irregular" in "irregular
    # detection"); swapping out only expected wording ("detection") is not.
    lam = max(spunness(a, index) for a, _ in changed)
    return Generated(0, 0, " ".join(observed), key, len(changed), n_list, is_list, spunness=lam)


def _plural(word: str) -> bool:
    """Crude grammatical number ("networks", not "analysis" or "class"): fast, no lemmatiser."""
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _tables(index: TermIndex) -> dict[int, dict[str, tuple[frozenset[str], dict]]]:
    """Per term length: first word -> (its second words, terms by second word)."""
    if not index.by_len:
        for (n, first), by_second in index.by_start.items():
            index.by_len.setdefault(n, {})[first] = (frozenset(by_second), by_second)
        for n in range(2, MAX_WORDS + 1):
            index.by_len.setdefault(n, {})
    return index.by_len


def _combos(n: int, index: TermIndex, options: list[frozenset[str]]) -> Iterator[tuple[str, ...]]:
    """Known terms of `n` words whose every word is among the options of its position."""
    second, rest = options[1], options[2:]
    table = _tables(index)[n]
    for first in options[0]:
        found = table.get(first)
        if found is None:
            continue
        seconds, by_second = found
        # Only the options that follow `first` in some term (a set intersection, at C speed)
        for w in second & seconds:
            for term in by_second[w]:
                if all(x in opts for x, opts in zip(term[2:], rest, strict=True)):
                    yield term


def generate(
    tokens: list[Token],
    covered: np.ndarray,
    index: TermIndex,
    words: list[str | None] | None = None,
    soft: np.ndarray | None = None,
) -> list[Generated]:
    """Non-overlapping tortured-phrase candidates among tokens not `covered`, longest first.

    `words`: per token its normalised form if a word, else None (when already known).
    `soft`: tokens only a rebuilt known term may take (not a word rebuilt on its own).
    """
    words = [t.lower if t.is_word else None for t in tokens] if words is None else list(words)
    for k in covered.nonzero()[0].tolist():
        words[k] = None
    flags = _flags(words, index)
    swap_a = (flags & _SWAPPABLE) != 0
    if not swap_a.any():
        return []  # every window and every compositional run needs a swappable word
    swappable = swap_a.tolist()
    size = len(tokens)
    # A window matters only with a swappable word inside, or within MAX_WORDS - 1 tokens of
    # one (a known term there protects its words from the windows that hold that word).
    reach = MAX_WORDS - 1
    # near_a[k + reach]: swappable words among tokens [0, k), clamped to k in [0, size]
    # (padded on both sides: no min/max in the window tests).
    near_a = np.zeros(size + 1 + 3 * reach, dtype=np.int64)
    near_a[reach + 1 : reach + 1 + size] = swap_a.cumsum()
    near_a[reach + 1 + size :] = near_a[reach + size]
    near = near_a[reach : reach + size + 1].tolist()
    # breaks_a[k]: tokens among [0, k) that are no word; a window of words has none inside.
    breaks_a = np.zeros(size + 1, dtype=np.int64)
    breaks_a[1:] = ((flags & _WORD) == 0).cumsum()
    # Per token, the lengths of the windows it begins that may be a known term as written or
    # may rebuild one (only near a swappable word: no other window matters).
    wide = near_a[2 * reach + MAX_WORDS : 2 * reach + MAX_WORDS + size] != near_a[:size]
    pbits_a = _pair_bits(words, wide, index, flags)
    taken = [False] * size
    terms, listed, best_memo = index.terms, index.listed, index.best
    logs = _log_bigrams()

    # Every window [i, i + n) worth a look, for every length at once (rows longest first,
    # then by start: the order they are tried in): words only, near a swappable word, and
    # either a known term as written or a swappable word inside and a pair bit this long.
    at = np.arange(size)
    ahead = at + _LENGTHS[:, None]  # [3, size]: i + n
    whole = np.concatenate((breaks_a, _PAST))[np.minimum(ahead, size + 1)] == breaks_a[:size]
    close_by = near_a[ahead + 2 * reach] != near_a[:size]
    swap = near_a[ahead + reach] != near_a[reach : reach + size]
    may = ((pbits_a & _WRITTEN_BITS) != 0) | (swap & ((pbits_a & _LENGTH_BITS) != 0))
    rows, cols = (whole & close_by & may).nonzero()
    out = []
    for n, i in zip(_LENGTHS[rows].tolist(), cols.tolist(), strict=True):
        bit = 1 << n
        if True in taken[i : i + n]:
            continue
        observed = words[i : i + n]
        key = " ".join(observed)
        pbits = int(pbits_a[i])
        if pbits >> AS_WRITTEN & bit and key in terms:
            # A known term as written ("electronic health record") is the author's:
            # no part of it is rebuilt into another term ("health record").
            taken[i : i + n] = [True] * n
            continue
        if near[i + n] == near[i]:
            continue  # no word the spinners are known to put in
        if key in listed:
            continue  # the lexicon's job
        if not pbits & bit:
            continue  # no term begins with an option of each of the first two words
        g = best_memo.get(key, _UNSEEN)
        if g is _UNSEEN:
            if len(best_memo) > PAIRS_KEPT:
                best_memo.clear()  # bounded, as the pairs are
            # Every inner pair common English: nothing (remembered with the rest).
            g = best_memo[key] = (
                None
                if _everyday(observed)
                else _best(observed, index, [_options(w, index) for w in observed])
            )
        if g is None:
            continue
        markers = sum(w in index.markers for w in observed)
        out.append(
            Generated(
                i, i + n, g.observed, g.term, g.n_changed, g.n_list, g.list_term, markers,
                spunness=g.spunness,
            )
        )
        taken[i : i + n] = [True] * n
    if soft is not None and soft.any():
        # what no known term took is no word here, as if covered
        for k in soft.nonzero()[0].tolist():
            if not taken[k]:
                words[k] = None
                swappable[k] = False
    if out:
        out = [_extend(g, words, taken, index, logs) for g in out]
    comp = _compositional(words, taken, index, swappable)
    for g in comp:
        taken[g.i : g.j] = [True] * (g.j - g.i)
    out.extend(comp)
    strong = (flags & _STRONG).nonzero()[0].tolist()
    out.extend(_strong_words(tokens, words, taken, index, strong, logs))
    return sorted(out, key=lambda g: g.i)


def _extend(
    g: Generated, words: list[str | None], taken: list[bool], index: TermIndex, logs: dict
) -> Generated:
    """Take in the spun words next to a rebuilt term ("worldwide" before "budgetary
    emergency" -> "financial crisis"): a neighbour the list shows swapped in more often
    than expected, whose original is commonly written next to the term. The evidence (and
    so the probability) stays that of the term."""
    i, j, observed, term = g.i, g.j, g.observed.split(), g.term.split()
    while j - i < MAX_WORDS and i > 0:
        b = _neighbour(words[i - 1], taken[i - 1], index, logs, term, after=False)
        if b is None:
            break
        i, observed, term = i - 1, [words[i - 1], *observed], [b, *term]
        taken[i] = True
    while j - i < MAX_WORDS and j < len(words):
        b = _neighbour(words[j], taken[j], index, logs, term, after=True)
        if b is None:
            break
        observed, term = [*observed, words[j]], [*term, b]
        taken[j] = True
        j += 1
    if j - g.j + g.i - i == 0:
        return g
    return replace(g, i=i, j=j, observed=" ".join(observed), term=" ".join(term))


def _neighbour(
    w: str | None, taken: bool, index: TermIndex, logs: dict, term: list[str], after: bool
) -> str | None:
    """The original of spun word `w` just `after` (or before) the rebuilt `term`, if any: one
    that makes a longer known term, or, for a word the list shows swapped in clearly more
    often than expected, one written next to the term in Web 1T (or, for a word the list
    shows swapped in far more often still, its original most often seen that fits)."""
    if w is None or taken or w not in index.swaps or not _content(w):
        return None
    lam = spunness(w, index)
    if lam < 0:
        return None
    # A common word ("changes", "during") is the author's unless it makes a longer known term.
    common = _zipf(w) >= EXTEND_ZIPF
    found = []
    for b in index.swaps[w]:
        if not _content(b):
            continue
        known = " ".join([*term, b] if after else [b, *term]) in index.terms
        lb = logs.get(f"{term[-1]} {b}" if after else f"{b} {term[0]}", 0.0)
        fits = (lb >= EXTEND_LOG_BIGRAM and lam >= EXTEND_SPUN) or lam >= EXTEND_STRONG
        if known or (fits and not common):
            found.append((known, lb, index.swap_counts[(w, b)], b))
    return max(found)[3] if found else None


def _strong_words(
    tokens: list[Token],
    words: list[str | None],
    taken: list[bool],
    index: TermIndex,
    strong: list[int],
    logs: dict,
) -> list[Generated]:
    """Single words that are evidence of spin of their own (`_strong`), next to a content
    word they are not commonly written with (no Web 1T pair), where nothing else was
    proposed: "vitality productivity" -> "energy productivity" when no known term is
    reached. The original: one of the observed grammatical number, then one commonly
    written next to the neighbours, then the one the list shows most often. A capitalised
    word after another word is left alone: one odd word in a name or heading is no
    evidence."""
    out = []
    size = len(words)
    for k in strong:  # the tokens that are strong words (`_flags`), in order
        w = words[k]
        if taken[k] or w is None:
            continue
        if k and tokens[k].text[:1].isupper() and tokens[k - 1].is_word:
            continue  # a name or a heading ("Weighted Error Calculation"), not prose
        left = words[k - 1] if k > 0 else None
        right = words[k + 1] if k + 1 < size else None
        left, right = (x if x is not None and _content(x) else None for x in (left, right))
        if not ((left and f"{left} {w}" not in logs) or (right and f"{w} {right}" not in logs)):
            continue  # no content word beside it, or only ones it is commonly written with
        found = []
        for b in index.swaps[w]:
            if not _content(b) or _same_word(w, b):
                continue
            fit = (left is not None and f"{left} {b}" in logs) + (
                right is not None and f"{b} {right}" in logs
            )
            found.append((_plural(w) == _plural(b), fit, index.swap_counts[(w, b)], b))
        if not found:
            continue
        b = max(found)[-1]
        out.append(
            Generated(
                k, k + 1, w, b, 1, 1, False, int(w in index.markers), False,
                spunness(w, index), strong_word=True,
            )
        )  # fmt: skip
        taken[k] = True
    return out


def _strong(w: str, index: TermIndex) -> bool:
    """`w` alone is evidence of spin: the list shows it swapped in far more often than
    expected (the rarer the word in English, the less often), and few known terms hold it.

    "vitality", "blunder", "acknowledgment" are such words; "discharge", "atom" and
    "substance" are not: WordNet terms are made of them, so authors write them too.
    Asked once per word: `_flags` remembers the answer.
    """
    if sum(index.term_n.get(x, 0) for x in _forms(w)) > STRONG_TERMS:
        return False
    lam, z = spunness(w, index), _zipf(w)
    return (lam >= STRONG_SPUN and z < STRONG_ZIPF) or (lam >= RARE_SPUN and z < RARE_ZIPF)


def _everyday(words: list[str]) -> bool:
    """Every inner pair is a common Web 1T bigram ("power consumption"): ordinary wording.

    Tortured phrases are rare pairs; a wording that common is somebody's term even
    when neither the list nor WordNet knows it.
    """
    from .ngrams import phrase_cohesion

    return phrase_cohesion(words) >= EVERYDAY_LOG_BIGRAM


def _swappable_words(index: TermIndex) -> frozenset[str]:
    """The words `_swappable` accepts, worked out once per index."""
    found = index.memo.get("swappable")
    if found is None:
        found = index.memo["swappable"] = frozenset(w for w in index.swaps if _content(w))
    return found


def _swappable(word: str | None, index: TermIndex) -> bool:
    return word is not None and word in index.swaps and _content(word)  # _content is cached


def _compositional(
    words: list[str | None],
    taken: list[bool],
    index: TermIndex,
    swappable: list[bool] | None = None,
) -> list[Generated]:
    """Runs of two to four swappable words with a marker among them, rebuilt word by word.

    "counterfeit consciousness" has two markers (words the list only ever shows on
    its tortured side); each word takes its most frequent original. No known term
    vouches for the result, so these weigh less.
    """
    if index.markers.keys().isdisjoint(words):
        return []  # every run needs a marker (checked at C speed)
    if swappable is None:
        swappable = [_swappable(w, index) for w in words]
    free = list(map(operator.gt, swappable, taken))  # swappable and not taken, at C speed
    size = len(words)
    out = []
    i = 0
    while True:  # maximal runs of free words, found at C speed
        try:
            i = free.index(True, i)
        except ValueError:
            break
        try:
            j = free.index(False, i)
        except ValueError:
            j = size
        if j - i >= 2:
            run = [w for w in words[i:j] if w is not None][:MAX_WORDS]
            markers = sum(w in index.markers for w in run)
            if markers and not _everyday(run):
                new = _rebuild(run, index)
                term = " ".join(new)
                if new != run:
                    n = sum(a != b for a, b in zip(run, new, strict=True))
                    is_list, known = term in index.list_terms, term in index.terms
                    out.append(
                        Generated(
                            i, i + len(run), " ".join(run), term, n, n, is_list, markers, known
                        )
                    )
        i = j
    return out


def _rebuild(run: list[str], index: TermIndex) -> list[str]:
    """The likeliest original of a run of swappable words: a marker always takes one of its
    originals, any other word may stay. A known term among the choices wins; else the
    choice whose swaps the list shows most often and whose neighbouring words are most
    often written together (Web 1T), word by word (Viterbi)."""
    choices = [
        [(b, math.log(index.swap_counts[(w, b)] / index.spun_n[w])) for b in index.swaps[w]]
        if w in index.markers
        else [(w, math.log((index.clean_n.get(w, 0) + 1) / (index.spun_n[w] + 1)))]
        + [(b, math.log(index.swap_counts[(w, b)] / (index.spun_n[w] + 1))) for b in index.swaps[w]]
        for w in run
    ]
    options = [frozenset(b for b, _ in c) for c in choices]
    prior = [dict(c) for c in choices]
    known = [
        (t in index.list_terms, sum(p[b] for p, b in zip(prior, t, strict=True)), t)
        for t in _combos(len(run), index, options)
    ]
    if known:
        return list(max(known)[2])
    logs = _log_bigrams()
    best = {b: (p, [b]) for b, p in choices[0]}  # per last word: best score and words
    for choice in choices[1:]:
        best = {
            b: (v + p, [*path, b])
            for b, p in choice
            for v, path in [
                max(
                    ((v + logs.get(f"{a} {b}", 0.0) * BIGRAM_WEIGHT, path)
                     for a, (v, path) in best.items()),
                    key=operator.itemgetter(0),
                )
            ]
        }  # fmt: skip
    return max(best.values(), key=operator.itemgetter(0))[1]


def probability(g: Generated) -> float:
    """P(tortured) by the kind of evidence, as measured out of fold (scripts/science_figures.py).

    Strongest: every changed word is a swap the list attests and the result is one of
    its expected phrases. A marker word (only ever on the tortured side of the list)
    is nearly as good. A known term reached through thesaurus synonyms alone is not:
    ordinary prose is full of those, and so are terms the list does not expect
    ("security structure" -> "security system"). Nor is a swap out of wording the list
    mostly shows as expected ("automatic detection" -> "automatic recognition").
    """
    if g.spunness < SPUN_MIN:
        return 0.3
    all_listed = g.n_list == g.n_changed
    if g.known_term and all_listed and g.list_term:
        return 0.95
    if g.n_markers:
        return 0.85
    if g.known_term and g.list_term and g.n_list:
        return 0.8
    if g.strong_word:
        return 0.8
    return 0.3
