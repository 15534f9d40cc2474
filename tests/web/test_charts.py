"""Chart geometry: pure functions, no database."""

from __future__ import annotations

import datetime as dt

from releases.web import charts


def test_nice_ticks_cover_the_range_with_round_steps() -> None:
    assert charts.nice_ticks(1250, 1420) == [1250, 1300, 1350, 1400, 1450]  # steps of 50
    assert charts.nice_ticks(0, 100) == [0, 20, 40, 60, 80, 100]


def test_the_timeline_places_the_claim_above_a_lower_measurement_with_its_interval() -> None:
    chart = charts.timeline_chart(
        stated=1417,
        stated_label="1417",
        unit_label="Elo rating",
        figures=[
            charts.TimelineInput(dt.date(2025, 12, 11), 1289, 1285, 1293, "LMArena", "used"),
            charts.TimelineInput(
                dt.date(2025, 5, 24), 1394, 1387, 1401, "LMArena, experimental", "context"
            ),
            charts.TimelineInput(None, 1300, None, None, "undated", "other"),
        ],
    )
    assert chart is not None
    used, context = chart.points
    # SVG y grows downwards: a higher value is drawn higher up.
    assert chart.stated_y < context.y < used.y
    assert used.y_high < used.y < used.y_low  # type: ignore[operator]
    assert context.x < used.x  # May before December
    assert chart.undated == 1
    assert "2 independent measurements" in chart.summary
    assert "ranging from 1,289 (LMArena) to 1,394 (LMArena, experimental)" in chart.summary
    assert all(chart.frame.top <= t.position <= chart.frame.bottom for t in chart.y_ticks)


def test_a_single_measurement_is_described_as_one() -> None:
    figure = charts.TimelineInput(dt.date(2025, 4, 8), 66.9823, 61.5, 72.5, "Epoch AI", "used")
    chart = charts.timeline_chart(
        stated=69.8, stated_label="69.8%", unit_label="percent", figures=[figure]
    )
    assert chart is not None
    assert "1 independent measurement, 66.98 (Epoch AI, April 2025)" in chart.summary


def test_no_timeline_without_a_dated_measurement() -> None:
    figures = [charts.TimelineInput(None, 1, None, None, "x", "used")]
    assert (
        charts.timeline_chart(stated=1, stated_label="1", unit_label="u", figures=figures) is None
    )


def test_the_dumbbell_puts_each_claim_on_the_percent_axis() -> None:
    chart = charts.dumbbell_chart(
        [charts.DumbbellInput("GPQA Diamond", 69.8, 67.0, "verdict-holds")]
    )
    assert chart is not None
    (row,) = chart.rows
    assert chart.frame.left < row.measured_x < row.stated_x < chart.frame.right
    assert "1 percentage claim" in chart.summary and "1 measured below the claim" in chart.summary
    assert charts.dumbbell_chart([]) is None


def test_the_length_curve_uses_a_doubling_axis_and_marks_the_claimed_length() -> None:
    chart = charts.length_curve_chart(
        [("NoLiMa", [(1000, 81.6), (2000, 78.3), (4000, 68.8)])],
        stated_tokens=10_000_000,
        stated_label="10M tokens",
    )
    assert chart is not None
    a, b, c = chart.curves[0].points
    assert round(b.x - a.x, 1) == round(c.x - b.x, 1)  # each doubling is the same width
    assert a.y < b.y < c.y  # falling scores are drawn lower
    assert chart.stated_x is not None and chart.stated_x > c.x
    assert chart.curves[0].path.startswith("M ")
    labels = [t.label for t in chart.x_ticks]
    assert labels == ["512", "2K", "8K", "32K", "128K", "512K", "2M", "8M"]  # every second doubling
