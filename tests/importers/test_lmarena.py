"""LMArena text arena: ratings with their interval, and the rank computed from them."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from releases.importers import get_importer
from releases.importers.base import ParseError
from releases.importers.lmarena import competition_ranks
from tests.importers.conftest import natural_keys, only, parsed

APRIL = "lmarena/leaderboard-text@2025-04-07.json"
MAY = "lmarena/leaderboard-text@2025-05-24.json"
DECEMBER = "lmarena/leaderboard-text.json"
STYLE = "lmarena/leaderboard-text-style-control.json"

EXPERIMENTAL = "llama-4-maverick-03-26-experimental"
MAVERICK = "llama-4-maverick-17b-128e-instruct"
SCOUT = "llama-4-scout-17b-16e-instruct"


def overall(relative: str, slug: str = "lmarena-text", benchmark: str = "lmarena-text") -> dict:
    extra = {"style_control": True} if slug.endswith("style-control") else {}
    return {
        row.raw_model_name: row
        for row in parsed(slug, relative)
        if row.benchmark == benchmark and row.conditions == extra
    }


def test_it_emits_a_rating_and_a_rank_for_every_entry() -> None:
    rows = parsed("lmarena-text", APRIL)
    assert len(rows) == 2 * 4241
    assert len(overall(APRIL)) == 215
    assert len({row.conditions.get("category") for row in rows}) == 20  # None for "full"


def test_the_claimed_elo_is_the_experimental_variant_in_april() -> None:
    row = overall(APRIL)[EXPERIMENTAL]
    assert row.value == pytest.approx(1416.6, abs=0.05)
    assert row.ci_low == pytest.approx(1404.9, abs=0.05)
    assert row.ci_high == pytest.approx(1429.2, abs=0.05)
    assert row.as_of is None
    assert overall(APRIL, benchmark="lmarena-text-rank")[EXPERIMENTAL].value == 2


@pytest.mark.parametrize(
    ("relative", "slug", "model", "rating", "rank"),
    [
        (MAY, "lmarena-text", EXPERIMENTAL, 1394.3, 8),
        (MAY, "lmarena-text", MAVERICK, 1266.4, 67),
        (MAY, "lmarena-text", SCOUT, 1239.4, 93),
        (DECEMBER, "lmarena-text", MAVERICK, 1288.7, 128),
        (DECEMBER, "lmarena-text", SCOUT, 1281.6, 141),
        (STYLE, "lmarena-text-style-control", MAVERICK, 1327.6, 122),
    ],
)
def test_llama_4_ratings_and_ranks_match_the_sources(
    relative: str, slug: str, model: str, rating: float, rank: int
) -> None:
    assert overall(relative, slug)[model].value == pytest.approx(rating, abs=0.05)
    assert overall(relative, slug, "lmarena-text-rank")[model].value == rank


def test_the_experimental_id_is_gone_in_december() -> None:
    assert EXPERIMENTAL not in overall(DECEMBER)
    assert EXPERIMENTAL not in overall(STYLE, "lmarena-text-style-control")


def test_row_counts_of_the_later_files() -> None:
    assert len(overall(MAY)) == 236
    assert len(overall(DECEMBER)) == 282
    assert len(parsed("lmarena-text", DECEMBER)) == 2 * 7461
    assert len(overall(STYLE, "lmarena-text-style-control")) == 283


def test_other_categories_are_a_condition() -> None:
    rows = parsed("lmarena-text", APRIL)
    coding = only(
        rows,
        raw_model_name=EXPERIMENTAL,
        benchmark="lmarena-text",
        conditions={"category": "coding"},
    )
    assert coding.value != overall(APRIL)[EXPERIMENTAL].value


def test_style_control_rows_carry_the_condition() -> None:
    rows = parsed("lmarena-text-style-control", STYLE)
    assert all(row.conditions.get("style_control") is True for row in rows)


def test_rows_have_unique_keys() -> None:
    # Key order differs between files (alphabetical in 2025, by rating in December): the rank
    # must come from the ratings, not the order.
    for relative in (APRIL, DECEMBER):
        keys = natural_keys(parsed("lmarena-text", relative))
        assert len(keys) == len(set(keys))


def test_ties_share_the_better_rank() -> None:
    assert competition_ranks({"a": 1300.0, "b": 1290.0, "c": 1290.0, "d": 1280.0}) == {
        "a": 1,
        "b": 2,
        "c": 2,
        "d": 4,
    }


def test_the_date_comes_from_the_file_name() -> None:
    importer = get_importer("lmarena-text")
    assert importer.as_of_from_file_name("leaderboard-text@2025-04-07.json") == dt.date(2025, 4, 7)
    assert importer.as_of_from_file_name("lmarena/leaderboard-text.json") is None
    assert importer.as_of_from_file_name(None) is None


def parse(data: object) -> list:
    return get_importer("lmarena-text").parse(json.dumps(data).encode(), file_name="x.json")


def test_an_unknown_shape_is_an_error() -> None:
    with pytest.raises(ParseError, match=r"file x.json.*unknown shape"):
        parse([{"model": "a", "rating": 1}])


def test_a_missing_rating_names_the_model_and_field() -> None:
    with pytest.raises(ParseError) as excinfo:
        parse({"full": {"model-a": {"rating_q025": 1.0}}})
    assert (excinfo.value.file_name, excinfo.value.row, excinfo.value.field) == (
        "x.json",
        "model-a",
        "rating",
    )


def test_a_non_numeric_rating_is_an_error() -> None:
    with pytest.raises(ParseError, match=r"model-a.*'rating'.*not a number"):
        parse({"full": {"model-a": {"rating": "high", "rating_q025": 1, "rating_q975": 2}}})


def test_a_null_rating_is_not_measured() -> None:
    rows = parse({"full": {"a": {"rating": None}, "b": {"rating": 1200.0}}})
    assert {row.raw_model_name for row in rows} == {"b"}
