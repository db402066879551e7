"""despin in Spark: an iterator-style pandas UDF that scores a text column.

    from despin.integrations.spark import score_udf
    df = df.withColumn("despin", score_udf()("text")).select("*", "despin.*")

Each Python worker builds the engine (lexicons and model) once, on its first batch,
and keeps it for every later batch and task it runs (Spark reuses Python workers by
default). The result is a struct of `score` (document spin probability), `n_spans`
and `spans` (the matches as JSON, the wire schema's `matches` list). Texts longer than
20,000 characters are scored in paragraph chunks, as on the command line.
Needs the `spark` extra: pip install 'despin[spark]'.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

RESULT_SCHEMA = "score double, n_spans int, spans string"

_ENGINES: dict[tuple, Any] = {}
pd: Any = None  # pandas, imported on first use


def engine_for(lexicon_paths: tuple[str, ...] = (), families: tuple[str, ...] = ()):
    """The engine for these settings, built once per process."""
    key = (lexicon_paths, families)
    if key not in _ENGINES:
        from despin.pipeline import Engine

        # An executor scores batch after batch: read the tables whole once, up front.
        _ENGINES[key] = Engine(lexicon_paths=lexicon_paths, families=families or None).preload()
    return _ENGINES[key]


def score_batches(
    batches: Iterable[Any],
    threshold: float | None = None,
    lexicon_paths: tuple[str, ...] = (),
    families: tuple[str, ...] = (),
) -> Iterator[Any]:
    """pandas Series of texts in, DataFrames of (score, n_spans, spans) out: the UDF body."""
    import pandas as pd

    from despin.batch import score_many
    from despin.pipeline import DEFAULT_THRESHOLD
    from despin.wire import match

    th = DEFAULT_THRESHOLD if threshold is None else threshold
    engine = engine_for(tuple(lexicon_paths), tuple(families))
    for texts in batches:
        present = [isinstance(t, str) for t in texts]
        reports = score_many((t for t in texts if isinstance(t, str)), engine=engine, threshold=th)
        rows = []
        for ok in present:
            if not ok:  # null (None or NaN) in, nulls out
                rows.append((None, None, None))
                continue
            report = next(reports)
            spans = json.dumps([match(s) for s in report.spans], ensure_ascii=False)
            rows.append((report.score, len(report.spans), spans))
        frame = pd.DataFrame(rows, columns=["score", "n_spans", "spans"])
        yield frame.astype({"score": "float64", "n_spans": "Int32"})


def score_udf(
    threshold: float | None = None,
    lexicon_paths: Iterable[str] = (),
    families: Iterable[str] = (),
):
    """A pandas UDF: text column -> struct<score double, n_spans int, spans string>.

    Null texts give a null struct fields. `lexicon_paths` must be readable on every
    executor (ship them with `spark.addFile` or a shared file system).
    """
    global pd  # pandas_udf reads the type hints below from this module's globals
    import pandas as pd
    from pyspark.sql.functions import pandas_udf

    lex, fams = tuple(str(p) for p in lexicon_paths), tuple(families)

    def despin_score(batches: Iterator[pd.Series]) -> Iterator[pd.DataFrame]:
        yield from score_batches(batches, threshold, lex, fams)

    return pandas_udf(despin_score, RESULT_SCHEMA)  # type: ignore[call-overload]
