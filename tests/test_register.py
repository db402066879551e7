"""The register gate in front of the tortured-phrase generator (`despin.register`).

The texts are written for these tests: a local news report and a methods paragraph.
"""

from __future__ import annotations

import pytest

from despin import register
from despin.pipeline import Engine, default_engine
from despin.tortured import SOURCE

NEWS = (
    "The mayor spoke to a crowd of several hundred people in the inexperienced Square on "
    "Saturday morning, promising that the city would repair the old bridge before the "
    "winter. Residents had complained for months about the traffic on the main road, and "
    "shop owners said their sales had fallen since the works began. The council voted "
    "last week to spend more on buses and to close two streets to cars on market days. "
    "Opposition members called the plan rushed and asked for a public meeting before any "
    "money is spent. A spokesman for the mayor said the first buses would arrive in the "
    "spring, and that the bridge repairs would be paid for by the national government. "
    "The crowd cheered when the band began to play, and the event ended peacefully in the "
    "early afternoon."
)

METHODS = (
    "We trained a classifier on the labelled samples and compared it with a support "
    "vector machine and a haphazard woodland on the same features. The training set held "
    "four thousand images, and the test set one thousand. Feature extraction used a "
    "convolutional network pretrained on a larger dataset, and the learning rate was "
    "tuned by cross validation. Accuracy, precision and recall were computed for each "
    "class, and the confusion matrix showed that most errors came from two similar "
    "classes. The regression model of the second experiment predicted the error rate "
    "from the image resolution. We report the mean and the standard deviation over five "
    "runs with different random seeds, and the code and the data are available on "
    "request. Further work will study the effect of noise on the classifier and on the "
    "estimation of its parameters."
)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return default_engine()


def _generated(engine: Engine, text: str) -> list[tuple[str, str]]:
    return [
        (s.text, s.suggestions[0].text)
        for s in engine.score(text).spans
        if s.suggestions and s.suggestions[0].source == SOURCE
    ]


def test_news_reads_below_the_bar_and_science_above(engine: Engine) -> None:
    index = engine.tortured_index
    assert index is not None
    news, methods = (engine.analyze(t) for t in (NEWS, METHODS))
    assert news.n_words >= register.REGISTER_WORDS <= methods.n_words
    assert register.technical_rate(news.words, index) < register.REGISTER_MIN
    assert register.technical_rate(methods.words, index) >= 2 * register.REGISTER_MIN
    assert not register.scientific(news.words, news.n_words, index)
    assert register.scientific(methods.words, methods.n_words, index)


def test_short_text_always_meets_the_generator(engine: Engine) -> None:
    index = engine.tortured_index
    assert index is not None
    a = engine.analyze("The mayor spoke to the crowd on Saturday morning.")
    assert register.technical_rate(a.words, index) < register.REGISTER_MIN
    assert a.n_words < register.REGISTER_WORDS
    assert register.scientific(a.words, a.n_words, index)


def test_no_rebuilt_term_in_long_news_but_one_in_science(engine: Engine) -> None:
    assert _generated(engine, NEWS) == []
    assert ("haphazard woodland", "random forest") in _generated(engine, METHODS)


def test_science_family_alone_has_no_gate() -> None:
    """`--family science`: the user says the text is science; the generator looks at it."""
    sci = Engine(families=["tortured-science"])
    assert ("inexperienced Square", "green square") in _generated(sci, NEWS)


def test_technical_rate_of_no_words_is_zero(engine: Engine) -> None:
    index = engine.tortured_index
    assert index is not None
    assert register.technical_rate([], index) == 0.0
    assert register.technical_rate([None, None], index) == 0.0
