"""Every `# example:` of a shipped lexicon is restored, and its original is left alone."""

from __future__ import annotations

import pytest

import despin
from despin.lexicon import shipped_lexicons

EXAMPLES = [
    pytest.param(spun, original, id=f"{lx.name}-{i}")
    for lx in shipped_lexicons()
    for i, (spun, original) in enumerate(lx.examples)
]


@pytest.mark.parametrize(("spun", "original"), EXAMPLES)
def test_example_is_restored(spun: str, original: str) -> None:
    assert despin.restore(spun).text == original


@pytest.mark.parametrize(("spun", "original"), EXAMPLES)
def test_example_original_is_left_alone(spun: str, original: str) -> None:
    assert despin.restore(original).edits == ()
