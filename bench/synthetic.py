"""Synthetic data for the benchmarks: releases, claims and measurements at scale, on PostgreSQL.

A catalogue of RELEASES releases (three variants each), PERCENT_BENCHMARKS percent benchmarks
plus an arena, context-window and long-context benchmarks, a source per evaluator, and
MEASUREMENTS_PER_RELEASE measurements per release written with COPY; CLAIMS_PER_RELEASE
published claims per release, each with its citation. Deterministic (no randomness), so that
every run measures the same data. Importable by any benchmark once Django is set up:
`build_catalogue()`, `measurement_rows()`, `copy_measurements()`, `build_claims()`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator

from django.db import connection, transaction

from releases.conditions import conditions_key
from releases.models import (
    Benchmark,
    Citation,
    Claim,
    LeaderboardSource,
    ModelRelease,
    ModelVariant,
    Snapshot,
    Vendor,
)
from releases.scoring.context_window import LONG_CONTEXT_BENCHMARKS
from releases.services.data_version import data_version_advance_now
from releases.services.measurement_upsert import COLUMNS as UPSERT_COLUMNS

RELEASES = 1_000
RELEASES_PER_VENDOR = 50
CLAIMS_PER_RELEASE = 10  # 10,000 claims
MEASUREMENTS_PER_RELEASE = 1_000  # 1,000,000 measurements
PERCENT_BENCHMARKS = 100

# Fixed dates, so that verdicts (and the stale flag) do not depend on the day the bench runs.
FIRST_MONTH = dt.date(2024, 1, 15)
MONTHS = 34  # 2024-01 .. 2026-10
AS_OF = dt.date(2026, 11, 1)
NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)


# (slug, evaluator): one leaderboard source each; "epoch" also carries Fiction.LiveBench's rows.
SOURCES = [
    ("lmarena-text", "LMArena"),
    ("nolima", "NoLiMa"),
    ("epoch", "Epoch AI"),
    ("livebench", "LiveBench"),
    ("artificial-analysis", "Artificial Analysis"),
    ("vals", "Vals AI"),
    ("helm", "Stanford HELM"),
]
FICTION_EVALUATOR = "Fiction.LiveBench"
ARENA_CONDITIONS = [
    {},
    {"category": "coding"},
    {"category": "hard_prompts"},
    {"style_control": True},
]
NOLIMA_LENGTHS = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000]
FICTION_LENGTHS = [0, 400, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 120_000]
CLAIMED_PER_RELEASE = 9  # percent benchmarks each release states a figure on

# The columns the import writes, from the one list the upsert statement is built from.
MEASUREMENT_COLUMNS = tuple(name for name, _, _ in UPSERT_COLUMNS)


def month_date(month: int) -> dt.date:
    return dt.date(FIRST_MONTH.year + month // 12, month % 12 + 1, FIRST_MONTH.day)


def release_months(r: int) -> list[int]:
    """The months release r was measured in: from its launch to the last snapshot, or, for one
    release in 25, only its first seven months (for the early ones, over a year before AS_OF:
    their scores carry the stale flag)."""
    first = r * 28 // RELEASES
    last = MONTHS - 1 if r % 25 else min(MONTHS - 1, first + 6)
    return list(range(first, last + 1))


def spaced(months: list[int], k: int) -> list[int]:
    """k distinct months spread over `months`, first and last included (len(months) >= k)."""
    if k == 1:
        return [months[-1]]
    return [months[i * (len(months) - 1) // (k - 1)] for i in range(k)]


def claimed_benchmarks(r: int) -> list[int]:
    """Indices of the percent benchmarks release r states figures on (distinct: 11j mod 100)."""
    return [(r * 7 + j * 11) % PERCENT_BENCHMARKS for j in range(CLAIMED_PER_RELEASE)]


def true_percent(r: int, b: int) -> float:
    return 35.0 + (r * 37 + b * 53) % 55


def true_elo(r: int) -> float:
    return 1100.0 + (r * 17) % 300


def clamp(value: float) -> float:
    return round(min(100.0, max(0.0, value)), 2)


class Catalogue:
    """Ids of the rows the measurements and claims refer to."""

    def __init__(self) -> None:
        self.vendors: list[int] = []
        self.releases: list[int] = []
        self.variants: list[dict[str, tuple[int, str]]] = []  # per release: kind -> (id, slug)
        self.percent: list[int] = []
        self.percent_slugs: list[str] = []
        self.arena = self.nolima = self.fiction = self.context_window = 0
        self.sources: dict[str, int] = {}
        self.snapshots: dict[tuple[str, int], int] = {}  # (source slug, month) -> id
        self.citations: list[int] = []


def build_catalogue() -> Catalogue:
    """Vendors, releases, variants, benchmarks, sources, snapshots, citations: bulk_create."""
    cat = Catalogue()
    vendors = Vendor.objects.bulk_create(
        Vendor(name=f"Synthetic Lab {v:02d}", slug=f"synthetic-lab-{v:02d}")
        for v in range(RELEASES // RELEASES_PER_VENDOR)
    )
    cat.vendors = [v.pk for v in vendors]
    releases = ModelRelease.objects.bulk_create(
        ModelRelease(
            vendor_id=cat.vendors[r // RELEASES_PER_VENDOR],
            name=f"Synth {r:04d}",
            slug=f"synth-{r:04d}",
            announced_on=month_date(release_months(r)[0]),
            context_window_tokens=(128_000, 1_000_000, 10_000_000)[r % 3],
        )
        for r in range(RELEASES)
    )
    cat.releases = [r.pk for r in releases]
    kinds = [
        ("instruct", ModelVariant.Kind.INSTRUCT, True),
        ("base", ModelVariant.Kind.BASE, True),
        ("experimental", ModelVariant.Kind.EXPERIMENTAL, False),
    ]
    variants = ModelVariant.objects.bulk_create(
        ModelVariant(
            release_id=cat.releases[r],
            name=f"Synth {r:04d} {label}",
            slug=f"synth-{r:04d}-{label}",
            kind=kind,
            is_public=public,
        )
        for r in range(RELEASES)
        for label, kind, public in kinds
    )
    for r in range(RELEASES):
        trio = variants[3 * r : 3 * r + 3]
        cat.variants.append(
            {label: (v.pk, v.slug) for (label, _, _), v in zip(kinds, trio, strict=True)}
        )
    percent = Benchmark.objects.bulk_create(
        Benchmark(
            slug=f"synth-bench-{b:03d}",
            name=f"Synth Bench {b:03d}",
            unit=Benchmark.Unit.PERCENT,
            min_value=0,
            max_value=100,
            # Some have a known item count: a binomial uncertainty for figures without one.
            item_count=(198, 500, 1_319)[b % 3] if b % 2 == 0 else None,
        )
        for b in range(PERCENT_BENCHMARKS)
    )
    cat.percent = [b.pk for b in percent]
    cat.percent_slugs = [b.slug for b in percent]
    arena, nolima, fiction, window, ruler = Benchmark.objects.bulk_create(
        [
            Benchmark(slug="lmarena-text", name="LMArena text", unit=Benchmark.Unit.ELO),
            Benchmark(
                slug="nolima",
                name="NoLiMa",
                unit=Benchmark.Unit.PERCENT,
                min_value=0,
                max_value=100,
            ),
            Benchmark(
                slug="fiction-livebench",
                name="Fiction.LiveBench",
                unit=Benchmark.Unit.PERCENT,
                min_value=0,
                max_value=100,
            ),
            Benchmark(
                slug="context-window",
                name="Context window",
                unit=Benchmark.Unit.TOKENS,
                min_value=1,
            ),
            # In the catalogue as in the curated data; the synthetic rows are NoLiMa's and
            # Fiction.LiveBench's, so the context-window scorer sees a test with no rows too.
            Benchmark(
                slug="ruler",
                name="RULER",
                unit=Benchmark.Unit.PERCENT,
                min_value=0,
                max_value=100,
            ),
        ]
    )
    long_context = {nolima.slug, fiction.slug, ruler.slug}
    assert long_context == set(LONG_CONTEXT_BENCHMARKS), LONG_CONTEXT_BENCHMARKS
    cat.arena, cat.nolima, cat.fiction, cat.context_window = (
        arena.pk,
        nolima.pk,
        fiction.pk,
        window.pk,
    )
    sources = LeaderboardSource.objects.bulk_create(
        LeaderboardSource(
            slug=slug,
            name=f"{evaluator} (synthetic)",
            importer=slug,
            evaluator=evaluator,
            live_url=f"https://example.org/{slug}.json",
        )
        for slug, evaluator in SOURCES
    )
    cat.sources = {s.slug: s.pk for s in sources}
    snapshots = Snapshot.objects.bulk_create(
        Snapshot(
            source_id=cat.sources[slug],
            fetched_at=dt.datetime.combine(month_date(m), dt.time(6), tzinfo=dt.UTC),
            status=Snapshot.Status.IMPORTED,
            as_of=month_date(m),
            file_name=f"{slug}-{month_date(m).isoformat()}.json",
        )
        for slug, _ in SOURCES
        for m in range(MONTHS)
    )
    cat.snapshots = {
        (slug, m): snapshots[i * MONTHS + m].pk
        for i, (slug, _) in enumerate(SOURCES)
        for m in range(MONTHS)
    }
    citations = Citation.objects.bulk_create(
        Citation(
            url=f"https://example.org/synth-{r:04d}/model-card",
            title=f"Synth {r:04d} model card",
            publisher=f"Synthetic Lab {r // RELEASES_PER_VENDOR:02d}",
            published_on=month_date(release_months(r)[0]),
        )
        for r in range(RELEASES)
    )
    cat.citations = [c.pk for c in citations]
    return cat


def measurement_rows(cat: Catalogue) -> Iterator[tuple]:
    """MEASUREMENTS_PER_RELEASE rows per release, in MEASUREMENT_COLUMNS order.

    Per release: arena ratings with intervals (the public instruct model in four views, the
    unreleased experimental build early on); NoLiMa and Fiction.LiveBench curves; for each of
    the nine percent benchmarks the release claims, five evaluators on the instruct model and
    Epoch on the base model (standard errors from some, sample sizes from others, none from the
    rest; chain-of-thought and zero-shot settings on some); then other benchmarks the release
    does not claim, until the release has its quota. One release in 20 is never measured on one
    of its claimed benchmarks (those claims stay unverified).
    """
    keys: dict[str, tuple[str, str]] = {}

    def cond(conditions: dict) -> tuple[str, str]:
        raw = json.dumps(conditions, sort_keys=True)
        if raw not in keys:
            keys[raw] = (raw, conditions_key(conditions))
        return keys[raw]

    stamp = NOW
    for r in range(RELEASES):
        months = release_months(r)
        variants = cat.variants[r]
        count = 0

        def row(
            source: str,
            evaluator: str,
            benchmark_id: int,
            variant: str,
            month: int,
            value: float,
            conditions: dict,
            *,
            ci: float | None = None,
            std_error: float | None = None,
            sample_size: int | None = None,
            variants: dict[str, tuple[int, str]] = variants,
        ) -> tuple:
            variant_id, raw_name = variants[variant]
            conditions_json, key = cond(conditions)
            # By column name, in the upsert's column order: a column added to the model then
            # fails here by name (KeyError) instead of shifting every value after it.
            values = {
                "source_id": cat.sources[source],
                "snapshot_id": cat.snapshots[(source, month)],
                "benchmark_id": benchmark_id,
                "raw_model_name": raw_name,
                "variant_id": variant_id,
                "value": value,
                "ci_low": None if ci is None else round(value - ci, 2),
                "ci_high": None if ci is None else round(value + ci, 2),
                "std_error": std_error,
                "sample_size": sample_size,
                "conditions": conditions_json,
                "conditions_key": key,
                "as_of": month_date(month),
                "evaluator": evaluator,
                "metadata": "{}",
                "as_of_known": True,  # each synthetic snapshot is dated by its evaluator
                "created_at": stamp,
                "updated_at": stamp,
            }
            return tuple(values[column] for column in MEASUREMENT_COLUMNS)

        # Arena: 4 views x 7 months on the instruct model, 3 early months of the experimental one.
        elo, ci = true_elo(r), 5.0 + r % 5
        for v, conditions in enumerate(ARENA_CONDITIONS):
            for i, m in enumerate(spaced(months, 7)):
                value = round(elo + (15, 0, -10, -20)[v] + (i % 3 - 1) * 3, 1)
                yield row(
                    "lmarena-text", "LMArena", cat.arena, "instruct", m, value, conditions, ci=ci
                )
                count += 1
        for i, m in enumerate(months[:3]):
            value = round(elo + 45 + i, 1)
            yield row("lmarena-text", "LMArena", cat.arena, "experimental", m, value, {}, ci=ci)
            count += 1

        # Long context: a base score and a curve that falls by `drop` per doubling.
        drop = 0.04 + (r % 7) * 0.03
        for m in spaced(months, 2):
            base = 85.0 + r % 10
            yield row("nolima", "NoLiMa", cat.nolima, "instruct", m, base, {"context": "base"})
            count += 1
            for length in NOLIMA_LENGTHS:
                value = clamp(base * (1 - drop * math.log2(length / 500)))
                yield row(
                    "nolima", "NoLiMa", cat.nolima, "instruct", m, value, {"context_tokens": length}
                )
                count += 1
            for length in FICTION_LENGTHS:
                value = clamp(base * (1 - drop * max(0.0, math.log2(max(length, 1) / 250))))
                yield row(
                    "epoch",
                    FICTION_EVALUATOR,
                    cat.fiction,
                    "instruct",
                    m,
                    value,
                    {"context_tokens": length},
                )
                count += 1

        # Claimed percent benchmarks, covered by several evaluators.
        claimed = claimed_benchmarks(r)
        for j, b in enumerate(claimed):
            if r % 20 == 3 and j == 7:
                continue  # never measured: the claim on it is unverified
            truth, bid = true_percent(r, b), cat.percent[b]
            series = [
                ("epoch", "Epoch AI", "instruct", 7, {}, "se"),
                ("livebench", "LiveBench", "instruct", 7, {}, None),
                ("artificial-analysis", "Artificial Analysis", "instruct", 7, {"shots": 0}, "n"),
                ("vals", "Vals AI", "instruct", 7, {"cot": True}, "se"),
                ("helm", "Stanford HELM", "instruct", 7, {}, None),
                ("epoch", "Epoch AI", "base", 4, {}, "se"),
            ]
            for s, (source, evaluator, variant, k, conditions, spread) in enumerate(series):
                offset = -8.0 if variant == "base" else 0.0
                for i, m in enumerate(spaced(months, k)):
                    value = clamp(truth + offset + ((r + b + 3 * s + i) % 9 - 4) * 0.5)
                    yield row(
                        source,
                        evaluator,
                        bid,
                        variant,
                        m,
                        value,
                        conditions,
                        std_error=1.5 + (b % 5) * 0.3 if spread == "se" else None,
                        sample_size=200 + b * 5 if spread == "n" and b % 2 else None,
                    )
                    count += 1

        # Benchmarks the release does not claim, until the quota is reached.
        fillers = [
            ("helm", "Stanford HELM", {}, None),
            ("livebench", "LiveBench", {"category": "reasoning"}, None),
            ("epoch", "Epoch AI", {}, "se"),
            ("artificial-analysis", "Artificial Analysis", {"shots": 0}, None),
        ]
        unclaimed = [b for b in range(PERCENT_BENCHMARKS) if b not in claimed]
        series_index = 0
        while count < MEASUREMENTS_PER_RELEASE:
            b = unclaimed[(r * 13 + series_index // len(fillers)) % len(unclaimed)]
            source, evaluator, conditions, spread = fillers[series_index % len(fillers)]
            series_index += 1
            for i, m in enumerate(spaced(months, 7)):
                if count == MEASUREMENTS_PER_RELEASE:
                    break
                value = clamp(true_percent(r, b) + (i % 5 - 2) * 0.7)
                yield row(
                    source,
                    evaluator,
                    cat.percent[b],
                    "instruct",
                    m,
                    value,
                    conditions,
                    std_error=2.0 if spread == "se" else None,
                )
                count += 1


def copy_measurements(cat: Catalogue) -> int:
    """COPY every measurement in one stream, loading the way pg_restore does.

    Checked row by row, a million rows take over a minute: four deferred foreign-key checks
    each, the bounds trigger, seven secondary indexes. So, in one transaction, those are set
    aside, the rows copied, the indexes rebuilt from their own definitions, the foreign keys
    added back (PostgreSQL validates every row as it adds them) and the bounds rule checked in
    one query over the whole table. The table ends as migrated, every rule having held.
    """
    table = "releases_measurement"
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        indexes = cursor.fetchall()
        for name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        sql = f"COPY {table} ({', '.join(MEASUREMENT_COLUMNS)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for values in measurement_rows(cat):
                copy.write_row(values)
                count += 1
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        for _, definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        # The rule the bounds trigger enforces (releases/db_triggers.py), over every row at once.
        cursor.execute(
            f"SELECT count(*) FROM {table} t JOIN releases_benchmark b ON b.id = t.benchmark_id "
            "WHERE (b.min_value IS NOT NULL AND t.value < b.min_value) "
            "OR (b.max_value IS NOT NULL AND t.value > b.max_value)"
        )
        out_of_bounds = cursor.fetchone()[0]
        if out_of_bounds:
            raise AssertionError(f"{out_of_bounds} synthetic measurements outside their bounds")
    return count


def build_claims(cat: Catalogue) -> tuple[int, dict[str, int]]:
    """CLAIMS_PER_RELEASE published claims per release, each with its citation and quote.

    Per release: one arena rating (a quarter of them from the unreleased experimental build);
    eight benchmark scores on claimed benchmarks (mostly the instruct model, some the base model
    or the release as a whole; offsets from the truth that hold, overstate a little or a lot,
    or understate; a few with settings or a category no evaluator used); and a tenth claim that
    is a comparison with two other releases (1 in 20), a context window (1 in 20) or another
    benchmark score.
    """
    claims: list[Claim] = []
    rivals: dict[int, list[int]] = {}  # index in `claims` -> rival release ids

    def add(r: int, kind: str, benchmark_id: int | None, value: float | None, **fields) -> None:  # type: ignore[no-untyped-def]
        text = "" if value is None else f"{value:g}"
        conditions = fields.pop("conditions", {})
        claims.append(
            Claim(
                release_id=cat.releases[r],
                kind=kind,
                benchmark_id=benchmark_id,
                stated_value=value,
                stated_text=text,
                conditions=conditions,
                conditions_key=conditions_key(conditions),
                quote=fields.pop("quote", f"Synth {r:04d} reaches {text}"),
                citation_id=cat.citations[r],
                location=f"table 1, row {len(claims) % CLAIMS_PER_RELEASE}",
                status=Claim.Status.PUBLISHED,
                **fields,
            )
        )

    for r in range(RELEASES):
        variants = cat.variants[r]
        elo = true_elo(r)
        if r % 4 == 0:
            add(
                r,
                Claim.Kind.ARENA_RATING,
                cat.arena,
                elo + 45,
                variant_id=variants["experimental"][0],
            )
        else:
            offset = (0.0, 10.0, 35.0, 100.0, -40.0)[r % 5]
            variant_id = variants["instruct"][0] if r % 4 == 1 else None
            add(r, Claim.Kind.ARENA_RATING, cat.arena, elo + offset, variant_id=variant_id)
        claimed = claimed_benchmarks(r)
        for j in range(1, CLAIMS_PER_RELEASE):
            b = claimed[j - 1]
            if j == CLAIMS_PER_RELEASE - 1 and r % 20 == 0:
                rivals[len(claims)] = [
                    cat.releases[(r + 1) % RELEASES],
                    cat.releases[(r + 500 + r % 7) % RELEASES],
                ]
                add(
                    r,
                    Claim.Kind.COMPARISON,
                    None,
                    None,
                    quote="beats its rivals across widely reported benchmarks",
                )
                continue
            if j == CLAIMS_PER_RELEASE - 1 and r % 20 == 10:
                tokens = float((128_000, 1_000_000, 10_000_000)[r % 3])
                add(r, Claim.Kind.CONTEXT_WINDOW, cat.context_window, tokens)
                continue
            offset = (0.0, 1.0, -1.5, 2.0, 5.0, 7.0, 15.0, -6.0)[(r + j) % 8]
            variant = "base" if j == 8 and r % 5 == 0 else "instruct"
            variant_id = None if j == 1 and r % 3 == 0 else variants[variant][0]
            truth = true_percent(r, b) - (8.0 if variant == "base" else 0.0)
            conditions: dict = {}
            if j == 2 and r % 7 == 0:
                conditions = {"shots": 5}  # unconfirmed against most, incompatible with 0-shot
            elif j == 3 and r % 11 == 0:
                conditions = {"cot": True}
            elif j == 4 and r % 13 == 0:
                conditions = {"category": "hard"}  # a slice no evaluator measured
            add(
                r,
                Claim.Kind.BENCHMARK_SCORE,
                cat.percent[b],
                clamp(truth + offset),
                variant_id=variant_id,
                conditions=conditions,
                stated_std_error=1.2 if j == 5 and r % 2 else None,
            )
    created = Claim.objects.bulk_create(claims)
    through = Claim.compared_with.through
    through.objects.bulk_create(
        through(claim_id=created[i].pk, modelrelease_id=release_id)
        for i, ids in rivals.items()
        for release_id in ids
    )
    kinds: dict[str, int] = {}
    for claim in created:
        kinds[claim.kind] = kinds.get(claim.kind, 0) + 1
    return len(created), kinds


def build_all() -> str:
    """The whole synthetic data set at the scale of RELEASES, analysed for the planner; a line
    saying what was built."""
    catalogue = build_catalogue()
    with connection.cursor() as cursor:
        # Inside an outer transaction (a test's) the catalogue's foreign keys are still to be
        # checked, and the COPY cannot alter the table with checks pending; run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    rows = copy_measurements(catalogue)
    claims, _ = build_claims(catalogue)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    data_version_advance_now()  # as an import would: the API's ETags derive from it
    return f"{len(catalogue.releases):,} releases, {claims:,} claims, {rows:,} measurements"
