"""docs/wire-schema.md describes what despin prints: its examples have the real fields."""

from __future__ import annotations

import json
import re
from pathlib import Path

import despin
from despin.wire import report_document, restoration_document

DOC = Path(__file__).resolve().parents[1] / "docs" / "wire-schema.md"
TEXT = "Officers mentioned the 2 international locations signed a brand new settlement.\n"


def _examples() -> list[dict]:
    blocks = re.findall(r"^```json\n(.*?)^```", DOC.read_text("utf-8"), re.M | re.S)
    return [json.loads(b) for b in blocks]


def test_score_example_has_the_fields_despin_prints() -> None:
    example = next(e for e in _examples() if "matches" in e)
    real = report_document(despin.score(TEXT), "article.txt")
    assert set(example) == set(real)
    assert real["schema_version"] == example["schema_version"]
    (m_doc,), m_real = example["matches"], real["matches"]
    assert m_real, "the example text should have spans"
    for m in m_real:
        assert set(m) == set(m_doc)
        assert set(m["rule"]) == set(m_doc["rule"])
        assert all(set(r) == set(m_doc["replacements"][0]) for r in m["replacements"])
        assert m["rule"]["id"].startswith(m["rule"]["source"].removeprefix("lexicon:") + ":")
        assert TEXT[m["offset"] : m["offset"] + m["length"]] == m["text"]


def test_restore_example_has_the_fields_despin_prints() -> None:
    example = next(e for e in _examples() if "edits" in e)
    real = restoration_document(despin.restore(TEXT), "article.txt")
    assert set(example) == set(real)
    assert real["edits"] and all(set(e) == set(example["edits"][0]) for e in real["edits"])


def test_lexicon_format_example_is_a_valid_lexicon(tmp_path: Path) -> None:
    """The example of docs/lexicon-format.md loads, and its rows restore as documented."""
    from despin.lexicon import load_lexicon

    doc = (DOC.parent / "lexicon-format.md").read_text("utf-8")
    example = re.search(r"^```\n(# despin-lexicon: 1\n.*?)^```", doc, re.M | re.S).group(1)
    path = tmp_path / "example.tsv"
    path.write_text(example, encoding="utf-8")
    lexicon = load_lexicon(path)
    assert (lexicon.name, lexicon.family) == ("news", "news-spinner")
    assert {(e.spun, e.original, e.n_spun, e.n_clean) for e in lexicon.entries} >= {
        ("international locations", "countries", 7, 0),
        ("2", "two", 9, 3),
    }
    (spun, original), *_ = lexicon.examples
    engine = despin.Engine(lexicons=[lexicon])
    assert "countries" in engine.restore(spun).text
    assert engine.restore(original).text == original
