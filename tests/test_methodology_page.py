"""The /methodology/ page: rendered from the scoring's constants, with examples on real figures."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.urls import reverse
from django.utils.html import escape

from releases import methodology
from releases.conditions import canonical_conditions
from releases.importers import get_importer
from releases.importers.base import ParsedRow
from releases.names import normalize_name
from releases.scoring import context_window, method
from releases.scoring.inputs import ELO, PERCENT
from tests.conftest import FIXTURES_DIR
from tests.importers.conftest import parse_result

LEADERBOARDS = FIXTURES_DIR / "leaderboards"
CURATED = FIXTURES_DIR / "curated"


@pytest.fixture
def page(client, db):  # type: ignore[no-untyped-def]
    def get() -> str:
        response = client.get(reverse("releases:methodology"))
        assert response.status_code == 200
        return response.content.decode()

    return get


def thresholds_table(html: str) -> str:
    start = html.index('id="thresholds"')
    return html[start : html.index("</table>", start)]


def test_the_page_renders_without_touching_the_database(page, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(0):
        html = page()
    assert f'<strong id="method-version">{method.METHOD_VERSION}</strong>' in html
    assert reverse("releases:methodology") == "/methodology/"


def test_every_threshold_is_in_the_table_as_formatted(page) -> None:  # type: ignore[no-untyped-def]
    table = thresholds_table(page())
    rows = table.split("<tr>")[2:]  # after the header
    assert len(rows) == len(method.THRESHOLDS)
    for row, (unit, (holds_within, substantial_from)) in zip(
        rows, method.THRESHOLDS.items(), strict=True
    ):
        assert escape(methodology.format_threshold(holds_within, unit)) in row
        assert escape(methodology.format_threshold(substantial_from, unit)) in row
        assert escape(methodology.UNIT_NAMES[unit]) in row


def test_the_other_constants_are_on_the_page(page) -> None:  # type: ignore[no-untyped-def]
    html = page()
    assert f"2 × {method.Z_95:.2f}" in html
    assert f"<strong>{method.Z_SIGNIFICANT:g}</strong>" in html
    assert f"more than {method.STALE_AFTER.days} days" in html
    assert f"<strong>{context_window.EFFECTIVE_LENGTH_FRACTION * 100:g}%</strong>" in html
    for key in (*method.SCOPE_KEYS, *method.MATERIAL_SETTINGS):
        assert f"<code>{escape(key)}</code>" in html
    for name in (
        method.VARIANT_MISMATCH,
        method.CONDITIONS_MISMATCH,
        method.SINGLE_SOURCE,
        method.STALE,
    ):
        assert f"<code>{name}</code>" in html


def test_changing_a_constant_changes_the_page(page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    thresholds = dict(method.THRESHOLDS)
    thresholds[PERCENT] = (4.5, 12.5)
    thresholds[ELO] = (200.0, 300.0)
    monkeypatch.setattr(method, "THRESHOLDS", thresholds)
    monkeypatch.setattr(method, "METHOD_VERSION", "9.9-test")
    monkeypatch.setattr(method, "STALE_AFTER", dt.timedelta(days=200))
    monkeypatch.setattr(context_window, "EFFECTIVE_LENGTH_FRACTION", 0.9)
    html = page()
    table = thresholds_table(html)
    assert "4.5 points" in table and "12.5 points" in table
    assert "3 points" not in table
    assert '<strong id="method-version">9.9-test</strong>' in html
    assert "more than 200 days" in html
    assert "<strong>90%</strong>" in html
    # The examples are computed with the constants too: 128 rating points is now within 200.
    arena = html[html.index('id="example-arena"') :]
    arena = arena[: arena.index("</section>")]
    assert "within 200 rating points" in arena
    assert "verdict <strong>the claim holds</strong>" in arena


def test_each_example_shows_its_inputs_and_its_computed_result(page) -> None:  # type: ignore[no-untyped-def]
    html = page()
    for example in methodology.EXAMPLES:
        score = example.score()
        section = html[html.index(f'id="example-{example.slug}"') :]
        section = section[: section.index("</section>")]
        for figure in example.figures:
            assert f"<td>{figure.value}</td>" in section
            assert escape(figure.raw_model_name) in section
        assert escape(score.explanation) in section
        assert escape(methodology.gap_text(score.gap, example.claim.benchmark.unit)) in section
        if score.z is not None:
            assert f"z {score.z:,.2f}" in section


def test_the_examples_get_the_real_cases_right() -> None:
    scores = {example.slug: example.score() for example in methodology.EXAMPLES}
    assert scores["gpqa"].verdict == method.HOLDS
    assert scores["gpqa"].gap == pytest.approx(69.8 - 66.9823232323)
    assert scores["arena"].verdict == method.SUBSTANTIALLY_OVERSTATED
    assert method.VARIANT_MISMATCH in scores["arena"].flags
    assert [u.value for u in scores["arena"].context] == [1416.5816841191147]
    assert scores["context"].verdict == method.SUBSTANTIALLY_OVERSTATED
    assert sorted(u.value for u in scores["context"].used) == [400.0, 1000.0]


# --- The examples' figures are the snapshots' figures -----------------------------------------


@cache
def parsed(importer: str, file: str) -> tuple[ParsedRow, ...]:
    path = LEADERBOARDS / file
    # The importers' own parse, with the curated benchmark aliases an import would give them.
    return tuple(parse_result(importer, path.read_bytes(), path.name))


@cache
def curated(name: str) -> Any:
    return yaml.safe_load((CURATED / name).read_text(encoding="utf-8"))


def file_date(importer: str, file: str) -> dt.date | None:
    """The date the import pipeline gives a row that carries none: the manifest, else the name."""
    manifest = yaml.safe_load((FIXTURES_DIR / "leaderboards_as_of.yaml").read_text())
    return manifest.get(file) or get_importer(importer).as_of_from_file_name(Path(file).name)


FIGURES = [
    pytest.param(example, figure, id=f"{example.slug}-{figure.file}-{dict(figure.conditions)}")
    for example in methodology.EXAMPLES
    for figure in example.figures
]


@pytest.mark.parametrize(("example", "figure"), FIGURES)
def test_each_example_figure_is_in_its_snapshot(example, figure) -> None:  # type: ignore[no-untyped-def]
    matches = [
        row
        for row in parsed(figure.importer, figure.file)
        if row.raw_model_name == figure.raw_model_name
        and row.benchmark == figure.benchmark.slug
        and canonical_conditions(row.conditions) == canonical_conditions(figure.conditions)
    ]
    assert len(matches) == 1, f"{len(matches)} rows in {figure.file} match {figure}"
    (row,) = matches
    assert row.value == figure.value
    assert row.std_error == figure.std_error
    assert row.ci_low == figure.ci_low
    assert row.ci_high == figure.ci_high
    assert (row.as_of or file_date(figure.importer, figure.file)) == figure.as_of
    sources = {s["importer"]: s["evaluator"] for s in curated("sources.yaml")}
    assert (row.evaluator or sources[figure.importer]) == figure.evaluator


@pytest.mark.parametrize(("example", "figure"), FIGURES)
def test_each_example_figure_is_about_the_variant_its_alias_names(example, figure) -> None:  # type: ignore[no-untyped-def]
    aliases = {normalize_name(a["name"]): a["variant"] for a in curated("aliases.yaml")}
    assert aliases[normalize_name(figure.raw_model_name)] == figure.variant_slug
    variants = {
        v["slug"]: v for release in curated("releases.yaml") for v in release.get("variants", [])
    }
    assert variants[figure.variant_slug]["name"] == figure.variant.name
    assert variants[figure.variant_slug]["is_public"] == figure.variant.is_public


@pytest.mark.parametrize("example", methodology.EXAMPLES, ids=lambda e: e.slug)
def test_each_example_claim_is_a_curated_claim(example) -> None:  # type: ignore[no-untyped-def]
    claim = example.claim
    claims = [
        c
        for path in sorted((CURATED / "claims").glob("*.yaml"))
        for c in yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]
    ]
    matches = [
        c
        for c in claims
        if c["release"] == example.release_slug
        and c["kind"] == claim.kind
        and c["benchmark"] == claim.benchmark.slug
        and c["stated_value"] == claim.stated_value
        and canonical_conditions(c["conditions"]) == canonical_conditions(claim.conditions)
    ]
    assert len(matches) == 1
    releases = {r["slug"]: r for r in curated("releases.yaml")}
    assert releases[example.release_slug]["name"] == claim.release.name
    benchmarks = {b["slug"]: b for b in curated("benchmarks.yaml")}
    for benchmark in {claim.benchmark, *(f.benchmark for f in example.figures)}:
        assert benchmarks[benchmark.slug]["name"] == benchmark.name
        assert benchmarks[benchmark.slug]["unit"] == benchmark.unit
