"""`manage.py recompute_gaps [--claim ID ...] [--as-of DATE] [--dry-run] [--json]`.

Scores every published claim (or the given ones) as of a date, today by default, and stores a
new current score for each claim whose result changed. Prints how many claims were scored, how
many verdicts changed and how many rows were written; `--json` prints exactly
{"recomputed": n, "changed": n, "written": n}. Running it again on unchanged data writes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from releases.management.arguments import date_argument
from releases.models import Claim
from releases.services.gap_scores import gap_scores_recompute


class Command(BaseCommand):
    help = "Recompute the reality gap of published claims; write only what changed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--claim",
            type=int,
            action="append",
            dest="claims",
            metavar="ID",
            help="Only this claim (repeat for several). Default: every published claim.",
        )
        parser.add_argument(
            "--as-of",
            help="Use the measurements published on or before this date (YYYY-MM-DD). "
            "Default: today.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Compute and report; write nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = date_argument(options["as_of"]) if options["as_of"] else None
        claim_ids = options["claims"]
        if claim_ids:
            found = set(Claim.objects.filter(pk__in=claim_ids).values_list("pk", flat=True))
            if missing := sorted(set(claim_ids) - found):
                raise CommandError(f"no claim with id {', '.join(map(str, missing))}")
            drafts = sorted(
                Claim.objects.filter(pk__in=claim_ids, status=Claim.Status.DRAFT).values_list(
                    "pk", flat=True
                )
            )
            if drafts:
                raise CommandError(
                    f"claim {', '.join(map(str, drafts))} is a draft; only published claims "
                    "are scored (publish it in the admin first)"
                )

        summary = gap_scores_recompute(
            claim_ids=claim_ids,
            as_of=as_of,
            dry_run=options["dry_run"],
            progress=lambda message: self.stderr.write(message),
        )
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_json()))
            return
        verdicts = ", ".join(f"{n} {verdict}" for verdict, n in sorted(summary.verdicts.items()))
        written = (
            f"would write {summary.differing}" if options["dry_run"] else f"wrote {summary.written}"
        )
        self.stdout.write(
            f"Scored {summary.recomputed} claims as of {summary.as_of.isoformat()} "
            f"({verdicts or 'none'}); {summary.changed} verdicts changed; {written} new scores."
        )
