"""What the API's writes accept. These only check shapes and resolve slugs to rows; the rules
(evidence before publishing, a variant of the claim's release, unique alias names...) are the
services', the same ones the admin calls."""

from __future__ import annotations

import base64
import binascii

from rest_framework import serializers

from releases.models import (
    Benchmark,
    Citation,
    Claim,
    GapScore,
    LeaderboardSource,
    ModelRelease,
    ModelVariant,
)


class ClaimInputSerializer(serializers.Serializer):
    release = serializers.SlugRelatedField(slug_field="slug", queryset=ModelRelease.objects.all())
    variant = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=ModelVariant.objects.all(),
        allow_null=True,
        required=False,
        help_text="The checkpoint the figure came from; null for the release as a whole.",
    )
    kind = serializers.ChoiceField(choices=Claim.Kind.choices)
    benchmark = serializers.SlugRelatedField(
        slug_field="slug", queryset=Benchmark.objects.all(), allow_null=True, required=False
    )
    stated_value = serializers.FloatField(allow_null=True, required=False)
    stated_text = serializers.CharField(allow_blank=True, required=False, max_length=200)
    stated_std_error = serializers.FloatField(allow_null=True, required=False, min_value=0)
    conditions = serializers.DictField(required=False, help_text='{"shots": 5, "cot": true}')
    compared_with = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=ModelRelease.objects.all(),
        many=True,
        required=False,
        help_text="For a comparison claim: slugs of the releases it says this one beats.",
    )
    quote = serializers.CharField(allow_blank=True, required=False)
    citation = serializers.PrimaryKeyRelatedField(
        queryset=Citation.objects.defer("archived_content"), allow_null=True, required=False
    )
    location = serializers.CharField(allow_blank=True, required=False, max_length=300)
    status = serializers.ChoiceField(
        choices=Claim.Status.choices,
        required=False,
        help_text="Publishing checks the evidence (a citation and a quote) and computes the gap.",
    )
    notes = serializers.CharField(allow_blank=True, required=False)


class CitationInputSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500, help_text="The document's address.")
    title = serializers.CharField(max_length=300)
    publisher = serializers.CharField(allow_blank=True, required=False, max_length=200)
    published_on = serializers.DateField(allow_null=True, required=False)
    commit = serializers.CharField(allow_blank=True, required=False, max_length=40)
    archived_name = serializers.CharField(allow_blank=True, required=False, max_length=200)
    is_secondary = serializers.BooleanField(required=False)
    primary_url = serializers.URLField(allow_blank=True, required=False, max_length=500)
    notes = serializers.CharField(allow_blank=True, required=False)
    archived_content_base64 = serializers.CharField(
        required=False,
        write_only=True,
        help_text="The document exactly as read, base64-encoded: becomes the archived copy and "
        "its sha256.",
    )

    def validate_archived_content_base64(self, value: str) -> bytes:
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError("Not valid base64.") from None


class AliasInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255, help_text="Exactly as the leaderboard writes it.")
    variant = serializers.SlugRelatedField(slug_field="slug", queryset=ModelVariant.objects.all())
    source = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="slug",
        queryset=LeaderboardSource.objects.all(),
        allow_null=True,
        required=False,
        help_text="Null for a name that means this variant on every leaderboard.",
    )
    note = serializers.CharField(allow_blank=True, required=False)


class ReviewInputSerializer(serializers.Serializer):
    review_status = serializers.ChoiceField(choices=GapScore.Review.choices)
    review_note = serializers.CharField(allow_blank=True, required=False, default="")
