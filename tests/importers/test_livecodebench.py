"""LiveCodeBench per-problem results: every problem kept, pooled exactly over any window."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest

from releases.importers.base import ParseError
from releases.scoring.inputs import Benchmark, MeasuredFigure
from releases.scoring.windows import problem_window, released_at, windowed_figures
from tests.importers.conftest import natural_keys, parse_result, parsed, read
from tests.scoring.builders import claim

FILE = "livecodebench/performances_generation.json"
LCB = Benchmark("livecodebench", "LiveCodeBench", "percent")


def rows():
    return parsed("livecodebench", FILE)


def performances() -> list[dict]:
    return json.loads(read(FILE))["performances"]


def test_every_problem_of_every_model_is_kept_once() -> None:
    assert len(performances()) == 16_880
    by_model = Counter()
    for row in rows():
        assert row.benchmark == "livecodebench"
        by_model[row.raw_model_name] += row.sample_size
    assert len(by_model) == 16
    assert set(by_model.values()) == {1055}
    assert sum(len(row.metadata["question_ids"]) for row in rows()) == 16_880
    keys = natural_keys(rows())
    assert len(keys) == len(set(keys))
    assert "DeepSeek-V3" in by_model and not [name for name in by_model if "Llama" in name]


def test_rows_hold_the_release_time_and_the_model_description() -> None:
    first = min(
        (row for row in rows() if row.raw_model_name == "DeepSeek-V3"),
        key=lambda row: row.conditions["problem_date"],
    )
    assert first.conditions == {"problem_date": "2023-05-08T00:00:00Z"}
    assert first.metadata["model_name"] == "deepseek-chat"
    assert first.metadata["pass_at_1_sum"] == pytest.approx(first.value * first.sample_size)
    # Contest times are kept to the minute (18:30 UTC), not rounded to a day.
    assert any(row.conditions["problem_date"].endswith("T18:30:00Z") for row in rows())


def _mean_over_problems(model: str, window: str) -> tuple[float, int]:
    """The oracle: straight from the file, the mean pass@1 of the model's problems in the window."""
    start, end = problem_window(window)  # type: ignore[misc]
    scores = [
        p["pass@1"]
        for p in performances()
        if p["model"] == model
        and start <= dt.datetime.fromtimestamp(p["date"] / 1000, tz=dt.UTC) <= end
    ]
    return sum(scores) / len(scores), len(scores)


def _as_measurements(model: str) -> list[MeasuredFigure]:
    return [
        MeasuredFigure(
            id=index,
            benchmark=LCB,
            variant_id=1,
            value=row.value,
            as_of=dt.date(2025, 4, 22),
            evaluator="LiveCodeBench",
            conditions=row.conditions,
            sample_size=row.sample_size,
            source="livecodebench",
        )
        for index, row in enumerate(rows(), start=1)
        if row.raw_model_name == model
    ]


@pytest.mark.parametrize("window", ["10/01/2024-02/01/2025", "2408-2411", "2305-2409"])
def test_the_pooled_figure_is_the_mean_over_the_windows_problems_exactly(window: str) -> None:
    [figure] = windowed_figures(
        claim(37.6, LCB, conditions={"date_range": window}), _as_measurements("DeepSeek-V3")
    )
    mean, count = _mean_over_problems("DeepSeek-V3", window)
    assert figure.sample_size == count
    assert figure.value == pytest.approx(mean, abs=1e-9)
    assert all(released_at(m) for m in _as_measurements("DeepSeek-V3"))


def test_two_windows_two_results_on_the_real_file() -> None:
    measurements = _as_measurements("DeepSeek-V3")
    llama_window = windowed_figures(
        claim(40.0, LCB, conditions={"date_range": "10/01/2024-02/01/2025"}), measurements
    )
    qwen_window = windowed_figures(
        claim(40.0, LCB, conditions={"date_range": "2305-2409"}), measurements
    )
    assert llama_window[0].value != pytest.approx(qwen_window[0].value)
    assert llama_window[0].sample_size != qwen_window[0].sample_size


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b'{"performances": [{"question_id": "1", "model": "m", "date": 1}]}', "pass@1"),
        (
            b'{"performances": [{"question_id": "1", "model": "m", "date": "x", "pass@1": 5}]}',
            "date",
        ),
        (
            b'{"performances": [{"question_id": "1", "model": "m", "date": 1, "pass@1": 150}]}',
            "pass@1",
        ),
    ],
)
def test_a_broken_problem_names_its_index_and_field(raw: bytes, field: str) -> None:
    with pytest.raises(ParseError) as excinfo:
        parse_result("livecodebench", raw, "performances_generation.json")
    assert (excinfo.value.row, excinfo.value.field) == ("performances[0]", field)


def test_a_repeated_problem_is_reported_not_counted_twice() -> None:
    entry = {"question_id": "1", "model": "m", "date": 0, "pass@1": 50.0}
    raw = json.dumps({"performances": [entry, {**entry, "pass@1": 100.0}]}).encode()
    result = parse_result("livecodebench", raw, "performances_generation.json")
    assert [(row.value, row.sample_size) for row in result] == [(50.0, 1)]
    assert len(result.skipped) == 1
    with pytest.raises(ParseError):
        parse_result("livecodebench", b'{"models": []}', "performances_generation.json")
