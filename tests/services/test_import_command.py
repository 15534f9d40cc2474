"""`manage.py import_leaderboard`: the summary, --json, the as-of rules and a clear failure."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from releases.models import Measurement, Snapshot
from tests.conftest import FIXTURES_DIR

ARENA_0407 = FIXTURES_DIR / "leaderboards" / "lmarena" / "leaderboard-text@2025-04-07.json"
POLYGLOT = FIXTURES_DIR / "leaderboards" / "aider" / "polyglot_leaderboard.yml"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_leaderboard", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_prints_one_object_with_the_summary_keys(catalogue) -> None:
    out, err = run("aider-polyglot", "--file", str(POLYGLOT), "--json")
    summary = json.loads(out)
    assert {"source", "sha256", "rows", "created", "updated", "unchanged", "unresolved"} <= set(
        summary
    )
    assert summary["source"] == "aider-polyglot"
    assert summary["rows"] == summary["created"] == 69
    assert (summary["updated"], summary["unchanged"]) == (0, 0)
    assert (
        isinstance(summary["unresolved"], list) and "Llama 4 Maverick" not in summary["unresolved"]
    )
    assert len(summary["sha256"]) == 64
    assert "parsing" in err  # progress goes to stderr, leaving stdout to the JSON
    again = json.loads(run("aider-polyglot", "--file", str(POLYGLOT), "--json")[0])
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 69)


def test_the_as_of_comes_from_the_file_name_unless_given(catalogue, tmp_path) -> None:
    run("lmarena-text", "--file", str(ARENA_0407))
    assert Snapshot.objects.get(file_name=ARENA_0407.name).as_of == dt.date(2025, 4, 7)
    undated = tmp_path / "leaderboard-text.json"
    undated.write_bytes(ARENA_0407.read_bytes().replace(b"1416.", b"1415.", 1))
    run("lmarena-text", "--file", str(undated), "--as-of", "2025-04-09")
    assert Measurement.objects.filter(as_of=dt.date(2025, 4, 9)).exists()


def test_the_plain_summary_names_the_counts(catalogue) -> None:
    out, _ = run("aider-polyglot", "--file", str(POLYGLOT))
    assert "69 rows: 69 created, 0 updated, 0 unchanged" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-source", "--file", str(POLYGLOT)], "no leaderboard source 'no-such-source'"),
        (["aider-polyglot", "--file", "/nonexistent.yml"], "no such file"),
        (["aider-polyglot", "--file", str(POLYGLOT), "--as-of", "April"], "is not a date"),
    ],
)
def test_bad_input_exits_with_a_clear_error(catalogue, args, message) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_an_unreadable_file_exits_non_zero_names_the_file_and_writes_no_measurement(
    catalogue, tmp_path
) -> None:
    broken = tmp_path / "polyglot_leaderboard.yml"
    broken.write_text("- model: x\n  pass_rate_2: lots\n  dirname: d\n")
    with pytest.raises(CommandError, match=r"polyglot_leaderboard\.yml"):
        run("aider-polyglot", "--file", str(broken))
    assert not Measurement.objects.exists()
    assert Snapshot.objects.get().status == Snapshot.Status.FAILED


def test_a_livebench_table_is_imported_with_its_categories_file(catalogue, tmp_path) -> None:
    table = FIXTURES_DIR / "leaderboards" / "livebench" / "table_2025_04_25.csv"
    summary = json.loads(run("livebench", "--file", str(table), "--json")[0])
    assert summary["as_of"] == "2025-04-25" and summary["rows"] == 1368
    maverick = Measurement.objects.get(
        raw_model_name="llama4-maverick-instruct-basic", conditions={"task": "AMPS_Hard"}
    )
    assert maverick.value == 77.0 and maverick.variant.slug == "llama-4-maverick-instruct"
    lonely = tmp_path / "table_2025_04_25.csv"
    lonely.write_bytes(table.read_bytes())
    with pytest.raises(CommandError, match=r"categories_2025_04_25\.json"):
        run("livebench", "--file", str(lonely))
