"""`manage.py coverage_report [--json]`: per release and benchmark, the published claims, whether
the tracked leaderboards check them (and which), and why the others are unverified."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from releases.coverage_report import coverage_report


class Command(BaseCommand):
    help = "List, per release and benchmark, the published claims and why any is unverified."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = coverage_report()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
            return
        for release in report.releases:
            self.stdout.write(f"{release.name} ({release.release})")
            for benchmark in release.benchmarks:
                for claim in benchmark.claims:
                    checked_by = f" by {', '.join(claim.sources)}" if claim.sources else ""
                    why = f": {claim.reason_text}" if claim.reason_text else ""
                    self.stdout.write(
                        f"  {benchmark.benchmark or claim.kind} #{claim.id} {claim.stated}: "
                        f"{claim.verdict or 'not scored'}{checked_by}{why}"
                    )
        reasons = ", ".join(f"{n} {reason}" for reason, n in report.by_reason.items())
        self.stdout.write(
            f"{report.claims} published claims, {report.scored} scored, {report.checked} checked"
            f" against independent data; not checked: {reasons or 'none'}"
        )
