"""`manage.py extract_claims PATH --release SLUG [--release SLUG ...] [--url URL]
[--published-on DATE] [--commit SHA] [--json]`.

Reads a vendor's model card or README and proposes its benchmark tables as draft claims of the
releases named, for an analyst to review in the admin; nothing is published. A version older
than one already read (by --published-on, else by when it was read) only adds history. Prints what it did
and what to do next; --json prints one JSON object instead. Exits non-zero, writing nothing, on a
document without a table naming the releases, an unknown release or a bad --url.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from releases.services.claim_extraction import (
    ExtractionFailed,
    ExtractionSummary,
    claim_drafts_propose,
)

# The keys every --json summary has (more may follow them).
SUMMARY_KEYS = (
    "document",
    "sha256",
    "drafts",
    "unchanged",
    "revised",
    "unreadable",
    "unknown_benchmarks",
)


def review_url(citation_id: int) -> str:
    """The admin list of this document's drafts, beside their source rows."""
    query = urlencode({"citation__id__exact": citation_id, "status__exact": "draft"})
    return f"{reverse('admin:releases_claim_changelist')}?{query}"


class Command(BaseCommand):
    help = "Propose a vendor document's benchmark tables as draft claims for review."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The model card or README (Markdown).")
        parser.add_argument(
            "--release",
            action="append",
            required=True,
            metavar="SLUG",
            help="Release the document is about; repeat for a card covering several (Scout and "
            "Maverick).",
        )
        parser.add_argument(
            "--url",
            default="",
            help="The document's public URL. Default: the URL these bytes are already archived "
            "under, else a file: URL of PATH.",
        )
        parser.add_argument(
            "--published-on",
            type=_date,
            default=None,
            metavar="YYYY-MM-DD",
            help="This version's own date (the date it gives itself, or its commit's). Orders "
            "it among the versions already read; without it, the version read last is newest.",
        )
        parser.add_argument("--commit", default="", help="This version's commit, for the record.")
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            summary = claim_drafts_propose(
                content=path.read_bytes(),
                document=str(path),
                release_slugs=list(dict.fromkeys(options["release"])),
                url=options["url"],
                published_on=options["published_on"],
                commit=options["commit"],
            )
        except ExtractionFailed as exc:
            raise CommandError(str(exc)) from None

        data = summary.as_dict()
        if options["json"]:
            extra = {key: value for key, value in data.items() if key not in SUMMARY_KEYS}
            document = {key: data[key] for key in SUMMARY_KEYS}
            self.stdout.write(
                json.dumps(document | extra | {"review_url": review_url(summary.citation_id)})
            )
            return
        self.stdout.write("\n".join(human_summary(summary)))


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--published-on {text!r} is not a date (YYYY-MM-DD)") from None


def human_summary(s: ExtractionSummary) -> list[str]:
    version = (
        f", a newer version of citation {s.previous_version_id}" if s.previous_version_id else ""
    )
    if s.newer_version_id:
        version = f", an older version than citation {s.newer_version_id}: it only adds history"
    lines = [
        f"{s.document}: sha256 {s.sha256[:12]}, citation {s.citation_id} "
        f"“{s.citation_title}” ({s.url}){version}",
        f"  {len(s.drafts)} new drafts, {len(s.unchanged)} unchanged, {len(s.revised)} revised"
        + (f", {len(s.discarded)} discarded earlier (not proposed again)" if s.discarded else ""),
        f"  figures about other models: {s.reported_figures['created']} new, {s.reported_figures['updated']} "
        f"updated, {s.reported_figures['unchanged']} unchanged",
    ]
    for r in s.revised:
        changes = "; ".join(f"{c['field']} {c['old']} → {c['new']}" for c in r["changes"])
        moved = " (was published: moved back to draft)" if r["moved_to_draft"] else ""
        lines.append(
            f"  revised: claim {r['id']} {r['benchmark']} at {r['location']}: {changes}{moved}"
        )
    for h in s.history:
        changes = "; ".join(f"{c['field']} {c['old']} → {c['new']}" for c in h["changes"])
        lines.append(
            f"  history: claim {h['id']} {h['benchmark']} at {h['location']}: this older "
            f"version said {changes} (claim unchanged)"
        )
    if s.older_only:
        lines.append(f"  {len(s.older_only)} claims only this older version states: not proposed")
    for u in s.unreadable:
        lines.append(
            f"  unreadable: table {u['table']} row {u['row']} ({u['label']}), column "
            f"{u['column']}: {u['text']!r}: {u['reason']}"
        )
    for u in s.unknown_benchmarks:
        lines.append(f"  unknown benchmark: table {u['table']} row {u['row']}: {u['label']!r}")
    for k in s.skipped:
        if "--release" in k["reason"]:  # the skips an analyst can act on
            lines.append(f"  skipped: table {k['table']}, {k['label']!r} {k['reason']}")
    lines.extend(_next_steps(s))
    return lines


def _next_steps(s: ExtractionSummary) -> list[str]:
    steps = []
    if s.drafts or s.revised:
        count = len(s.drafts) + len(s.revised)
        steps.append(
            f"Review the {count} draft{'' if count == 1 else 's'} beside their source rows at "
            f"{review_url(s.citation_id)} (admin): edit, publish or discard them. Nothing is "
            "published until you do."
        )
    if s.unknown_benchmarks:
        steps.append(
            "Add each unknown benchmark label as a benchmark alias in admin (or the benchmark, if "
            "it is new), then run this command again: it adds only what is missing."
        )
    if s.unreadable:
        steps.append(
            "Unreadable cells were not proposed: enter any you need by hand from the document."
        )
    if s.url.startswith("file:"):
        steps.append(
            "The citation's URL is a local file: set the document's public URL on citation "
            f"{s.citation_id} in admin, or run again with --url."
        )
    if not steps:
        steps.append("Nothing to review: every claim in the document is already recorded.")
    return ["Next:", *(f"  - {step}" for step in steps)]
