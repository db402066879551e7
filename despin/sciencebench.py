"""Tortured-phrase benchmark: k-fold over the PPS list, phrases placed in sentences.

For each fold, despin is built from the other folds' pairs (science lexicon and the
word swaps the generator learns from them) and scored on the held-out fold's
tortured phrases put into sentences written for this benchmark, and on the same
sentences with the expected phrase instead (false flags). The sentences and the
clean paragraphs below are despin's own, in several fields; none is third-party text.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# "{}" takes a technical noun phrase; spread over fields so no one style dominates.
TEMPLATES = (
    "In the second experiment we relied on {} to compare the two groups.",
    "Our results indicate that {} plays an important role in this setting.",
    "Previous studies have used {} with mixed success.",
    "The authors describe how {} was adapted to the new hardware.",
    "We discuss the limitations of {} at the end of this section.",
    "A short overview of {} is given in the appendix.",
    "Patients were followed for six months and {} was assessed at each visit.",
    "The soil samples were analysed with {} before and after irrigation.",
    "In the proposed controller, {} reduces the settling time.",
    "Figure 4 shows how {} changes with temperature.",
    "The survey data were examined with {} to explain regional differences.",
    "Since {} is costly, we only applied it to the final candidates.",
    "The reviewers asked for more detail on {} and its parameters.",
    "We found no study that combines {} with field measurements.",
    "During calibration, {} was checked against a reference instrument.",
    "The course introduces students to {} through weekly exercises.",
)

CLEAN_PARAGRAPHS = (
    # computer science
    "We trained a convolutional neural network on the labelled images and compared it "
    "with a random forest and a support vector machine. Deep learning gave the highest "
    "accuracy, while the random forest was faster to train. Feature extraction and data "
    "augmentation were applied before training.",
    # medicine
    "The trial enrolled adults with type 2 diabetes and high blood pressure. Blood "
    "samples were taken at baseline and after twelve weeks. The primary outcome was the "
    "change in blood glucose; adverse events were recorded at every visit.",
    # biology
    "Gene expression was measured in leaf tissue under drought stress. Cell division "
    "slowed in the root tip, and the plants closed their stomata within hours. These "
    "results point to a fast hormonal response.",
    # physics
    "The laser beam was focused on the sample, and the signal to noise ratio improved "
    "after cooling the detector. The magnetic field was held constant while the "
    "temperature was varied between ten and three hundred kelvin.",
    # engineering
    "The control system uses a feedback loop to keep the motor speed constant. Under "
    "heavy load, the power consumption rose and the efficiency of the drive fell. A "
    "simple model of the friction explained most of the loss.",
    # economics
    "We estimate the effect of interest rates on house prices with panel data from "
    "forty regions. The results are robust to the choice of time period, and the "
    "standard errors are clustered by region.",
    # chemistry
    "The reaction was carried out at room temperature in a sealed vessel. The product "
    "was purified by column chromatography, and its structure was confirmed by mass "
    "spectrometry and nuclear magnetic resonance.",
    # neuroscience (prose that resembles some list fingerprints)
    "Brain organization changes during adolescence, and feedback processing in the "
    "frontal cortex matures late. A malignant growth in this region can disturb both.",
    # earth science
    "Rainfall data from weather stations were combined with satellite images to map "
    "flood risk. Climate change is expected to increase heavy rainfall in the region.",
    # statistics
    "A linear regression model was fitted to the data, and the standard deviation of "
    "the residuals was small. Cross validation confirmed that the model generalises.",
)


# News sentences that use words tortured phrases are made of in their own, ordinary
# sense: a tortured-science flag here is a false one (scripts/science_figures.py counts).
SPINNER_WORDS_IN_NEWS = (
    "The minister admitted a costly blunder during the debate.",
    "The coach praised the vitality of his young squad.",
    "Critics called the decision a tactical blunder by the government.",
    "The city has regained its economic vitality after the crisis.",
    "Residents reported the commotion outside the stadium late on Friday.",
    "A shrewd investor bought the shares early.",
    "The savvy shopper compared prices online.",
    "The team suffered a painful misfortune in the final minutes.",
    "Her keen interest in politics began at school.",
    "The fluffy kitten slept on the warm blanket.",
    "They launched a fierce assault on the northern town.",
    "The hearing examined the genuine concerns of local farmers.",
    "The cruel winter destroyed the harvest.",
    "The report highlights the profound changes in rural life.",
    "Officials blamed a calculation mistake for the budget gap.",
    "A ghastly accident closed the motorway for hours.",
    "He gave a rousing speech about national wellbeing and pride.",
    "The bogus charity collected thousands of dollars.",
)


@dataclass
class Outcome:
    """Counts for one benchmark run; rates are properties."""

    n_tortured: int = 0
    flagged: int = 0  # tortured phrase overlapped by a flagged span
    restored: int = 0  # and the top suggestion is the expected phrase
    spans_in_tortured_sentences: int = 0
    spans_on_tortured: int = 0
    n_clean_sentences: int = 0
    clean_flags: int = 0  # flagged spans in the sentences with the expected phrase
    misses: list[tuple[str, str]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return _ratio(self.flagged, self.n_tortured)

    @property
    def precision(self) -> float:
        return _ratio(self.spans_on_tortured, self.spans_in_tortured_sentences)

    @property
    def top1(self) -> float:
        return _ratio(self.restored, self.n_tortured)

    @property
    def clean_flags_per_100(self) -> float:
        return 100.0 * _ratio(self.clean_flags, self.n_clean_sentences)

    def add(self, other: Outcome) -> None:
        for name in (
            "n_tortured", "flagged", "restored", "spans_in_tortured_sentences",
            "spans_on_tortured", "n_clean_sentences", "clean_flags",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses.extend(other.misses)


def _ratio(num: int, den: int) -> float:
    return num / den if den else float("nan")


def _norm(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def run(
    pairs: Sequence[tuple[str, tuple[str, ...]]],
    score: Callable[[str], object],
    seed: int = 0,
) -> Outcome:
    """Place each tortured phrase in a sentence, then its first expected phrase instead.

    `score(text)` returns a Report. Restoration counts when the text rewritten with
    the top suggestions of the overlapping spans contains any expected phrase.
    """
    rng = random.Random(seed)
    out = Outcome()
    for tortured, expected in pairs:
        before, after = rng.choice(TEMPLATES).split("{}")
        start, end = len(before), len(before) + len(tortured)
        text = before + tortured + after
        spans = score(text).spans  # type: ignore[attr-defined]
        hit = [s for s in spans if s.start < end and s.end > start]
        out.n_tortured += 1
        out.spans_in_tortured_sentences += len(spans)
        out.spans_on_tortured += len(hit)
        if hit:
            out.flagged += 1
            for s in sorted(hit, key=lambda s: s.start, reverse=True):
                if s.suggestions:
                    text = text[: s.start] + s.suggestions[0].text + text[s.end :]
            if any(_norm(e) in _norm(text) for e in expected):
                out.restored += 1
        else:
            out.misses.append((tortured, expected[0]))
        clean_spans = score(before + expected[0] + after).spans  # type: ignore[attr-defined]
        out.n_clean_sentences += 1
        out.clean_flags += len(clean_spans)
    return out


def folds(
    pairs: Sequence[tuple[str, str]], k: int = 5, seed: int = 0
) -> list[list[tuple[str, tuple[str, ...]]]]:
    """Tortured phrases (with all their expected phrases) shuffled into `k` folds."""
    by_tortured: dict[str, list[str]] = {}
    for t, e in pairs:
        by_tortured.setdefault(_norm(t), []).append(e)
    keys = sorted(by_tortured)
    random.Random(seed).shuffle(keys)
    return [[(key, tuple(by_tortured[key])) for key in keys[i::k]] for i in range(k)]
