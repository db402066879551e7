"""Scoring many documents: in order, in bounded memory, on several cores.

`score_many` takes any iterable of texts (a generator over a crawl is fine) and yields
one Report per text in input order. With jobs > 1 the texts go to worker processes;
at most `window` texts are in flight at once, so neither inputs nor results pile up.
Workers are forked from a parent whose engine already has its tables loaded, so the
one-off table loading is paid once, not once per worker (where fork is unavailable,
each worker receives the engine once, in its initializer).

Texts longer than `max_chars` are cut at paragraph breaks and scored chunk by chunk
(see despin.chunking); their report merges the chunks.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .chunking import MAX_CHARS, Merger, iter_chunks
from .pipeline import DEFAULT_THRESHOLD, check_text, check_threshold
from .report import Report

_WORKER: dict[str, Any] = {"engine": None}


def _init_worker(engine) -> None:
    """Spawned workers get the engine pickled; forked ones already hold it."""
    if engine is not None:
        _WORKER["engine"] = engine


def _score_in_worker(text: str, threshold: float) -> Report:
    return _WORKER["engine"].score(text, threshold)


PRELOAD_AFTER = 100
"""Texts (chunks) after which one process reads every table whole: a short run stays
lazy (a one-page `despin score` starts in ~0.4 s), a long one runs at full speed."""


def resolve_jobs(jobs: int) -> int:
    """jobs <= 0 means one per core."""
    return jobs if jobs > 0 else (os.cpu_count() or 1)


def map_scores(
    texts: Iterable[str],
    jobs: int = 1,
    threshold: float = DEFAULT_THRESHOLD,
    engine=None,
    window: int | None = None,
) -> Iterator[Report]:
    """engine.score over `texts`, in order; jobs > 1 uses worker processes."""
    jobs = resolve_jobs(jobs)
    if engine is None:
        from .pipeline import default_engine

        engine = default_engine()
    if jobs == 1:
        for n, t in enumerate(texts):
            if n == PRELOAD_AFTER:  # a long run: read the tables whole (Engine.preload)
                engine.preload()
            yield engine.score(t, threshold)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    engine.preload()  # read the tables whole once: forked workers share them
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    if ctx.get_start_method() == "fork":
        _WORKER["engine"] = engine  # inherited by the forked workers, tables and all
        shipped = None
    else:  # pragma: no cover - platforms without fork
        shipped = engine
    window = window or 2 * jobs
    pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker, initargs=(shipped,))
    try:
        with pool as ex:
            pending: deque = deque()
            for t in texts:
                pending.append(ex.submit(_score_in_worker, t, threshold))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    finally:
        _WORKER["engine"] = None


@dataclass
class Part:
    """One chunk of one document on its way through the scorer."""

    doc: Any
    offset: int
    text: str
    last: bool


def document_parts(doc: Any, pieces: Iterable[str], max_chars: int = MAX_CHARS) -> Iterator[Part]:
    """The chunks of one document, the last one marked (one look-ahead chunk)."""
    prev: tuple[int, str] | None = None
    for chunk in iter_chunks(pieces, max_chars):
        if prev is not None:
            yield Part(doc, prev[0], prev[1], False)
        prev = chunk
    assert prev is not None  # iter_chunks yields at least one chunk
    yield Part(doc, prev[0], prev[1], True)


def score_parts(
    parts: Iterable[Part],
    jobs: int = 1,
    threshold: float = DEFAULT_THRESHOLD,
    engine=None,
    on_part: Callable[[Part, Report], None] | None = None,
    keep_spans: bool = True,
) -> Iterator[tuple[Any, Report, int]]:
    """(doc, merged report, number of chunks) per document, in input order.

    `on_part(part, chunk report with whole-text offsets)` sees every chunk as it is done
    (for progress and streamed output); with keep_spans=False the merged reports have
    no spans, so a document with millions of spans still fits in memory.
    """
    queue: deque[Part] = deque()

    def texts() -> Iterator[str]:
        for p in parts:
            queue.append(p)
            yield p.text

    merger = Merger(keep_spans)
    for report in map_scores(texts(), jobs, threshold, engine):
        part = queue.popleft()
        spans = merger.add(part.offset, report)
        if on_part is not None:
            on_part(part, Report(report.score, spans, report.n_words))
        if part.last:
            yield part.doc, merger.report(), merger.chunks
            merger = Merger(keep_spans)


def score_many(
    texts: Iterable[str],
    jobs: int = 1,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    engine=None,
    max_chars: int = MAX_CHARS,
) -> Iterator[Report]:
    """Score every text of `texts` (any iterable, consumed lazily); one Report each, in order.

    jobs > 1 scores on that many worker processes (jobs <= 0: one per core) with a
    bounded number of texts in flight; the tables are read whole first
    (`Engine.preload`), or after PRELOAD_AFTER texts in one process. `engine` defaults
    to the shipped lexicons and model. Texts longer than `max_chars` are scored in
    paragraph chunks and merged (despin.chunking).
    """
    check_threshold(threshold)
    parts = (
        part
        for i, t in enumerate(texts)
        for part in document_parts(i, (check_text(t, f"text {i}"),), max_chars)
    )
    for _, report, _ in score_parts(parts, jobs, threshold, engine):
        yield report
