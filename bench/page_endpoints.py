"""The public pages `make bench` loads (read by the HTTP load harness, bench/http_load.py).

`ENDPOINTS` is a list of (label, path): the Llama 4 Maverick release page and the claim pages
of its motivating cases (the 1417 arena rating, the 1M-token context window, the GPQA Diamond
figure that held, the comparison with GPT-4o). Claim ids differ between databases, so importing
this module looks them up, once, in the database DATABASE_URL names (the one the server under
load reads); run it after the curated data and snapshots are loaded. `CLIENTS` is the number
of concurrent clients (issue 15: p99 under 200 ms at 20).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import django

CLIENTS = 20

RELEASE = "llama-4-maverick"

# (label, kind, benchmark slug, stated value): the Maverick claims to load, by what they say.
MAVERICK_CLAIMS = (
    ("claim: Maverick 1417 arena rating", "arena_rating", "lmarena-text", 1417.0),
    ("claim: Maverick 1M context window", "context_window", "context-window", 1_000_000.0),
    ("claim: Maverick GPQA Diamond 69.8", "benchmark_score", "gpqa-diamond", 69.8),
    ("claim: Maverick beats GPT-4o", "comparison", None, None),
)


def _claim_paths() -> list[tuple[str, str]]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimsdb.settings")
    django.setup()
    from releases.models import Claim

    paths = []
    for label, kind, benchmark, stated in MAVERICK_CLAIMS:
        claim = (
            Claim.objects.filter(
                release__slug=RELEASE,
                status=Claim.Status.PUBLISHED,
                kind=kind,
                benchmark__slug=benchmark,
                stated_value=stated,
            )
            .order_by("id")
            .first()
        )
        if claim is None:
            raise LookupError(f"{label}: no such published claim; load the curated data first")
        paths.append((label, f"/claims/{claim.id}/"))
    return paths


ENDPOINTS: list[tuple[str, str]] = [
    ("release: Llama 4 Maverick", f"/releases/{RELEASE}/"),
    *_claim_paths(),
]
