"""The hand-written upserts name exactly the measurement model's concrete columns (issue 10)."""

from __future__ import annotations

import pytest

from releases.models import Measurement
from releases.services.measurement_upsert import COLUMNS, statement_columns


def model_columns() -> list[str]:
    return [field.column for field in Measurement._meta.concrete_fields if not field.primary_key]


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_the_upsert_names_exactly_the_models_concrete_columns(vendor: str) -> None:
    assert sorted(statement_columns(vendor=vendor)) == sorted(model_columns())
    assert len(set(statement_columns(vendor=vendor))) == len(statement_columns(vendor=vendor))


def test_the_column_list_is_written_once() -> None:
    assert [name for name, _, _ in COLUMNS] == statement_columns(vendor="postgresql")
    assert statement_columns(vendor="postgresql") == statement_columns(vendor="sqlite")
