"""The wheel carries the lexicons, the model and the sample: run time needs nothing else."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_wheel_ships_package_data(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    (wheel,) = tmp_path.glob("despin-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "despin/py.typed",
        "despin/lexicons/news.tsv",
        "despin/lexicons/science.tsv",
        "despin/lexicons/README.md",
        "despin/lexicons/derived.sqlite",
        "despin/lexicons/synonyms.tsv.gz",
        "despin/lexicons/inflections.tsv.gz",
        "despin/models/despin-model.json",
        "despin/samples/sample_spun.txt",
        "despin/cli.py",
    ):
        assert required in names, required
    assert not any(n.endswith((".pkl", ".pickle", ".joblib")) for n in names)
