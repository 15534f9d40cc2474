"""Hostile and broken leaderboard files (issue 12): a clear error or a rejected row, nothing lost.

Each case of the issue is reproduced on the real bundled snapshots: a failed import is a failed
snapshot with the reason on the source's `last_error`, a bad row is rejected with its row and
field named and stored on the snapshot, and in every case the measurements already stored are
exactly as they were.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releases.models import LeaderboardSource, Measurement, Snapshot
from releases.services.leaderboard_import import (
    FAILED_BODY_KEPT_BYTES,
    ImportFailed,
    leaderboard_import,
)
from tests.conftest import FIXTURES_DIR

LEADERBOARDS = FIXTURES_DIR / "leaderboards"
POLYGLOT = (LEADERBOARDS / "aider" / "polyglot_leaderboard.yml").read_bytes()
ARENA = (LEADERBOARDS / "lmarena" / "leaderboard-text@2025-04-07.json").read_bytes()
ARENA_NAME = "leaderboard-text@2025-04-07.json"
EXPERIMENTAL = "llama-4-maverick-03-26-experimental"
GPQA = (LEADERBOARDS / "epoch" / "gpqa_diamond.csv").read_bytes()


def state(source: LeaderboardSource) -> dict:
    return {
        (m.raw_model_name, m.benchmark_id, m.conditions_key, m.as_of): (m.value, m.snapshot_id)
        for m in Measurement.objects.filter(source=source)
    }


def arena_with(entries: dict[str, dict]) -> bytes:
    data = json.loads(ARENA)
    data["full"].update(entries)
    return json.dumps(data).encode()


@pytest.fixture
def arena(source):  # type: ignore[no-untyped-def]
    arena = source("lmarena-text")
    leaderboard_import(source_id=arena.pk, raw=ARENA, file_name=ARENA_NAME)
    return arena


@pytest.fixture
def polyglot(source):  # type: ignore[no-untyped-def]
    polyglot = source("aider-polyglot")
    leaderboard_import(source_id=polyglot.pk, raw=POLYGLOT, file_name="polyglot_leaderboard.yml")
    return polyglot


def experimental_rating() -> float:
    return Measurement.objects.get(
        raw_model_name=EXPERIMENTAL,
        benchmark__slug="lmarena-text",
        conditions_key="{}",
        as_of=dt.date(2025, 4, 7),
    ).value


# --- Rows rejected one by one (the rest of the file is applied) ---------------------------------


@pytest.mark.parametrize(
    ("name", "entry", "field"),
    [
        # Issue 12 point 2: on SQLite the NUL cut the key and overwrote Maverick's 1416.58.
        (EXPERIMENTAL + "\x00x", {"rating": 900.0}, "raw_model_name"),
        ("a" * 10_000, {"rating": 1200.0}, "raw_model_name"),  # varchar(255) on PostgreSQL
        ("   ", {"rating": 1200.0}, "raw_model_name"),
        ("lone-\ud800-surrogate", {"rating": 1200.0}, "raw_model_name"),
        # Point 3: one extreme rating poisoned every later recompute.
        ("hostile-model", {"rating": 200_000.0}, "value"),
        # An interval that does not contain its value.
        ("hostile-model", {"rating": 1200.0, "rating_q025": 1300.0}, "ci_low"),
    ],
    ids=["nul", "long", "blank", "surrogate", "huge-rating", "interval"],
)
def test_a_bad_row_is_rejected_with_its_field_and_the_rest_applies(
    arena, name, entry, field
) -> None:
    before = experimental_rating()
    summary = leaderboard_import(
        source_id=arena.pk,
        raw=arena_with({name: entry}),
        file_name="leaderboard-text.json",
        as_of=dt.date(2025, 4, 8),
    )
    assert summary.status == "imported"
    assert any(s["field"] == field and s["file"] for s in summary.skipped), summary.skipped
    snapshot = Snapshot.objects.get(pk=summary.snapshot_id)
    assert snapshot.rows_skipped == summary.rows_skipped >= 1
    assert snapshot.skipped_rows == summary.skipped
    assert experimental_rating() == before
    stored = set(Measurement.objects.filter(source=arena).values_list("raw_model_name", flat=True))
    assert name not in stored and "hostile-model" not in stored


def test_a_rejected_rating_is_left_out_of_the_ranks(arena) -> None:
    def rank_of(model: str, as_of: dt.date) -> float:
        return Measurement.objects.get(
            raw_model_name=model,
            benchmark__slug="lmarena-text-rank",
            conditions_key="{}",
            as_of=as_of,
        ).value

    leaderboard_import(
        source_id=arena.pk,
        raw=arena_with({"hostile-model": {"rating": 200_000.0}}),
        file_name="leaderboard-text.json",
        as_of=dt.date(2025, 4, 8),
    )
    assert rank_of(EXPERIMENTAL, dt.date(2025, 4, 8)) == rank_of(EXPERIMENTAL, dt.date(2025, 4, 7))


def test_skipped_rows_are_printed_by_the_command(source, tmp_path) -> None:
    from io import StringIO

    from django.core.management import call_command

    source("lmarena-text")
    path = tmp_path / ARENA_NAME
    path.write_bytes(arena_with({EXPERIMENTAL + "\x00x": {"rating": 900.0}}))
    out, err = StringIO(), StringIO()
    call_command("import_leaderboard", "lmarena-text", "--file", str(path), stdout=out, stderr=err)
    assert "1 rows skipped" in out.getvalue()
    assert "field 'raw_model_name'" in err.getvalue() and "U+0000" in err.getvalue()


# --- Files rejected whole: a failed snapshot, the reason on the source, nothing written ---------


def _aider_entry(**overrides: object) -> bytes:
    entry = {
        "dirname": "x",
        "test_cases": 225,
        "model": "hostile",
        "edit_format": "diff",
        "pass_rate_2": 50.0,
        "date": "2025-01-01",
    }
    entry.update(overrides)
    lines = [f"  {key}: {value}" for key, value in entry.items()]
    return ("- " + "\n".join(lines).lstrip() + "\n").encode()


BAD_FILES = [
    # (source, file name, bytes)
    ("aider-polyglot", "polyglot_leaderboard.yml", POLYGLOT + _aider_entry(pass_rate_2="1" * 5000)),
    ("aider-polyglot", "polyglot_leaderboard.yml", POLYGLOT + _aider_entry(date="2025-13-01")),
    ("aider-polyglot", "polyglot_leaderboard.yml", b"a: &a [x, x]\nb: [*a, *a]\n"),
    ("aider-polyglot", "polyglot_leaderboard.yml", POLYGLOT + _aider_entry(date="!!binary AAAA")),
    ("lmarena-text", ARENA_NAME, b"[" * 100_000 + b"]" * 100_000),
    ("lmarena-text", ARENA_NAME, b'{"full": {"m": {"rating": 1' + b"0" * 5000 + b"}}}"),
    ("lmarena-text", ARENA_NAME, b'{"full": {"m": {"rating": 1e999}}}'),
    ("lmarena-text", ARENA_NAME, b'{"full": ["not", "a", "mapping"]}'),
    ("epoch", "gpqa_diamond.csv", GPQA.replace(b"\n", b',"' + b"x" * 200_000 + b'"\n', 1)),
    ("epoch", "gpqa_diamond.csv", b"\xff\xfe not utf-8"),
    ("epoch", "benchmark_data.zip", b"PK\x03\x04 not really a zip"),
    ("swebench", "leaderboards.json", b'{"leaderboards": [{"name": "Verified", "results": 7}]}'),
    ("nolima", "nolima_results.md", b"# nothing here\n"),
]


@pytest.mark.parametrize(
    ("slug", "file_name", "raw"),
    BAD_FILES,
    ids=[
        "5000-digits",
        "month-13",
        "yaml-aliases",
        "yaml-binary-date",
        "json-nested-100000",
        "json-5000-digits",
        "json-infinity",
        "list-for-mapping",
        "csv-200000-char-cell",
        "not-utf8",
        "bad-zip",
        "results-not-a-list",
        "no-table",
    ],
)
def test_a_bad_file_is_a_failed_snapshot_with_a_reason_and_loses_nothing(
    source, polyglot, arena, slug, file_name, raw
) -> None:
    target = source(slug)
    before = {s: state(source(s)) for s in ("aider-polyglot", "lmarena-text")}
    with pytest.raises(ImportFailed) as raised:
        leaderboard_import(source_id=target.pk, raw=raw, file_name=file_name)
    failed = Snapshot.objects.get(pk=raised.value.snapshot_id)
    assert failed.status == Snapshot.Status.FAILED and failed.error == str(raised.value)
    # A failed snapshot keeps the first FAILED_BODY_KEPT_BYTES of what came (its sha256 and size
    # are of the whole), so a failure's evidence is kept without storing a bomb whole.
    assert bytes(failed.raw) == raw[:FAILED_BODY_KEPT_BYTES]
    assert failed.sha256 == hashlib.sha256(raw).hexdigest() and failed.size_bytes == len(raw)
    target.refresh_from_db()
    assert target.last_error == failed.error
    assert not Measurement.objects.filter(snapshot=failed).exists()
    assert {s: state(source(s)) for s in before} == before


def test_a_file_with_many_bad_rows_is_rejected_whole(arena) -> None:
    before = state(arena)
    good = {f"model-{i}": {"rating": 1200.0 + i} for i in range(10)}
    bad = {f"hostile-{i}": {"rating": 200_000.0 + i} for i in range(5)}
    raw = json.dumps({"full": {**good, **bad}}).encode()
    with pytest.raises(ImportFailed, match="break the row schema"):
        leaderboard_import(source_id=arena.pk, raw=raw, file_name="leaderboard-text.json")
    assert state(arena) == before


def test_a_write_the_database_refuses_is_a_failed_snapshot(polyglot, monkeypatch) -> None:
    from django.db import DataError

    from releases.services import leaderboard_import as module

    def refuse(**kwargs: object) -> None:
        raise DataError("value too long for type character varying(255)")

    monkeypatch.setattr(module, "measurements_upsert", refuse)
    before = state(polyglot)
    imported = Snapshot.objects.filter(source=polyglot, status=Snapshot.Status.IMPORTED).count()
    changed = POLYGLOT.replace(b"pass_rate_2: 15.6", b"pass_rate_2: 15.7", 1)
    with pytest.raises(ImportFailed, match="could not write: DataError"):
        leaderboard_import(source_id=polyglot.pk, raw=changed, file_name="polyglot_leaderboard.yml")
    polyglot.refresh_from_db()
    assert polyglot.last_error.startswith("could not write")
    assert state(polyglot) == before
    assert Snapshot.objects.filter(source=polyglot, status=Snapshot.Status.IMPORTED).count() == (
        imported
    )


@pytest.mark.parametrize("as_of", [dt.date(2999, 1, 1), dt.date(1970, 1, 1)])
def test_an_as_of_out_of_range_is_refused(source, as_of) -> None:
    arena = source("lmarena-text")
    with pytest.raises(ImportFailed, match="as-of"):
        leaderboard_import(
            source_id=arena.pk, raw=ARENA, file_name="leaderboard-text.json", as_of=as_of
        )
    assert not Measurement.objects.filter(source=arena).exists()


def test_a_row_dated_in_2999_is_rejected(polyglot) -> None:
    raw = POLYGLOT + _aider_entry(model="from-the-future", date="2999-01-01")
    summary = leaderboard_import(
        source_id=polyglot.pk, raw=raw, file_name="polyglot_leaderboard.yml"
    )
    assert [(s["field"], "future" in s["reason"]) for s in summary.skipped] == [("as_of", True)]
    assert not Measurement.objects.filter(raw_model_name="from-the-future").exists()


def test_a_dict_shaped_name_is_rejected_not_stringified(polyglot) -> None:
    raw = POLYGLOT + _aider_entry(model="{a: 1}")
    summary = leaderboard_import(
        source_id=polyglot.pk, raw=raw, file_name="polyglot_leaderboard.yml"
    )
    assert [s["field"] for s in summary.skipped] == ["raw_model_name"]
    assert "got dict" in summary.skipped[0]["reason"]
    assert not Measurement.objects.filter(raw_model_name__startswith="{").exists()


def test_an_unbounded_sample_size_is_rejected(polyglot) -> None:
    raw = POLYGLOT + _aider_entry(model="huge-sample", test_cases=10**12)
    summary = leaderboard_import(
        source_id=polyglot.pk, raw=raw, file_name="polyglot_leaderboard.yml"
    )
    assert [s["field"] for s in summary.skipped] == ["sample_size"]


# --- Point 5: the sha256 shortcut no longer blocks repairs ----------------------------------


def test_reimporting_an_older_snapshot_reapplies_it(polyglot) -> None:
    maverick = {"raw_model_name": "Llama 4 Maverick", "source": polyglot}
    edited = POLYGLOT.replace(b"pass_rate_2: 15.6", b"pass_rate_2: 99.0", 1)
    leaderboard_import(source_id=polyglot.pk, raw=edited, file_name="polyglot_leaderboard.yml")
    assert Measurement.objects.get(**maverick).value == 99.0
    again = leaderboard_import(
        source_id=polyglot.pk, raw=POLYGLOT, file_name="polyglot_leaderboard.yml"
    )
    assert again.status == "imported" and again.updated == 1
    assert Measurement.objects.get(**maverick).value == 15.6
    # An exact repeat of the latest snapshot still stops at its sha256.
    assert (
        leaderboard_import(
            source_id=polyglot.pk, raw=POLYGLOT, file_name="polyglot_leaderboard.yml"
        ).status
        == "unchanged"
    )


def test_an_explicit_as_of_is_honoured_on_the_same_bytes(source) -> None:
    arena = source("lmarena-text")
    wrong, right = dt.date(2025, 4, 1), dt.date(2025, 4, 7)
    leaderboard_import(
        source_id=arena.pk, raw=ARENA, file_name="leaderboard-text.json", as_of=wrong
    )
    summary = leaderboard_import(
        source_id=arena.pk, raw=ARENA, file_name="leaderboard-text.json", as_of=right
    )
    assert summary.status == "imported" and summary.as_of == right.isoformat()
    assert Measurement.objects.filter(source=arena, as_of=right).count() == summary.rows


# --- Fuzzed files through the whole import: a failed parse writes nothing ----------------------


@settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cut=st.integers(0, len(POLYGLOT) - 1),
    flips=st.lists(st.tuples(st.integers(0, len(POLYGLOT) - 1), st.integers(0, 255)), max_size=4),
)
def test_a_fuzzed_file_either_imports_or_fails_writing_nothing(polyglot, cut, flips) -> None:
    data = bytearray(POLYGLOT[:cut] if cut > len(POLYGLOT) // 2 else POLYGLOT)
    for position, byte in flips:
        if position < len(data):
            data[position] = byte
    measurements = Measurement.objects.count()
    before = state(polyglot)
    try:
        summary = leaderboard_import(
            source_id=polyglot.pk, raw=bytes(data), file_name="polyglot_leaderboard.yml"
        )
    except ImportFailed as exc:
        assert Measurement.objects.count() == measurements
        assert state(polyglot) == before
        assert not Measurement.objects.filter(snapshot_id=exc.snapshot_id).exists()
    else:
        assert summary.status in ("imported", "unchanged", "held")
        if summary.status == "held":
            assert state(polyglot) == before
