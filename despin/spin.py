"""A synthetic spinner: spin clean text the way article spinners do.

`despin spin` makes test and training data from clean English: the news spinner's
known phrase swaps, per-word synonym swaps at a realistic rate (inflection kept),
digits for number words, expanded contractions and, now and then, a damaged proper
noun. The same seed gives the same output, and every swap is reported, so the
result is gold in the format of ../shared/GOLD_FORMAT.md.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from .lexicon import Lexicon
from .ngrams import zipf
from .rewrite import surface_form
from .tokens import Token, normalize, tokenize

NUMBER_WORDS = {
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
}  # fmt: skip
CONTRACTIONS = {
    "don't": "do not", "doesn't": "does not", "didn't": "did not", "can't": "can not",
    "won't": "will not", "isn't": "is not", "aren't": "are not", "wasn't": "was not",
    "weren't": "were not", "hasn't": "has not", "haven't": "have not", "it's": "it is",
    "we're": "we are", "they're": "they are", "you're": "you are", "i'm": "I am",
    "that's": "that is", "there's": "there is", "we've": "we have", "they've": "they have",
    "couldn't": "could not", "wouldn't": "would not", "shouldn't": "should not",
}  # fmt: skip
_MAX_ZIPF = 6.3  # "the", "and", "of": left to the lexicon's phrase swaps
_MAX_PHRASE = 3


@dataclass(frozen=True)
class Swap:
    """One substitution, with offsets into the spun text."""

    start: int
    end: int
    spun: str
    original: str
    kind: str  # lexicon | synonym | number | contraction | proper-noun


@dataclass(frozen=True)
class SpinResult:
    text: str
    swaps: tuple[Swap, ...]
    seed: int
    rate: float

    def to_gold(self, text_file: str) -> dict[str, Any]:
        """Gold spans in the ../shared/GOLD_FORMAT.md shape, for `despin eval`."""
        return {
            "text_file": text_file,
            "text_sha256": hashlib.sha256(self.text.encode("utf-8")).hexdigest(),
            "family": "synthetic",
            "generator": {"name": "despin spin", "seed": self.seed, "rate": self.rate},
            "spans": [
                {"start": s.start, "end": s.end, "spun": s.spun, "original": s.original,
                 "kind": s.kind, "uncertain": False}
                for s in self.swaps
            ],
        }  # fmt: skip


PhraseSwaps = dict[str, tuple[tuple[str, ...], tuple[int, ...]]]


def phrase_swaps(lexicons: Iterable[Lexicon]) -> PhraseSwaps:
    """original phrase -> (spun variants, how often the news spinner used each)."""
    acc: dict[str, dict[str, int]] = defaultdict(dict)
    for lx in lexicons:
        if lx.family != "news-spinner":
            continue
        for e in lx.entries:
            if e.n_spun > e.n_clean:
                acc[" ".join(e.original.lower().split())][e.spun] = e.n_spun
    return {o: (tuple(v), tuple(v.values())) for o, v in acc.items()}


@cache
def _phrase_swaps() -> PhraseSwaps:
    from .lexicon import shipped_lexicons

    return phrase_swaps(shipped_lexicons())


@cache
def _word_swaps() -> dict[str, tuple[str, ...]]:
    """word -> words a spinner could put in its place (synonyms, not hypernyms)."""
    from .synonyms import relations_table

    fwd: dict[str, list[str]] = defaultdict(list)
    for spun, cands in relations_table().items():
        if " " in spun or not spun.isalpha():
            continue
        for orig, rel in cands:
            if " " not in orig and ("S" in rel or "M" in rel):
                fwd[orig].append(spun)
    return {o: tuple(sorted(v)) for o, v in fwd.items()}


def _inflect_like(word: str, options_for) -> list[str]:
    """Options for `word` itself, else for its lemma, re-inflected like `word`."""
    direct = options_for(word)
    if direct:
        return list(direct)
    from lemminflect import getAllInflections, getAllLemmas, getInflection

    out = []
    for upos, lemmas in getAllLemmas(word).items():
        lemma = lemmas[0]
        tags = [t for t, forms in getAllInflections(lemma, upos=upos).items() if word in forms]
        for opt in options_for(lemma) if tags else ():
            infl = getInflection(opt, tag=tags[0])
            if infl:
                out.append(infl[0])
    return out


def _words_at(tokens: list[Token], text: str, i: int, n: int) -> str | None:
    """The n words from token i as a phrase, if they are words separated by single spaces."""
    if i + n > len(tokens):
        return None
    span = tokens[i : i + n]
    if not all(t.is_word for t in span):
        return None
    if any(text[a.end : b.start] != " " for a, b in zip(span, span[1:], strict=False)):
        return None
    return " ".join(normalize(t.text) for t in span)


def _sentence_initial(tokens: list[Token], i: int) -> bool:
    return i == 0 or tokens[i - 1].text in {".", "!", "?", '"', "“", ":", "—"}


def spin(
    text: str,
    seed: int = 0,
    rate: float = 0.2,
    proper_rate: float = 0.1,
    phrases: PhraseSwaps | None = None,
) -> SpinResult:
    """Spin `text`: swap about `rate` of its content words; same seed, same result.

    Capitalised words inside a sentence (names, mostly) are swapped at `rate *
    proper_rate`, as real spinners sometimes do ("Red Square" -> "Crimson Sq.").
    `phrases` replaces the shipped news lexicon's swaps (training uses a lexicon
    mined without the evaluated documents).
    """
    if not 0.0 <= rate <= 1.0 or not 0.0 <= proper_rate <= 1.0:
        raise ValueError("rate and proper_rate must be between 0 and 1")
    rng = random.Random(seed)
    tokens = tokenize(text)
    phrases = _phrase_swaps() if phrases is None else phrases
    words = _word_swaps()
    out: list[str] = []
    swaps: list[Swap] = []
    pos = 0  # next unread character of `text`
    length = 0  # characters written so far
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        choice: tuple[int, str, str] | None = None  # (n tokens, new wording, kind)
        proper = tok.text[:1].isupper() and not _sentence_initial(tokens, i)
        p = rate * (proper_rate if proper else 1.0)
        if tok.is_word and rng.random() < p:
            choice = _choose(tokens, text, i, rng, phrases, words, proper)
        if choice is None:
            i += 1
            continue
        n, new, kind = choice
        start, end = tokens[i].start, tokens[i + n - 1].end
        old = text[start:end]
        new = surface_form(old, new)
        out.append(text[pos:start])
        length += start - pos
        swaps.append(Swap(length, length + len(new), new, old, kind))
        out.append(new)
        length += len(new)
        pos = end
        i += n
    out.append(text[pos:])
    return SpinResult("".join(out), tuple(swaps), seed, rate)


def _choose(tokens, text, i, rng, phrases, words, proper) -> tuple[int, str, str] | None:
    for n in range(_MAX_PHRASE, 0, -1):
        key = _words_at(tokens, text, i, n)
        if key and key in phrases:
            variants, weights = phrases[key]
            return n, rng.choices(variants, weights)[0], "proper-noun" if proper else "lexicon"
    low = normalize(tokens[i].text)
    if low in NUMBER_WORDS:
        return 1, NUMBER_WORDS[low], "number"
    if low in CONTRACTIONS:
        return 1, CONTRACTIONS[low], "contraction"
    if not low.isalpha() or len(low) < 3 or zipf(low) >= _MAX_ZIPF:
        return None
    options = _inflect_like(low, lambda w: words.get(w, ()))
    if not options:
        return None
    return 1, rng.choice(sorted(set(options))), "proper-noun" if proper else "synonym"
