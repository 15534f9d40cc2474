"""Independent measurements: sources, the raw snapshots fetched from them, measurements."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from releases.conditions import CONDITIONS_KEY_MAX_LENGTH, conditions_key
from releases.models.catalogue import Benchmark, ModelVariant


class LeaderboardSource(models.Model):
    """A public leaderboard claimsdb imports from, and how to fetch it."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    importer = models.CharField(
        max_length=100, help_text="Registered importer that parses this source's files."
    )
    evaluator = models.CharField(
        max_length=200, help_text='Who runs the evaluations ("LMArena", "Epoch AI").'
    )
    homepage_url = models.URLField(blank=True, max_length=500)
    live_url = models.URLField(
        "live URL", max_length=500, help_text="What a scheduled refresh fetches."
    )
    refresh_interval_hours = models.PositiveIntegerField(default=24)
    enabled = models.BooleanField(default=True)
    # Validators from the last successful fetch, sent back for a conditional GET.
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    notes = models.TextField(blank=True, help_text="Format, licence, quirks.")

    history = HistoricalRecords(excluded_fields=["etag", "last_modified", "last_fetched_at"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(refresh_interval_hours__gte=1), name="source_refresh_interval_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Snapshot(models.Model):
    """One fetch (or file import) of a source: the raw bytes as published, and what came of them.

    Raw bytes are kept so every measurement can be traced to, and re-parsed from, what the source
    published.
    """

    class Status(models.TextChoices):
        IMPORTED = "imported", "Imported"
        UNCHANGED = "unchanged", "Unchanged (same bytes as the last snapshot)"
        NOT_MODIFIED = "not_modified", "Not modified (HTTP 304)"
        FAILED = "failed", "Failed"
        # Parsed and valid, but it would lose most of the previous snapshot's rows or move many
        # published verdicts at once: nothing was written until an analyst applies it.
        HELD = "held", "Held for review"
        APPLIED = "applied", "Held, then applied by an analyst"

    source = models.ForeignKey(
        LeaderboardSource, on_delete=models.PROTECT, related_name="snapshots"
    )
    fetched_at = models.DateTimeField()
    url = models.URLField(blank=True, max_length=500)
    file_name = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    raw = models.BinaryField(null=True, blank=True, editable=False)
    size_bytes = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=200, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    error = models.TextField(blank=True)
    as_of = models.DateField(null=True, blank=True, help_text="The date the data describes.")
    rows_parsed = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    unresolved_names = models.JSONField(
        default=list, blank=True, help_text="Raw names no confirmed alias covered."
    )
    # Handed to the gap recompute: only claims whose inputs changed are recomputed.
    changed_measurement_ids = models.JSONField(default=list, blank=True)
    rows_skipped = models.PositiveIntegerField(
        default=0, help_text="Rows the parser skipped or the row schema rejected."
    )
    skipped_rows = models.JSONField(
        default=list,
        blank=True,
        help_text="Why each skipped row was not stored: file, row, field, reason (the first 500).",
    )
    held_reason = models.TextField(
        blank=True, help_text="Why the snapshot waits for an analyst's review before it applies."
    )

    class Meta:
        ordering = ["-fetched_at"]
        get_latest_by = "fetched_at"
        indexes = [models.Index(fields=["source", "-fetched_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""), name="snapshot_failure_has_error"
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | ~Q(held_reason=""), name="snapshot_hold_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.slug} @ {self.fetched_at:%Y-%m-%d %H:%M} ({self.status})"


class Measurement(models.Model):
    """One independent figure: a benchmark score for a model as a leaderboard names it.

    Values are stored in the benchmark's unit (a fraction from a 0–1 file becomes a percent).
    The variant is set only once the raw name resolves through a confirmed alias.
    """

    source = models.ForeignKey(
        LeaderboardSource, on_delete=models.PROTECT, related_name="measurements"
    )
    snapshot = models.ForeignKey(
        Snapshot,
        on_delete=models.PROTECT,
        related_name="measurements",
        help_text="The snapshot that last wrote this value.",
    )
    benchmark = models.ForeignKey(Benchmark, on_delete=models.PROTECT, related_name="measurements")
    raw_model_name = models.CharField(max_length=255)
    variant = models.ForeignKey(
        ModelVariant, on_delete=models.SET_NULL, null=True, blank=True, related_name="measurements"
    )
    value = models.FloatField()
    ci_low = models.FloatField("95% interval, low", null=True, blank=True)
    ci_high = models.FloatField("95% interval, high", null=True, blank=True)
    std_error = models.FloatField(null=True, blank=True)
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    conditions = models.JSONField(default=dict, blank=True)
    conditions_key = models.CharField(max_length=CONDITIONS_KEY_MAX_LENGTH, default="{}")
    as_of = models.DateField(
        help_text="The evaluator's date (when it ran or published the figure). Where the source "
        "gives none, the date the figure is known to have been published by (the copy's date)."
    )
    as_of_known = models.BooleanField(
        default=True,
        # Also a database default: rows written by raw SQL (COPY in bench/, bulk loads) that
        # predate the column need not name it.
        db_default=True,
        help_text="False when the evaluator gave no date, or a placeholder shared by many rows: "
        "the as-of date then only bounds when it was published and is never shown as its date.",
    )
    evaluator = models.CharField(max_length=200)
    metadata = models.JSONField(default=dict, blank=True, help_text="Cost, route, agent, dates...")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["benchmark__name", "-as_of", "raw_model_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "raw_model_name", "benchmark", "conditions_key", "as_of"],
                name="measurement_unique_natural_key",
            ),
            models.CheckConstraint(
                condition=(Q(ci_low__isnull=True) | Q(ci_low__lte=F("value")))
                & (Q(ci_high__isnull=True) | Q(ci_high__gte=F("value"))),
                name="measurement_interval_contains_value",
            ),
            models.CheckConstraint(
                condition=Q(std_error__isnull=True) | Q(std_error__gte=0),
                name="measurement_std_error_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(sample_size__isnull=True) | Q(sample_size__gte=1),
                name="measurement_sample_size_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["variant", "benchmark", "as_of"]),
            models.Index(fields=["benchmark", "as_of"]),
            models.Index(fields=["source", "raw_model_name"]),
        ]

    def __str__(self) -> str:
        return f"{self.raw_model_name}: {self.benchmark} {self.value:g} ({self.source.slug}, {self.as_of})"

    def save(self, *args, **kwargs) -> None:
        self.conditions_key = conditions_key(self.conditions)
        super().save(*args, **kwargs)


class AliasCandidate(models.Model):
    """A leaderboard name that looks like a known variant but matched no confirmed alias.

    Nothing is attached on a guess: an analyst accepts (creating the alias and attaching every
    measurement with that name) or rejects.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    source = models.ForeignKey(
        LeaderboardSource, on_delete=models.CASCADE, related_name="candidates"
    )
    raw_name = models.CharField(max_length=255)
    suggested_variant = models.ForeignKey(
        ModelVariant, on_delete=models.CASCADE, related_name="alias_candidates"
    )
    score = models.FloatField(help_text="Fuzzy-match similarity, 0–100.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "raw_name", "suggested_variant"], name="candidate_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="candidate_score_in_range"
            ),
        ]
        indexes = [models.Index(fields=["status", "source"])]

    def __str__(self) -> str:
        return f"{self.raw_name} → {self.suggested_variant}? ({self.score:.0f})"
