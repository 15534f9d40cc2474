"""Chart geometry for the public pages' server-side SVG. Pure: plain values in, coordinates out.

Templates under `releases/charts/` draw the shapes; every chart also carries a text alternative
(`summary`) and the page prints the same figures in a table beside it, so nothing is only in the
picture. Sizes are in SVG user units; the SVG scales to its container (viewBox).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 640
PLOT_LEFT = 64
PLOT_RIGHT = 28
PLOT_TOP = 16
PLOT_BOTTOM = 40


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Frame:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float

    @property
    def plot_width(self) -> float:
        return self.right - self.left


def _frame(height: int, left: int = PLOT_LEFT) -> Frame:
    return Frame(WIDTH, height, left, WIDTH - PLOT_RIGHT, PLOT_TOP, height - PLOT_BOTTOM)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]: steps of 1, 2 or 5 times a power of ten."""
    if high <= low:
        high = low + 1
    raw_step = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw_step)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _linear(domain_low: float, domain_high: float, range_low: float, range_high: float):
    span = (domain_high - domain_low) or 1.0

    def scale(value: float) -> float:
        return round(range_low + (value - domain_low) / span * (range_high - range_low), 2)

    return scale


def _figure(value: float) -> str:
    """A measured value in a chart's text: at most two decimals, no trailing zeros."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _tick_label(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:g}"


# --- Stated value against measurements over time (claim page) --------------------------------


@dataclass(frozen=True)
class TimelineInput:
    day: dt.date | None
    value: float
    low: float | None  # the 95% interval, where the source gives one or a standard error
    high: float | None
    label: str  # evaluator and model, for the point's tooltip
    role: str  # "used", "context" or "other"


@dataclass(frozen=True)
class TimelinePoint:
    x: float
    y: float
    y_low: float | None
    y_high: float | None
    label: str
    role: str


@dataclass
class TimelineChart:
    frame: Frame
    stated_y: float
    stated_label: str
    points: list[TimelinePoint]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    summary: str
    undated: int = 0


def timeline_chart(
    *, stated: float, stated_label: str, unit_label: str, figures: Sequence[TimelineInput]
) -> TimelineChart | None:
    """The claimed value as a line, each measurement as a point at its date with its interval.

    None when no measurement has a date (nothing to place on a time axis).
    """
    dated = [f for f in figures if f.day is not None]
    if not dated:
        return None
    frame = _frame(300)
    values = [stated] + [f.value for f in dated]
    values += [f.low for f in dated if f.low is not None]
    values += [f.high for f in dated if f.high is not None]
    pad = (max(values) - min(values)) * 0.08 or abs(stated) * 0.05 or 1.0
    y_ticks_values = nice_ticks(min(values) - pad, max(values) + pad)
    y = _linear(y_ticks_values[0], y_ticks_values[-1], frame.bottom, frame.top)
    days = [f.day for f in dated if f.day is not None]
    first, last = min(days), max(days)
    margin = max((last - first).days * 0.06, 15)
    start = first - dt.timedelta(days=margin)
    end = last + dt.timedelta(days=margin)
    x = _linear(0, (end - start).days, frame.left, frame.right)
    points = [
        TimelinePoint(
            x=x((f.day - start).days),  # type: ignore[operator]
            y=y(f.value),
            y_low=y(f.low) if f.low is not None else None,
            y_high=y(f.high) if f.high is not None else None,
            label=f.label,
            role=f.role,
        )
        for f in dated
    ]
    x_ticks = [Tick(x((day - start).days), f"{day:%b %Y}") for day in _month_ticks(start, end)]
    lowest = min(dated, key=lambda f: f.value)
    highest = max(dated, key=lambda f: f.value)
    if len(dated) == 1:
        measured = (
            f"1 independent measurement, {_figure(lowest.value)} ({lowest.label}, {first:%B %Y})"
        )
    else:
        measured = (
            f"{len(dated)} independent measurements from {first:%B %Y} to {last:%B %Y}, "
            f"ranging from {_figure(lowest.value)} ({lowest.label}) to "
            f"{_figure(highest.value)} ({highest.label})"
        )
    summary = (
        f"Chart: the claimed {stated_label} ({unit_label}) as a horizontal line, and "
        f"{measured}. The table below lists every figure."
    )
    return TimelineChart(
        frame=frame,
        stated_y=y(stated),
        stated_label=stated_label,
        points=points,
        y_ticks=[Tick(y(v), _tick_label(v)) for v in y_ticks_values],
        x_ticks=x_ticks,
        summary=summary,
        undated=len(figures) - len(dated),
    )


def _month_ticks(start: dt.date, end: dt.date, most: int = 6) -> list[dt.date]:
    months = (end.year - start.year) * 12 + end.month - start.month
    every = max(1, math.ceil(months / most))
    day = dt.date(start.year, start.month, 1)
    ticks = []
    while day <= end:
        if day >= start:
            ticks.append(day)
        month = day.month - 1 + every
        day = dt.date(day.year + month // 12, month % 12 + 1, 1)
    return ticks


# --- Stated against measured across a release's claims (release page) -----------------------


@dataclass(frozen=True)
class DumbbellInput:
    label: str
    stated: float
    measured: float
    css: str  # the verdict's class, for colour; the shapes differ too


@dataclass(frozen=True)
class DumbbellRow:
    label: str
    y: float
    stated_x: float
    measured_x: float
    stated: float
    measured: float
    css: str


@dataclass
class DumbbellChart:
    frame: Frame
    rows: list[DumbbellRow]
    x_ticks: list[Tick]
    summary: str
    row_height: int = 28


def dumbbell_chart(
    rows: Sequence[DumbbellInput], *, low: float = 0, high: float = 100
) -> DumbbellChart | None:
    """One row per claim on a shared percent axis: the claimed value (a diamond) joined to the
    measured aggregate (a circle). None without a row."""
    if not rows:
        return None
    row_height = 28
    frame = Frame(
        WIDTH,
        PLOT_TOP + row_height * len(rows) + PLOT_BOTTOM,
        220,
        WIDTH - PLOT_RIGHT,
        PLOT_TOP,
        PLOT_TOP + row_height * len(rows),
    )
    x = _linear(low, high, frame.left, frame.right)
    drawn = [
        DumbbellRow(
            label=r.label,
            y=frame.top + row_height * (index + 0.5),
            stated_x=x(r.stated),
            measured_x=x(r.measured),
            stated=r.stated,
            measured=r.measured,
            css=r.css,
        )
        for index, r in enumerate(rows)
    ]
    lower = sum(1 for r in rows if r.measured < r.stated)
    summary = (
        f"Chart: for {len(rows)} percentage claim{'s' if len(rows) != 1 else ''}, the claimed "
        f"value (diamond) against the independent measurement (circle) on a 0 to 100 scale; "
        f"{lower} measured below the claim. The table below gives each figure."
    )
    ticks = [Tick(x(v), f"{v:g}") for v in range(int(low), int(high) + 1, 20)]
    return DumbbellChart(
        frame=frame, rows=drawn, x_ticks=ticks, summary=summary, row_height=row_height
    )


# --- Score at each tested length (context-window claims) -------------------------------------


@dataclass(frozen=True)
class CurvePoint:
    x: float
    y: float
    length: int
    score: float


@dataclass
class Curve:
    label: str
    points: list[CurvePoint]
    css: str
    path: str = ""


@dataclass
class CurveChart:
    frame: Frame
    curves: list[Curve]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    summary: str
    stated_x: float | None = None
    stated_label: str = ""
    legend: list[tuple[str, str]] = field(default_factory=list)


def length_curve_chart(
    curves: Sequence[tuple[str, Sequence[tuple[int, float]]]],
    *,
    stated_tokens: float | None,
    stated_label: str,
) -> CurveChart | None:
    """Score (percent) against tested context length on a doubling (log2) axis, one line per
    evaluator's curve, with the claimed length marked. None without a tested length."""
    usable = [(label, sorted(p for p in pts if p[0] > 0)) for label, pts in curves]
    usable = [(label, pts) for label, pts in usable if pts]
    if not usable:
        return None
    frame = _frame(300)
    lengths = [length for _, pts in usable for length, _ in pts]
    top_length = max(lengths + ([int(stated_tokens)] if stated_tokens else []))
    low_exp = math.floor(math.log2(min(lengths)))
    high_exp = math.ceil(math.log2(top_length))
    x = _linear(low_exp, high_exp, frame.left, frame.right)
    y = _linear(0, 100, frame.bottom, frame.top)
    drawn = []
    for index, (label, pts) in enumerate(usable):
        points = [CurvePoint(x(math.log2(n)), y(score), n, score) for n, score in pts]
        path = "M " + " L ".join(f"{p.x},{p.y}" for p in points)
        drawn.append(Curve(label, points, f"series-{index % 4}", path))
    step = max(1, math.ceil((high_exp - low_exp) / 8))
    x_ticks = [Tick(x(e), _power_of_two_label(e)) for e in range(low_exp, high_exp + 1, step)]
    summary = (
        f"Chart: score (percent) at each tested context length, on a doubling scale, for "
        f"{len(usable)} test{'s' if len(usable) != 1 else ''} ("
        + "; ".join(
            f"{label}: {len(pts)} lengths, up to {_length_label(pts[-1][0])}"
            for label, pts in usable
        )
        + ")"
        + (f", with the claimed {stated_label} marked" if stated_tokens else "")
        + ". The table below lists every figure."
    )
    return CurveChart(
        frame=frame,
        curves=drawn,
        x_ticks=x_ticks,
        y_ticks=[Tick(y(v), f"{v}") for v in range(0, 101, 20)],
        summary=summary,
        stated_x=x(math.log2(stated_tokens)) if stated_tokens else None,
        stated_label=stated_label,
    )


def _power_of_two_label(exponent: int) -> str:
    """2^exponent tokens as context windows are named: 2^17 is "128K", 2^20 "1M"."""
    if exponent >= 20:
        return f"{2 ** (exponent - 20)}M"
    if exponent >= 10:
        return f"{2 ** (exponent - 10)}K"
    return str(2**exponent)


def _length_label(tokens: float) -> str:
    for size, suffix in ((1_000_000, "M"), (1_000, "K")):
        if tokens >= size:
            return f"{tokens / size:.3g}{suffix}"
    return f"{tokens:.0f}"
