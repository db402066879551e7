"""The notebooks run from a clean clone, offline, and are committed without outputs.

Each notebook runs twice: on the bundled sample (../shared hidden) and on ../shared
(skipped when it is absent). About 5-15 s a run, most of it loading despin's tables.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
SHARED = ROOT.parent / "shared"
NOTEBOOKS = sorted(NB_DIR.glob("*.ipynb"))
EXPECTED = {"01_spin_patterns.ipynb", "02_build_your_lexicon.ipynb"}


def test_the_two_notebooks_exist() -> None:
    assert {p.name for p in NOTEBOOKS} >= EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path: Path) -> None:
    nb = json.loads(path.read_text("utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name} cell {i} has outputs"
            assert cell["execution_count"] is None, f"{path.name} cell {i} has a count"
    assert "widgets" not in nb["metadata"]


def test_notebooks_match_their_generator() -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_notebooks.py"), "--check"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr


def _run(name: str, shared: Path, tmp_path: Path, monkeypatch) -> list[dict]:
    """Execute a notebook in notebooks/ with DESPIN_SHARED set; return its code cells."""
    monkeypatch.setenv("DESPIN_SHARED", str(shared))
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # notebook 02 writes its lexicon there
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend renders PNGs
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "jupyter"))  # nothing in $HOME
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter"))  # no user kernelspecs
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    nb = nbformat.read(NB_DIR / name, as_version=4)
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NB_DIR)}}
    )
    client.execute()  # raises CellExecutionError with the cell and traceback on any error
    cells = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in cells)
    return cells


def _outputs(cells: list[dict], mime: str) -> list[str]:
    return [o["data"][mime] for c in cells for o in c.outputs if mime in o.get("data", {})]


def _stdout(cells: list[dict]) -> str:
    return "".join(o.get("text", "") for c in cells for o in c.outputs if o.get("name") == "stdout")


MODES = [
    pytest.param("sample", id="sample"),
    pytest.param("shared", id="shared", marks=pytest.mark.shared),
]


def _shared_for(mode: str, tmp_path: Path) -> Path:
    if mode == "sample":
        return tmp_path / "no-shared-here"
    if not (SHARED / "data" / "real_spun_dev.jsonl").is_file():
        pytest.skip(f"../shared not found at {SHARED}: notebook not run on it")
    return SHARED


@pytest.mark.parametrize("mode", MODES)
def test_spin_patterns_notebook_runs(mode: str, tmp_path: Path, monkeypatch) -> None:
    cells = _run("01_spin_patterns.ipynb", _shared_for(mode, tmp_path), tmp_path, monkeypatch)
    out = _stdout(cells)
    assert ("bundled sample" in out) == (mode == "sample")
    assert len(_outputs(cells, "image/png")) == 4  # scores, swaps, positions, evidence
    (html,) = _outputs(cells, "text/html")
    assert html.count("<mark") >= 5
    # The per-family table: spun families have more spans per 100 words than clean text.
    rows = dict(re.findall(r"^(\S+)\s+\d+\s+[\d.]+\s+([\d.]+)$", out, re.M))
    assert float(rows["news-spinner"]) > float(rows["clean"])


@pytest.mark.parametrize("mode", MODES)
def test_build_your_lexicon_notebook_shows_a_gain(mode: str, tmp_path: Path, monkeypatch) -> None:
    cells = _run("02_build_your_lexicon.ipynb", _shared_for(mode, tmp_path), tmp_path, monkeypatch)
    out = _stdout(cells)
    assert len(_outputs(cells, "image/png")) == 1
    assert "$ despin eval" in out and "--lexicon" in out
    (lexicon,) = tmp_path.glob("despin-lexicon-*/mine.tsv")
    assert lexicon.read_text("utf-8").startswith("# despin-lexicon: 1\n")
    table = {
        m[0].strip(): m[1:]
        for m in re.findall(r"^(span R|span F1|WER gain)\s+(\S+)\s+(\S+)$", out, re.M)
    }
    for metric in ("span R", "span F1", "WER gain"):
        without, with_ = (0.0 if v == "–" else float(v) for v in table[metric])
        assert with_ > without, (metric, without, with_)


def _shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.shared
def test_notebooks_carry_no_text_from_shared() -> None:
    data = SHARED / "data" / "real_spun_dev.jsonl"
    if not data.is_file():
        pytest.skip(f"../shared not found at {SHARED}: nothing to compare with")
    theirs: set[tuple[str, ...]] = set()
    for line in data.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            theirs |= _shingles(row["spun"]) | _shingles(row.get("original") or "")
    for seed in (SHARED / "seeds").glob("*.txt"):
        theirs |= _shingles(seed.read_text("utf-8"))
    ours = [*NB_DIR.iterdir(), ROOT / "scripts" / "make_notebooks.py"]
    for path in ours:
        if path.is_file():
            common = _shingles(path.read_text("utf-8")) & theirs
            assert not common, f"{path.name} quotes ../shared: {' '.join(next(iter(common)))}"
