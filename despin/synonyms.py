"""Open-vocabulary candidates: originals a spinner could have replaced, for any word.

The table (lexicons/synonyms.tsv.gz, built by scripts/build_synonyms.py from WordNet
and MyThes) maps a surface word to candidate originals. Lookups go through the lemma
and re-inflect the candidate ("troopers" -> "soldiers", "combating" -> "fighting"),
so a spin no lexicon lists still gets a candidate to weigh.
"""

from __future__ import annotations

import gzip
import importlib.resources
from functools import cache, lru_cache

from .lexicon import Entry, LexiconError
from .matcher import Hit
from .ngrams import zipf
from .tokens import Token

FAMILY = "open-vocabulary"
_MAGIC = "# despin-synonyms: 1"
MAX_CANDIDATES = 8
_MIN_LEN = 3
_MAX_ZIPF = 6.3  # "the", "and": swaps of these are the lexicons' business


@cache
def relations_table() -> dict[str, tuple[tuple[str, str], ...]]:
    """spun word -> (candidate original, relation codes), closest relation first.

    Empty when the table is not shipped. Relation codes are listed in the file header.
    """
    f = importlib.resources.files("despin.lexicons") / "synonyms.tsv.gz"
    if not f.is_file():
        return {}
    with f.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        first = fh.readline().rstrip("\n")
        if first != _MAGIC:
            raise LexiconError(f"lexicons/synonyms.tsv.gz: expected '{_MAGIC}' on line 1")
        out: dict[str, tuple[tuple[str, str], ...]] = {}
        for line in fh:
            if line.startswith("#") or line.startswith("spun\t"):
                continue
            spun, _, cands = line.rstrip("\n").partition("\t")
            pairs = (c.partition("|") for c in cands.split(" ") if c)
            out[spun] = tuple((o.replace("_", " "), rel) for o, _, rel in pairs)
    return out


@cache
def table() -> dict[str, tuple[str, ...]]:
    """spun word -> candidate originals (closest relation first)."""
    return {s: tuple(o for o, _ in c) for s, c in relations_table().items()}


@lru_cache(maxsize=100_000)
def candidates(word: str) -> tuple[str, ...]:
    """Candidate originals for a lower-case word, inflected like it."""
    from lemminflect import getAllInflections, getAllLemmas, getInflection

    syn = table()
    out: list[str] = list(syn.get(word, ()))
    for upos, lemmas in getAllLemmas(word).items():
        lemma = lemmas[0]
        if lemma == word or lemma not in syn:
            continue
        tags = [t for t, forms in getAllInflections(lemma, upos=upos).items() if word in forms]
        for cand in syn[lemma]:
            head, _, last = cand.rpartition(" ")
            for tag in tags[:1]:
                infl = getInflection(last, tag=tag)
                if infl:
                    out.append(f"{head} {infl[0]}".strip())
    seen: set[str] = set()
    uniq = [c for c in out if c != word and not (c in seen or seen.add(c))]
    return tuple(uniq[:MAX_CANDIDATES])


def open_hits(tokens: list[Token], covered: set[int], initial: list[bool]) -> list[Hit]:
    """One hit per ordinary word not covered by a lexicon hit, with table candidates."""
    if not table():
        return []
    hits = []
    for i, tok in enumerate(tokens):
        text = tok.text
        if i in covered or not text.isalpha() or len(text) < _MIN_LEN:
            continue
        if text[0].isupper() and not initial[i]:
            continue  # a name, most likely
        low = text.lower()
        if zipf(low) >= _MAX_ZIPF:
            continue
        cands = candidates(low)
        if not cands:
            continue
        entries = tuple(Entry(low, low, c, 0, 0, "synonyms", FAMILY) for c in cands)
        hits.append(Hit(i, i + 1, low, entries))
    return hits
