"""LMArena text arena (lmarena/arena-catalog `data/leaderboard-text*.json`).

Shape: `{category: {model_id: {"rating", "rating_q025", "rating_q975"}}}`. The file has no rank,
no votes and no dates: rank is computed here, the date comes from the file name (or fetch time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any, ClassVar

from releases.importers.base import (
    Importer,
    ParsedRow,
    ParseError,
    ParseResult,
    RowSchema,
    parse_score,
)
from releases.importers.readers import read_json
from releases.importers.validation import row_rejection

RATING_BENCHMARK = "lmarena-text"
RANK_BENCHMARK = "lmarena-text-rank"
# The overall leaderboard; its rows carry no category condition.
OVERALL = "full"
RATING_FIELDS = ("rating", "rating_q025", "rating_q975")
# Arena ratings sit between about 800 and 1,600; a rating outside this range is not a rating
# (one of 200,000 would rank first and overflow the win-probability arithmetic).
RATING_RANGE = (100.0, 4_000.0)


class LMArenaTextImporter(Importer):
    slug = "lmarena-text"
    bundled_files: ClassVar[tuple[str, ...]] = (
        "lmarena/leaderboard-text.json",
        "lmarena/leaderboard-text@*.json",
    )
    # Extra conditions every row of this file family carries.
    base_conditions: ClassVar[dict[str, Any]] = {}
    row_schema = RowSchema(value_ranges={RATING_BENCHMARK: RATING_RANGE})

    def parse(self, raw: bytes, *, file_name: str | None = None) -> ParseResult:
        data = _load(raw, file_name)
        result = ParseResult()
        for category, entries in data.items():
            if not isinstance(entries, Mapping):
                raise ParseError(
                    "expected {model_id: {rating, ...}} for the category",
                    file_name=file_name,
                    row=category,
                )
            conditions = dict(self.base_conditions)
            if category != OVERALL:
                conditions["category"] = category
            part = _category_rows(entries, conditions, self.row_schema, file_name)
            result.extend(part)
            result.skipped.extend(part.skipped)
        return result

    def as_of_from_file_name(self, file_name: str | None) -> dt.date | None:
        """`leaderboard-text@2025-04-07.json` -> 2025-04-07: the bundled copies are dated by
        name; the live file is not, and takes the fetch date."""
        if not file_name:
            return None
        stem = PurePath(file_name).stem
        if "@" not in stem:
            return None
        try:
            return dt.date.fromisoformat(stem.rsplit("@", 1)[1])
        except ValueError:
            return None


class LMArenaTextStyleControlImporter(LMArenaTextImporter):
    """The same arena with LMArena's style control (length and markdown effects regressed out):
    a different figure for the same models, so it is a condition, not a separate benchmark."""

    slug = "lmarena-text-style-control"
    bundled_files = ("lmarena/leaderboard-text-style-control.json",)
    base_conditions: ClassVar[dict[str, Any]] = {"style_control": True}


def _load(raw: bytes, file_name: str | None) -> Mapping[str, Any]:
    data = read_json(raw, file_name=file_name)
    if not isinstance(data, Mapping) or not data:
        raise ParseError(
            "unknown shape: expected a non-empty {category: {model_id: {...}}} object",
            file_name=file_name,
        )
    return data


def _category_rows(
    entries: Mapping[str, Any],
    conditions: dict[str, Any],
    schema: RowSchema,
    file_name: str | None,
) -> ParseResult:
    """A rating row and a rank row per model. Ratings the row schema rejects are left out of
    the ranking too: a bogus rating must not push every other model down a place."""
    result = ParseResult()
    ratings: dict[str, ParsedRow] = {}
    for model_id, entry in entries.items():
        parsed = _entry_ratings(model_id, entry, file_name)
        if parsed is None:
            continue
        rating, low, high = parsed
        row = ParsedRow(
            raw_model_name=model_id,
            benchmark=RATING_BENCHMARK,
            value=rating,
            conditions=dict(conditions),
            ci_low=low,
            ci_high=high,
            row=_where(conditions, model_id),
        )
        rejection = row_rejection(row, schema, today=None, file_name=file_name)
        if rejection is not None:
            result.skipped.append(rejection)
        else:
            ratings[model_id] = row
    ranks = competition_ranks({model_id: row.value for model_id, row in ratings.items()})
    for model_id, row in ratings.items():
        result.append(row)
        result.append(
            ParsedRow(
                raw_model_name=model_id,
                benchmark=RANK_BENCHMARK,
                value=float(ranks[model_id]),
                conditions=dict(conditions),
                # Rank depends on who else is listed: keep the field size beside it.
                metadata={"models_ranked": len(ratings)},
                row=row.row,
            )
        )
    return result


def _where(conditions: Mapping[str, Any], model_id: str) -> str:
    return f"{conditions.get('category', OVERALL)} / {model_id}"


def _entry_ratings(
    model_id: str, entry: Any, file_name: str | None
) -> tuple[float, float | None, float | None] | None:
    if not isinstance(entry, Mapping):
        raise ParseError("expected an object with a rating", file_name=file_name, row=model_id)
    if "rating" not in entry:
        raise ParseError("missing key", file_name=file_name, row=model_id, field="rating")
    rating, low, high = (
        parse_score(entry.get(key), file_name=file_name, row=model_id, field=key)
        for key in RATING_FIELDS
    )
    if rating is None:
        return None
    return rating, low, high


def competition_ranks(ratings: Mapping[str, float]) -> dict[str, int]:
    """Rank 1 = highest rating; ties share the best rank and the next rank skips ("1224")."""
    ordered = sorted(ratings.values(), reverse=True)
    first_position: dict[float, int] = {}
    for position, rating in enumerate(ordered, start=1):
        first_position.setdefault(rating, position)
    return {model_id: first_position[rating] for model_id, rating in ratings.items()}
