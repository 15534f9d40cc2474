"""A benchmark scored over a window of problem dates (LiveCodeBench).

LiveCodeBench publishes pass@1 per problem, with the date each problem was released, and no
aggregate: a vendor quotes the mean pass@1 over the problems of a window of dates ("LiveCodeBench
(10/01/2024-02/01/2025)", "LiveCodeBench 2305-2409"). The importer stores one row per model and
problem release time (the mean of those problems, their count as `sample_size`, the time as the
condition `problem_date`). Here, for a claim that states its window (`date_range`), the rows of
each evaluator inside the window are pooled into one figure: the count-weighted mean, which is the
mean over the window's problems exactly, with the number of problems as its sample size. A row
outside the window never counts; a claim that states no window cannot be scored on these rows
(each is a slice of the benchmark, `problem_date` being a scope condition).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import replace

from releases.conditions import canonical_conditions
from releases.scoring.inputs import ClaimInput, MeasuredFigure

PROBLEM_DATE = "problem_date"
WINDOW = "date_range"

# "10/01/2024-02/01/2025" (month/day/year, as the Llama 4 card writes it).
_US_DAYS = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\s*[-–]\s*(\d{1,2})/(\d{1,2})/(\d{4})$")
# "2305-2409" (YYMM-YYMM, as Qwen writes it): whole months.
_YYMM = re.compile(r"^(\d{2})(\d{2})\s*[-–]\s*(\d{2})(\d{2})$")
# "2024-08-01 to 2024-11-30" or "2024-08 to 2024-11" (ISO days or months).
_ISO = re.compile(
    r"^(\d{4})-(\d{2})(?:-(\d{2}))?\s*(?:to|/|–|\.\.)\s*(\d{4})-(\d{2})(?:-(\d{2}))?$"
)


def problem_window(text: object) -> tuple[dt.datetime, dt.datetime] | None:
    """The first and last instant (UTC, both included) of a window as claims write it, or None.

    A window's end day (or month) is included whole: "10/01/2024-02/01/2025" runs to the last
    second of 1 February 2025.
    """
    if not isinstance(text, str):
        return None
    try:
        return _window(text.strip())
    except ValueError:  # "13/45/2024-...": a date that does not exist
        return None


def _window(text: str) -> tuple[dt.datetime, dt.datetime] | None:
    if match := _US_DAYS.match(text):
        m1, d1, y1, m2, d2, y2 = (int(part) for part in match.groups())
        return _span(dt.date(y1, m1, d1), dt.date(y2, m2, d2))
    if match := _YYMM.match(text):
        y1, m1, y2, m2 = (int(part) for part in match.groups())
        return _span(dt.date(2000 + y1, m1, 1), _month_end(2000 + y2, m2))
    if match := _ISO.match(text):
        year1, month1, day1, year2, month2, day2 = match.groups()
        start = dt.date(int(year1), int(month1), int(day1 or 1))
        last = int(year2), int(month2)
        end = dt.date(*last, int(day2)) if day2 else _month_end(*last)
        return _span(start, end)
    return None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _span(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
    start = dt.datetime.combine(first, dt.time.min, tzinfo=dt.UTC)
    end = dt.datetime.combine(last, dt.time.max, tzinfo=dt.UTC)
    return (start, end) if start <= end else None


def released_at(measurement: MeasuredFigure) -> dt.datetime | None:
    """When the problems of a row were released (its `problem_date`), or None."""
    value = canonical_conditions(measurement.conditions).get(PROBLEM_DATE)
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def windowed_figures(
    claim: ClaimInput, measurements: Iterable[MeasuredFigure]
) -> list[MeasuredFigure]:
    """The measurements with each evaluator's rows in the claim's window pooled into one figure.

    Rows of the claim's benchmark that carry a `problem_date` are replaced, per (source,
    evaluator, variant, model name, date, other conditions), by their count-weighted mean over
    the claim's window; everything else passes through unchanged. Without a readable window in
    the claim, the per-date rows pass through too (and, being slices, count for nothing). An
    evaluator's figure is kept only if its rows reach the end of the window: a window its data
    does not cover to the end would be scored on fewer problems than the claim was.
    """
    rows = list(measurements)
    if claim.benchmark is None:
        return rows
    slug = claim.benchmark.slug
    dated = [m for m in rows if m.benchmark.slug == slug and released_at(m) is not None]
    window = problem_window(canonical_conditions(claim.conditions).get(WINDOW))
    if not dated or window is None:
        return rows
    others = [m for m in rows if not (m.benchmark.slug == slug and released_at(m) is not None)]
    start, end = window
    groups: dict[tuple, list[MeasuredFigure]] = {}
    for m in dated:
        groups.setdefault(_group_key(m), []).append(m)
    pooled = []
    for key in sorted(groups):
        group = [(m, _released(m)) for m in groups[key]]
        if max(moment for _, moment in group) < end:
            continue
        inside = [m for m, moment in group if start <= moment <= end]
        if inside:
            pooled.append(_pooled(inside, claim.conditions[WINDOW]))
    return others + pooled


def _released(m: MeasuredFigure) -> dt.datetime:
    moment = released_at(m)
    assert moment is not None  # only dated rows are grouped
    return moment


def _settings(m: MeasuredFigure) -> dict:
    return {k: v for k, v in canonical_conditions(m.conditions).items() if k != PROBLEM_DATE}


def _group_key(m: MeasuredFigure) -> tuple:
    settings = json.dumps(_settings(m), sort_keys=True, default=str)
    return (m.source, m.evaluator, m.variant_id, m.model_name, m.as_of, settings)


def _pooled(rows: list[MeasuredFigure], window_text: str) -> MeasuredFigure:
    """One figure: the mean over every problem of the rows (each row weighs its problem count)."""
    counts = [m.sample_size or 1 for m in rows]
    total = sum(counts)
    value = sum(m.value * n for m, n in zip(rows, counts, strict=True)) / total
    first = min(rows, key=lambda m: m.id)
    return replace(
        first,
        value=value,
        sample_size=total,
        std_error=None,
        ci_low=None,
        ci_high=None,
        conditions={**_settings(first), WINDOW: window_text},
        part_ids=tuple(sorted(m.id for m in rows)),
    )
