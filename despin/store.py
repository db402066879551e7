"""Keyed look-ups in lexicons/derived.sqlite: read a row when it is first asked for.

The derived tables (word statistics, open-vocabulary candidates, the tortured-phrase
term index) hold about a million rows; reading them whole costs most of a second,
while a 1 KB text needs a few hundred of them. So a table starts empty and reads each
key from the shipped SQLite file on first use (`LazyTable`, `LazySet`). A long run
reads a table whole once (after `BULK` misses or `BULK_CALLS` look-ups), after which
the object is a plain dict or set subclass that answers at C speed: crawl-scale
throughput is what it was with whole-table loads. `read_all` (behind `Engine.preload`)
reads every table alive whole at once, for long runs and before forking workers.

The file is opened read-only and immutable (no locks, no journal, fine on a read-only
install), once per process: a forked worker opens its own connection. SQLite is data
only: nothing this module reads can execute code. Damage (a truncated file, a wrong
format) is a LexiconError naming the file, not a sqlite3 traceback mid-score.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import sqlite3
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from functools import cache
from pathlib import Path
from typing import Any

from .lexicon import LexiconError

FILE = "derived.sqlite"
LABEL = f"lexicons/{FILE}"
MAGIC = "despin-derived"
VERSION = "1"
# A miss costs a query (some 9 us with the Python around it), a row of a whole read about
# 1.3 us, and a remembered look-up a Python call (0.3 us) where a read table answers at
# C speed: after BULK misses or BULK_CALLS look-ups a table is read whole. A 1 KB text
# makes at most some 700 misses and 1,000 look-ups per table (a 6 KB article 2,500 and
# 4,600), so it stays lazy; a crawl reaches a bound within its first hundred documents.
BULK = 5_000
BULK_CALLS = 100_000

_open: tuple[int, sqlite3.Connection | None] | None = None  # (pid, connection)
_keep_open = ExitStack()  # a zipped install extracts the file once per process


def path() -> Path | None:
    """Where the shipped file is on disk (None when it is not shipped)."""
    f = importlib.resources.files("despin.lexicons") / FILE
    if not f.is_file():
        return None
    if isinstance(f, Path):
        return f
    return Path(_keep_open.enter_context(importlib.resources.as_file(f)))


@cache
def shipped_digest(name: str) -> str | None:
    """sha256 of a file in despin/lexicons (None when it is not shipped), once per process:
    several stored results are keyed to the same inputs (synonyms.tsv.gz is 2 MB)."""
    f = importlib.resources.files("despin.lexicons") / name
    return hashlib.sha256(f.read_bytes()).hexdigest() if f.is_file() else None


def fingerprint(names: Iterable[str], code: Iterable[str], *extra: str) -> str:
    """sha256 over what a stored result was computed from: shipped files (by their digests),
    despin source files that compute it, and `extra` values such as another digest."""
    digest = hashlib.sha256()
    for name in names:
        digest.update(f"{name}\0{shipped_digest(name) or 'missing'}\0".encode())
    for name in code:
        digest.update(Path(__file__).with_name(name).read_bytes())
    for value in extra:
        digest.update(f"{value}\0".encode())
    return digest.hexdigest()


def connect(p: Path, label: str = LABEL) -> sqlite3.Connection:
    """A read-only connection to a derived file whose header is checked."""
    uri = f"{p.resolve().as_uri()}?mode=ro&immutable=1"
    try:
        con = sqlite3.connect(uri, uri=True, check_same_thread=False)
        rows = dict(con.execute("SELECT k, v FROM meta WHERE k IN ('format', 'version')"))
    except sqlite3.Error as exc:
        msg = f"{label}: not a readable despin table file ({exc}); reinstall despin"
        raise LexiconError(msg) from None
    if rows.get("format") != MAGIC or rows.get("version") != VERSION:
        con.close()
        found = f"{rows.get('format')} {rows.get('version')}"
        raise LexiconError(f"{label}: expected format '{MAGIC}' version {VERSION}, found {found}")
    return con


def connection() -> sqlite3.Connection | None:
    """This process's connection to the shipped file (None when it is not shipped).

    Asked once per look-up, so it is one global and a pid check: finding the file
    through importlib.resources costs 40 us, more than the look-up itself.
    """
    global _open
    pid = os.getpid()
    if _open is None or _open[0] != pid:  # first use, or a forked worker
        p = path()
        _open = (pid, connect(p) if p is not None else None)
    return _open[1]


def close() -> None:
    """Close this process's connection (the file is opened afresh on next use)."""
    global _open
    if _open is not None and _open[0] == os.getpid() and _open[1] is not None:
        _open[1].close()
    _open = None


def query(sql: str, args: tuple = ()) -> list[tuple]:
    """Rows of `sql` over the shipped file ([] when it is not shipped)."""
    con = connection()
    if con is None:
        return []
    try:
        return con.execute(sql, args).fetchall()
    except sqlite3.Error as exc:
        raise LexiconError(f"{LABEL}: damaged ({exc}); reinstall despin") from None


def meta(key: str) -> str | None:
    """A header value of the shipped file (None when absent or not shipped)."""
    rows = query("SELECT v FROM meta WHERE k = ?", (key,))
    return rows[0][0] if rows else None


def has_table(name: str) -> bool:
    return bool(query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)))


def write(out: Path, tables: list[tuple[str, str, list[tuple]]], meta: dict[str, str]) -> None:
    """A fresh file of `tables` (name, columns, rows) and the `meta` header (build time).

    Tables are created in the order given and filled in sorted row order, then VACUUMed,
    so the same content gives the same bytes with the same SQLite library.
    """
    tmp = out.with_name(out.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID")
        header = {**meta, "format": MAGIC, "version": VERSION}
        con.executemany("INSERT INTO meta VALUES (?, ?)", sorted(header.items()))
        for name, columns, rows in tables:
            rowid = columns.startswith("i INTEGER PRIMARY KEY")
            con.execute(f"CREATE TABLE {name} ({columns}){'' if rowid else ' WITHOUT ROWID'}")
            width = len(con.execute(f"PRAGMA table_info({name})").fetchall())
            con.executemany(f"INSERT INTO {name} VALUES ({','.join('?' * width)})", sorted(rows))
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()
    os.replace(tmp, out)


class _ReadsWhole:
    """What needs every row (iteration, size, equality) reads the whole table first;
    `load` turns the object into its plain subclass, whose own methods then answer."""

    __slots__ = ()

    def load(self) -> Any:
        raise NotImplementedError

    def __iter__(self) -> Iterator[Any]:
        return iter(self.load())

    def __len__(self) -> int:
        return len(self.load())

    def __eq__(self, other: object) -> bool:
        return self.load() == other

    def __ne__(self, other: object) -> bool:
        return self.load() != other

    __hash__ = None  # type: ignore[assignment]


class _Dict(dict):
    __slots__ = ("_one", "_all", "_absent", "_misses", "_calls", "__weakref__")


class LoadedTable(_Dict):
    """A `LazyTable` once read whole: a dict, looked up at C speed."""

    __slots__ = ()


class LazyTable(_ReadsWhole, _Dict):
    """A read-only mapping that reads a key from the file the first time it is asked for.

    `one(key)` gives the value or None; `every()` gives all (key, value) pairs. Only look-ups
    (`get`, `[]`, `in`) read rows; iteration, `len` and `items` read the whole table first.
    """

    __slots__ = ()

    def __init__(
        self,
        one: Callable[[Any], Any],
        every: Callable[[], Iterable[tuple[Any, Any]]],
        preload: bool = True,
    ) -> None:
        """`preload=False`: `read_all` leaves this table alone (one that scoring never reads)."""
        super().__init__()
        self._one, self._all, self._absent, self._misses, self._calls = one, every, set(), 0, 0
        if preload:
            _LAZY.append(weakref.ref(self))

    def _fetch(self, key: Any) -> Any:
        """The value of a key not in memory yet (None if absent), remembered either way."""
        if key in self._absent:
            return None
        value = self._one(key)
        self._misses += 1
        if value is None:
            self._absent.add(key)
        else:
            dict.__setitem__(self, key, value)
        if self._misses >= BULK:
            self.load()
        return value

    def __missing__(self, key: Any) -> Any:
        value = self._fetch(key)
        if value is None:
            raise KeyError(key)
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        self._calls += 1
        if self._calls >= BULK_CALLS:  # a long run: C-speed look-ups from now on
            return self.load().get(key, default)
        value = dict.get(self, key, _NONE)
        if value is _NONE:
            value = self._fetch(key)
            if value is None:
                return default
        return value

    def __contains__(self, key: object) -> bool:
        return self.get(key, _NONE) is not _NONE

    def load(self) -> LoadedTable:
        """Read the whole table; from now on this object is a plain `LoadedTable`."""
        rows = list(self._all())
        dict.clear(self)  # the file's order, not the order keys were first asked for
        dict.update(self, rows)
        self._absent = set()
        self.__class__ = LoadedTable  # type: ignore[assignment]
        return self  # type: ignore[return-value]

    def keys(self):  # type: ignore[override]
        return self.load().keys()

    def values(self):  # type: ignore[override]
        return self.load().values()

    def items(self):  # type: ignore[override]
        return self.load().items()


class _Set(set):
    __slots__ = ("_one", "_all", "_absent", "_misses", "_calls")  # a set is weakref-able


class LoadedSet(_Set):
    """A `LazySet` once read whole: a set, tested at C speed."""

    __slots__ = ()


class LazySet(_ReadsWhole, _Set):
    """A read-only set that asks the file about a member the first time it is tested."""

    __slots__ = ()

    def __init__(self, one: Callable[[Any], bool], every: Callable[[], Iterable[Any]]) -> None:
        super().__init__()
        self._one, self._all, self._absent, self._misses, self._calls = one, every, set(), 0, 0
        _LAZY.append(weakref.ref(self))

    def __contains__(self, key: object) -> bool:
        self._calls += 1
        if self._calls >= BULK_CALLS:  # a long run: C-speed tests from now on
            return key in self.load()
        if set.__contains__(self, key):
            return True
        if key in self._absent:
            return False
        found = self._one(key)
        self._misses += 1
        if found:
            set.add(self, key)
        else:
            self._absent.add(key)
        if self._misses >= BULK:
            self.load()
        return bool(found)

    def load(self) -> LoadedSet:
        """Read the whole set; from now on this object is a plain `LoadedSet`."""
        set.update(self, self._all())
        self._absent = set()
        self.__class__ = LoadedSet  # type: ignore[assignment]
        return self  # type: ignore[return-value]


_NONE = object()
# Every lazy object made in this process, for `read_all` (weak: a dropped index goes).
_LAZY: list[weakref.ref] = []


def read_all() -> int:
    """Read every lazy table and set alive in this process whole (see `Engine.preload`);
    returns how many were still lazy."""
    lazy = [t for t in (r() for r in _LAZY) if isinstance(t, LazyTable | LazySet)]
    _LAZY.clear()  # read whole, none needs tracking any more
    for t in lazy:
        t.load()
    return len(lazy)


def table(name: str, decode: Callable[[Any], Any] | None = None) -> LazyTable:
    """A `LazyTable` over table `name` (columns k, v) of the shipped file."""

    def one(key: Any) -> Any:
        rows = query(f"SELECT v FROM {name} WHERE k = ?", (key,))  # noqa: S608 - our names
        if not rows:
            return None
        return rows[0][0] if decode is None else decode(rows[0][0])

    def every() -> Iterable[tuple[Any, Any]]:
        rows = query(f"SELECT k, v FROM {name}")  # noqa: S608
        return rows if decode is None else ((k, decode(v)) for k, v in rows)

    return LazyTable(one, every)


def key_set(name: str) -> LazySet:
    """A `LazySet` over table `name` (column k) of the shipped file."""

    def one(key: Any) -> bool:
        return bool(query(f"SELECT 1 FROM {name} WHERE k = ?", (key,)))  # noqa: S608

    def every() -> Iterable[Any]:
        return (k for (k,) in query(f"SELECT k FROM {name}"))  # noqa: S608

    return LazySet(one, every)
