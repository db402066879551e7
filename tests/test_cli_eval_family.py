"""`despin eval --family` picks lexicons as `despin score --family` does (notebook 02 uses it)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from despin.cli import app

SPUN = "Officers mentioned the 2 international locations signed a brand new settlement.\n"
ORIGINAL = "Officials said the two countries signed a new agreement.\n"


def test_eval_family_leaves_out_the_other_lexicons(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    row = {"id": "p1", "family": "news-spinner", "spun": SPUN, "original": ORIGINAL}
    pairs.write_text(json.dumps(row) + "\n", encoding="utf-8")

    def recall(*options: str) -> float:
        r = CliRunner().invoke(app, ["eval", "--format", "json", *options, str(pairs)])
        assert r.exit_code == 0, r.output
        return json.loads(r.stdout)["families"]["news-spinner"]["recall"]

    assert recall() > 0.5
    assert recall("--family", "science") == 0.0
    assert recall("--family", "news") == recall()
