"""The Spark pandas UDF in local mode: one small DataFrame, results equal despin.score."""

from __future__ import annotations

import json
import os
import shutil
import sys

import pytest

import despin

SPUN = "The 2 international locations signed a brand new settlement final 12 months."
CLEAN = "The two countries signed a new agreement last year."

pytest.importorskip("pyspark", reason="needs the spark extra: pip install 'despin[spark]'")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("PySpark needs Java (17+), and none is installed", allow_module_level=True)


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable  # workers import despin from this venv
    session = (
        SparkSession.builder.master("local[1]")
        .appName("despin-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_udf_scores_a_text_column(spark) -> None:
    from despin.integrations.spark import score_udf

    rows = [(1, SPUN), (2, CLEAN), (3, None), (4, ""), (5, f"{CLEAN}\n\n{SPUN}")]
    df = spark.createDataFrame(rows, "id int, text string")
    out = df.withColumn("d", score_udf()("text")).select("id", "d.*").orderBy("id").collect()
    assert [r.id for r in out] == [1, 2, 3, 4, 5]
    for (_, text), r in zip(rows, out, strict=True):
        if text is None:
            assert r.score is None and r.n_spans is None and r.spans is None
            continue
        want = despin.score(text)
        assert r.score == pytest.approx(want.score)
        spans = json.loads(r.spans)
        assert r.n_spans == len(spans) == len(want.spans)
        assert [(m["offset"], m["text"]) for m in spans] == [(s.start, s.text) for s in want.spans]
    assert out[0].n_spans > 0 and out[0].score > out[1].score


def test_engine_is_built_once_per_process() -> None:
    from despin.integrations.spark import engine_for, score_batches

    pd = pytest.importorskip("pandas")
    assert engine_for() is engine_for()
    frames = list(score_batches([pd.Series([SPUN]), pd.Series([CLEAN, None])]))
    assert [len(f) for f in frames] == [1, 2]
    assert list(frames[0].columns) == ["score", "n_spans", "spans"]


def test_long_texts_are_chunked_like_the_cli() -> None:
    from despin.batch import score_many
    from despin.integrations.spark import score_batches

    pd = pytest.importorskip("pandas")
    long = "\n\n".join([SPUN, CLEAN] * 200)  # about 26,000 characters: two chunks
    (frame,) = score_batches([pd.Series([long])])
    (want,) = score_many([long])
    assert frame.score[0] == pytest.approx(want.score)
    assert [m["offset"] for m in json.loads(frame.spans[0])] == [s.start for s in want.spans]
