"""The CLI through typer's runner and through the installed `despin` binary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from despin import apply_edits
from despin.cli import app
from despin.report import SCHEMA_VERSION, Edit

SPUN = "The 2 international locations signed a brand new settlement final 12 months.\n"
CLEAN = "The two countries signed a new agreement last year.\n"
BIN = Path(sys.executable).parent / "despin"
SAMPLE = Path(__file__).parents[1] / "despin" / "samples" / "sample_spun.txt"
runner = CliRunner()


@pytest.fixture
def spun_file(tmp_path: Path) -> Path:
    p = tmp_path / "spun.txt"
    p.write_text(SPUN, encoding="utf-8")
    return p


def run_bin(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *args], input=stdin, capture_output=True, timeout=120)


def test_score_text_output(spun_file: Path) -> None:
    r = runner.invoke(app, ["score", str(spun_file)])
    assert r.exit_code == 0, r.output
    assert "international locations" in r.stdout and "countries" in r.stdout


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        (SPUN, "(spun), 12 words, 6 spans"),
        ("Hello\n", "(uncertain), 1 word, 0 spans"),  # about 0.5: too short to tell
        ((Path(__file__).parent / "fixtures" / "clean_software_doc.txt"), "(clean)"),
    ],
)
def test_score_verdict_says_what_the_evidence_shows(
    text: str | Path, verdict: str, tmp_path: Path
) -> None:
    path = text if isinstance(text, Path) else tmp_path / "in.txt"
    if not isinstance(text, Path):
        path.write_text(text, encoding="utf-8")
    r = runner.invoke(app, ["score", str(path)])
    assert r.exit_code == 0, r.output
    head = r.stdout.splitlines()[0]
    assert verdict in head, head
    score = float(head.split("score ")[1].split()[0])
    assert (score >= 0.5) == (verdict != "(clean)")


def test_score_json_follows_wire_schema(spun_file: Path) -> None:
    r = runner.invoke(app, ["score", "--format", "json", str(spun_file)])
    doc = json.loads(r.stdout)
    assert doc["schema_version"] == SCHEMA_VERSION
    (d,) = doc["documents"]
    assert set(d) >= {"schema_version", "path", "score", "n_words", "matches"}
    m = next(m for m in d["matches"] if m["text"] == "international locations")
    assert SPUN[m["offset"] : m["offset"] + m["length"]] == m["text"]
    assert m["replacements"][0]["value"] == "countries"
    assert set(m) >= {"message", "p_spun", "family", "rule", "evidence"}


def test_score_jsonl_one_line_per_document(spun_file: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN, encoding="utf-8")
    r = runner.invoke(app, ["score", "-f", "jsonl", str(spun_file), str(clean)])
    lines = r.stdout.strip().splitlines()
    assert [json.loads(x)["path"] for x in lines] == [str(spun_file), str(clean)]
    assert json.loads(lines[0])["score"] > json.loads(lines[1])["score"]


def test_fail_above_exit_code_follows_score(spun_file: Path) -> None:
    score = json.loads(runner.invoke(app, ["score", "-f", "jsonl", str(spun_file)]).stdout)["score"]
    r = runner.invoke(app, ["score", "--fail-above", "0.5", str(spun_file)])
    assert r.exit_code == (1 if score > 0.5 else 0)
    assert runner.invoke(app, ["score", "--fail-above", "1.0", str(spun_file)]).exit_code == 0


def test_restore_json_edits_replay(spun_file: Path) -> None:
    r = runner.invoke(app, ["restore", "-f", "json", str(spun_file)])
    doc = json.loads(r.stdout)
    edits = [Edit(**e) for e in doc["edits"]]
    assert apply_edits(SPUN, edits) == doc["text"]
    assert "two countries" in doc["text"]


def test_restore_diff_marks_edits(spun_file: Path) -> None:
    r = runner.invoke(app, ["restore", "--format", "diff", str(spun_file)])
    assert "[-international locations-]{+countries+}" in r.stdout


def test_restore_refuses_to_overwrite(spun_file: Path, tmp_path: Path) -> None:
    r = runner.invoke(app, ["restore", str(spun_file), "-o", str(spun_file)])
    assert r.exit_code == 2 and "use --force" in r.stderr
    assert spun_file.read_text(encoding="utf-8") == SPUN
    out = tmp_path / "out.txt"
    assert runner.invoke(app, ["restore", str(spun_file), "-o", str(out)]).exit_code == 0
    assert "two countries" in out.read_text(encoding="utf-8")
    assert runner.invoke(app, ["restore", str(spun_file), "-o", str(out)]).exit_code == 2
    assert runner.invoke(app, ["restore", str(spun_file), "-o", str(out), "--force"]).exit_code == 0


def test_explain_shows_candidates_and_features() -> None:
    r = runner.invoke(app, ["explain", "The 2 international locations met.", "-f", "json"])
    doc = json.loads(r.stdout)
    m = next(m for m in doc["matches"] if m["text"] == "international locations")
    assert m["replacements"] and m["evidence"]["n_words"] == 2


def test_explain_reads_a_file_it_is_given(tmp_path: Path) -> None:
    """A path is read, not explained as the words of the path; jsonl is one line."""
    f = tmp_path / "spun.txt"
    f.write_text("The 2 international locations met.\n", encoding="utf-8")
    r = runner.invoke(app, ["explain", str(f), "-f", "jsonl"])
    assert r.exit_code == 0 and r.stdout.count("\n") == 1
    doc = json.loads(r.stdout)
    assert doc["path"] == str(f)
    assert any(m["text"] == "international locations" for m in doc["matches"])
    missing = runner.invoke(app, ["explain", str(tmp_path / "nope.txt"), "-f", "json"])
    assert json.loads(missing.stdout)["matches"] == []  # not a file: the text itself


def test_explain_refuses_a_binary_file_clearly(tmp_path: Path) -> None:
    f = tmp_path / "blob.bin"
    f.write_bytes(b"\x00\x01\x02binary" * 50)
    r = runner.invoke(app, ["explain", str(f)])
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_eval_prints_table(tmp_path: Path) -> None:
    text = tmp_path / "clean.txt"
    text.write_text(CLEAN, encoding="utf-8")
    r = runner.invoke(app, ["eval", str(text)])
    assert r.exit_code == 0 and "| clean | 1 |" in r.stdout


# --- through the installed binary --------------------------------------------------------------


def test_binary_version_and_help() -> None:
    r = run_bin("--version")
    assert r.returncode == 0 and r.stdout.decode().startswith("despin ")
    assert run_bin("--help").returncode == 0


def test_binary_reads_stdin_and_writes_data_to_stdout() -> None:
    r = run_bin("restore", "-", stdin=SPUN.encode())
    assert r.returncode == 0
    assert "two countries" in r.stdout.decode() and r.stderr == b""


def test_binary_sample_is_scored_spun() -> None:
    r = run_bin("score", "-f", "jsonl", str(SAMPLE))
    assert r.returncode == 0
    assert json.loads(r.stdout)["score"] > 0.5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"abc\xff\xfe def", b"invalid UTF-8 at byte 3"),
        (b"\x00\x01\x02binary\x00", b"binary"),
    ],
)
def test_binary_bad_input_is_one_line_exit_2(
    tmp_path: Path, content: bytes, message: bytes
) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    r = run_bin("score", str(p))
    assert r.returncode == 2
    assert message in r.stderr and b"Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and r.stdout == b""


def test_binary_errors_replace_reads_bad_utf8(tmp_path: Path) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(b"The 2 international locations \xff met.")
    assert run_bin("score", "--errors", "replace", str(p)).returncode == 0


def test_binary_missing_file_and_bad_option() -> None:
    r = run_bin("score", "/no/such/file.txt")
    assert r.returncode == 2 and b"no such file" in r.stderr and b"Traceback" not in r.stderr
    assert run_bin("score", "--format", "yaml", str(SAMPLE)).returncode == 2


def test_binary_empty_file_scores_zero(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    r = run_bin("score", "-f", "jsonl", str(p))
    assert r.returncode == 0 and json.loads(r.stdout)["score"] == 0.0


def test_binary_bad_lexicon_is_reported(tmp_path: Path) -> None:
    lex = tmp_path / "mine.tsv"
    lex.write_text("# despin-lexicon: 1\n# name: mine\n# family: x\nspun\toriginal\na\n")
    r = run_bin("score", "--lexicon", str(lex), str(SAMPLE))
    assert r.returncode == 2 and b"mine.tsv:5" in r.stderr and b"Traceback" not in r.stderr


def test_user_lexicon_adds_swaps(tmp_path: Path) -> None:
    lex = tmp_path / "mine.tsv"
    lex.write_text(
        "# despin-lexicon: 1\n# name: mine\n# family: news-spinner\n"
        "spun\toriginal\tn_spun\tn_clean\n"
        "frobnicated velocipede\tbicycle\t5\t0\n"
    )
    text = tmp_path / "t.txt"
    text.write_text("He rode a frobnicated velocipede to the 2 international locations summit.\n")
    r = runner.invoke(app, ["score", "-f", "jsonl", "--lexicon", str(lex), "-t", "0", str(text)])
    rules = [m["rule"]["id"] for m in json.loads(r.stdout)["matches"]]
    assert "mine:frobnicated velocipede>bicycle" in rules
