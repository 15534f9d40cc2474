"""schema.org ClaimReview for a claim page, and how it is embedded safely in HTML.

The review names the claim in the vendor's words, who made it and where it first appeared,
and the verdict as a rating on a stated scale with its name (`alternateName`), which is what
fact-check readers and search engines show.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from releases.models import Claim, GapScore
from releases.web.verdicts import RATING_BEST, RATING_WORST, verdict_style

# Characters that could end the <script> element or start markup inside it, written as JSON
# escapes: the data means the same and the HTML parser never sees a tag.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def claim_review(
    *, claim: Claim, score: GapScore | None, page_url: str, site_url: str
) -> dict[str, Any]:
    vendor = claim.release.vendor
    citation = claim.citation
    author: dict[str, Any] = {"@type": "Organization", "name": vendor.name}
    if vendor.url:
        author["url"] = vendor.url
    item: dict[str, Any] = {
        "@type": "Claim",
        "author": author,
        "name": claim.quote_readable or claim.evidence_text,
    }
    if citation is not None:
        appearance: dict[str, Any] = {
            "@type": "CreativeWork",
            "url": citation.primary_url or citation.url,
            "headline": citation.title,
        }
        if citation.published_on:
            item["datePublished"] = citation.published_on.isoformat()
            appearance["datePublished"] = citation.published_on.isoformat()
        item["firstAppearance"] = appearance
        item["appearance"] = [appearance] + (
            [{"@type": "CreativeWork", "url": citation.url, "headline": citation.title}]
            if citation.is_secondary
            else []
        )
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url,
        "claimReviewed": claim.quote_readable or claim.evidence_text,
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": "claimsdb", "url": site_url},
    }
    if score is not None:
        style = verdict_style(score.verdict)
        rating: dict[str, Any] = {
            "@type": "Rating",
            "alternateName": style.label,
            "ratingExplanation": score.explanation,
        }
        if style.rating is not None:
            rating.update(
                ratingValue=style.rating, bestRating=RATING_BEST, worstRating=RATING_WORST
            )
        review["reviewRating"] = rating
        review["datePublished"] = score.computed_at.date().isoformat()
    return review


def script_tag(data: dict[str, Any]) -> SafeString:
    """`<script type="application/ld+json">` holding `data`: safe whatever strings it holds."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).translate(_SCRIPT_ESCAPES)
    # Safe: json.dumps quotes every string and the escapes above leave no "<" in the text.
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
