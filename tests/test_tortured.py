"""The tortured-phrase generator and the science benchmark.

The phrase pairs below are written for these tests in the style of tortured phrases;
none is taken from the PPS list.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from despin import tortured
from despin.lexicon import Entry, parse_lexicon, shipped_lexicons
from despin.pipeline import Engine
from despin.sciencebench import CLEAN_PARAGRAPHS, folds, run
from despin.tokens import tokenize

PAIRS = [
    ("irregular variable", "random variable"),
    ("irregular sampling", "random sampling"),
    ("irregular walk", "random walk"),
    ("arbitrary woodland", "random forest"),
    ("thick woodland", "dense forest"),
    ("woodland cover", "forest cover"),
    ("tangle hub", "network node"),
    ("tangle traffic", "network traffic"),
    ("tangle layer", "network layer"),
    ("mean squared blunder", "mean squared error"),
]
SHARED = Path(__file__).parents[2] / "shared"


def _entries() -> list[Entry]:
    return [Entry(s, s, o, 1, 0, "science", "tortured-science") for s, o in PAIRS]


def _lexicon_text() -> str:
    head = (
        "# despin-lexicon: 1\n# name: mysci\n# family: tortured-science\n"
        "spun\toriginal\tn_spun\tn_clean\n"
    )
    return head + "".join(f"{s}\t{o}\t1\t0\n" for s, o in PAIRS)


def _generate(text: str, index: tortured.TermIndex) -> list[tortured.Generated]:
    toks = tokenize(text)
    return tortured.generate(toks, np.zeros(len(toks), dtype=bool), index)


def test_index_learns_word_swaps_and_markers() -> None:
    index = tortured.build_index(_entries())
    assert index.swaps["irregular"] == ("random",) and index.swaps["woodland"] == ("forest",)
    assert "random forest" in index.list_terms and "irregular walk" in index.listed
    assert "tangle" in index.markers  # three times tortured, never expected
    assert "irregular" in index.markers and "woodland" in index.markers


def test_an_unlisted_combination_is_rebuilt_into_a_listed_term() -> None:
    index = tortured.build_index(_entries())
    (g,) = _generate("We fitted an irregular woodland to the counts.", index)
    assert (g.observed, g.term, g.n_changed, g.n_list, g.list_term) == (
        "irregular woodland",
        "random forest",
        2,
        2,
        True,
    )
    assert tortured.probability(g) >= 0.9


def test_word_flags_are_the_per_word_tests_and_stay_bounded(monkeypatch) -> None:
    index = tortured.build_index(_entries())
    words = ["we", "fitted", "an", "irregular", "woodland", None, "tangle", "to", "it"]
    flags = tortured._flags(words, index).tolist()
    for w, f in zip(words, flags, strict=True):
        assert bool(f & tortured._WORD) is (w is not None)
        assert bool(f & tortured._SWAPPABLE) is tortured._swappable(w, index)
        assert bool(f & tortured._STRONG) is (w is not None and tortured._swappable(w, index)
                                              and tortured._strong(w, index))  # fmt: skip
    # "irregular" begins a listed term ("irregular walk" is on the list): a pair may be
    # rebuilt from it; "it" begins none.
    assert flags[3] & tortured._BEGINS and not flags[8] & tortured._BEGINS
    tortured._flags(["zebra"], index)
    assert "zebra" in index.options and "zebra" in index.start_bits
    monkeypatch.setattr(tortured, "FLAGS_KEPT", 3)
    assert tortured._flags(words, index).tolist() == flags  # forgotten, then worked out again
    assert len(index.flags) <= len(set(words)) + 1
    # The other per-word tables are forgotten with it.
    assert "zebra" not in index.options and "zebra" not in index.start_bits


def test_the_term_itself_and_ordinary_words_stay() -> None:
    index = tortured.build_index(_entries())
    assert _generate("We fitted a random forest to the counts.", index) == []
    assert _generate("The forest of the north is dense.", index) == []


def test_swapping_out_only_expected_wording_is_weak_evidence() -> None:
    # "network" is expected in three phrases and swapped in once: "network theory" ->
    # "graph theory" is a list swap into a list term, yet no evidence of spin.
    entries = [
        *_entries(),
        *(Entry(s, s, o, 1, 0, "science", "tortured-science") for s, o in (
            ("network size", "graph size"), ("chart theory", "graph theory"),
        )),
    ]  # fmt: skip
    index = tortured.build_index(entries)
    assert (
        tortured.spunness("network", index) < tortured.SPUN_MIN < tortured.spunness("tangle", index)
    )
    (g,) = _generate("We used network theory here.", index)
    assert g.term == "graph theory" and tortured.probability(g) < 0.5


def test_a_word_run_with_a_marker_is_rebuilt_word_by_word() -> None:
    index = tortured.build_index(_entries())
    (g,) = _generate("Each thick tangle was monitored.", index)
    assert g.term == "thick network" and not g.known_term and g.n_markers == 1
    assert tortured.probability(g) >= 0.75


def test_the_likeliest_term_changes_fewest_words_in_the_observed_number() -> None:
    # "warm" -> "heat" and "exchange" -> "transfer" are both attested, and "heat transfer"
    # and "heat exchange" are both listed terms: "warm exchange" changes one word, not two.
    pairs = [
        ("warm flux", "heat flux"), ("warm sink", "heat sink"), ("warm pump", "heat pump"),
        ("exchange work", "transfer function"), ("exchange rate", "transfer rate"),
        ("hot transfer", "heat transfer"), ("heat trade", "heat exchange"),
        ("hot sinks", "heat sinks"),
    ]  # fmt: skip
    entries = [Entry(s, s, o, 1, 0, "science", "tortured-science") for s, o in pairs]
    index = tortured.build_index(entries)
    (g,) = _generate("The warm exchange was measured twice.", index)
    assert (g.term, g.n_changed) == ("heat exchange", 1)
    # Plural in, plural out, when both numbers are within reach.
    options = [frozenset({"warm", "heat"}), frozenset({"basins", "sink", "sinks"})]
    g = tortured._best(["warm", "basins"], index, options)
    assert g is not None and g.term == "heat sinks"
    g = tortured._best(["warm", "basin"], index, options)
    assert g is not None and g.term == "heat sink"


def test_a_marker_run_takes_the_likeliest_original_of_every_word() -> None:
    # "tangle" is a marker (always "network"). "thick" is no marker once an expected phrase
    # holds it, but the list swaps it in for "dense" three times as often: it changes too.
    entries = [
        *_entries(),
        *(Entry(s, s, o, 1, 0, "science", "tortured-science") for s, o in (
            ("thick matrix", "dense matrix"), ("thick layer", "dense layer"),
            ("dense film", "thick film"),
        )),
    ]  # fmt: skip
    index = tortured.build_index(entries)
    assert "thick" not in index.markers and "tangle" in index.markers
    (g,) = _generate("Each thick tangle was monitored.", index)
    assert g.term == "dense network" and not g.known_term and g.n_markers == 1
    # Seen swapped in once and never expected, "thick" may as well be the author's: kept.
    index = tortured.build_index(_entries())
    (g,) = _generate("Each thick tangle was monitored.", index)
    assert g.term == "thick network" and not g.known_term


def test_a_rebuilt_term_takes_in_a_strongly_spun_neighbour() -> None:
    # "tangle" (three times swapped in for "network", never expected) next to the rebuilt
    # "random forest" is taken in; an ordinary neighbour ("model") is not.
    index = tortured.build_index(_entries())
    assert tortured.spunness("tangle", index) >= tortured.EXTEND_STRONG
    (g,) = _generate("We fitted an irregular woodland tangle to the counts.", index)
    assert (g.observed, g.term) == ("irregular woodland tangle", "random forest network")
    assert tortured.probability(g) >= 0.9  # the evidence is that of the term
    (g,) = _generate("We fitted an irregular woodland model to the counts.", index)
    assert (g.observed, g.term) == ("irregular woodland", "random forest")


BLUNDERS = [
    ("blunder rate", "error rate"), ("blunder bound", "error bound"),
    ("blunder term", "error term"), ("blunder analysis", "error analysis"),
    ("blunder correction", "error correction"), ("blunder detection", "error detection"),
]  # fmt: skip


def _blunder_index(pairs=BLUNDERS, extra_terms=()) -> tortured.TermIndex:
    entries = [Entry(s, s, o, 1, 0, "science", "tortured-science") for s, o in [*PAIRS, *pairs]]
    return tortured.build_index(entries, extra_terms=extra_terms)


def test_a_strongly_spun_word_alone_is_restored_when_no_term_is_reached() -> None:
    # "blunder" is swapped in for "error" six times and never expected; "error resilience"
    # is no known term, yet "blunder resilience" is a rare pair: the word alone is evidence.
    index = _blunder_index()
    assert tortured.spunness("blunder", index) >= tortured.STRONG_SPUN
    (g,) = _generate("The blunder resilience of the code was tested.", index)
    assert (g.observed, g.term, g.i, g.j - g.i) == ("blunder", "error", 1, 1)
    assert g.strong_word and not g.known_term and tortured.probability(g) >= 0.75
    # Plural in, plural out, when the list shows both.
    index = _blunder_index([*BLUNDERS, ("blunders", "error"), ("word blunders", "word errors")])
    (g,) = _generate("The blunders resilience was tested.", index)
    assert g.term == "errors"


def test_a_strongly_spun_word_needs_a_rare_pair_and_few_terms() -> None:
    index = _blunder_index()
    assert _generate("It was a blunder.", index) == []  # no content word beside it
    # A capitalised word after another word is a name or a heading.
    assert _generate("See the Blunder Resilience Index for details.", index) == []
    # Seen swapped in three times only: not enough alone.
    assert _generate("The blunder resilience was tested.", _blunder_index(BLUNDERS[:3])) == []
    # A word that several known terms hold is the authors' vocabulary too.
    terms = ["blunder bus", "blunder gun", "grave blunder"]
    assert _generate("The blunder resilience was tested.", _blunder_index(extra_terms=terms)) == []
    assert _blunder_index(extra_terms=terms).term_n["blunder"] == 3


def test_a_rare_word_needs_less_list_evidence() -> None:
    # Swapped in twice each, never expected: "bunching" (Zipf 2.2) is rare enough to count
    # alone, "torment" (Zipf 3.4) is not.
    pairs = [
        ("bunching method", "clustering method"), ("spectral bunching", "spectral clustering"),
        ("torment relief", "pain relief"), ("chest torment", "chest pain"),
    ]  # fmt: skip
    index = _blunder_index(pairs)
    assert tortured._zipf("bunching") < tortured.RARE_ZIPF <= tortured._zipf("torment")
    assert tortured.RARE_SPUN <= tortured.spunness("torment", index) < tortured.STRONG_SPUN
    (g,) = _generate("The bunching quality was tested.", index)
    assert (g.observed, g.term) == ("bunching", "clustering")
    assert _generate("The torment scores were tested.", index) == []


def test_a_strongly_spun_word_takes_the_original_written_next_to_its_neighbour() -> None:
    # "blunder" is swapped in for "fault" seven times and for "error" five times. Beside
    # "rate", "error" is the one commonly written there (Web 1T); elsewhere the commoner swap.
    from despin.ngrams import log_bigram

    assert log_bigram("error", "rate") > 0 and log_bigram("fault", "rate") == 0
    faults = [(f"blunder {x}", f"fault {x}") for x in (
        "isolation", "location", "current", "tree", "injection", "zone", "line",
    )]  # fmt: skip
    index = _blunder_index([*BLUNDERS[1:], *faults])
    (g,) = _generate("The blunder rate of the code was high.", index)
    assert g.term == "error"
    (g,) = _generate("The blunder resilience of the code was high.", index)
    assert g.term == "fault"
    # A function word beside it says nothing ("in error" is common English).
    assert log_bigram("in", "error") > 0 and log_bigram("in", "fault") == 0
    (g,) = _generate("Gains in blunder resilience were small.", index)
    assert g.term == "fault"


def test_engine_restores_a_strongly_spun_word() -> None:
    head = (
        "# despin-lexicon: 1\n# name: mysci\n# family: tortured-science\n"
        "spun\toriginal\tn_spun\tn_clean\n"
    )
    text = head + "".join(f"{s}\t{o}\t1\t0\n" for s, o in [*PAIRS, *BLUNDERS])
    engine = Engine(lexicons=[parse_lexicon(text, "mysci")])
    fixed = engine.restore("We measured the blunder resilience of both codes.")
    assert fixed.text == "We measured the error resilience of both codes."


def test_inflections_and_function_words_are_no_swap() -> None:
    entries = [
        *_entries(),
        Entry("study of", "study of", "study in", 1, 0, "s", "tortured-science"),
    ]
    index = tortured.build_index(entries, extra_terms=["random variables", "in this"])
    assert _generate("We drew random variables for each run.", index) == []
    assert _generate("Most of this was done by hand.", index) == []


def test_engine_flags_and_restores_generated_phrases() -> None:
    engine = Engine(lexicons=[parse_lexicon(_lexicon_text(), "mysci")])
    text = "Our model uses an irregular woodland and reports the mean squared blunder."
    report = engine.score(text)
    gen = [s for s in report.spans if s.source == tortured.SOURCE]
    assert [s.text for s in gen] == ["irregular woodland"]
    assert gen[0].family == "tortured-science" and gen[0].suggestions[0].text == "random forest"
    fixed = engine.restore(text)
    assert fixed.text == "Our model uses a random forest and reports the mean squared error."


def test_benchmark_counts_with_oracle_and_silent_scorers() -> None:
    from despin.report import Report, Span, Suggestion

    pairs = [("irregular woodland", ("random forest",)), ("tangle hub", ("network node",))]

    def oracle(text: str) -> Report:
        spans = []
        for t, (e,) in pairs:
            k = text.find(t)
            if k >= 0:
                spans.append(Span(k, k + len(t), t, 1.0, (Suggestion(e, 1.0),)))
        return Report(1.0, tuple(spans), 10)

    o = run(pairs, oracle)
    assert (o.recall, o.precision, o.top1, o.clean_flags_per_100) == (1.0, 1.0, 1.0, 0.0)
    silent = run(pairs, lambda text: Report(0.0, (), 10))
    assert silent.recall == 0.0 and silent.top1 == 0.0 and len(silent.misses) == 2


def test_folds_partition_the_tortured_phrases() -> None:
    pairs = [(s, o) for s, o in PAIRS] + [("irregular walk", "random path")]
    fs = folds(pairs, k=3, seed=1)
    keys = [t for f in fs for t, _ in f]
    assert sorted(keys) == sorted({s for s, _ in pairs})
    walk = next(e for f in fs for t, e in f if t == "irregular walk")
    assert walk == ("random walk", "random path")
    assert fs == folds(pairs, k=3, seed=1)


def test_shipped_science_lexicon_keeps_ordinary_phrases_quiet() -> None:
    (sci,) = [lx for lx in shipped_lexicons() if lx.name == "science"]
    ordinary = {e.key for e in sci.entries if e.n_clean > 0}
    assert {"brain organization", "malignant growth"} <= ordinary
    engine = Engine()
    for para in CLEAN_PARAGRAPHS:
        assert not [s for s in engine.score(para).spans if s.family == "tortured-science"], para


@pytest.mark.shared
def test_shipped_list_recall_and_heldout_fold() -> None:
    pps = SHARED / "data" / "pps_tortured_phrases.json"
    if not pps.exists():
        pytest.skip(f"{pps} not found: cannot run the science benchmark")
    from despin.mining import build_science_lexicon, science_pairs

    data = json.loads(pps.read_text("utf-8"))
    fs = folds(list(science_pairs(data)))
    listed = [(t, e[:1]) for f in fs for t, e in f]
    o = run(listed, Engine().score, seed=99)
    assert o.recall >= 0.99 and o.clean_flags_per_100 <= 1.0
    # One held-out fold (a sample): what the README reports, as a regression guard.
    news = [lx for lx in shipped_lexicons() if lx.family != "tortured-science"]
    fold = fs[0][:300]
    sci = parse_lexicon(build_science_lexicon(pps, [t for t, _ in fold]), "science(fold)")
    held = run(fold, Engine(lexicons=[*news, sci]).score)
    assert held.precision >= 0.95 and held.recall >= 0.25 and held.top1 >= 0.12


def _science_engine(pairs: list[tuple[str, str]], news: bool = False) -> Engine:
    head = (
        "# despin-lexicon: 1\n# name: mysci\n# family: tortured-science\n"
        "spun\toriginal\tn_spun\tn_clean\n"
    )
    sci = parse_lexicon(head + "".join(f"{s}\t{o}\t1\t0\n" for s, o in pairs), "mysci")
    others = [lx for lx in shipped_lexicons() if lx.family != "tortured-science"] if news else []
    return Engine(lexicons=[*others, sci])


def test_a_listed_phrase_takes_in_neighbours_that_rebuild_a_longer_known_term() -> None:
    # "tangle hub" is listed ("network node"); "magnitude" is swapped in for "degree"
    # elsewhere, and "network node degree" is an expected phrase: the three words are one
    # tortured phrase. Without the neighbour, the listed phrase alone.
    pairs = [
        *PAIRS, ("vertex magnitude", "vertex degree"), ("snare hub degree", "network node degree")
    ]  # fmt: skip
    engine = _science_engine(pairs)
    spans = engine.score("The tangle hub magnitude was computed for each graph.").spans
    assert [(s.text, s.suggestions[0].text) for s in spans] == [
        ("tangle hub magnitude", "network node degree")
    ]
    assert spans[0].p_spun >= 0.9  # the listed phrase's probability
    spans = engine.score("The tangle hub was computed for each graph.").spans
    assert [(s.text, s.suggestions[0].text) for s in spans] == [("tangle hub", "network node")]
    # A neighbour the list never shows swapped in stays out.
    spans = engine.score("The tangle hub weight was computed for each graph.").spans
    assert [s.text for s in spans] == ["tangle hub"]


def test_a_news_swap_inside_an_expected_phrase_as_written_is_the_authors() -> None:
    text = "Previous studies have used the regression method with mixed success."
    with_term = _science_engine([*PAIRS, ("relapse method", "regression method")], news=True)
    without = _science_engine(PAIRS, news=True)

    def kept(engine: Engine) -> list[str]:
        """The lexicon hits `_science_plan` leaves to be reported, each taken as likely
        (in a sentence this short the news detector itself keeps "method" below the
        threshold: the density features count it as 100 words)."""
        a = engine.analyze(text)
        covered = np.zeros(len(a.tokens), dtype=bool)
        chosen = list(range(len(a.hits)))
        _, left = engine._science_plan(a, [1.0] * len(a.hits), chosen, covered)
        return [a.hits[k].key for k in left]

    assert "method" in kept(without)  # news: "way"
    assert "method" not in kept(with_term)
    assert set(kept(without)) - set(kept(with_term)) == {"method"}
    words = "we used the regression method here".split()
    entries = [*_entries(), Entry("relapse method", "relapse method", "regression method", 1, 0,
                                  "science", "tortured-science")]  # fmt: skip
    index = tortured.build_index(entries)
    assert tortured.in_list_term(words, 4, 5, index)
    assert tortured.in_list_term(words, 3, 5, index)
    assert not tortured.in_list_term(words, 5, 6, index)
    assert not tortured.in_list_term([None, "method"], 1, 2, index)
    # A known term that is no expected phrase of the list (WordNet's) does not count.
    index = tortured.build_index(_entries(), extra_terms=["regression method"])
    assert not tortured.in_list_term(words, 4, 5, index)


def test_soft_words_serve_known_terms_only() -> None:
    # Words of an unlikely news-spinner hit (`soft`) may be rebuilt into a known term,
    # but are no neighbour of a single strongly spun word and no part of a marker run.
    index = _blunder_index()
    toks = tokenize("The irregular woodland was cut. The blunder resilience was tested.")
    none = np.zeros(len(toks), dtype=bool)
    assert [g.observed for g in tortured.generate(toks, none, index)] == [
        "irregular woodland", "blunder"
    ]  # fmt: skip
    soft = none.copy()
    soft[[1, 8]] = True  # "irregular", "resilience"
    assert [g.term for g in tortured.generate(toks, none, index, soft=soft)] == ["random forest"]


def test_a_common_neighbour_joins_a_rebuilt_term_only_into_a_longer_known_term() -> None:
    # "changes" is swapped in for "transformations" three times, never expected, yet it is
    # everyday English (Zipf >= EXTEND_ZIPF): after "irregular woodland" it stays.
    pairs = [(f"{x} changes", f"{x} transformations") for x in ("linear", "affine", "image")]
    index = tortured.build_index(
        [Entry(s, s, o, 1, 0, "science", "tortured-science") for s, o in [*PAIRS, *pairs]]
    )
    assert tortured.spunness("changes", index) >= tortured.EXTEND_STRONG
    assert tortured._zipf("changes") >= tortured.EXTEND_ZIPF
    (g,) = _generate("The irregular woodland changes with the seasons.", index)
    assert (g.observed, g.term) == ("irregular woodland", "random forest")
