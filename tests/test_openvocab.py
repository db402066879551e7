"""Open-vocabulary candidates: synonym inversion, inflection, gating, model wiring."""

from __future__ import annotations

import json

import numpy as np
import pytest

from despin import openvocab
from despin.model import ModelError, Models, parse_models, shipped_models
from despin.pipeline import OPEN_MIN_P, OPEN_MIN_P_CLOSE, Engine, open_analysis
from despin.synonyms import candidates, relations_table
from despin.tokens import tokenize


def _cands(word: str) -> list[str]:
    return [c for c, _ in candidates(word)]


@pytest.mark.parametrize(
    ("spun", "original"),
    [
        ("physician", "doctor"),
        ("underside", "bottom"),
        ("troopers", "soldiers"),  # plural in, plural out
        ("combating", "fighting"),  # -ing in, -ing out
        ("crimson", "red"),
    ],
)
def test_synonym_inversion_proposes_the_original(spun: str, original: str) -> None:
    assert original in _cands(spun)


def test_inflection_skips_forms_of_other_parts_of_speech() -> None:
    # "fighting" is a noun candidate of "combat": re-inflecting it would give "fightinging".
    assert not any(c.endswith("inging") for c in _cands("combating"))
    assert all(" " not in c or c.split()[0] != "singling" for c in _cands("combating"))


def test_table_has_a_version_header_and_no_antonyms() -> None:
    table = relations_table()
    assert len(table) > 50_000
    # MyThes lists "follower" as an antonym of "leader": it must not come back as one.
    assert "leader" not in [c for c, _ in table.get("follower", ())]


def test_find_skips_names_common_words_and_covered_tokens() -> None:
    text = "Yesterday the Physician met a physician near the edifice."
    toks = tokenize(text)
    covered = np.zeros(len(toks), dtype=bool)
    covered[[t.text for t in toks].index("edifice")] = True
    initial = [i == 0 for i in range(len(toks))]
    words = [toks[h.i].text for h in openvocab.find(toks, covered, initial)]
    assert "physician" in words
    assert "Physician" not in words  # capitalised mid-sentence: a name, most likely
    assert "the" not in words and "edifice" not in words


CLEAN = (
    "The committee met on Monday to review the budget for the coming year. Members agreed "
    "that the library needs a new roof before winter, and the mayor said the work should "
    "start in the spring. Residents who attended asked about parking near the market."
)


def test_clean_text_gets_no_open_vocabulary_spans() -> None:
    spans = Engine().score(CLEAN, threshold=0.0).spans
    assert not [s for s in spans if s.family == openvocab.FAMILY]


def test_open_spans_need_lexicon_evidence() -> None:
    engine = Engine()
    a = engine.analyze("The physician examined the underside of the table.")
    p = np.zeros(len(a.hits))
    assert open_analysis(a, p, list(range(len(a.hits)))) is None


def test_shipped_model_has_an_open_detector_and_spans_respect_its_floor() -> None:
    m = shipped_models()
    assert m is not None and m.open_detector is not None and m.open_ranker is not None
    text = (
        "The 2 international locations mentioned final 12 months that the physician had "
        "examined the underside of the vessel. Officers stated the chief would go to quickly."
    )
    for s in Engine().score(text, threshold=0.0).spans:
        if s.family == openvocab.FAMILY:
            assert s.p_spun >= OPEN_MIN_P_CLOSE
            assert s.suggestions and all(x.source == openvocab.SOURCE for x in s.suggestions)
            assert text[s.start : s.end] == s.text


def test_a_model_without_open_section_switches_it_off() -> None:
    m = shipped_models()
    assert m is not None
    off = Models(m.detectors, m.ranker, m.document, m.meta)
    text = "Officers mentioned the physician examined the underside of the vessel final 12 months."
    spans = Engine(models=off).score(text, threshold=0.0).spans
    assert not [s for s in spans if s.family == openvocab.FAMILY]


def test_family_filter_can_leave_open_vocabulary_out() -> None:
    assert not Engine(families=["news-spinner"]).open_vocab
    assert Engine(families=["news-spinner", openvocab.FAMILY]).open_vocab


def test_malformed_open_section_is_a_clear_error() -> None:
    from importlib.resources import files

    data = json.loads((files("despin.models") / "despin-model.json").read_text("utf-8"))
    data["open"] = {"detector": data["open"]["detector"]}
    with pytest.raises(ModelError, match="open.ranker"):
        parse_models(data)
    data["open"] = [1, 2]
    with pytest.raises(ModelError, match="'open'"):
        parse_models(data)


def test_a_synonym_clears_a_lower_bar_than_a_hypernym(monkeypatch) -> None:
    """With every open candidate at p = 0.85, only words whose closest candidate is a
    synonym (WordNet or MyThes) are reported: hypernyms and similar words need 0.9."""
    from dataclasses import replace

    from despin import pipeline
    from despin.model import Linear

    m = shipped_models()
    assert m is not None and m.open_detector is not None
    names = m.open_detector.features
    flat = Linear(names, np.zeros(len(names)), np.ones(len(names)), np.zeros(len(names)),
                  float(np.log(0.85 / 0.15)))  # fmt: skip
    engine = Engine(models=replace(m, open_detector=flat))
    text = (
        "The 2 international locations mentioned final 12 months that the physician had "
        "examined the underside of the vessel with his crimson torch and a limousine."
    )
    report = engine.score(text)
    assert report.score >= pipeline.DOC_GATE  # no document gate on top
    opened = [s for s in report.spans if s.family == openvocab.FAMILY]
    assert opened
    a = engine.analyze(text)
    words = {h.word: h for h in openvocab.find(a.tokens, np.zeros(len(a.tokens), bool),
                                               [True] * len(a.tokens))}  # fmt: skip
    for s in opened:
        assert pipeline._open_key(words[s.text.lower()]) == pipeline.OPEN_CLOSE
    far = [w for w, h in words.items() if pipeline._open_key(h) == openvocab.FAMILY]
    assert far  # some candidate here is only a hypernym or similar word: left alone
    assert not any(s.text.lower() in far for s in opened)
    monkeypatch.setattr(pipeline, "OPEN_MIN_P_CLOSE", OPEN_MIN_P)
    assert not any(s.family == openvocab.FAMILY for s in engine.score(text).spans)
