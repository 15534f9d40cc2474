"""LiveCodeBench: a claim is scored on the mean pass@1 over the problems of its own window."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from releases.scoring import score_claim
from releases.scoring.inputs import Benchmark
from releases.scoring.windows import problem_window, windowed_figures
from tests.scoring.builders import AS_OF, INSTRUCT, claim, measurement

LCB = Benchmark("livecodebench", "LiveCodeBench", "percent")


def released(day: str, value: float, problems: int, **kwargs) -> object:  # type: ignore[no-untyped-def]
    return measurement(
        value,
        LCB,
        evaluator="LiveCodeBench",
        conditions={"problem_date": f"{day}T00:00:00Z"},
        sample_size=problems,
        **kwargs,
    )


ROWS = [
    released("2024-09-15", 90.0, 100),  # before both windows
    released("2024-10-05", 60.0, 40),
    released("2024-11-20", 30.0, 60),
    released("2025-01-10", 10.0, 100),
    released("2025-03-01", 0.0, 50),  # after both windows: the data reaches past their end
]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("10/01/2024-02/01/2025", dt.date(2024, 10, 1), dt.date(2025, 2, 1)),
        ("2305-2409", dt.date(2023, 5, 1), dt.date(2024, 9, 30)),
        ("2024-08 to 2024-11", dt.date(2024, 8, 1), dt.date(2024, 11, 30)),
        ("2024-08-01 to 2024-11-15", dt.date(2024, 8, 1), dt.date(2024, 11, 15)),
    ],
)
def test_windows_as_vendors_write_them(text: str, first: dt.date, last: dt.date) -> None:
    start, end = problem_window(text)  # type: ignore[misc]
    assert (start.date(), end.date()) == (first, last)
    assert (start.time(), end.time()) == (dt.time.min, dt.time.max)  # both ends included whole


@pytest.mark.parametrize("text", ["recent", "13/45/2024-01/01/2025", "2025-01 to 2024-01", None, 5])
def test_an_unreadable_window_is_none(text: object) -> None:
    assert problem_window(text) is None


def test_two_windows_count_different_problems_and_give_two_results() -> None:
    autumn = windowed_figures(claim(40.0, LCB, conditions={"date_range": "2410-2411"}), ROWS)
    winter = windowed_figures(
        claim(40.0, LCB, conditions={"date_range": "11/01/2024-02/01/2025"}), ROWS
    )
    [autumn_figure], [winter_figure] = autumn, winter
    # Oct-Nov 2024: 40 problems at 60 and 60 at 30 -> (2400 + 1800) / 100.
    assert (autumn_figure.value, autumn_figure.sample_size) == (pytest.approx(42.0), 100)
    # Nov 2024 - 1 Feb 2025: 60 at 30 and 100 at 10 -> (1800 + 1000) / 160.
    assert (winter_figure.value, winter_figure.sample_size) == (pytest.approx(17.5), 160)
    assert autumn_figure.conditions == {"date_range": "2410-2411"}
    assert autumn_figure.part_ids == tuple(sorted(r.id for r in ROWS[1:3]))

    scored_autumn = score_claim(
        claim(40.0, LCB, conditions={"date_range": "2410-2411"}), ROWS, AS_OF
    )
    scored_winter = score_claim(
        claim(40.0, LCB, conditions={"date_range": "11/01/2024-02/01/2025"}), ROWS, AS_OF
    )
    assert scored_autumn.aggregate == pytest.approx(42.0)
    assert scored_winter.aggregate == pytest.approx(17.5)
    assert scored_autumn.verdict == "holds"
    assert scored_winter.verdict == "substantially_overstated"
    # Every problem release the figure pooled is listed as used.
    assert scored_winter.measurement_ids == tuple(sorted(r.id for r in ROWS[2:4]))
    assert "LiveCodeBench measured 17.5%" in scored_winter.explanation


def test_without_a_window_the_per_date_rows_are_slices_and_check_nothing() -> None:
    scored = score_claim(claim(40.0, LCB, conditions={"metric": "Pass@1"}), ROWS, AS_OF)
    assert scored.verdict == "not_comparable"
    assert scored.aggregate is None


def test_a_window_the_data_does_not_reach_the_end_of_is_not_scored() -> None:
    early = [r for r in ROWS if r.conditions["problem_date"] < "2025-01"]
    assert windowed_figures(claim(40.0, LCB, conditions={"date_range": "2411-2502"}), early) == []


def test_evaluators_and_models_are_pooled_apart() -> None:
    other_model = [dataclasses.replace(r, id=r.id + 1000, variant_id=9) for r in ROWS]
    figures = windowed_figures(
        claim(40.0, LCB, conditions={"date_range": "2410-2411"}), ROWS + other_model
    )
    assert sorted(f.variant_id for f in figures) == [INSTRUCT.id, 9]
