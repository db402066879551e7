"""End-to-end invariants of score and restore on the shipped lexicons and model."""

from __future__ import annotations

import numpy as np
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


def test_threshold_one_restores_only_certain_spans() -> None:
    # Spans are reported at p >= threshold; a saturated sigmoid can give exactly 1.0.
    assert all(e.p == 1.0 for e in despin.restore(SPUN, threshold=1.0).edits)
    assert len(despin.restore(SPUN, threshold=1.0).edits) < len(despin.restore(SPUN).edits)


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
    "was") that the detector alone would restore at a threshold just under its p (the
    default 0.75 until the model was trained by article, 0.7 now); its document score
    says clean, which raises the bar for such spans above what the detector gives it."""
    from importlib.resources import files

    from despin.pipeline import DEFAULT_THRESHOLD, DOC_GATE, GATED_FAMILIES, default_engine

    text = files("despin").joinpath("samples/sample_original.txt").read_text("utf-8")
    engine = default_engine()
    candidates = engine._spans(engine.analyze(text))
    threshold = min(DEFAULT_THRESHOLD, 0.7)
    assert any(s.family in GATED_FAMILIES and s.p_spun >= threshold for s in candidates)
    report = engine.score(text, threshold)
    assert report.score < DOC_GATE
    assert not any(s.family in GATED_FAMILIES for s in report.spans)
    assert despin.restore(text, threshold).edits == ()
    assert despin.restore(text).edits == ()


def test_spun_text_keeps_its_threshold() -> None:
    from despin.pipeline import DEFAULT_THRESHOLD, DOC_GATE, default_engine

    text = "Officers mentioned the troopers had been combating in opposition to the rebels."
    engine = default_engine()
    report = engine.score(text)
    assert report.score >= DOC_GATE
    found = [s for s in engine._spans(engine.analyze(text)) if s.p_spun >= DEFAULT_THRESHOLD]
    assert [(s.start, s.end) for s in report.spans] == [(s.start, s.end) for s in found]


def _texts_for_gates() -> list[str]:
    """Texts written for despin, clean and spun with several seeds: many document scores."""
    from importlib.resources import files
    from pathlib import Path

    from despin.spin import spin

    root = Path(__file__).resolve().parents[1]
    clean = [files("despin").joinpath("samples/sample_original.txt").read_text("utf-8")]
    clean += [p.read_text("utf-8") for p in sorted((root / "benchmarks/texts").glob("*.txt"))]
    paragraphs = [p for t in clean for p in t.split("\n\n") if p.strip()]
    return paragraphs + [spin(p, seed=s).text for p in paragraphs for s in range(3)]


def test_score_skips_open_candidates_only_where_the_gate_hides_them(monkeypatch) -> None:
    """`score` does not look for open-vocabulary candidates when the document score sets
    their bar above 1; what it reports is what filtering every span by the bars gives."""
    from despin import openvocab, pipeline
    from despin.pipeline import DEFAULT_THRESHOLD, _gate, _open_bar, default_engine

    engine = default_engine()
    calls: list[int] = []
    looked = pipeline.open_analysis

    def counting(*args, **kwargs):
        calls.append(1)
        return looked(*args, **kwargs)

    monkeypatch.setattr(pipeline, "open_analysis", counting)
    skipped = 0
    for text in _texts_for_gates():
        a = engine.analyze(text)
        n = len(calls)
        every, doc = engine._plan(a)
        wanted_open = len(calls) > n
        bars = {f: _gate(DEFAULT_THRESHOLD, doc) for f in pipeline.GATED_FAMILIES}
        bars[openvocab.FAMILY] = _open_bar(DEFAULT_THRESHOLD, doc)
        bars[pipeline.OPEN_CLOSE] = _open_bar(DEFAULT_THRESHOLD, doc, close=True)
        expected = [make() for _, p, f, make in every if p >= bars.get(f, DEFAULT_THRESHOLD)]
        n = len(calls)
        report = engine.score(text)
        skipped += wanted_open and len(calls) == n
        assert report.score == doc
        # The same spans; the open detector's p may differ in the last bit, as it scores
        # fewer rows at once.
        assert _rounded(report.spans) == _rounded(expected)
    assert skipped > 0  # some text took the short way


def _rounded(spans) -> list:
    def r(o):
        if isinstance(o, dict):
            return {k: r(v) for k, v in o.items()}
        if isinstance(o, list | tuple):
            return [r(v) for v in o]
        return round(o, 12) if isinstance(o, float) else o

    return [r(s.to_dict()) for s in spans]


def test_preload_reads_every_table_and_changes_no_result() -> None:
    """In a fresh process: lazy scores, then `despin.preload()`, then the same scores."""
    import subprocess
    import sys

    code = (
        "import json, sys, despin\n"
        "from despin import ngrams, store, synonyms\n"
        "texts = json.load(sys.stdin)\n"
        "before = [despin.score(t).to_dict() for t in texts]\n"
        "assert despin.preload() is despin.pipeline.default_engine()\n"
        "assert type(ngrams._zipfs()) is store.LoadedTable, type(ngrams._zipfs())\n"
        "assert store.read_all() == 0\n"
        "assert [despin.score(t).to_dict() for t in texts] == before\n"
        "print(len(before))\n"
    )
    import json

    texts = _texts_for_gates()[:12]
    out = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(texts), capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(len(texts))]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "text must be str, not NoneType"),
        (b"The 2 international locations", "decode it first"),
        (["a list"], "text must be str, not list"),
    ],
)
def test_a_text_that_is_no_str_is_a_clear_type_error(text: object, message: str) -> None:
    for call in (despin.score, despin.restore):
        with pytest.raises(TypeError, match=message):
            call(text)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="text 1 " if message.startswith("text") else message):
        list(despin.score_many(["fine", text]))  # type: ignore[list-item]


@pytest.mark.parametrize("threshold", [1.5, -0.1, float("nan"), "0.5", True])
def test_a_threshold_outside_0_to_1_is_refused(threshold: object) -> None:
    for call in (despin.score, despin.restore):
        with pytest.raises((ValueError, TypeError), match="threshold must be"):
            call("The 2 international locations", threshold=threshold)  # type: ignore[arg-type]
    with pytest.raises((ValueError, TypeError), match="threshold must be"):
        list(despin.score_many(["x"], threshold=threshold))  # type: ignore[arg-type]


def test_thresholds_at_the_ends_and_numpy_numbers_are_taken() -> None:
    text = "The 2 international locations signed a deal final 12 months."
    assert all(s.p_spun == 1.0 for s in despin.score(text, threshold=1).spans)
    assert len(despin.score(text, threshold=0).spans) >= len(despin.score(text).spans) > 0
    assert despin.score(text, threshold=np.float32(0.75)) == despin.score(text)
