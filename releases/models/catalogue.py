"""Vendors, their releases and variants, leaderboard names for variants, and benchmarks."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from releases.names import normalize_name


class Vendor(models.Model):
    """A lab or company that releases models and makes claims about them."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    url = models.URLField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ModelRelease(models.Model):
    """A model as announced: "Llama 4 Maverick". Its checkpoints are `ModelVariant`s."""

    class Architecture(models.TextChoices):
        DENSE = "dense", "Dense"
        MOE = "moe", "Mixture of experts"
        UNKNOWN = "unknown", "Not stated"

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="releases")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    announced_on = models.DateField(null=True, blank=True)
    announcement_url = models.URLField(blank=True, max_length=500)
    architecture = models.CharField(
        max_length=10, choices=Architecture.choices, default=Architecture.UNKNOWN
    )
    total_params_b = models.FloatField(
        "total parameters (billions)", null=True, blank=True, help_text="As the vendor states it."
    )
    active_params_b = models.FloatField(
        "active parameters (billions)",
        null=True,
        blank=True,
        help_text="Parameters used per token; equals the total for a dense model.",
    )
    context_window_tokens = models.BigIntegerField(
        "stated context window (tokens)", null=True, blank=True
    )
    notes = models.TextField(
        blank=True,
        help_text="Where the figures above come from, and anything a reader should know.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-announced_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "name"], name="release_unique_name_per_vendor"
            ),
            models.CheckConstraint(
                condition=Q(total_params_b__isnull=True) | Q(total_params_b__gt=0),
                name="release_total_params_positive",
            ),
            models.CheckConstraint(
                condition=Q(active_params_b__isnull=True)
                | Q(total_params_b__isnull=True)
                | Q(active_params_b__lte=F("total_params_b")),
                name="release_active_params_within_total",
            ),
            models.CheckConstraint(
                condition=Q(context_window_tokens__isnull=True) | Q(context_window_tokens__gt=0),
                name="release_context_window_positive",
            ),
        ]
        indexes = [models.Index(fields=["vendor", "announced_on"])]

    def __str__(self) -> str:
        return self.name


class ModelVariant(models.Model):
    """One checkpoint of a release: the base model, the instruct model, an unreleased build."""

    class Kind(models.TextChoices):
        BASE = "base", "Base (pre-trained)"
        INSTRUCT = "instruct", "Instruction tuned"
        EXPERIMENTAL = "experimental", "Experimental build"
        QUANTIZED = "quantized", "Quantized"
        OTHER = "other", "Other"

    release = models.ForeignKey(ModelRelease, on_delete=models.PROTECT, related_name="variants")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INSTRUCT)
    is_public = models.BooleanField(
        "publicly available",
        default=True,
        help_text="Whether users can get this checkpoint. Claims are scored against public ones.",
    )
    hub_id = models.CharField("model hub id", max_length=200, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["release__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "name"], name="variant_unique_name_per_release"
            )
        ]
        indexes = [models.Index(fields=["release", "is_public"])]

    def __str__(self) -> str:
        return self.name


class ModelAlias(models.Model):
    """A name a leaderboard uses for a variant, global or specific to one source.

    Only confirmed aliases attach measurements to variants; fuzzy matches wait as
    `AliasCandidate`s until an analyst accepts one.
    """

    name = models.CharField(max_length=255, help_text="Exactly as the leaderboard writes it.")
    normalized_name = models.CharField(max_length=255, editable=False, db_index=True)
    variant = models.ForeignKey(ModelVariant, on_delete=models.CASCADE, related_name="aliases")
    source = models.ForeignKey(
        "releases.LeaderboardSource",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="aliases",
        help_text="Leave empty for a name that means this variant on every leaderboard.",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="Why this name means this variant.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["normalized_name"]
        verbose_name_plural = "model aliases"
        constraints = [
            # One meaning per name: globally, and per source for source-specific aliases.
            models.UniqueConstraint(
                fields=["normalized_name"],
                condition=Q(source__isnull=True),
                name="alias_unique_global_name",
            ),
            models.UniqueConstraint(
                fields=["source", "normalized_name"],
                condition=Q(source__isnull=False),
                name="alias_unique_name_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.variant}"

    def save(self, *args, **kwargs) -> None:
        self.normalized_name = normalize_name(self.name)
        super().save(*args, **kwargs)


class Benchmark(models.Model):
    """A thing figures are reported on, with its unit and which direction is better.

    A benchmark can name the one it is only related to (HELM's GPQA main set and GPQA Diamond,
    MATH Level 5 and MATH): only the same benchmark enters a verdict; related ones are shown
    beside it as context, labelled with the relation.
    """

    class Unit(models.TextChoices):
        PERCENT = "percent", "Percent (0–100)"
        ELO = "elo", "Elo rating"
        TOKENS = "tokens", "Tokens"
        SCORE = "score", "Score"
        RANK = "rank", "Rank"

    class Relation(models.TextChoices):
        # The words are the label readers see beside a related figure.
        DIFFERENT_SUBSET = "different_subset", "different question subset"
        HARDER_SUBSET = "harder_subset", "harder subset"
        DIFFERENT_LANGUAGE = "different_language", "different language"
        VERIFIED_REGRADING = "verified_regrading", "verified re-grading"
        STRICTER_TESTS = "stricter_tests", "stricter tests"
        DIFFERENT_QUESTIONS = "different_questions", "different question set"

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    higher_is_better = models.BooleanField(default=True)
    min_value = models.FloatField(null=True, blank=True, help_text="Lowest possible value, if any.")
    max_value = models.FloatField(
        null=True, blank=True, help_text="Highest possible value, if any."
    )
    item_count = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Number of test items, where known: gives a binomial uncertainty to a score "
        "reported without one.",
    )
    url = models.URLField(blank=True, max_length=500)
    description = models.TextField(blank=True)
    related_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="related_benchmarks",
        help_text="The benchmark this one is only related to, never the same as.",
    )
    relation = models.CharField(
        max_length=30,
        choices=Relation.choices,
        blank=True,
        help_text="How this benchmark differs from the one it is related to.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=F("max_value")),
                name="benchmark_bounds_ordered",
            ),
            # A relation says how two benchmarks differ: both or neither.
            models.CheckConstraint(
                condition=(Q(related_to__isnull=True) & Q(relation=""))
                | (Q(related_to__isnull=False) & ~Q(relation="")),
                name="benchmark_relation_named",
            ),
            models.CheckConstraint(
                condition=~Q(related_to=F("pk")), name="benchmark_not_related_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.unit == self.Unit.PERCENT and (self.min_value is None or self.max_value is None):
            raise ValidationError("A percent benchmark needs bounds (normally 0 and 100).")


class BenchmarkAlias(models.Model):
    """Another way a document or leaderboard writes a benchmark's name ("MMLU Pro")."""

    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    normalized_name = models.CharField(max_length=200, unique=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["normalized_name"]
        verbose_name_plural = "benchmark aliases"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.normalized_name = normalize_name(self.name)
        super().save(*args, **kwargs)
