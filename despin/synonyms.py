"""Open-vocabulary candidates: originals a spinner could have replaced, for any word.

The table (lexicons/synonyms.tsv.gz, built by scripts/build_synonyms.py from WordNet
and MyThes) maps a surface word to candidate originals. Lookups go through the lemma
and re-inflect the candidate ("troopers" -> "soldiers", "combating" -> "fighting"),
so a spin no lexicon lists still gets a candidate to weigh.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from .lexicon import LexiconError, read_gzip_text

_MAGIC = "# despin-synonyms: 1"
MAX_CANDIDATES = 8
_PARTICLES = frozenset(
    "up down in out on off over away back about around through along forward into to for "
    "with by apart aside".split()
)


@cache
def relations_table() -> dict[str, tuple[tuple[str, str], ...]]:
    """spun word -> (candidate original, relation codes), closest relation first.

    Empty when the table is not shipped. Relation codes are listed in the file header.
    """
    f = importlib.resources.files("despin.lexicons") / "synonyms.tsv.gz"
    if not f.is_file():
        return {}
    label = "lexicons/synonyms.tsv.gz"
    return parse_relations(read_gzip_text(f, label), label)


def parse_relations(text: str, label: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """The rows of a synonym table's text (`relations_table`); `label` names it in errors."""
    lines = text.split("\n")
    if lines[0] != _MAGIC:
        raise LexiconError(f"{label}: expected '{_MAGIC}' on line 1")
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for line in lines[1:]:
        if not line or line.startswith("#") or line.startswith("spun\t"):
            continue
        spun, _, cands = line.partition("\t")
        pairs = (c.partition("|") for c in cands.split(" ") if c)
        out[spun] = tuple((o.replace("_", " "), rel) for o, _, rel in pairs)
    return out


@cache
def table() -> dict[str, tuple[str, ...]]:
    """spun word -> candidate originals (closest relation first)."""
    return {s: tuple(o for o, _ in c) for s, c in relations_table().items()}


@lru_cache(maxsize=100_000)
def candidates(word: str, limit: int = MAX_CANDIDATES) -> tuple[tuple[str, str], ...]:
    """(candidate original, relation codes) for a lower-case word, inflected like it.

    "troopers" looks up "trooper" and proposes "soldiers"; "combating" proposes
    "fighting". Read from lexicons/candidates.tsv.gz (precomputed for every word that
    has any, by scripts/build_derived.py); computed with lemminflect when that file is
    missing or stale, or for a word that is not lower case.
    """
    if 0 <= limit < MAX_CANDIDATES:  # a prefix of the longer answer, parsed once
        return candidates(word)[:limit]
    pre = precomputed()
    if pre is None or word != word.lower():
        return compute_candidates(word, limit)
    raw = pre.get(word)
    if not raw:
        return ()
    pairs = (c.partition("|") for c in raw.split(" ", limit)[:limit])  # only what is kept
    return tuple((o.replace("_", " "), rel) for o, _, rel in pairs)


def candidate_words(word: str, limit: int) -> list[str]:
    """The one-word originals among `candidates(word, limit)`: what the tortured-phrase
    generator asks of every word it meets, without parsing the relations."""
    pre = precomputed()
    if pre is None or word != word.lower():
        return [c for c, _ in candidates(word, limit) if " " not in c]
    raw = pre.get(word)
    if not raw:
        return []
    found = [c.partition("|")[0] for c in raw.split(" ", limit)[:limit]]
    return [c for c in found if "_" not in c]


# table -> its columns (scripts/build_derived.py writes them; despin.store reads them).
SCHEMA = {
    "candidates": "k TEXT PRIMARY KEY, v TEXT NOT NULL",  # 'candidate|relations ...' (_: space)
    "lemmas": "k TEXT PRIMARY KEY, v TEXT NOT NULL",  # a word -> its lemmas, space-separated
    "multiword_terms": "k TEXT PRIMARY KEY",  # multiword words and candidates of the table
    "multiword_term_keys": "k TEXT PRIMARY KEY",  # the same as matching keys (phrase_key)
}


@dataclass(frozen=True)
class _Derived:
    candidates: Mapping[str, str]  # word -> 'candidate|relations ...', parsed on lookup
    lemmas: Mapping[str, str]  # word -> its lemmas, space-separated


@cache
def _derived() -> _Derived | None:
    """The candidate tables of lexicons/derived.sqlite; None if missing or stale.

    The file records the sha256 of the synonym table it was computed from: after
    `make synonyms` without `scripts/build_derived.py`, candidates are computed live.
    """
    from . import store

    recorded = store.meta("synonyms-sha256")  # None when the file is not shipped
    if recorded is None or recorded != store.shipped_digest("synonyms.tsv.gz"):
        return None
    return _Derived(store.table("candidates"), store.table("lemmas"))


def precomputed() -> Mapping[str, str] | None:
    """word -> its candidates as stored (parsed on lookup); None if missing or stale."""
    d = _derived()
    return d.candidates if d is not None else None


def _stored_set(name: str) -> frozenset[str] | None:
    from . import store

    if _derived() is None:
        return None
    return frozenset(k for (k,) in store.query(f"SELECT k FROM {name}"))  # noqa: S608


@cache
def multiword_term_keys() -> frozenset[str]:
    """`multiword_terms` as matching keys (despin.lexicon.phrase_key)."""
    found = _stored_set("multiword_term_keys")
    if found is not None:
        return found
    from .lexicon import phrase_key

    return frozenset(phrase_key(t) for t in multiword_terms())


def _lemma_table() -> Mapping[str, str] | None:
    d = _derived()
    return d.lemmas if d is not None else None


def all_lemmas(word: str) -> frozenset[str]:
    """Every lemma lemminflect gives a lower-case word, of any part of speech."""
    table = _lemma_table()
    if table is None or word != word.lower():
        from lemminflect import getAllLemmas

        return frozenset(x for v in getAllLemmas(word).values() for x in v)
    found = table.get(word)
    return frozenset(found.split(" ")) if found else frozenset()


@cache
def multiword_terms() -> frozenset[str]:
    """Multiword terms of the synonym table: its words and candidates that have a space."""
    found = _stored_set("multiword_terms")
    if found is not None:
        return found
    table = relations_table()
    out = {k for k in table if " " in k}
    out |= {c for cands in table.values() for c, _ in cands if " " in c}
    return frozenset(out)


def compute_candidates(word: str, limit: int = MAX_CANDIDATES) -> tuple[tuple[str, str], ...]:
    """`candidates` worked out from the synonym table and lemminflect (slow: build time)."""
    from lemminflect import getAllInflections, getAllLemmas

    syn = relations_table()
    out: list[tuple[str, str]] = list(syn.get(word, ()))
    for upos, lemmas in getAllLemmas(word).items():
        lemma = lemmas[0]
        if lemma == word or lemma not in syn:
            continue
        tags = [t for t, forms in getAllInflections(lemma, upos=upos).items() if word in forms]
        for cand, rel in syn[lemma] if tags else ():
            infl = _inflect(cand, upos, tags[0])
            if infl:
                out.append((infl, rel))
    seen: set[str] = {word}
    uniq = [(c, r) for c, r in out if not (c in seen or seen.add(c))]
    return tuple(uniq[:limit])


def _inflect(phrase: str, upos: str, tag: str) -> str | None:
    """`phrase` in the form `tag`, if it is a base form of `upos` ("let on" -> "lets on").

    Verbs inflect their first word (phrasal verbs), nouns and adjectives their last.
    A candidate that is not a base form of that part of speech is skipped: "fighting"
    (a noun for "combat") must not become "fightinging".
    """
    from lemminflect import getAllLemmas, getInflection

    words = phrase.split()
    k = 0 if upos == "VERB" else len(words) - 1
    if upos == "VERB" and len(words) > 1 and words[1] not in _PARTICLES:
        return None  # "single combat" is no phrasal verb
    if getAllLemmas(words[k]).get(upos, ("",))[0] != words[k]:
        return None
    infl = getInflection(words[k], tag=tag)
    if not infl:
        return None
    words[k] = infl[0]
    return " ".join(words)
