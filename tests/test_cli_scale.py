"""`despin score` at scale: many files, folders, JSON Lines, HTML, --jobs, chunks, progress."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from despin.cli import app

SPUN = "The 2 international locations signed a brand new settlement final 12 months."
CLEAN = "The two countries signed a new agreement last year."
BIN = Path(sys.executable).parent / "despin"
runner = CliRunner()


def jsonl(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b").mkdir()
    (tmp_path / "a" / "one.txt").write_text(SPUN + "\n")
    (tmp_path / "a" / "b" / "two.txt").write_text(CLEAN + "\n")
    (tmp_path / "a" / ".hidden.txt").write_text(SPUN)
    return tmp_path


def test_many_files_and_folders_in_order(tree: Path) -> None:
    extra = tree / "extra.txt"
    extra.write_text(SPUN)
    r = runner.invoke(app, ["score", "-f", "jsonl", str(extra), str(tree / "a")])
    assert r.exit_code == 0, r.output
    paths = [d["path"] for d in jsonl(r.stdout)]
    assert paths == [str(extra), str(tree / "a" / "b" / "two.txt"), str(tree / "a" / "one.txt")]


def test_jobs_two_prints_what_jobs_one_prints(tree: Path) -> None:
    args = ["score", "-f", "jsonl", str(tree / "a"), str(tree / "a")]
    one = runner.invoke(app, args)
    two = runner.invoke(app, [*args, "--jobs", "2"])
    assert one.exit_code == two.exit_code == 0
    assert jsonl(two.stdout) == jsonl(one.stdout) and len(jsonl(one.stdout)) == 4


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_on_error_skip_keeps_going_and_says_what_it_skipped(tmp_path: Path, jobs: str) -> None:
    (tmp_path / "1.txt").write_text(SPUN)
    (tmp_path / "2.txt").write_bytes(b"caf\xe9 au lait")  # Latin-1, not UTF-8
    (tmp_path / "3.bin").write_bytes(bytes(range(256)))
    rows = [json.dumps({"id": 1, "text": CLEAN}), "{broken", json.dumps({"id": 3, "text": 7})]
    rows.append(json.dumps({"id": 4, "text": SPUN}))
    (tmp_path / "4.jsonl").write_text("\n".join(rows) + "\n")
    args = ["score", "-f", "jsonl", "--jobs", jobs, str(tmp_path)]
    stop = runner.invoke(app, args)
    assert stop.exit_code == 2 and "2.txt: invalid UTF-8 at byte 3" in stop.stderr
    r = runner.invoke(app, [*args, "--on-error", "skip"])
    assert r.exit_code == 3, r.output
    assert [d.get("path", d.get("despin", {}).get("path")) for d in jsonl(r.stdout)] == [
        str(tmp_path / "1.txt"),
        f"{tmp_path / '4.jsonl'}:1",
        f"{tmp_path / '4.jsonl'}:4",
    ]
    skipped = [line for line in r.stderr.splitlines() if line.startswith("despin: skipped")]
    assert len(skipped) == 4 and "4.jsonl:2: not valid JSON" in skipped[2]
    assert "4 bad input(s) skipped" in r.stderr


def test_on_error_skip_with_nothing_bad_exits_as_usual(tree: Path) -> None:
    r = runner.invoke(app, ["score", "--on-error", "skip", "--fail-above", "0.5", str(tree / "a")])
    assert r.exit_code == 1 and "skipped" not in r.stderr


def test_jsonl_input_keeps_other_fields(tmp_path: Path) -> None:
    src = tmp_path / "crawl.jsonl"
    rows = [{"id": 1, "url": "u1", "body": SPUN}, {"id": 2, "meta": {"k": [1, 2]}, "body": CLEAN}]
    src.write_text("\n".join(json.dumps(x) for x in rows) + "\n\n")
    r = runner.invoke(app, ["score", "-f", "jsonl", "--text-field", "body", str(src)])
    assert r.exit_code == 0, r.output
    out = jsonl(r.stdout)
    assert [{k: v for k, v in o.items() if k != "despin"} for o in out] == [
        {"id": 1, "url": "u1"},
        {"id": 2, "meta": {"k": [1, 2]}},
    ]
    assert [o["despin"]["path"] for o in out] == [f"{src}:1", f"{src}:2"]
    first = out[0]["despin"]
    assert first["score"] > out[1]["despin"]["score"]
    m = first["matches"][0]
    assert SPUN[m["offset"] : m["offset"] + m["length"]] == m["text"]


def test_jsonl_from_stdin_with_input_format() -> None:
    r = subprocess.run(
        [str(BIN), "score", "-i", "jsonl", "-f", "jsonl", "-"],
        input=json.dumps({"text": SPUN, "id": "x"}).encode(),
        capture_output=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    (o,) = jsonl(r.stdout.decode())
    assert o["id"] == "x" and o["despin"]["path"] == "<stdin>:1" and o["despin"]["matches"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": "ok"', "bad.jsonl:2: not valid JSON"),
        ('["text"]', "bad.jsonl:2: expected a JSON object, got list"),
        ('{"body": "x"}', "bad.jsonl:2: no 'text' field (choose one with --text-field)"),
        ('{"text": 3}', "bad.jsonl:2: field 'text' is int, not a string"),
    ],
)
def test_bad_jsonl_line_is_one_line_exit_2(tmp_path: Path, line: str, message: str) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text(json.dumps({"text": CLEAN}) + "\n" + line + "\n")
    r = subprocess.run([str(BIN), "score", str(src)], capture_output=True, timeout=120)
    assert r.returncode == 2
    err = r.stderr.decode()
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_jsonl_invalid_utf8_names_line_and_byte(tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    first = json.dumps({"text": CLEAN}).encode() + b"\n"
    src.write_bytes(first + b'{"text": "ab\xff"}\n')
    r = runner.invoke(app, ["score", str(src)])
    assert r.exit_code == 2
    assert f"bad.jsonl:2: invalid UTF-8 at byte {len(first) + 12}" in r.stderr
    assert runner.invoke(app, ["score", "--errors", "replace", str(src)]).exit_code == 0


HTML = (
    "<html><head><title>Treaty news</title></head><body>"
    "<nav><a href='/'>Home</a> | <a href='/about'>About us</a></nav>"
    "<article><h1>A treaty at last</h1>"
    f"<p>{SPUN}</p><p>Officials of both nations praised the deal on Monday evening.</p>"
    "</article><footer>Copyright 2026 Example News. All rights reserved.</footer></body></html>"
)


@pytest.mark.parametrize("name", ["page.html", "page.HTM", "page.txt"])
def test_html_is_reduced_to_its_text_and_offsets_say_so(tmp_path: Path, name: str) -> None:
    page = tmp_path / name
    page.write_text(HTML)
    args = ["score", "-f", "jsonl", str(page)]
    if name.endswith(".txt"):
        args += ["--input-format", "html"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    (d,) = jsonl(r.stdout)
    assert d["offsets_refer_to"] == "extracted-text"
    text = d["extracted_text"]
    assert SPUN in text and "<p>" not in text and "Copyright" not in text
    assert d["matches"]
    for m in d["matches"]:
        assert text[m["offset"] : m["offset"] + m["length"]] == m["text"]
    human = runner.invoke(app, args[:1] + args[3:])
    assert "offsets in the extracted text" in human.stdout


def test_plain_text_offsets_refer_to_input(tmp_path: Path) -> None:
    p = tmp_path / "t.txt"
    p.write_text(HTML)  # HTML-looking text in a .txt file stays text
    (d,) = jsonl(runner.invoke(app, ["score", "-f", "jsonl", str(p)]).stdout)
    assert d["offsets_refer_to"] == "input" and "extracted_text" not in d


def test_long_file_is_scored_in_chunks(tmp_path: Path) -> None:
    from despin import Engine
    from despin.batch import document_parts, score_parts

    text = "\n\n".join([SPUN, CLEAN, "A quiet paragraph about nothing much at all."] * 40)
    p = tmp_path / "long.txt"
    p.write_text(text)
    r = runner.invoke(app, ["score", "-f", "jsonl", "--chunk-chars", "1000", str(p)])
    (d,) = jsonl(r.stdout)
    ((_, report, chunks),) = score_parts(document_parts(0, [text], 1000), 1, 0.75, Engine())
    assert d["chunks"] == chunks > 1
    assert d["score"] == round(report.score, 4) and d["n_words"] == report.n_words
    assert [(m["offset"], m["text"]) for m in d["matches"]] == [
        (s.start, s.text) for s in report.spans
    ]
    human = runner.invoke(app, ["score", "--chunk-chars", "1000", str(p)])
    assert f"{chunks} chunks" in human.stdout


def test_progress_goes_to_stderr_only(tree: Path) -> None:
    r = subprocess.run(
        [str(BIN), "score", "-f", "jsonl", "--progress", str(tree / "a")],
        capture_output=True,
        timeout=120,
    )
    assert r.returncode == 0
    assert len(jsonl(r.stdout.decode())) == 2  # stdout: data only
    assert b"2 docs" in r.stderr


def test_json_format_is_one_document_even_when_streamed(tree: Path) -> None:
    r = runner.invoke(app, ["score", "-f", "json", str(tree / "a")])
    doc = json.loads(r.stdout)
    assert len(doc["documents"]) == 2 and doc["schema_version"] == "1.1"
    empty = tree / "e.txt"
    empty.write_text("")
    (d,) = json.loads(runner.invoke(app, ["score", "-f", "json", str(empty)]).stdout)["documents"]
    assert d["score"] == 0.0 and d["matches"] == [] and d["n_words"] == 0


def test_binary_file_in_a_folder_is_refused(tree: Path) -> None:
    (tree / "a" / "z.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    r = runner.invoke(app, ["score", str(tree / "a")])
    assert r.exit_code == 2 and "z.png: looks like a binary file" in r.stderr


def test_internal_error_exit_4_with_debug_hint(monkeypatch, tmp_path: Path) -> None:
    from despin.pipeline import Engine

    def boom(self, text, threshold=0.75):
        raise RuntimeError("kaput")

    monkeypatch.setattr(Engine, "score", boom)
    p = tmp_path / "t.txt"
    p.write_text(SPUN)
    r = runner.invoke(app, ["score", str(p)])
    assert r.exit_code == 4
    assert "internal error: RuntimeError: kaput (rerun with --debug" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    r = runner.invoke(app, ["--debug", "score", str(p)])
    assert isinstance(r.exception, RuntimeError)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_streamed_long_documents_are_valid_json(tmp_path: Path, fmt: str) -> None:
    """Long documents stream their matches; every input kind still gives whole documents."""
    long = "\n\n".join([SPUN, CLEAN] * 20)
    (tmp_path / "a.txt").write_text(long)
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"id": 1, "text": long}) + "\n" + json.dumps({"text": long}) + "\n"
    )
    (tmp_path / "c.html").write_text("<html><body><article>" + "".join(
        f"<p>{p}</p>" for p in [SPUN, CLEAN] * 20) + "</article></body></html>")  # fmt: skip
    (tmp_path / "d.txt").write_text(SPUN)
    r = runner.invoke(app, ["score", "-f", fmt, "--chunk-chars", "1000", str(tmp_path)])
    assert r.exit_code == 0, r.output
    docs = json.loads(r.stdout)["documents"] if fmt == "json" else jsonl(r.stdout)
    assert len(docs) == 5
    a, b1, b2, c, d = docs
    assert b1["id"] == 1 and "text" not in b1 and set(b2) == {"despin"}
    b1, b2 = b1["despin"], b2["despin"]
    for doc in (a, b1, b2):
        assert doc["chunks"] > 1 and doc["offsets_refer_to"] == "input"
        assert doc["matches"] and doc["n_words"] == a["n_words"] and doc["score"] == a["score"]
        for m in doc["matches"]:
            assert long[m["offset"] : m["offset"] + m["length"]] == m["text"]
    assert c["offsets_refer_to"] == "extracted-text" and c["chunks"] > 1
    assert all(
        c["extracted_text"][m["offset"] : m["offset"] + m["length"]] == m["text"]
        for m in c["matches"]
    )
    assert d["chunks"] == 1 and d["matches"]
    human = runner.invoke(app, ["score", "--chunk-chars", "1000", str(tmp_path / "a.txt")])
    assert f"{a['chunks']} chunks" in human.stdout and f"{len(a['matches'])} spans" in human.stdout


MINI = (
    "# despin-lexicon: 1\n# name: mini\n# family: mini\nspun\toriginal\tn_spun\tn_clean\n"
    "international locations\tcountries\t5\t0\n12 months\tyear\t5\t0\n"
)


def test_big_file_streams_in_bounded_memory(tmp_path: Path, monkeypatch) -> None:
    """Files are read in blocks and scored in chunks: Python's peak allocation does not
    grow with the file (100 KB vs 800 KB), the text file is never read whole, and the
    result equals scoring the chunks whole. (A two-entry lexicon keeps this quick.)"""
    import contextlib
    import tracemalloc

    import despin.io
    from despin import Engine
    from despin.chunking import iter_chunks

    lex = tmp_path / "mini.tsv"
    lex.write_text(MINI)
    para = f"{SPUN} {CLEAN}\n" * 3

    def whole(*args, **kwargs):
        raise AssertionError("a text file was read whole")

    monkeypatch.setattr(despin.io, "read_text", whole)
    monkeypatch.setattr(despin.io, "BLOCK_BYTES", 64 * 1024)
    args = ["score", "-f", "jsonl", "-l", str(lex), "--family", "mini", "--chunk-chars", "5000"]

    def run(size: int) -> tuple[int, dict, str]:
        text = "\n".join([para] * (size // (len(para) + 1)))
        big, out = tmp_path / "big.txt", tmp_path / "out.jsonl"
        big.write_text(text)
        tracemalloc.start()
        try:
            with out.open("w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
                app([*args, str(big)], standalone_mode=False)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        (d,) = jsonl(out.read_text(encoding="utf-8"))
        return peak, d, text

    run(5_000)  # imports and tables: loaded once, not part of the comparison
    small, _, _ = run(100_000)
    peak, d, text = run(800_000)
    assert peak < small + 150_000, (small, peak)  # 700 KB more text, no more memory
    engine = Engine(lexicon_paths=[lex], families=["mini"])
    spans, weighted, words = [], 0.0, 0
    for offset, chunk in iter_chunks([text], 5000):
        rep = engine.score(chunk)
        spans += [(s.start + offset, s.text) for s in rep.spans]
        weighted += rep.score * rep.n_words
        words += rep.n_words
    assert d["chunks"] > 150 and d["n_words"] == words
    assert [(m["offset"], m["text"]) for m in d["matches"]] == spans and spans
    assert d["score"] == round(weighted / words, 4)


def test_heavy_imports_stay_lazy() -> None:
    code = (
        "import sys, despin.cli, despin.sources, despin.integrations.spark; "
        "print([m for m in ('trafilatura', 'pandas', 'pyspark', 'multiprocessing', "
        "'concurrent.futures', 'lxml') if m in sys.modules])"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "[]", r.stderr


@pytest.mark.parametrize("fmt", ["jsonl", "text"])
def test_closed_pipe_ends_quietly(tree: Path, fmt: str) -> None:
    many = [str(tree / "a")] * 30
    p = subprocess.Popen(
        [str(BIN), "score", "-f", fmt, *many], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert p.stdout is not None and p.stderr is not None
    p.stdout.readline()
    p.stdout.close()  # like `| head -1`
    err = p.stderr.read()
    assert p.wait(timeout=120) == 0
    assert b"Traceback" not in err and b"Broken pipe" not in err, err


LONG = "\n\n".join([SPUN, CLEAN, "A quiet paragraph about nothing much at all."] * 30) + "\n"


def restored_by_chunks(text: str, size: int) -> tuple[str, list]:
    from dataclasses import replace

    from despin import Engine
    from despin.chunking import iter_chunks

    engine, parts, edits = Engine(), [], []
    for offset, chunk in iter_chunks([text], size):
        r = engine.restore(chunk)
        parts.append(r.text)
        edits += [replace(e, start=e.start + offset, end=e.end + offset) for e in r.edits]
    return "".join(parts), edits


def test_long_restore_streams_by_chunk(tmp_path: Path) -> None:
    from despin import apply_edits
    from despin.report import Edit

    p = tmp_path / "long.txt"
    p.write_text(LONG)
    want_text, want_edits = restored_by_chunks(LONG, 1000)
    assert len(want_edits) > 30
    r = runner.invoke(app, ["restore", "--chunk-chars", "1000", str(p)])
    assert r.exit_code == 0 and r.stdout == want_text
    r = runner.invoke(app, ["restore", "-f", "json", "--chunk-chars", "1000", str(p)])
    doc = json.loads(r.stdout)
    edits = [Edit(**e) for e in doc["edits"]]
    assert doc["text"] == want_text and edits == want_edits
    assert apply_edits(LONG, edits) == want_text and doc["path"] == str(p)
    r = runner.invoke(app, ["restore", "-f", "diff", "--chunk-chars", "1000", str(p)])
    assert r.stdout.count("[-international locations-]{+countries+}") == 30
    assert f"{len(want_edits)} edits" in r.stderr


def test_restore_output_is_not_left_half_written(tmp_path: Path, monkeypatch) -> None:
    import despin.io

    monkeypatch.setattr(despin.io, "BLOCK_BYTES", 1024)  # the bad byte comes in a later block
    p = tmp_path / "bad.txt"
    p.write_bytes(LONG.encode() + b"\xff tail")
    out = tmp_path / "out.txt"
    r = runner.invoke(app, ["restore", "--chunk-chars", "1000", str(p), "-o", str(out)])
    assert r.exit_code == 2 and f"invalid UTF-8 at byte {len(LONG.encode())}" in r.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [p]
    good = tmp_path / "good.txt"
    good.write_text(LONG)
    r = runner.invoke(app, ["restore", "--chunk-chars", "1000", str(good), "-o", str(out)])
    assert r.exit_code == 0 and out.read_text() == restored_by_chunks(LONG, 1000)[0]


def test_progress_bar_on_a_terminal_leaves_stdout_to_the_data(tree: Path) -> None:
    """stderr is a terminal (a pty), stdout a pipe: the bar shows, the data stays put."""
    import os
    import pty
    import threading

    master, slave = pty.openpty()
    shown = bytearray()

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                return
            if not data:
                return
            shown.extend(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    dirs = [str(tree / "a")] * 3
    r = subprocess.run(
        [str(BIN), "score", "-f", "jsonl", "--jobs", "2", *dirs],
        stdout=subprocess.PIPE,
        stderr=slave,
        timeout=120,
    )
    os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    assert r.returncode == 0
    assert len(jsonl(r.stdout.decode())) == 6
    assert b"6 docs" in shown
    assert b"Traceback" not in shown


def test_restore_jsonl_restores_the_text_field_and_keeps_the_rest(tmp_path: Path) -> None:
    from despin import apply_edits
    from despin.report import Edit

    src = tmp_path / "crawl.jsonl"
    rows = [{"text": "id", "body": SPUN, "meta": {"k": 1}}, {"text": "x", "body": CLEAN}]
    src.write_text("\n".join(json.dumps(x) for x in rows) + "\n")
    r = runner.invoke(app, ["restore", "--text-field", "body", str(src)])
    assert r.exit_code == 0, r.output
    out = jsonl(r.stdout)
    # The keys and the other fields are untouched ("text" is a field name here, not prose).
    assert [{k: v for k, v in o.items() if k not in {"body", "despin"}} for o in out] == [
        {"text": "id", "meta": {"k": 1}},
        {"text": "x"},
    ]
    assert out[0]["body"] == CLEAN and out[1]["body"] == CLEAN
    edits = [Edit(**e) for e in out[0]["despin"]["edits"]]
    assert apply_edits(SPUN, edits) == CLEAN and out[1]["despin"]["edits"] == []
    assert out[0]["despin"]["path"] == f"{src}:1"


def test_restore_html_restores_the_extracted_text(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        f'<html><head><title>t</title></head><body><nav class="chief">Home</nav>'
        f"<article><p>{SPUN}</p></article></body></html>"
    )
    r = runner.invoke(app, ["restore", "-f", "json", str(page)])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["offsets_refer_to"] == "extracted-text"
    assert CLEAN in doc["text"] and "<" not in doc["text"]
