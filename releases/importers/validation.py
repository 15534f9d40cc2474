"""The row schema every parsed row is checked against before anything is written.

A parser turns a file into `ParsedRow`s; this module says which of those rows may be stored:
required fields, types, lengths, ranges, and text a database and a reader can take (no control
characters, no lone surrogates, nothing that PostgreSQL refuses or SQLite truncates at a NUL).
Each importer declares its `RowSchema` (`Importer.row_schema`); `Importer.read()` parses and
then validates, so an importer added later is checked the same way without writing any of this.

A row that breaks the schema is rejected with a reason naming its row and field (kept on the
snapshot and printed by `import_leaderboard`); a file where more than MAX_REJECTED_SHARE of the
rows break it is rejected whole, since a file that wrong has changed shape and its remaining rows
cannot be trusted either. Pure functions: `today` is passed in, no clock is read.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from releases.conditions import CONDITIONS_KEY_MAX_LENGTH, conditions_key
from releases.importers.base import (
    Importer,
    ParsedRow,
    ParseError,
    ParseResult,
    RowSchema,
    SkippedRow,
)

# The column sizes of Measurement (raw_model_name, evaluator): a longer value would be a
# PostgreSQL DataError, or silently kept whole by SQLite.
MAX_NAME_LENGTH = 255
MAX_EVALUATOR_LENGTH = 200
MAX_BENCHMARK_SLUG_LENGTH = 100
# Metadata is context (cost, route, links), not evidence: a row's metadata over this many
# characters of JSON is a broken or hostile file.
MAX_METADATA_CHARACTERS = 20_000
# No figure of any tracked unit comes near this (ratings are in thousands, context windows in
# millions of tokens); anything larger overflows scoring arithmetic.
MAX_ABSOLUTE_VALUE = 1e12
# The largest benchmark run counts tests in the thousands; PositiveIntegerField stops at 2**31-1.
MAX_SAMPLE_SIZE = 10_000_000
# No leaderboard predates this; a later date than tomorrow (time zones) is a typo or a forgery.
EARLIEST_AS_OF = dt.date(2000, 1, 1)
LATEST_AS_OF_AHEAD = dt.timedelta(days=1)
# Above this share of rejected rows the whole file is rejected.
MAX_REJECTED_SHARE = 0.10
# Rejected rows tolerated whatever the share: a few bad rows in a small file stay row-level.
REJECTED_ROWS_ALWAYS_TOLERATED = 3

# Plausible ranges by benchmark unit (Benchmark.Unit values), applied where a benchmark has no
# bounds of its own in the catalogue. An arena rating of 200000 is not a rating.
UNIT_RANGES: dict[str, tuple[float, float]] = {
    "percent": (0.0, 100.0),
    "elo": (0.0, 5_000.0),
    "rank": (1.0, 1_000_000.0),
    "tokens": (0.0, 1e10),
    "score": (-MAX_ABSOLUTE_VALUE, MAX_ABSOLUTE_VALUE),
}


class _Invalid(Exception):
    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


def text_problem(value: object, *, max_length: int, required: bool = True) -> str | None:
    """Why `value` cannot be stored as a name, or None: not a string, blank, too long, holding
    a control character (NUL, escape, line breaks), a format character or a lone surrogate."""
    if not isinstance(value, str):
        return f"expected text, got {type(value).__name__}"
    if required and not value.strip():
        return "blank"
    if len(value) > max_length:
        return f"{len(value):,} characters, over the limit of {max_length}"
    if value.isprintable():
        # The common case, without a look at each character: no Cc, Cf or Cs in the text.
        return None
    for character in value:
        category = unicodedata.category(character)
        if category in ("Cc", "Cs") or (category == "Cf" and character not in "\u200d"):
            return f"holds the character U+{ord(character):04X} ({_category_name(category)})"
    return None


def _category_name(category: str) -> str:
    return {"Cc": "a control character", "Cs": "a lone surrogate", "Cf": "a format character"}[
        category
    ]


def _number(name: str, value: object, *, required: bool) -> float | None:
    if value is None:
        if required:
            raise _Invalid(name, "missing")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid(name, f"expected a number, got {type(value).__name__}")
    try:
        number = float(value)
    except OverflowError:
        raise _Invalid(name, "a number too large to store") from None
    if not math.isfinite(number):
        raise _Invalid(name, f"not a finite number: {value!r}")
    if abs(number) > MAX_ABSOLUTE_VALUE:
        raise _Invalid(name, f"{number:g} is beyond ±{MAX_ABSOLUTE_VALUE:g}")
    return number


def _json_text_problem(value: Any, depth: int = 0) -> str | None:
    """The first string in a JSON value that PostgreSQL's jsonb or SQLite would mangle."""
    if depth > 20:
        return "nested more than 20 levels"
    if isinstance(value, str):
        if "\x00" in value:
            return "holds a NUL character"
        if any(unicodedata.category(c) == "Cs" for c in value):
            return "holds a lone surrogate"
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            problem = _json_text_problem(key, depth + 1) if isinstance(key, str) else None
            problem = problem or _json_text_problem(item, depth + 1)
            if problem:
                return problem
    elif isinstance(value, list | tuple):
        for item in value:
            if problem := _json_text_problem(item, depth + 1):
                return problem
    elif isinstance(value, float) and not math.isfinite(value):
        return f"not a finite number: {value!r}"
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**63 - 1:
        return "an integer too large to store"
    return None


def _check(row: ParsedRow, schema: RowSchema, today: dt.date | None) -> None:
    """Raise _Invalid for the first field of `row` that breaks the schema."""
    if problem := text_problem(row.raw_model_name, max_length=MAX_NAME_LENGTH):
        raise _Invalid("raw_model_name", f"model name {problem}")
    if problem := text_problem(row.benchmark, max_length=MAX_BENCHMARK_SLUG_LENGTH):
        raise _Invalid("benchmark", f"benchmark {problem}")
    value = _number("value", row.value, required=True)
    assert value is not None
    low, high = schema.value_ranges.get(row.benchmark, (-math.inf, math.inf))
    if not low <= value <= high:
        raise _Invalid("value", f"{value:g} is outside {low:g} to {high:g} for {row.benchmark}")
    ci_low = _number("ci_low", row.ci_low, required=False)
    ci_high = _number("ci_high", row.ci_high, required=False)
    if ci_low is not None and ci_low > value:
        raise _Invalid("ci_low", f"the interval's low end {ci_low:g} is above the value {value:g}")
    if ci_high is not None and ci_high < value:
        raise _Invalid(
            "ci_high", f"the interval's high end {ci_high:g} is below the value {value:g}"
        )
    std_error = _number("std_error", row.std_error, required=False)
    if std_error is not None and std_error < 0:
        raise _Invalid("std_error", f"negative standard error {std_error:g}")
    if row.sample_size is not None:
        if isinstance(row.sample_size, bool) or not isinstance(row.sample_size, int):
            raise _Invalid("sample_size", f"expected a whole number, got {row.sample_size!r}")
        if not 1 <= row.sample_size <= MAX_SAMPLE_SIZE:
            raise _Invalid(
                "sample_size", f"{row.sample_size:,} is outside 1 to {MAX_SAMPLE_SIZE:,}"
            )
    _check_as_of(row.as_of, schema, today)
    _check_conditions(row.conditions)
    if row.evaluator is not None and (
        problem := text_problem(row.evaluator, max_length=MAX_EVALUATOR_LENGTH)
    ):
        raise _Invalid("evaluator", f"evaluator {problem}")
    _check_metadata(row.metadata)


def _check_as_of(as_of: object, schema: RowSchema, today: dt.date | None) -> None:
    if as_of is None:
        if schema.require_as_of:
            raise _Invalid("as_of", "no date: this source dates every row")
        return
    if isinstance(as_of, dt.datetime) or not isinstance(as_of, dt.date):
        raise _Invalid("as_of", f"expected a date, got {type(as_of).__name__}")
    if problem := as_of_problem(as_of, today=today):
        raise _Invalid("as_of", problem)


def as_of_problem(as_of: dt.date, *, today: dt.date | None) -> str | None:
    """Why `as_of` cannot be the date of a figure, or None: before EARLIEST_AS_OF or after
    tomorrow (an as-of in 2999 would make its row the "latest" measurement for centuries).
    With `today` None (a parser, which reads no clock) only the first rule applies."""
    if as_of < EARLIEST_AS_OF:
        return f"{as_of.isoformat()} is before {EARLIEST_AS_OF.isoformat()}"
    if today is not None and as_of > today + LATEST_AS_OF_AHEAD:
        return f"{as_of.isoformat()} is in the future"
    return None


def _check_conditions(conditions: object) -> None:
    if not isinstance(conditions, Mapping):
        raise _Invalid("conditions", f"expected a mapping, got {type(conditions).__name__}")
    for key, value in conditions.items():
        if problem := text_problem(key, max_length=100):
            raise _Invalid("conditions", f"condition name {problem}")
        if isinstance(value, str):
            if problem := text_problem(value, max_length=CONDITIONS_KEY_MAX_LENGTH, required=False):
                raise _Invalid("conditions", f"condition {key!r} {problem}")
        elif value is None or isinstance(value, bool):
            continue
        elif not (isinstance(value, int | float) and _finite(value)):
            raise _Invalid(
                "conditions", f"condition {key!r}: expected text or a number, got {value!r}"
            )
    # Keys and values are checked above as text or numbers: their JSON is at most a few
    # characters longer than their text, so only a long one needs the real key built.
    rough = sum(len(str(key)) + len(str(value)) + 8 for key, value in conditions.items())
    if rough > CONDITIONS_KEY_MAX_LENGTH // 2:
        try:
            conditions_key(conditions)
        except ValueError as exc:
            raise _Invalid("conditions", str(exc)) from None


def _finite(value: int | float) -> bool:
    try:
        return math.isfinite(value) and abs(value) <= MAX_ABSOLUTE_VALUE
    except OverflowError:
        return False


def _check_metadata(metadata: object) -> None:
    if not isinstance(metadata, Mapping):
        raise _Invalid("metadata", f"expected a mapping, got {type(metadata).__name__}")
    if problem := _json_text_problem(metadata):
        raise _Invalid("metadata", problem)
    if (
        all(
            isinstance(key, str) and (value is None or isinstance(value, bool | int | float))
            for key, value in metadata.items()
        )
        and len(metadata) < 100
    ):
        # Scalars only (the numbers checked finite and in range above): storable, and small.
        return
    try:
        size = len(json.dumps(metadata, ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise _Invalid("metadata", f"not storable as JSON: {exc}") from None
    if size > MAX_METADATA_CHARACTERS:
        raise _Invalid(
            "metadata",
            f"{size:,} characters of JSON, over the limit of {MAX_METADATA_CHARACTERS:,}",
        )


def row_rejection(
    row: ParsedRow, schema: RowSchema, *, today: dt.date | None, file_name: str | None
) -> SkippedRow | None:
    """Why this row may not be stored, or None when it may."""
    try:
        _check(row, schema, today)
    except _Invalid as invalid:
        return SkippedRow(invalid.reason, file_name=file_name, row=row.row, field=invalid.field)
    return None


def too_many_rejected(rejected: int, total: int) -> bool:
    """Whether so many rows were rejected that the file must be rejected whole."""
    return rejected > REJECTED_ROWS_ALWAYS_TOLERATED and rejected > MAX_REJECTED_SHARE * total


def split_valid(
    rows: Iterable[ParsedRow], schema: RowSchema, *, today: dt.date, file_name: str | None
) -> tuple[list[ParsedRow], list[SkippedRow]]:
    """(rows that may be stored, why each other row may not), in input order."""
    valid: list[ParsedRow] = []
    rejected: list[SkippedRow] = []
    for row in rows:
        rejection = row_rejection(row, schema, today=today, file_name=file_name)
        if rejection is None:
            valid.append(row)
        else:
            rejected.append(rejection)
    return valid, rejected


def read_validated(
    importer: Importer, raw: bytes, *, file_name: str | None, today: dt.date
) -> ParseResult:
    """Parse `raw` with `importer` and keep the rows its schema accepts.

    The result's `skipped` holds what the parser skipped and then every rejected row, with its
    reason. Raises ParseError when the parser does, or when more than MAX_REJECTED_SHARE of the
    rows are rejected (naming the first few)."""
    parsed = importer.parse(raw, file_name=file_name)
    valid, rejected = split_valid(parsed, importer.row_schema, today=today, file_name=file_name)
    skipped = list(getattr(parsed, "skipped", ()))
    # A parser that checks rows itself (LMArena, before ranking) reports its rejections with
    # the field named: they count as rejected rows too.
    broken = [row for row in skipped if row.field is not None] + rejected
    if too_many_rejected(len(broken), len(parsed) + len(broken) - len(rejected)):
        first = "; ".join(str(r) for r in broken[:3])
        raise ParseError(
            f"{len(broken):,} of {len(parsed) + len(broken) - len(rejected):,} rows break the "
            f"row schema, more than {MAX_REJECTED_SHARE:.0%}; the file is rejected whole. "
            f"First: {first}",
            file_name=file_name,
        )
    return ParseResult(valid, [*skipped, *rejected])


def benchmark_range(
    unit: str, min_value: float | None, max_value: float | None
) -> tuple[float, float]:
    """The values a benchmark's rows may take: its own bounds, else its unit's plausible range."""
    default_low, default_high = UNIT_RANGES.get(unit, (-MAX_ABSOLUTE_VALUE, MAX_ABSOLUTE_VALUE))
    return (
        min_value if min_value is not None else default_low,
        max_value if max_value is not None else default_high,
    )


def split_in_range(
    rows: Iterable[ParsedRow], ranges: Mapping[str, tuple[float, float]], *, file_name: str | None
) -> tuple[list[ParsedRow], list[SkippedRow]]:
    """(rows within their benchmark's range, rejections of the others). The catalogue's bounds
    are also enforced by a database trigger; checking here first turns one bad row into a
    rejected row instead of a failed import."""
    kept: list[ParsedRow] = []
    rejected: list[SkippedRow] = []
    for row in rows:
        low, high = ranges[row.benchmark]
        if low <= row.value <= high:
            kept.append(row)
        else:
            rejected.append(
                SkippedRow(
                    f"{row.value:g} is outside {low:g} to {high:g} for {row.benchmark}",
                    file_name=file_name,
                    row=row.row,
                    field="value",
                )
            )
    return kept, rejected
