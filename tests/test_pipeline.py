"""End-to-end invariants of score and restore on the shipped lexicons and model."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import despin
from despin.pipeline import Engine

SPUN = (
    "The 2 international locations signed a brand new settlement final 12 months, "
    "officers mentioned. The troopers had been combating in opposition to the rebels."
)
CLEAN = (
    "The two countries signed a new agreement last year, officials said. The soldiers "
    "were fighting against the rebels."
)

# Text that mixes words from the lexicons with arbitrary Unicode, spacing and punctuation.
_words = st.sampled_from(
    [
        "the",
        "2",
        "international",
        "locations",
        "chief",
        "Sq.",
        "mentioned",
        "a",
        "an",
        "settlement",
        "navy",
        "café",
        "\u00a0",
        "\n",
        "  ",
        "“",
        "”",
        "’s",
        ",",
        ".",
        "A",
    ]
)
_texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(_words, st.text(max_size=4)), max_size=40).map(" ".join),
)


def test_score_finds_spin_and_suggests_originals() -> None:
    r = despin.score(SPUN)
    assert 0.0 <= r.score <= 1.0
    found = {s.text.lower(): s.suggestions[0].text.lower() for s in r.spans}
    assert found.get("international locations") == "countries"
    assert found.get("final 12 months") == "last year" or found.get("12 months") == "year"
    for s in r.spans:
        assert SPUN[s.start : s.end] == s.text
        assert 0.0 <= s.p_spun <= 1.0
        assert s.family and s.rule_id and s.evidence


def test_spun_scores_above_clean() -> None:
    assert despin.score(SPUN).score > despin.score(CLEAN).score


def test_restore_brings_back_the_original_wording() -> None:
    r = despin.restore(SPUN)
    assert "two countries" in r.text and "last year" in r.text
    assert despin.apply_edits(SPUN, r.edits) == r.text


def test_clean_text_is_left_alone() -> None:
    assert despin.restore(CLEAN).edits == ()


def test_empty_input_scores_zero() -> None:
    r = despin.score("")
    assert (r.score, r.spans, r.n_words) == (0.0, (), 0)
    assert despin.restore("").text == ""


def test_threshold_one_restores_nothing() -> None:
    assert despin.restore(SPUN, threshold=1.01).edits == ()


def test_engine_family_filter_limits_lexicons() -> None:
    eng = Engine(families=["tortured-science"])
    assert {lx.family for lx in eng.lexicons} == {"tortured-science"}
    assert not any(s.text.lower() == "international locations" for s in eng.score(SPUN).spans)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_texts)
def test_restore_changes_only_what_it_reports(text: str) -> None:
    r = despin.restore(text)
    assert despin.apply_edits(text, r.edits) == r.text
    prev_end = 0
    for e in r.edits:
        assert prev_end <= e.start < e.end <= len(text)
        assert text[e.start : e.end] == e.old
        prev_end = e.end
    # Deterministic.
    assert despin.restore(text) == r
    rep = despin.score(text)
    assert 0.0 <= rep.score <= 1.0
    for s in rep.spans:
        assert text[s.start : s.end] == s.text


@pytest.mark.parametrize("text", ["\x00\x01", "\ufeff", "🙂" * 50, "a" * 10_000, ".\n" * 500])
def test_odd_inputs_do_not_raise(text: str) -> None:
    despin.restore(text)


def test_neighbours_of_strong_spins_are_read_restored() -> None:
    # "both international locations": the word right of "both" stood for "countries".
    from despin.features import hit_context, is_strong, restored_neighbours
    from despin.lexicon import parse_lexicon
    from despin.matcher import Matcher
    from despin.tokens import tokenize

    lx = parse_lexicon(
        "# despin-lexicon: 1\n# name: t\n# family: news-spinner\nspun\toriginal\tn_spun\tn_clean\n"
        "international locations\tcountries\t6\t0\nboth\teither\t1\t1\n"
    )
    text = "Officials of both international locations met."
    toks = tokenize(text)
    hits = Matcher([lx]).find(toks)
    both = next(h for h in hits if h.key == "both")
    quotes = [False] * len(toks)
    assert hit_context(toks, text, both, quotes).right == "international"
    strong = [is_strong(h) for h in hits]
    restored = hit_context(toks, text, both, quotes, restored_neighbours(hits, strong))
    assert (restored.left, restored.right) == ("of", "countries")


def test_a_swap_that_reads_wrong_next_to_restored_words_stays() -> None:
    # "either countries" is not English where "both countries" is: "both" is the author's.
    fixed = despin.restore("The top officials of both international locations met today.")
    assert fixed.text == "The top officials of both countries met today."


def test_text_judged_clean_gets_no_news_spinner_edits() -> None:
    """The bundled original has one common swap a spinner also makes ("had been" for
    "was") that the detector alone would restore; its document score says clean, which
    raises the bar for such spans above what the detector gives it."""
    from importlib.resources import files

    from despin.pipeline import DEFAULT_THRESHOLD, DOC_GATE, GATED_FAMILIES, default_engine

    text = files("despin").joinpath("samples/sample_original.txt").read_text("utf-8")
    engine = default_engine()
    candidates = engine._spans(engine.analyze(text))
    assert any(s.family in GATED_FAMILIES and s.p_spun >= DEFAULT_THRESHOLD for s in candidates)
    report = engine.score(text)
    assert report.score < DOC_GATE
    assert not any(s.family in GATED_FAMILIES for s in report.spans)
    assert despin.restore(text).edits == ()


def test_spun_text_keeps_its_threshold() -> None:
    from despin.pipeline import DEFAULT_THRESHOLD, DOC_GATE, default_engine

    text = "Officers mentioned the troopers had been combating in opposition to the rebels."
    engine = default_engine()
    report = engine.score(text)
    assert report.score >= DOC_GATE
    found = [s for s in engine._spans(engine.analyze(text)) if s.p_spun >= DEFAULT_THRESHOLD]
    assert [(s.start, s.end) for s in report.spans] == [(s.start, s.end) for s in found]
