"""CSV downloads of the claims a page shows.

Every cell goes through `csv_cell`, which neutralises what a spreadsheet would run with the
project's one rule (`releases.csv_export.neutralise`: a cell beginning with = + - @, a tab or a
carriage return gets an apostrophe, the OWASP advice), so a vendor's quote or a leaderboard's
model name cannot become a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from releases.csv_export import neutralise
from releases.web.formatting import conditions_words

CLAIM_COLUMNS = (
    "claim_id",
    "url",
    "vendor",
    "release",
    "variant",
    "kind",
    "benchmark",
    "stated",
    "stated_as_written",
    "unit",
    "conditions",
    "verdict",
    "gap",
    "z",
    "flags",
    "explanation",
    "method_version",
    "quote",
    "citation_url",
)


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = ";".join(str(item) for item in value)
    return neutralise(str(value))


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(name) for name in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


def claim_csv(rows: Iterable[Any], *, url_for) -> str:
    """The claims of a page (`ClaimRow`s) as CSV, one line each, with their current score."""

    def line(row: Any) -> list[Any]:
        claim, score = row.claim, row.score
        return [
            claim.id,
            url_for(claim),
            claim.release.vendor.name,
            claim.release.name,
            claim.variant.name if claim.variant else "",
            claim.kind,
            claim.benchmark.name if claim.benchmark else "",
            claim.stated_value,
            claim.stated_text,
            claim.benchmark.unit if claim.benchmark else "",
            conditions_words(claim.conditions),
            score.verdict if score else "",
            score.gap if score else None,
            score.z if score else None,
            list(score.flags) if score else None,
            score.explanation if score else "",
            score.method_version if score else "",
            claim.quote,
            claim.citation.url if claim.citation else "",
        ]

    return write_csv(CLAIM_COLUMNS, (line(row) for row in rows))
