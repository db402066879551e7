"""Rebuilt tortured terms of a long text need backing (`despin.corroborate`).

`fixtures/clean_software_doc.txt` is a page of software documentation written for these
tests: it reads as science to the register gate and uses "arbitrary" in its own sense.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from despin import corroborate as co
from despin import pipeline
from despin.pipeline import Engine, default_engine
from despin.tortured import SOURCE, Generated

DOC = (Path(__file__).parent / "fixtures" / "clean_software_doc.txt").read_text("utf-8")
LISTED = "Jobs are ranked by an irregular woodland. "


def _g(observed: str, term: str) -> Generated:
    n = len(observed.split())
    return Generated(0, n, observed, term, 1, 1, True)


def _generated(report) -> list[str]:
    return [s.text for s in report.spans if s.source == SOURCE]


def test_changed_words_are_the_replaced_ones() -> None:
    assert co.changed_words(_g("irregular forest", "random forest")) == {"irregular"}
    assert co.changed_words(_g("locale", "locale")) == {"locale"}


def test_a_lone_term_is_lowered_and_backed_ones_stay() -> None:
    lone = co.corroborate([(_g("arbitrary precision", "random precision"), 0.85)], [])
    assert lone[0][1] == co.LONE_P
    backed = co.corroborate(
        [(_g("arbitrary precision", "random precision"), 0.85)], [frozenset({"woodland"})]
    )
    assert backed[0][1] == 0.85
    # A listed phrase with the same word is no second witness.
    same = co.corroborate(
        [(_g("arbitrary precision", "random precision"), 0.85)], [frozenset({"arbitrary"})]
    )
    assert same[0][1] == co.LONE_P


def test_one_word_rebuilt_again_and_again_backs_nothing() -> None:
    three = [(_g("locale", "region"), 0.85)] * 3 + [(_g("edit window", "crop window"), 0.85)]
    assert [p for _, p in co.corroborate(three, [])] == [co.LONE_P] * 4
    distinct = [
        (_g("locale", "region"), 0.85),
        (_g("edit window", "crop window"), 0.85),
        (_g("naming scheme", "recognition system"), 0.8),
    ]
    assert [p for _, p in co.corroborate(distinct, [])] == [0.85, 0.85, 0.8]


def test_weak_terms_neither_need_nor_give_backing() -> None:
    rows = [(_g("locale", "region"), 0.3), (_g("edit window", "crop window"), 0.3)]
    assert co.corroborate(rows, []) == rows
    with_weak = co.corroborate(rows + [(_g("bogus", "false"), 0.85)], [])
    assert with_weak[-1][1] == co.LONE_P


def test_a_page_of_clean_documentation_gets_no_tortured_span(monkeypatch) -> None:
    eng = default_engine()
    assert len(DOC.split()) >= co.LONE_WORDS
    assert _generated(eng.score(DOC)) == []
    (lowered,) = [s for s in eng.score(DOC, threshold=0.4).spans if s.source == SOURCE]
    assert (lowered.text, lowered.p_spun) == ("arbitrary precision", co.LONE_P)
    assert lowered.evidence["unbacked"] == 1.0
    # The generator does propose a term there: without the rule it is reported.
    monkeypatch.setattr(pipeline, "LONE_WORDS", 10**9)
    assert _generated(eng.score(DOC)) == ["arbitrary precision"]


def test_a_listed_phrase_backs_the_rebuilt_term() -> None:
    text = DOC.replace("The garbage collector", LISTED + "The garbage collector")
    report = default_engine().score(text)
    assert "arbitrary precision" in _generated(report)
    assert any(s.source == "lexicon:science" for s in report.spans)


@pytest.mark.parametrize("cut", [60, 250])
def test_short_texts_are_left_as_they_are(cut: int) -> None:
    words = DOC.split()
    start = max(0, words.index("arbitrary") - cut // 2)
    short = " ".join(words[start : start + cut])
    assert _generated(default_engine().score(short)) == ["arbitrary precision"]


def test_the_science_family_alone_lowers_too(monkeypatch) -> None:
    science = Engine(families=["science"])
    assert _generated(science.score(DOC)) == []
    monkeypatch.setattr(pipeline, "LONE_WORDS", 10**9)
    assert _generated(science.score(DOC)) == ["arbitrary precision"]
