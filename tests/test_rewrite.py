"""Case transfer, article agreement and abbreviation periods in restored wording."""

from __future__ import annotations

import pytest

from despin.report import Edit, apply_edits
from despin.rewrite import plan_edit, surface_form, wants_an


@pytest.mark.parametrize(
    ("spun", "original", "expected"),
    [
        ("Sq.", "square", "Square"),
        ("sq.", "square", "square"),
        ("Crimson", "red", "Red"),
        ("CRIMSON", "red", "RED"),
        ("Visitor Home", "guest house", "Guest House"),
        ("international locations", "countries", "countries"),
        ("prime", "COVID-19", "COVID-19"),
        ("Worldwide Financial", "international monetary", "International Monetary"),
    ],
)
def test_surface_form_copies_case_pattern(spun: str, original: str, expected: str) -> None:
    assert surface_form(spun, original) == expected


@pytest.mark.parametrize(
    ("word", "an"),
    [("agreement", True), ("deal", False), ("hour", True), ("university", False), ("one", False)],
)
def test_wants_an(word: str, an: bool) -> None:
    assert wants_an(word) is an


def _edit(text: str, span: str, new: str) -> tuple[Edit | None, str]:
    start = text.index(span)
    e = plan_edit(text, start, start + len(span), new, 0.9, "r")
    return e, apply_edits(text, [e] if e else [])


def test_article_is_fixed_when_the_new_word_needs_the_other_one() -> None:
    e, out = _edit("They signed a settlement today.", "settlement", "agreement")
    assert out == "They signed an agreement today."
    assert e is not None and e.old == "a settlement"


def test_article_kept_when_it_already_fits() -> None:
    e, out = _edit("They signed an settlement today.", "settlement", "agreement")
    assert out == "They signed an agreement today."
    assert e is not None and e.old == "settlement"


def test_capital_article_keeps_its_capital() -> None:
    _, out = _edit("A settlement was signed.", "settlement", "agreement")
    assert out == "An agreement was signed."


def test_abbreviation_keeps_sentence_period_but_not_midsentence_one() -> None:
    assert _edit("They met in Lenin Sq. Then they left.", "Sq.", "Square")[1] == (
        "They met in Lenin Square. Then they left."
    )
    assert _edit("They met in Lenin Sq.", "Sq.", "Square")[1] == "They met in Lenin Square."
    assert _edit("crowds on the sq. itself", "sq.", "square")[1] == "crowds on the square itself"
    assert _edit("in Lenin Sq., with", "Sq.", "Square")[1] == "in Lenin Square, with"


def test_no_edit_when_nothing_changes() -> None:
    assert _edit("the chief said", "chief", "chief")[0] is None


@pytest.mark.parametrize(
    ("text", "new", "expected"),
    [
        ("2 sides met.", "two", "Two"),  # sentence start
        ("They met. 2 sides agreed.", "two", "Two"),
        ("“2 sides,” he said.", "two", "Two"),  # after an opening quote
        ("THE 2 SIDES MET", "two", "TWO"),  # shouted headline
        ("The 2 Sides Meet", "two", "Two"),  # title-case headline
        ("Officials of the 2 sides met.", "two", "two"),  # running text
    ],
)
def test_a_wording_without_letters_takes_the_case_of_its_place(
    text: str, new: str, expected: str
) -> None:
    start = text.index("2")
    edit = plan_edit(text, start, start + 1, new, 1.0, "t")
    assert edit is not None and edit.new == expected
