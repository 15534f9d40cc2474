"""Every parser fuzzed on mutated real snapshots (issue 12): truncation, byte flips, type swaps.

Whatever the mutation, the only exception that escapes `parse` (and the row schema after it) is
the parser's own `ParseError`; and a row that comes out passes the schema. Examples are kept few
per parser so the suite stays fast; the seeds are the bundled snapshots themselves.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releases.importers import IMPORTERS, get_importer
from releases.importers.base import ParseError
from releases.importers.validation import read_validated, split_valid
from tests.importers.conftest import BUNDLED

TODAY = dt.date(2026, 12, 1)
# Type swaps: a token of one JSON/YAML/CSV type replaced by one of another.
SWAPS = [
    (b"1", b'"x"'),
    (b'"', b"["),
    (b":", b": {"),
    (b",", b",null,"),
    (b"0.", b"true"),
    (b"-", b"!!set"),
    (b"\n", b"\n- &a x\n"),
    (b"e", b"\x00"),
    (b"2025-", b"2025-13-"),
]


@cache
def seed(slug: str) -> tuple[str, bytes]:
    """The first bundled input of the source, cut to its first 40 KB (fuzzing time grows with
    size; a cut seed is itself a truncation)."""
    file_name, raw = get_importer(slug).bundled_inputs(BUNDLED)[0]
    if raw.startswith(b"PK"):  # a ZIP (LiveBench's bundle): mutations must reach its members
        return file_name, raw
    return file_name, raw[:40_000]


@st.composite
def mutated(draw: st.DrawFn, raw: bytes) -> bytes:
    kind = draw(st.sampled_from(["truncate", "flip", "swap"]))
    if kind == "truncate":
        return raw[: draw(st.integers(0, len(raw)))]
    if kind == "flip":
        data = bytearray(raw)
        for _ in range(draw(st.integers(1, 8))):
            position = draw(st.integers(0, len(data) - 1))
            data[position] = draw(st.integers(0, 255))
        return bytes(data)
    old, new = draw(st.sampled_from(SWAPS))
    count = raw.count(old)
    if not count:
        return raw + new
    nth = draw(st.integers(0, min(count, 200) - 1))
    start = -1
    for _ in range(nth + 1):
        start = raw.index(old, start + 1)
    return raw[:start] + new + raw[start + len(old) :]


@pytest.mark.parametrize("slug", sorted(IMPORTERS))
def test_a_mutated_snapshot_parses_or_raises_only_parse_error(slug: str) -> None:
    importer = get_importer(slug)
    file_name, raw = seed(slug)

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mutated(raw))
    def check(body: bytes) -> None:
        try:
            result = read_validated(importer, body, file_name=file_name, today=TODAY)
        except ParseError:
            return
        # What comes out is storable: the schema accepts every row it lets through.
        _, rejected = split_valid(result, importer.row_schema, today=TODAY, file_name=file_name)
        assert rejected == []

    check()
