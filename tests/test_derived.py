"""The derived tables (scripts/build_derived.py) give the answers they stand in for.

lexicons/derived.sqlite and inflections.tsv.gz replace run-time calls to lemminflect,
wordfreq and wordsegment; these tests ask the libraries
themselves and compare, so a stale or wrong table fails here.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pytest

from despin import ngrams, store, synonyms
from despin.lexicon import _inflection_pairs, compute_inflection_pairs, read_derived
from despin.tokens import words

ROOT = Path(__file__).parents[1]
FIXTURE = (ROOT / "tests/fixtures/speed_fixture.txt").read_text(encoding="utf-8")
SAMPLE = (ROOT / "despin/samples/sample_spun.txt").read_text(encoding="utf-8")
# Inflected forms, multiword candidates, words without candidates, odd spellings.
EXTRA = [
    "troopers", "combating", "mentioned", "settlement", "locations", "gathered", "let",
    "fighting", "better", "geese", "ran", "zzqxw", "the", "covid-19", "decades-long",
    "café", "o'clock", "2", "12", "international locations", "let on", "random forest",
]  # fmt: skip


def _vocabulary() -> list[str]:
    return sorted(set(words(FIXTURE)) | set(words(SAMPLE)) | set(EXTRA))


def test_tables_are_shipped_and_current() -> None:
    assert synonyms.precomputed() is not None, "derived.sqlite missing or stale"
    digest = hashlib.sha256((ROOT / "lexicons/synonyms.tsv.gz").read_bytes()).hexdigest()
    assert store.meta("synonyms-sha256") == digest, "run scripts/build_derived.py"
    assert ngrams._stored()
    for schema in (ngrams.SCHEMA, synonyms.SCHEMA):
        for table in schema:
            assert store.has_table(table), table
            assert store.query(f"SELECT count(*) FROM {table}")[0][0] > 1000, table


@pytest.mark.parametrize("word", _vocabulary())
def test_candidates_match_lemminflect(word: str) -> None:
    for limit in (synonyms.MAX_CANDIDATES, 6):
        assert synonyms.candidates(word, limit) == synonyms.compute_candidates(word, limit)


def test_lemmas_match_lemminflect() -> None:
    from lemminflect import getAllLemmas

    for w in _vocabulary():
        want = {x for v in getAllLemmas(w).values() for x in v}
        assert synonyms.all_lemmas(w) == want, w


def test_zipf_matches_wordfreq() -> None:
    from wordfreq import zipf_frequency

    for w in _vocabulary():
        assert ngrams.zipf(w) == zipf_frequency(w, "en"), w


def test_bigrams_match_wordsegment() -> None:
    import wordsegment

    if not wordsegment.BIGRAMS:
        wordsegment.load()
    toks = words(FIXTURE) + words(SAMPLE)
    pairs = list(zip(toks, toks[1:], strict=False))
    assert any(f"{a} {b}" in wordsegment.BIGRAMS for a, b in pairs)
    for a, b in pairs:
        count = wordsegment.BIGRAMS.get(f"{a} {b}", 0.0)
        assert ngrams.bigram_count(a, b) == count
        assert ngrams.log_bigram(a, b) == math.log10(1.0 + count)


def test_inflection_pairs_match_lemminflect() -> None:
    stored = read_derived("inflections.tsv.gz", "# despin-inflections: 1")
    assert stored is not None
    keys = stored[1]["pairs"].split("\n")
    assert len(keys) > 1000
    for key in keys[:: max(1, len(keys) // 150)]:
        s, o = key.split("\t")
        assert _inflection_pairs(s, o) == compute_inflection_pairs(s, o), key
    # A pair no shipped lexicon holds is worked out live.
    assert _inflection_pairs("walked", "strolled") == compute_inflection_pairs("walked", "strolled")


def test_stored_term_index_is_current_and_equals_build_index() -> None:
    from despin import termstore, tortured
    from despin.lexicon import shipped_lexicons
    from despin.pipeline import default_engine

    stored = termstore.stored_index()
    assert stored is not None, "derived.sqlite's term index stale: run scripts/build_derived.py"
    science = [
        e for lx in shipped_lexicons() if lx.family == "tortured-science" for e in lx.entries
    ]
    built = tortured.build_index(science, extra_keys=tortured.wordnet_term_keys())
    assert stored == built
    assert list(stored.swaps) == list(built.swaps)  # same order too
    assert list(stored.by_start) == list(built.by_start)
    assert default_engine().tortured_index is stored


def test_stored_term_index_answers_lookups_without_reading_everything() -> None:
    """A fresh read of the stored index answers like build_index, one key at a time."""
    from despin import store, termstore, tortured
    from despin.lexicon import shipped_lexicons

    science = [
        e for lx in shipped_lexicons() if lx.family == "tortured-science" for e in lx.entries
    ]
    built = tortured.build_index(science, extra_keys=tortured.wordnet_term_keys())
    lazy = termstore.read(store.query, store.LABEL)
    firsts = sorted({first for (_, first) in built.by_start})[::400] + ["zzqxw", "random"]
    for n in range(2, tortured.MAX_WORDS + 1):
        for first in firsts:
            assert tortured._tables(lazy)[n].get(first) == tortured._tables(built)[n].get(first)
    for key in [*sorted(built.terms)[::500], "irregular woodland", "random forest", "x y"]:
        assert (key in lazy.terms) == (key in built.terms), key
        assert (key in lazy.listed) == (key in built.listed), key
    assert lazy.memo["swappable"] == tortured._swappable_words(built)
    assert isinstance(lazy.terms, store.LazySet), "a few look-ups read the whole term set"
    assert isinstance(tortured._tables(lazy)[2], store.LazyTable)


def test_stored_lexicons_equal_the_parsed_files() -> None:
    """derived.sqlite's parsed lexicons are current and equal what parsing the files gives."""
    from despin import lexiconstore
    from despin.lexicon import _expand_inflections, parse_lexicon

    found = lexiconstore.stored()
    assert found is not None, "stored lexicons stale: run scripts/build_derived.py"
    lexicons, expanded = found
    parsed = tuple(parse_lexicon(text, label) for label, text in lexiconstore.shipped_files())
    assert lexicons == parsed
    for ex, p in zip(expanded, parsed, strict=True):
        assert ex == _expand_inflections(p.entries)
        assert [e.inflected for e in ex] == sorted(e.inflected for e in ex)  # own rows first


def test_stale_stored_lexicons_are_not_used(monkeypatch) -> None:
    from despin import lexiconstore

    monkeypatch.setattr(lexiconstore, "fingerprint", lambda: "0" * 64)
    assert lexiconstore.stored() is None
