"""despin.store: lazy look-ups in the shipped SQLite tables, and damage that fails clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from despin import store
from despin.lexicon import LexiconError


def _file(tmp_path: Path, rows: list[tuple[str, str]], **meta: str) -> Path:
    p = tmp_path / "t.sqlite"
    store.write(p, [("words", "k TEXT PRIMARY KEY, v TEXT NOT NULL", rows)], meta)
    return p


def _table(con, name: str = "words") -> store.LazyTable:
    return store.LazyTable(
        lambda k: next(
            (v for (v,) in con.execute(f"SELECT v FROM {name} WHERE k = ?", (k,))), None
        ),
        lambda: con.execute(f"SELECT k, v FROM {name}").fetchall(),
    )


def test_lazy_table_reads_a_key_at_a_time_then_whole(monkeypatch, tmp_path: Path) -> None:
    rows = [(f"w{i:03}", f"v{i}") for i in range(300)]
    con = store.connect(_file(tmp_path, rows), "t.sqlite")
    monkeypatch.setattr(store, "BULK", 50)
    t = _table(con)
    assert t.get("w001") == "v1" and t["w002"] == "v2" and "w003" in t
    assert "nope" not in t and t.get("nope", 0) == 0
    with pytest.raises(KeyError):
        t["nope"]
    assert isinstance(t, store.LazyTable) and dict.__len__(t) == 3  # only what was asked
    for i in range(60):
        t.get(f"x{i}")  # misses: after BULK the whole table is read
    assert type(t) is store.LoadedTable
    assert dict(t) == dict(rows) and t.get("x1") is None and t["w299"] == "v299"


def test_many_look_ups_of_few_keys_read_the_table_whole(monkeypatch, tmp_path: Path) -> None:
    """A long run over a small vocabulary misses rarely but asks often: it is read whole
    too, so that look-ups run at C speed (dict.get, set membership) from then on."""
    con = store.connect(_file(tmp_path, [("a", "1"), ("b", "2")]), "t.sqlite")
    monkeypatch.setattr(store, "BULK_CALLS", 10)
    t = _table(con)
    for _ in range(9):
        assert t.get("a") == "1" and t.get("zz") is None
    assert type(t) is store.LoadedTable and t == {"a": "1", "b": "2"}
    s = store.LazySet(lambda k: k == "a", lambda: iter(["a"]))
    for _ in range(10):
        assert "a" in s
    assert type(s) is store.LoadedSet


def test_lazy_table_iteration_reads_everything(tmp_path: Path) -> None:
    rows = [("a", "1"), ("b", "2")]
    con = store.connect(_file(tmp_path, rows), "t.sqlite")
    t = _table(con)
    assert t.get("a") == "1"
    assert t != {"a": "1"}  # compared whole, not as far as it was read
    assert isinstance(t, store.LoadedTable)
    assert sorted(t) == ["a", "b"] and len(t) == 2 and t == {"a": "1", "b": "2"}


def test_lazy_set_membership(monkeypatch, tmp_path: Path) -> None:
    con = store.connect(_file(tmp_path, [("a", ""), ("b", "")]), "t.sqlite")
    monkeypatch.setattr(store, "BULK", 4)
    s = store.LazySet(
        lambda k: bool(con.execute("SELECT 1 FROM words WHERE k = ?", (k,)).fetchall()),
        lambda: (k for (k,) in con.execute("SELECT k FROM words")),
    )
    assert "a" in s and "z" not in s and "z" not in s
    assert isinstance(s, store.LazySet)
    assert "y" not in s and "x" not in s  # the fourth miss reads the set whole
    assert type(s) is store.LoadedSet and set(s) == {"a", "b"} and "b" in s


def test_write_is_reproducible(tmp_path: Path) -> None:
    rows = [(f"w{i}", str(i)) for i in range(1000)]
    a = _file(tmp_path, rows, note="x").read_bytes()
    b = _file(tmp_path, list(reversed(rows)), note="x").read_bytes()
    assert a == b


@pytest.mark.parametrize(
    "blob",
    [b"", b"not sqlite at all" * 100, b"SQLite format 3\x00" + b"\x00" * 90],
    ids=["empty", "garbage", "bare-header"],
)
def test_damaged_file_is_a_lexicon_error(tmp_path: Path, blob: bytes) -> None:
    p = tmp_path / "bad.sqlite"
    p.write_bytes(blob)
    with pytest.raises(LexiconError, match="bad.sqlite") as exc:
        store.connect(p, "bad.sqlite")
    assert "\n" not in str(exc.value)


def test_truncated_shipped_file_fails_clearly_mid_run(monkeypatch, tmp_path: Path) -> None:
    """Damage past the header surfaces at a look-up: as a LexiconError, not sqlite3's."""
    p = _file(tmp_path, [(f"w{i:05}", "v" * 50) for i in range(5000)])
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 3])
    monkeypatch.setattr(store, "path", lambda: p)
    monkeypatch.setattr(store, "_open", None)
    try:
        table = store.table("words")
        for i in range(0, 5000, 7):
            table.get(f"w{i:05}")
    except LexiconError as exc:
        assert str(exc).startswith(store.LABEL) and "\n" not in str(exc)
    else:
        pytest.fail("a truncated file answered every look-up")


def test_wrong_format_or_version_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "t.sqlite"
    store.write(p, [], {})
    import sqlite3

    con = sqlite3.connect(p)
    con.execute("UPDATE meta SET v = '9' WHERE k = 'version'")
    con.commit()
    con.close()
    with pytest.raises(LexiconError, match="expected format 'despin-derived' version 1, found"):
        store.connect(p, "t.sqlite")


def test_shipped_file_opens_read_only() -> None:
    con = store.connection()
    assert con is not None
    import sqlite3

    with pytest.raises(sqlite3.OperationalError):
        con.execute("CREATE TABLE x (k)")


_SCORE = """
import json, sys
import despin.store
if sys.argv[1] == "without":
    despin.store.path = lambda: None  # as if lexicons/derived.sqlite were not shipped
import despin
text = "The 2 international locations signed a brand new settlement final 12 months."
r = despin.score(text)
print(json.dumps([round(r.score, 9), [(s.start, s.end, round(s.p_spun, 9)) for s in r.spans]]))
"""


def test_without_the_file_the_libraries_give_the_same_answers() -> None:
    """The documented fallback: no derived.sqlite, the same result (computed slowly)."""
    import subprocess
    import sys

    def run(mode: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", _SCORE, mode], capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    with_file = run("with")
    assert "[[" in with_file  # spans found
    assert run("without") == with_file


def test_read_all_reads_lazy_tables_whole_except_those_left_out(tmp_path: Path) -> None:
    rows = [(f"w{i:03}", f"v{i}") for i in range(40)]
    con = store.connect(_file(tmp_path, rows), "t.sqlite")

    def one(k):
        return next((v for (v,) in con.execute("SELECT v FROM words WHERE k = ?", (k,))), None)

    def every():
        return con.execute("SELECT k, v FROM words").fetchall()

    kept = store.LazyTable(one, every)
    left = store.LazyTable(one, every, preload=False)
    members = store.LazySet(
        lambda k: bool(con.execute("SELECT 1 FROM words WHERE k = ?", (k,)).fetchall()),
        lambda: (k for (k,) in con.execute("SELECT k FROM words")),
    )
    assert kept.get("w001") == "v1" and "w002" in members
    assert store.read_all() >= 2
    assert type(kept) is store.LoadedTable and dict.__len__(kept) == 40
    assert type(members) is store.LoadedSet and set.__len__(members) == 40
    assert type(left) is store.LazyTable and dict.__len__(left) == 0
    assert store.read_all() == 0  # nothing lazy is left to read


def test_scoring_one_page_reads_no_table_whole() -> None:
    """A one-page `despin score` stays lazy: every shipped table is asked one key at a
    time (a table read whole costs tens of MB and a large part of a cold start)."""
    import subprocess
    import sys

    code = (
        "import despin\n"
        "from importlib.resources import files\n"
        "from despin import store\n"
        "text = files('despin').joinpath('samples/sample_spun.txt').read_text()[:1000]\n"
        "assert despin.score(text).spans\n"
        "kinds = [type(r()).__name__ for r in store._LAZY if r() is not None]\n"
        "assert kinds, 'no lazy table was opened'\n"
        "print(' '.join(sorted(set(kinds))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    kinds = set(out.stdout.split())
    assert kinds <= {"LazyTable", "LazySet"}, kinds
