"""Public HTML pages. Thin: they call selectors and render templates."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from releases import methodology, reports
from releases.models import Claim, ModelRelease
from releases.services.worked_examples import worked_examples_load


def home(request: HttpRequest) -> HttpResponse:
    releases = ModelRelease.objects.select_related("vendor").order_by("-announced_on", "name")
    published = Claim.objects.filter(status=Claim.Status.PUBLISHED).count()
    return render(
        request, "releases/home.html", {"releases": releases, "published_claims": published}
    )


def track_record(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "releases/track_record.html",
        {
            "vendors": reports.track_record_by_vendor(),
            "releases": reports.track_record_by_release(),
            "min_checked": reports.MIN_CHECKED_FOR_SHARE,
        },
    )


def methodology_page(request: HttpRequest) -> HttpResponse:
    context = methodology.page_context(worked_examples_load())
    return render(request, "releases/methodology.html", context)
