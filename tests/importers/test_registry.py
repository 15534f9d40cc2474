"""The registry: every slug resolves to an importer whose bundled files exist."""

from __future__ import annotations

import json
import math

import pytest

from releases.importers import IMPORTERS, UnknownImporter, get_importer
from releases.importers.base import Importer
from tests.importers.conftest import BUNDLED, parsed


@pytest.mark.parametrize("slug", sorted(IMPORTERS))
def test_each_slug_gives_an_importer_of_that_slug(slug: str) -> None:
    importer = get_importer(slug)
    assert isinstance(importer, Importer)
    assert importer.slug == slug


@pytest.mark.parametrize("slug", sorted(IMPORTERS))
def test_each_importer_has_bundled_files(slug: str) -> None:
    importer = get_importer(slug)
    for pattern in importer.bundled_files:
        assert list(BUNDLED.glob(pattern)), f"{slug}: nothing matches {pattern}"


def test_an_unknown_slug_names_the_known_ones() -> None:
    with pytest.raises(KeyError) as excinfo:
        get_importer("no-such-board")
    assert isinstance(excinfo.value, UnknownImporter)
    message = str(excinfo.value)
    assert "no-such-board" in message
    assert "lmarena-text" in message and "nolima" in message


def test_the_arena_glob_leaves_out_the_style_control_file() -> None:
    files = {
        path.name
        for pattern in get_importer("lmarena-text").bundled_files
        for path in BUNDLED.glob(pattern)
    }
    assert files == {
        "leaderboard-text.json",
        "leaderboard-text@2025-04-07.json",
        "leaderboard-text@2025-05-24.json",
    }


BUNDLED_PARSES = [
    ("lmarena-text", "lmarena/leaderboard-text@2025-04-07.json"),
    ("lmarena-text-style-control", "lmarena/leaderboard-text-style-control.json"),
    ("aider-polyglot", "aider/polyglot_leaderboard.yml"),
    ("aider-edit", "aider/edit_leaderboard.yml"),
    ("swebench", "swebench/leaderboards.json"),
    ("nolima", "nolima/nolima_results.md"),
    ("epoch", "epoch/gpqa_diamond.csv"),
    ("epoch", "epoch/fictionlivebench_external.csv"),
    ("epoch", "epoch/live_bench_external.csv"),
    ("evalplus", "evalplus/results.json"),
    ("ruler", "ruler/README.md"),
    ("livecodebench", "livecodebench/performances_generation.json"),
    ("vals", "vals/scores_excerpt.csv"),
]


@pytest.mark.parametrize(("slug", "relative"), BUNDLED_PARSES)
def test_rows_fit_the_measurement_table(slug: str, relative: str) -> None:
    # What Measurement's JSON fields and check constraints will accept.
    for row in parsed(slug, relative):
        json.dumps(row.conditions)
        json.dumps(row.metadata)
        assert math.isfinite(row.value)
        assert row.ci_low is None or row.ci_low <= row.value
        assert row.ci_high is None or row.ci_high >= row.value
        assert row.std_error is None or row.std_error >= 0
        assert row.sample_size is None or row.sample_size >= 1
        assert row.raw_model_name and len(row.raw_model_name) <= 255
