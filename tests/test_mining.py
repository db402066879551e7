"""Mining swaps from aligned texts, and building lexicons (sentences written for despin)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from despin.lexicon import parse_lexicon
from despin.mining import (
    build_news_lexicon,
    build_science_lexicon,
    clean_expected,
    count_clean,
    keep_swap,
    mine_swaps,
    with_siblings,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"


def test_mine_splits_word_for_word_blocks_and_keeps_phrases() -> None:
    pairs = [
        (
            "The nation's navy met the 2 international locations in keeping with custom.",
            "The country's military met the two countries according to custom.",
        ),
        # A second text teaches the swap that lets the merged block above be cut.
        ("Many international locations agreed.", "Many countries agreed."),
    ]
    found = mine_swaps(pairs)
    assert found[("nation", "country")] == 1
    assert found[("navy", "military")] == 1
    assert found[("2", "two")] == 1
    assert found[("international locations", "countries")] == 2
    assert found[("in keeping with", "according to")] == 1


def test_mine_keeps_idioms_whole_and_drops_noise() -> None:
    found = mine_swaps(
        [
            ("After all, prices rose 5 percent.", "Of course, prices rose 7 percent."),
            ("He coped with it.", "He copes with it."),
        ]
    )
    assert ("after all", "of course") in found
    assert not any(s in {"after", "all", "5"} for s, _ in found)
    assert not any(s == "coped" for s, _ in found)


def test_cut_blocks_drop_a_rest_longer_than_its_spin() -> None:
    # "12 months" / "year" is known; cutting there leaves "final" / "percent last",
    # which is misaligned text (the spinner never spins two words into one here).
    found = mine_swaps(
        [
            ("Sales rose final 12 months in town.", "Sales rose percent last year in town."),
            ("Profits fell over the past 12 months.", "Profits fell over the past year."),
        ]
    )
    assert ("12 months", "year") in found
    assert not any(s == "final" for s, _ in found)


@pytest.mark.parametrize(
    ("spun", "original", "keep"),
    [
        ("troopers", "soldiers", True),
        ("12 months", "year", True),
        ("2", "two", True),
        ("5", "7", False),
        ("mentioned", "mentions", False),
        ("a b c d e", "x", False),
        ("include", "contain the", False),
        ("international locations", "the countries", True),
    ],
)
def test_keep_swap(spun: str, original: str, keep: bool) -> None:
    assert keep_swap(spun, original) is keep


def test_count_clean_counts_whole_words() -> None:
    counts = count_clean(["chief", "go to"], ["The chief of mischief will go to town.", "chief"])
    assert counts == Counter({"chief": 2, "go to": 1})


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("support vector machine (SVM)", "support vector machine"),
        ("???", None),
        ("random forest (?)", "random forest"),
        ("Internet of Things", "Internet of Things"),
        ("Deep Learning.", "deep learning"),
        ("supervised [machine] learning", "supervised learning"),
        ('\\"mobile network\\"', "mobile network"),
        ("the words ‘an’ and ‘are’", None),
        ("“cutting costs” or “saving money”", None),
        ("Parkinson's disease", "parkinson's disease"),  # apostrophes stay
    ],
)
def test_clean_expected(raw: str, clean: str | None) -> None:
    assert clean_expected(raw) == clean


def _fake_shared(root: Path) -> Path:
    (root / "gold").mkdir(parents=True)
    (root / "seeds").mkdir()
    (root / "data").mkdir()
    text = "The chief spoke to 2 international locations."
    (root / "seeds" / "000_0d86604bd71b6e9d.txt").write_text(text)
    gold = {
        "text_file": "seeds/000_0d86604bd71b6e9d.txt",
        "spans": [
            {"start": 4, "end": 9, "spun": "chief", "original": "leader", "uncertain": False}
        ],
    }
    (root / "gold" / "000_0d86604bd71b6e9d.json").write_text(json.dumps(gold))
    (root / "seeds" / "003_e33991b7a49c87c3.txt").write_text("The chief of staff spoke.")
    rows = [
        {"id": "p1", "family": "news-spinner", "spun": "The troopers marched.",
         "original": "The soldiers marched."},
        {"id": "p2", "family": "other-rewriter", "spun": "x", "original": "A chief cook."},
    ]  # fmt: skip
    (root / "data" / "real_spun_dev.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    return root


def test_build_news_lexicon_excludes_documents_exactly(tmp_path: Path) -> None:
    shared = _fake_shared(tmp_path / "shared")
    full = parse_lexicon(build_news_lexicon(shared))
    rows = {(e.spun, e.original): (e.n_spun, e.n_clean) for e in full.entries}
    assert rows == {("chief", "leader"): (1, 2), ("troopers", "soldiers"): (1, 0)}
    without = parse_lexicon(build_news_lexicon(shared, {"p1", "p2", "003_e33991b7a49c87c3"}))
    assert {(e.spun, e.original, e.n_clean) for e in without.entries} == {("chief", "leader", 0)}


def test_build_science_lexicon_cleans_and_excludes(tmp_path: Path) -> None:
    pps = {
        "license": "CC BY 4.0",
        "phrases": [
            {"tortured": "irregular woodland", "correct": "random forest"},
            {"tortured": "bolster vector machine", "correct": "support vector machine (SVM)"},
            {"tortured": "mystery phrase", "correct": "???"},
            {"tortured": "same thing", "correct": "Same thing"},
        ],
    }
    p = tmp_path / "pps.json"
    p.write_text(json.dumps(pps))
    lex = parse_lexicon(build_science_lexicon(p))
    assert {(e.spun, e.original) for e in lex.entries} == {
        ("irregular woodland", "random forest"),
        ("bolster vector machine", "support vector machine"),
    }
    assert "CC BY 4.0" in lex.meta["license"]
    held = parse_lexicon(build_science_lexicon(p, exclude=["irregular woodland"]))
    assert {e.spun for e in held.entries} == {"bolster vector machine"}


@pytest.mark.shared
def test_shipped_lexicons_match_a_fresh_build() -> None:
    if not SHARED.exists():
        pytest.skip(f"../shared not found at {SHARED}: cannot rebuild the lexicons")
    root = Path(__file__).parents[1] / "lexicons"
    assert (root / "news.tsv").read_text("utf-8") == build_news_lexicon(SHARED)
    pps = SHARED / "data" / "pps_tortured_phrases.json"
    assert (root / "science.tsv").read_text("utf-8") == build_science_lexicon(pps)


def test_ordinary_phrases_need_company() -> None:
    from despin.mining import ordinary_phrases

    found = ordinary_phrases(
        ["malignant growth", "cloud figuring", "cloud computing", "machine learning"],
        expected=["cloud computing"],
    )
    # named in ORDINARY_SCIENCE / an expected phrase of the list / a common Web 1T bigram
    assert set(found) == {"malignant growth", "cloud computing", "machine learning"}


def test_leaving_out_a_spin_leaves_out_every_spin_of_its_article(tmp_path: Path) -> None:
    shared = _fake_shared(tmp_path / "shared")
    rows = [json.loads(line) for line in (shared / "data" / "real_spun_dev.jsonl").open()]
    rows.append({"id": "p3", "family": "news-spinner", "spun": "The troopers  walked.",
                 "original": "The soldiers marched."})  # fmt: skip
    rows[0]["spun"] = "The soldiers proceeded."
    story = "The minister said the talks would resume in the spring after the elections."
    rows.append({"id": "p4", "family": "other-rewriter", "spun": "y",
                 "original": story + " Officials gave no date."})  # fmt: skip
    rows.append({"id": "p5", "family": "other-rewriter", "spun": "z",
                 "original": "Reporters were told: " + story.lower()})  # fmt: skip
    (shared / "data" / "real_spun_dev.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    # p1 and p3 spin one original (whitespace aside): leaving either out drops both.
    assert with_siblings(shared, {"p1"}) == {"p1", "p3"}
    assert with_siblings(shared, {"p3"}) == {"p1", "p3"}
    assert with_siblings(shared, {"p2"}) == {"p2"}
    # Another outlet's copy of one story (most of its 5-grams) is a sibling too.
    assert with_siblings(shared, {"p5"}) == {"p4", "p5"}
    full = {(e.spun, e.original) for e in parse_lexicon(build_news_lexicon(shared)).entries}
    assert ("troopers", "soldiers") in full
    without = parse_lexicon(build_news_lexicon(shared, {"p3"}))
    assert {(e.spun, e.original) for e in without.entries} == {("chief", "leader")}
    from despin.train import shared_docs

    kept = {d.id for d in shared_docs(shared, {"p3"})}
    assert not kept & {"p1", "p1:original", "p3", "p3:original"} and "p2" in kept
