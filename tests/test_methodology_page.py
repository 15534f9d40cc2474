"""The /methodology/ page: rendered from the scoring's constants, with the stored verdicts of
real claims worked step by step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from releases import methodology
from releases.models import GapScore, Measurement
from releases.scoring import comparison, context_window, method, units
from releases.scoring.inputs import ELO, PERCENT
from releases.services.worked_examples import worked_example_claim, worked_examples_load


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


def section(html: str, slug: str) -> str:
    part = html[html.index(f'id="example-{slug}"') :]
    return part[: part.index("</section>")]


def test_without_scored_claims_the_page_says_which_examples_it_cannot_show(page) -> None:  # type: ignore[no-untyped-def]
    html = page()
    assert f'<strong id="method-version">{method.METHOD_VERSION}</strong>' in html
    assert reverse("releases:methodology") == "/methodology/"
    for spec in methodology.EXAMPLES:
        assert f'id="example-{spec.slug}"' not in html
        assert f"{escape(spec.title)}”: not shown" in html


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
    assert f"<strong>{context_window.RULER_THRESHOLD:g}</strong>" in html
    for slug in (*context_window.LENGTH_RULES, *comparison.AGGREGATE_INDICES):
        assert f"<code>{slug}</code>" in html
    assert f"it means <strong>{units.PLUS_MINUS_MEANS}</strong>" in html
    assert escape(method.SAME_BENCHMARK_RULE) in html
    assert "the version current at the claim's date" in html
    assert "one publication of the leaderboard for both" in html
    assert "A bound is never used as a value" in html
    # Each version's change, so the history's method versions can be read.
    assert method.METHOD_CHANGES[0][0] == method.METHOD_VERSION
    for version, change in method.METHOD_CHANGES:
        assert f"<dt>Version {version}</dt><dd>{escape(change)}</dd>" in html
    assert "only of another checkpoint than the one the figure is for" in html
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


# --- The worked examples are the stored verdicts ---------------------------------------------------


def _stored(spec) -> GapScore:  # type: ignore[no-untyped-def]
    claim = worked_example_claim(spec)
    assert claim is not None, spec.slug
    return GapScore.objects.get(claim=claim, is_current=True)


@pytest.mark.usefixtures("real_data")
def test_each_worked_example_is_the_stored_score_of_its_claim(db) -> None:  # type: ignore[no-untyped-def]
    examples = worked_examples_load()
    assert [e.spec.slug for e in examples] == [spec.slug for spec in methodology.EXAMPLES]
    for example in examples:
        stored = _stored(example.spec)
        score = example.score()
        assert example.as_of == stored.as_of
        assert score.verdict == stored.verdict
        assert list(score.flags) == stored.flags
        assert list(score.measurement_ids) == stored.measurement_ids
        assert score.explanation == stored.explanation
        for name in ("aggregate", "gap", "z"):
            expected = getattr(stored, name)
            got = getattr(score, name)
            assert (got is None) == (expected is None), name
            if expected is not None:
                assert got == pytest.approx(expected), name


@pytest.mark.usefixtures("real_data")
def test_the_page_shows_each_example_with_the_stored_verdict_and_its_figures(db, client) -> None:  # type: ignore[no-untyped-def]
    html = client.get(reverse("releases:methodology")).content.decode()
    for spec in methodology.EXAMPLES:
        stored = _stored(spec)
        part = section(html, spec.slug)
        assert escape(stored.explanation) in part
        assert (
            f"verdict <strong>{escape(methodology.rules.explanation.VERDICT_WORDS[stored.verdict])}</strong>"
            in part
        )
        for m in Measurement.objects.filter(pk__in=stored.measurement_ids).select_related(
            "snapshot"
        ):
            assert escape(m.raw_model_name) in part
            assert escape(m.snapshot.file_name) in part


@pytest.mark.usefixtures("real_data")
def test_the_arena_example_reads_the_build_at_the_claims_date(db, client) -> None:  # type: ignore[no-untyped-def]
    html = client.get(reverse("releases:methodology")).content.decode()
    arena = section(html, "arena")
    # 1416.6 (95% interval 1404.9 to 1429.2) on 2025-04-07, not the 1394 of 2025-05-24.
    assert "1,416.58 (95% interval 1,404.95 to 1,429.22) on 2025-04-07" in arena
    assert "1394" not in arena
    assert "± 6.2" not in arena


@pytest.mark.usefixtures("real_data")
def test_changing_a_constant_changes_the_examples(db, client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    thresholds = dict(method.THRESHOLDS)
    thresholds[ELO] = (200.0, 300.0)
    monkeypatch.setattr(method, "THRESHOLDS", thresholds)
    arena = section(client.get(reverse("releases:methodology")).content.decode(), "arena")
    # The example is recomputed with the constants: 128 rating points is now within 200.
    assert "within 200 rating points" in arena
    assert "verdict <strong>the claim holds</strong>" in arena


@pytest.mark.usefixtures("real_data")
def test_the_context_example_reads_each_test_by_its_own_rule(db, client) -> None:  # type: ignore[no-untyped-def]
    context = section(client.get(reverse("releases:methodology")).content.decode(), "context")
    assert "NoLiMa (Adobe Research): short-context score 81.7; 85% of it is 69.4." in context
    assert "effective length 1K tokens" in context
    assert "Fiction.LiveBench (Fiction.LiveBench) publishes no effective-length rule" in context
    assert "under 400" not in context
    assert "2026-04-19" not in context  # the mirror's date is never the measurement's
