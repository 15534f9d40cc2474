"""The scoring's words for units, claim kinds and verdicts are the database's choices.

The scoring is pure and cannot import the models, so it spells these values itself; this test
is what keeps the two spellings one vocabulary.
"""

from __future__ import annotations

from releases import methodology
from releases.models import Benchmark, Claim, GapScore
from releases.scoring import explanation, method, units
from releases.scoring.inputs import CLAIM_KINDS


def test_units_are_the_benchmark_units():
    assert set(units.UNITS) == set(Benchmark.Unit.values)


def test_every_unit_has_thresholds_a_name_and_a_format():
    assert set(method.THRESHOLDS) == set(units.UNITS)
    assert set(methodology.UNIT_NAMES) == set(units.UNITS)
    for unit in units.UNITS:
        assert units.format_value(12.0, unit)
        assert units.format_threshold(1.0, unit)


def test_claim_kinds_are_the_claim_kinds():
    assert set(CLAIM_KINDS) == set(Claim.Kind.values)


def test_verdicts_are_the_gap_score_verdicts():
    assert set(method.VERDICTS) == set(GapScore.Verdict.values)
    assert set(explanation.VERDICT_WORDS) == set(GapScore.Verdict.values)
