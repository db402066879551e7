"""score_many: in order, same results on several cores, lazy and bounded."""

from __future__ import annotations

import itertools

import pytest

import despin
from despin.batch import map_scores
from despin.pipeline import Engine

SPUN = "The 2 international locations signed a brand new settlement final 12 months."
CLEAN = "The two countries signed a new agreement last year."


def key(r: despin.Report) -> tuple:
    return (round(r.score, 9), r.n_words, tuple((s.start, s.end, s.text) for s in r.spans))


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [SPUN, CLEAN, "", f"{CLEAN} {SPUN}", "Nothing to see here.", SPUN * 3] * 2


def test_one_report_per_text_in_order(texts: list[str]) -> None:
    reports = list(despin.score_many(texts))
    assert [key(r) for r in reports] == [key(despin.score(t)) for t in texts]


def test_two_jobs_give_the_same_results_in_order(texts: list[str]) -> None:
    one = [key(r) for r in despin.score_many(texts, jobs=1)]
    two = [key(r) for r in despin.score_many(iter(texts), jobs=2)]
    assert two == one
    assert one[0] != one[1]  # the order is visible: spun and clean differ


def test_inputs_are_consumed_lazily_within_the_window() -> None:
    pulled = []

    def gen():
        for i in itertools.count():
            pulled.append(i)
            yield SPUN if i % 2 else CLEAN

    stream = map_scores(gen(), jobs=2, window=3)
    first = [next(stream) for _ in range(4)]
    assert len(first) == 4
    assert len(pulled) <= 4 + 3  # never more than the window ahead of what was yielded
    stream.close()


def test_long_text_is_chunked_and_merged() -> None:
    text = "\n\n".join([SPUN, CLEAN] * 30)
    (whole,) = despin.score_many([text], max_chars=10**7)
    (chunked,) = despin.score_many([text], max_chars=400)
    assert [s.text for s in chunked.spans] == [s.text for s in whole.spans]
    assert chunked.n_words == whole.n_words
    assert all(text[s.start : s.end] == s.text for s in chunked.spans)


def test_user_engine_is_used_in_workers(tmp_path) -> None:
    lex = tmp_path / "mine.tsv"
    lex.write_text(
        "# despin-lexicon: 1\n# name: mine\n# family: news-spinner\n"
        "spun\toriginal\tn_spun\tn_clean\nfrobnicated velocipede\tbicycle\t5\t0\n"
    )
    engine = Engine(lexicon_paths=[lex])
    text = "He rode a frobnicated velocipede to the 2 international locations summit."
    for jobs in (1, 2):
        (r,) = despin.score_many([text], jobs=jobs, engine=engine, threshold=0.0)
        assert any(s.rule_id == "mine:frobnicated velocipede>bicycle" for s in r.spans)


def test_a_long_run_in_one_process_preloads_once(monkeypatch) -> None:
    from despin import batch

    monkeypatch.setattr(batch, "PRELOAD_AFTER", 3)
    engine = Engine()
    calls: list[int] = []
    real = engine.preload
    monkeypatch.setattr(engine, "preload", lambda: calls.append(1) or real())
    texts = [SPUN, CLEAN] * 4
    got = [key(r) for r in map_scores(iter(texts[:2]), jobs=1, engine=engine)]
    assert calls == []  # a short run stays lazy
    got = [key(r) for r in map_scores(iter(texts), jobs=1, engine=engine)]
    assert calls == [1]
    assert got == [key(engine.score(t)) for t in texts]
