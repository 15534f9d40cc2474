"""NoLiMa README tables."""

from __future__ import annotations

from collections import Counter

import pytest

from releases.importers import get_importer
from releases.importers.base import ParseError
from releases.importers.nolima import clean, tokens
from tests.importers.conftest import natural_keys, only, parsed

FILE = "nolima/nolima_results.md"


def rows():
    return parsed("nolima", FILE)


def test_both_tables_are_read() -> None:
    # Main: 18 models x (base + 6 lengths + effective length), less Maverick's three "⏳".
    # Hard: 5 scored rows x (base + 4 lengths).
    assert Counter(row.benchmark for row in rows()) == {
        "nolima": 18 * 7 - 3,
        "nolima-effective-length": 18,
        "nolima-hard": 25,
    }
    keys = natural_keys(rows())
    assert len(keys) == len(set(keys))


def test_names_lose_their_emoji() -> None:
    names = {row.raw_model_name for row in rows()}
    assert {"Llama 4 Maverick", "Llama 4 Scout", "Gemma 3 4B"} <= names
    assert not any("🆕" in name for name in names)


def test_maverick_is_not_measured_past_4k() -> None:
    maverick = [
        r for r in rows() if r.raw_model_name == "Llama 4 Maverick" and r.benchmark == "nolima"
    ]
    lengths = sorted(
        r.conditions["context_tokens"] for r in maverick if "context_tokens" in r.conditions
    )
    assert lengths == [1000, 2000, 4000]
    base = only(maverick, conditions={"context": "base"})
    assert base.value == pytest.approx(90.1)
    assert base.metadata["threshold"] == pytest.approx(76.6)


def test_scout_scores_and_its_broken_underline() -> None:
    def score(tokens_: int) -> float:
        return only(
            rows(),
            raw_model_name="Llama 4 Scout",
            benchmark="nolima",
            conditions={"context_tokens": tokens_},
        ).value

    assert score(1000) == pytest.approx(72.3)  # written <ins>72.3<ins>
    assert score(32000) == pytest.approx(21.6)  # written *21.6*


def test_effective_length_in_tokens_with_the_claim_beside_it() -> None:
    scout = only(rows(), raw_model_name="Llama 4 Scout", benchmark="nolima-effective-length")
    assert scout.value == 1000
    assert scout.metadata["claimed_length"] == "10M"
    assert scout.metadata["claimed_tokens"] == 10_000_000
    maverick = only(rows(), raw_model_name="Llama 4 Maverick", benchmark="nolima-effective-length")
    assert maverick.value == 2000


def test_below_1k_is_stored_as_an_upper_bound() -> None:
    gemma = only(rows(), raw_model_name="Gemma 3 4B", benchmark="nolima-effective-length")
    assert gemma.value == 1000
    assert gemma.metadata == {
        "as_written": "<1K",
        "claimed_length": "128K",
        "claimed_tokens": 128_000,
        "upper_bound": True,
    }


def test_hard_sub_rows_take_the_group_model_and_the_cot_condition() -> None:
    hard = [r for r in rows() if r.benchmark == "nolima-hard"]
    assert {r.raw_model_name for r in hard} == {
        "Llama 3.3 70B",
        "GPT-o1",
        "GPT-o3 Mini",
        "DeepSeek R1-Distill-Llama-70B",
    }
    without = only(
        hard, raw_model_name="Llama 3.3 70B", conditions={"context_tokens": 8000, "cot": False}
    )
    assert without.value == pytest.approx(37.2)
    with_cot = only(
        hard, raw_model_name="Llama 3.3 70B", conditions={"context": "base", "cot": True}
    )
    assert with_cot.value == pytest.approx(97.1)
    assert only(hard, raw_model_name="GPT-o1", conditions={"context_tokens": 4000}).value == 92.0


def test_rows_have_no_date() -> None:
    assert all(row.as_of is None for row in rows())


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("<ins>72.3<ins>", "72.3"),
        ("*42.7*", "42.7"),
        ("Llama 4 Scout 🆕", "Llama 4 Scout"),
        ("**Llama 3.3 70B**", "Llama 3.3 70B"),
    ],
)
def test_markup_is_removed(cell: str, text: str) -> None:
    assert clean(cell) == text


@pytest.mark.parametrize(
    ("length", "expected"),
    [
        ("2K", (2000, False)),
        ("<1K", (1000, True)),
        ("10M", (10_000_000, False)),
        ("128K", (128_000, False)),
    ],
)
def test_lengths_in_tokens(length: str, expected: tuple[int, bool]) -> None:
    assert tokens(length) == expected


HEADER = "| Models | Claimed Length | Effective Length | Base Score | 1K | 2K |\n|---|---|---|---|---|---|\n"


def parse(text: str) -> list:
    return get_importer("nolima").parse(text.encode(), file_name="README.md")


def test_an_unknown_shape_is_an_error() -> None:
    with pytest.raises(ParseError, match=r"file README.md.*unknown shape"):
        parse("| a | b |\n|---|---|\n| 1 | 2 |\n")


def test_a_missing_column_is_an_error() -> None:
    with pytest.raises(ParseError, match=r"field 'Effective Length'"):
        parse(
            "| Models | Claimed Length | Base Score | 1K |\n|---|---|---|---|\n| M | 1M | 90.0 | 80.0 |\n"
        )


def test_a_non_numeric_score_names_the_line_and_column() -> None:
    with pytest.raises(ParseError) as excinfo:
        parse(HEADER + "| M | 1M | 2K | 90.0 (76.5) | 80.0 | high |\n")
    assert (excinfo.value.row, excinfo.value.field) == (3, "2K")


def test_an_hourglass_is_not_measured() -> None:
    result = parse(HEADER + "| M | 1M | ⏳ | 90.0 (76.5) | 80.0 | ⏳ |\n")
    assert sorted((r.benchmark, tuple(r.conditions.items())) for r in result) == [
        ("nolima", (("context", "base"),)),
        ("nolima", (("context_tokens", 1000),)),
    ]
