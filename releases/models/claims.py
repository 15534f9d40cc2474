"""What vendors said, and the evidence for it."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from releases.conditions import CONDITIONS_KEY_MAX_LENGTH, conditions_key
from releases.models.catalogue import Benchmark, ModelRelease, ModelVariant, Vendor

# Both offsets or neither, and the end not before the start.
QUOTE_SPAN_IS_A_RANGE = (Q(quote_start__isnull=True) & Q(quote_end__isnull=True)) | (
    Q(quote_start__isnull=False)
    & Q(quote_end__isnull=False)
    & Q(quote_end__gte=models.F("quote_start"))
)


class Citation(models.Model):
    """A document a claim is quoted from, with an archived copy of the bytes we read.

    The archive and its sha256 keep the evidence when the live page changes. A citation of
    reporting about a claim (no copy of the primary page exists) is marked secondary and names
    the primary URL beside its own.
    """

    url = models.URLField(max_length=500)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    commit = models.CharField(
        max_length=40, blank=True, help_text="Git commit of the document, for repository files."
    )
    archived_content = models.BinaryField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    archived_name = models.CharField(
        max_length=200, blank=True, help_text="File name of the archived copy under fixtures/."
    )
    is_secondary = models.BooleanField(
        "secondary source",
        default=False,
        help_text="Reporting about the claim, not the vendor's own document.",
    )
    primary_url = models.URLField(
        blank=True, max_length=500, help_text="For a secondary source: the page it reports on."
    )
    fetched_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When these bytes were read (by extract_claims). Versions of one URL are "
        "ordered by their own date (published_on) where known, else by this.",
    )
    notes = models.TextField(blank=True)

    # The archive is large and never edited in place; history keeps the sha256 instead.
    history = HistoricalRecords(excluded_fields=["archived_content"])

    class Meta:
        ordering = ["title"]
        constraints = [
            # The same URL may be cited in several versions; each version once.
            models.UniqueConstraint(fields=["url", "sha256"], name="citation_unique_version"),
            models.CheckConstraint(
                condition=Q(is_secondary=False) | ~Q(primary_url=""),
                name="citation_secondary_names_primary",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def archive(self, content: bytes) -> None:
        """Set the archived copy of a citation that has none.

        Archived evidence is immutable: other bytes for the same document are a new version, a
        new citation (`releases.services.citation_archive.citation_version_add`). The database
        refuses the change too (`releases.db_triggers`).
        """
        sha256 = hashlib.sha256(content).hexdigest()
        if self.sha256 and self.sha256 != sha256:
            raise ArchiveImmutableError(
                f"citation {self.pk or '(new)'} already archives {self.sha256[:12]}; "
                "other bytes are a new version of the citation"
            )
        self.archived_content = content
        self.sha256 = sha256

    @property
    def has_archived_copy(self) -> bool:
        """Whether the bytes read are kept; reporting read on the web may have no copy."""
        return bool(self.sha256)

    @property
    def reported_by(self) -> str:
        """Who reported the claim, for a secondary source ("as reported by The Verge")."""
        return self.publisher if self.is_secondary else ""


class ArchiveImmutableError(ValueError):
    """An attempt to replace a citation's archived copy."""


class Claim(models.Model):
    """One thing a vendor stated about its own release, with the quote and where it was said."""

    class Kind(models.TextChoices):
        BENCHMARK_SCORE = "benchmark_score", "Benchmark score"
        ARENA_RATING = "arena_rating", "Arena rating"
        CONTEXT_WINDOW = "context_window", "Context window"
        COMPARISON = "comparison", "Comparison with another model"
        QUALITATIVE = "qualitative", "Qualitative"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    # Kinds that state a number on a benchmark; the others may have neither.
    NUMERIC_KINDS = (Kind.BENCHMARK_SCORE, Kind.ARENA_RATING, Kind.CONTEXT_WINDOW)

    release = models.ForeignKey(ModelRelease, on_delete=models.PROTECT, related_name="claims")
    variant = models.ForeignKey(
        ModelVariant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        help_text="The checkpoint the figure came from, when the vendor says (base, instruct, "
        "an experimental build). Empty for a claim about the release as a whole.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    benchmark = models.ForeignKey(
        Benchmark, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    stated_value = models.FloatField(null=True, blank=True)
    stated_text = models.CharField(
        max_length=200, blank=True, help_text='The value exactly as written ("10M", "**87.5**").'
    )
    stated_std_error = models.FloatField(
        null=True, blank=True, help_text="Standard error the vendor gives with the value, if any."
    )
    conditions = models.JSONField(
        default=dict, blank=True, help_text='Shots, metric, CoT, pass@k, tools: {"shots": 5}.'
    )
    conditions_key = models.CharField(
        max_length=CONDITIONS_KEY_MAX_LENGTH, editable=False, default="{}"
    )
    compared_with = models.ManyToManyField(
        ModelRelease,
        blank=True,
        related_name="compared_in_claims",
        help_text="For a comparison claim: the models it says this one beats.",
    )
    quote = models.TextField(
        blank=True,
        help_text="The words the claim came from, exactly as the cited document writes them "
        "(a table row with its markup, a sentence).",
    )
    quote_start = models.PositiveIntegerField(
        null=True, blank=True, help_text="Byte offset of the quote in the archived document."
    )
    quote_end = models.PositiveIntegerField(
        null=True, blank=True, help_text="Byte offset just past the quote."
    )
    quote_readable = models.TextField(
        blank=True, help_text="The quote rendered for readers (markup dropped, cells joined)."
    )
    reported_text = models.TextField(
        blank=True,
        help_text="For a claim known from reporting (a secondary citation): the reporting's own "
        "words, as written. `quote` then holds only what it puts in quotation marks as the "
        "vendor's, which may be nothing.",
    )
    citation = models.ForeignKey(
        Citation, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    location = models.CharField(
        max_length=300, blank=True, help_text="Where in the document: table, row and column."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(blank=True)
    # A curated claim's own key in fixtures/curated/ (its `key:`), which no edit of its
    # conditions, value or citation changes: what `load_curated` finds it by.
    curated_key = models.CharField(max_length=200, blank=True, editable=False)
    # What the curated YAML said at the last load, column by column: a later load applies only
    # what the YAML changed since, so an analyst's or an extraction's edit stands.
    curated_values = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[compared_with], excluded_fields=["curated_values"])

    class Meta:
        ordering = ["release__name", "benchmark__name", "id"]
        constraints = [
            # Nothing reaches readers without its evidence.
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(citation__isnull=False) & (~Q(quote="") | ~Q(reported_text=""))),
                name="claim_published_has_citation_and_quote",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["benchmark_score", "arena_rating", "context_window"])
                | (Q(benchmark__isnull=False) & Q(stated_value__isnull=False)),
                name="claim_numeric_kind_has_benchmark_and_value",
            ),
            models.CheckConstraint(
                condition=Q(stated_std_error__isnull=True) | Q(stated_std_error__gte=0),
                name="claim_std_error_not_negative",
            ),
            models.CheckConstraint(
                condition=QUOTE_SPAN_IS_A_RANGE, name="claim_quote_span_is_a_range"
            ),
            models.UniqueConstraint(
                fields=["curated_key"],
                condition=~Q(curated_key=""),
                name="claim_unique_curated_key",
            ),
        ]
        indexes = [
            models.Index(fields=["release", "status"]),
            models.Index(fields=["benchmark", "status"]),
            models.Index(fields=["variant", "benchmark", "conditions_key"]),
        ]

    def __str__(self) -> str:
        subject = self.variant or self.release
        if self.benchmark_id is not None:
            return f"{subject}: {self.benchmark} {self.stated_text or self.stated_value}"
        return f"{subject}: {self.get_kind_display()}"

    def save(self, *args, **kwargs) -> None:
        self.conditions_key = conditions_key(self.conditions)
        super().save(*args, **kwargs)

    @property
    def evidence_text(self) -> str:
        """What the claim rests on: the vendor's words, else the reporting's."""
        return self.quote or self.reported_text

    def clean(self) -> None:
        if self.variant is not None and self.variant.release_id != self.release_id:
            raise ValidationError({"variant": "The variant belongs to another release."})
        try:
            conditions_key(self.conditions)
        except ValueError as exc:
            raise ValidationError({"conditions": str(exc)}) from None


class ReportedFigure(models.Model):
    """A figure a vendor's document gives for some other model (the Llama 3 columns of the
    Llama 4 card). Context for readers: never an independent measurement, never a claim."""

    citation = models.ForeignKey(
        Citation, on_delete=models.PROTECT, related_name="reported_figures"
    )
    reported_by = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="reported_figures"
    )
    subject_name = models.CharField(max_length=200, help_text="The model as the document names it.")
    subject_release = models.ForeignKey(
        ModelRelease,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_figures",
    )
    benchmark = models.ForeignKey(
        Benchmark, on_delete=models.PROTECT, related_name="reported_figures"
    )
    value = models.FloatField()
    value_text = models.CharField(max_length=200, blank=True)
    conditions = models.JSONField(default=dict, blank=True)
    quote = models.TextField(blank=True, help_text="The row exactly as the document writes it.")
    quote_start = models.PositiveIntegerField(null=True, blank=True)
    quote_end = models.PositiveIntegerField(null=True, blank=True)
    quote_readable = models.TextField(blank=True)
    location = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["subject_name", "benchmark__name"]
        constraints = [
            models.CheckConstraint(
                condition=QUOTE_SPAN_IS_A_RANGE, name="figure_quote_span_is_a_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name}: {self.benchmark} {self.value_text or self.value} ({self.reported_by})"


class ClaimRevision(models.Model):
    """A stated value or condition that changed between two versions of a vendor's document."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="revisions")
    field = models.CharField(max_length=50, help_text='"stated_value" or "conditions".')
    old_value = models.JSONField(null=True)
    new_value = models.JSONField(null=True)
    old_citation = models.ForeignKey(
        Citation, on_delete=models.PROTECT, related_name="revisions_from"
    )
    new_citation = models.ForeignKey(
        Citation, on_delete=models.PROTECT, related_name="revisions_to"
    )
    detected_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-detected_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "field", "old_citation", "new_citation"],
                name="revision_unique_per_document_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim}: {self.field} {self.old_value} → {self.new_value}"
