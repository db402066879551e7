"""Malformed lexicon, model and synonym files fail with the loader's own clear error.

Truncated files, wrong versions, wrong types and random bytes give LexiconError or
ModelError (one line naming the file), never another exception; and nothing despin
loads can execute code (data formats only: TSV, JSON, gzip).
"""

from __future__ import annotations

import gzip
import importlib.resources
import json
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from despin import synonyms
from despin.lexicon import LexiconError, load_lexicon, parse_lexicon
from despin.model import ModelError, load_models, parse_models

ROOT = Path(__file__).parents[1]
LEXICON = (ROOT / "despin" / "lexicons" / "news.tsv").read_text(encoding="utf-8")[:3000]
MODEL_TEXT = (ROOT / "despin" / "models" / "despin-model.json").read_text(encoding="utf-8")
MODEL = json.loads(MODEL_TEXT)
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))


# --- lexicons ----------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=len(LEXICON)))
@FUZZ
def test_truncated_lexicon(cut: int) -> None:
    try:
        parse_lexicon(LEXICON[:cut], "t.tsv")
    except LexiconError as exc:
        assert str(exc).startswith("t.tsv")


_CELLS = st.one_of(st.text(max_size=6), st.sampled_from(["-1", "1.5", "x", "", "\t", "1e9"]))


@given(st.data())
@FUZZ
def test_mutated_lexicon_rows(data: st.DataObject) -> None:
    lines = LEXICON.splitlines()
    i = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    cells = lines[i].split("\t")
    j = data.draw(st.integers(min_value=0, max_value=len(cells) - 1))
    cells[j] = data.draw(_CELLS)
    lines[i] = "\t".join(cells)
    try:
        parse_lexicon("\n".join(lines), "m.tsv")
    except LexiconError as exc:
        assert str(exc).startswith("m.tsv") and "\n" not in str(exc)


@given(st.binary(max_size=300))
@FUZZ
def test_random_bytes_as_lexicon_file(
    tmp_path_factory: pytest.TempPathFactory, blob: bytes
) -> None:
    p = tmp_path_factory.mktemp("lex") / "r.tsv"
    p.write_bytes(blob)
    try:
        load_lexicon(p)
    except LexiconError as exc:
        assert str(p) in str(exc)


@pytest.mark.parametrize("version", ["0", "2", "1.0", "", "one"])
def test_wrong_lexicon_version(version: str) -> None:
    with pytest.raises(LexiconError, match=r"v\.tsv:1"):
        parse_lexicon(
            LEXICON.replace("# despin-lexicon: 1", f"# despin-lexicon: {version}"), "v.tsv"
        )


# --- models ------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(d, prefix=()):
    """Every (path) inside a JSON value, to mutate one place at a time."""
    yield prefix
    if isinstance(d, dict):
        for k, v in d.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(d, list):
        for i, v in enumerate(d):
            yield from _paths(v, (*prefix, i))


MODEL_PATHS = [p for p in _paths(MODEL) if p]


@given(st.sampled_from(MODEL_PATHS), json_values, st.booleans())
@FUZZ
def test_mutated_model_fails_clearly(path: tuple, value, delete: bool) -> None:
    data = json.loads(MODEL_TEXT)
    parent = data
    for k in path[:-1]:
        parent = parent[k]
    if delete and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    try:
        models = parse_models(data, "m.json")
    except ModelError as exc:
        assert str(exc).startswith("m.json") and "\n" not in str(exc)
        return
    # Accepted: then every regression is usable (finite numbers all the way through).
    linears = [*models.detectors.values(), models.ranker, models.document]
    for lin in linears:
        x = np.ones((1, len(lin.features)))
        assert np.isfinite(lin.logit(x)).all()


@pytest.mark.parametrize("key", ["mean", "scale", "coef", "intercept"])
# 1.149e308 is finite, but overflows the first product: hypothesis found it in a weight.
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), 1.1491788253041948e308])
def test_nan_and_infinity_are_refused(key: str, bad: float) -> None:
    data = json.loads(MODEL_TEXT)
    if key == "intercept":
        data["document"][key] = bad
    else:
        data["document"][key][0] = bad
    text = json.dumps(data)  # json writes NaN / Infinity, and json.loads reads them back
    with pytest.raises(ModelError, match=rf"document\.{key}' must be .*finite"):
        parse_models(json.loads(text), "n.json")


@given(json_values)
@FUZZ
def test_random_json_is_not_a_model(value) -> None:
    with pytest.raises(ModelError):
        parse_models(value, "r.json")


@given(st.integers(min_value=0, max_value=len(MODEL_TEXT.rstrip()) - 1))  # whole JSON: valid
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_truncated_model_file(tmp_path_factory: pytest.TempPathFactory, cut: int) -> None:
    p = tmp_path_factory.mktemp("model") / "t.json"
    p.write_text(MODEL_TEXT[:cut], encoding="utf-8")
    with pytest.raises(ModelError, match=re.escape(str(p))):
        load_models(p)


@given(st.binary(max_size=300))
@FUZZ
def test_random_bytes_as_model_file(tmp_path_factory: pytest.TempPathFactory, blob: bytes) -> None:
    p = tmp_path_factory.mktemp("model") / "r.json"
    p.write_bytes(blob)
    with pytest.raises(ModelError):
        load_models(p)


@pytest.mark.parametrize("version", [0, 2, "1", None, 1.5])
def test_wrong_model_version(version) -> None:
    data = json.loads(MODEL_TEXT)
    data["version"] = version
    with pytest.raises(ModelError, match="version"):
        parse_models(data, "v.json")


# --- the synonym table -------------------------------------------------------------------------


def _load_synonyms(monkeypatch: pytest.MonkeyPatch, folder: Path):
    fake = SimpleNamespace(resources=SimpleNamespace(files=lambda _pkg: folder))
    monkeypatch.setattr(synonyms, "importlib", fake)
    synonyms.relations_table.cache_clear()
    try:
        return synonyms.relations_table()
    finally:
        synonyms.relations_table.cache_clear()


def test_synonym_table_wrong_header(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "synonyms.tsv.gz").write_bytes(gzip.compress(b"# despin-synonyms: 9\n"))
    with pytest.raises(LexiconError, match="synonyms.tsv.gz"):
        _load_synonyms(monkeypatch, tmp_path)


@pytest.mark.parametrize(
    "blob",
    [b"not gzip at all", gzip.compress(b"# despin-synonyms: 1\nword\tx|s\n")[:-9],
     gzip.compress(b"# despin-synonyms: 1\nw\xff\tx|s\n")],
    ids=["not-gzip", "truncated", "bad-utf8"],
)  # fmt: skip
def test_damaged_synonym_table(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, blob: bytes
) -> None:
    (tmp_path / "synonyms.tsv.gz").write_bytes(blob)
    with pytest.raises(LexiconError):
        _load_synonyms(monkeypatch, tmp_path)


def test_shipped_synonyms_still_load_after_fuzzing() -> None:
    assert importlib.resources.files("despin.lexicons").joinpath("synonyms.tsv.gz").is_file()
    assert len(synonyms.relations_table()) > 1000


# --- nothing loaded can run code -----------------------------------------------------------------

_CODE_LOADERS = re.compile(
    r"\bimport (pickle|marshal|shelve|dill|joblib|cloudpickle)\b|\bfrom (pickle|marshal|shelve|"
    r"joblib) import|\b(eval|exec)\(|allow_pickle\s*=\s*True|yaml\.(unsafe_)?load\(|__import__\("
)


def test_no_loader_can_execute_code() -> None:
    offenders = [
        f"{p.relative_to(ROOT)}:{i}: {line.strip()}"
        for p in sorted((ROOT / "despin").rglob("*.py"))
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if _CODE_LOADERS.search(line)
    ]
    assert offenders == []
    shipped = [p for p in (ROOT / "despin").rglob("*") if p.is_file()]
    assert not [p for p in shipped if p.suffix in (".pkl", ".pickle", ".joblib", ".npy", ".npz")]


def test_model_strings_are_data(tmp_path: Path) -> None:
    data = json.loads(MODEL_TEXT)
    data["created_by"] = "__import__('os').system('touch pwned')"
    data["ranker"]["features"] = ["__import__('os')"]
    p = tmp_path / "m.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError, match="features do not match"):
        load_models(p)
    assert not (Path.cwd() / "pwned").exists()


# --- the stored term index ---------------------------------------------------------------------


def _tiny_index():
    from despin import tortured
    from despin.lexicon import Entry

    entries = [
        Entry(
            "irregular woodland",
            "irregular woodland",
            "random forest",
            1,
            0,
            "t",
            "tortured-science",
        ),
        Entry(
            "profound learning", "profound learning", "deep learning", 1, 0, "t", "tortured-science"
        ),
        Entry(
            "irregular variable",
            "irregular variable",
            "random variable",
            1,
            0,
            "t",
            "tortured-science",
        ),
    ]
    return tortured.build_index(entries, extra_terms=["decision tree"])


def _stored(tmp_path: Path, index, drop: str | None = None, bad: str | None = None):
    """`index` written and read back; `drop` a table, or give `bad` a row of wrong types."""
    import sqlite3

    from despin import store, termstore

    rows = termstore.rows(index)
    if bad is not None:
        width = {"term_swaps": 3, "term_swap_counts": 4, "term_markers": 3}[bad]
        rows[bad] = [*rows[bad], (len(rows[bad]), *[None] * (width - 1))]
    tables = [(t, c, rows[t]) for t, c in termstore.SCHEMA.items() if t != drop]
    tables = [(t, c.replace(" NOT NULL", ""), r) for t, c, r in tables]
    p = tmp_path / "terms.sqlite"
    store.write(p, tables, {})
    con = sqlite3.connect(p)
    return termstore.read(lambda sql, args: con.execute(sql, args).fetchall(), "t.sqlite")


def test_term_index_round_trips_through_sqlite(tmp_path: Path) -> None:
    index = _tiny_index()
    again = _stored(tmp_path, index)
    assert again.by_start.get((2, "random")) == {
        "forest": (("random", "forest"),),
        "variable": (("random", "variable"),),
    }
    assert "random forest" in again.terms and "forest random" not in again.terms
    assert again == index
    assert list(again.by_start) == list(index.by_start)


@pytest.mark.parametrize(
    "table", ["term_swaps", "term_swap_counts", "term_markers", "term_swappable"]
)
def test_damaged_term_index_fails_clearly(tmp_path: Path, table: str) -> None:
    damage = [{"drop": table}] + ([{"bad": table}] if table != "term_swappable" else [])
    for kwargs in damage:
        with pytest.raises(LexiconError, match="^t.sqlite: damaged term index") as exc:
            _stored(tmp_path, _tiny_index(), **kwargs)
        assert "\n" not in str(exc.value)


def test_damaged_term_starts_fail_clearly_on_lookup(tmp_path: Path) -> None:
    from despin import tortured

    index = _stored(tmp_path, _tiny_index(), drop="term_starts")
    with pytest.raises(LexiconError, match="^t.sqlite: damaged term index"):
        tortured._tables(index)[2].get("random")
