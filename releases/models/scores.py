"""The reality gap computed for each claim, kept with its inputs so it can be reproduced."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from releases.models.claims import Claim


class GapScore(models.Model):
    """One computation of a claim's reality gap. History is kept; exactly one row is current.

    The analyst's review sits beside the current verdict. A new computation whose verdict
    differs starts unreviewed ("proposed"), which reopens the review.
    """

    class Verdict(models.TextChoices):
        HOLDS = "holds", "Holds"
        OVERSTATED = "overstated", "Overstated"
        SUBSTANTIALLY_OVERSTATED = "substantially_overstated", "Substantially overstated"
        UNDERSTATED = "understated", "Understated"
        UNVERIFIED = "unverified", "Unverified"
        NOT_COMPARABLE = "not_comparable", "Not comparable"

    class Review(models.TextChoices):
        PROPOSED = "proposed", "Proposed (not yet reviewed)"
        CONFIRMED = "confirmed", "Confirmed by an analyst"
        DISPUTED = "disputed", "Disputed by an analyst"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="gap_scores")
    method_version = models.CharField(max_length=20)
    computed_at = models.DateTimeField()
    as_of = models.DateField(help_text="The date the measurements were taken as of.")
    measurement_ids = models.JSONField(default=list, help_text="Measurements the score used.")
    inputs = models.JSONField(default=dict, help_text="Everything needed to reproduce the score.")
    aggregate = models.FloatField(null=True, blank=True)
    spread = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    gap_relative = models.FloatField(null=True, blank=True)
    z = models.FloatField(null=True, blank=True)
    verdict = models.CharField(max_length=30, choices=Verdict.choices)
    flags = models.JSONField(default=list, blank=True)
    explanation = models.TextField()
    is_current = models.BooleanField(default=True)
    review_status = models.CharField(max_length=10, choices=Review.choices, default=Review.PROPOSED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-computed_at"]
        get_latest_by = "computed_at"
        constraints = [
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(is_current=True),
                name="gapscore_one_current_per_claim",
            )
        ]
        indexes = [
            models.Index(fields=["claim", "-computed_at"]),
            models.Index(fields=["verdict", "is_current"]),
        ]

    def __str__(self) -> str:
        return f"{self.claim}: {self.get_verdict_display()} ({self.method_version})"
