"""The benchmarks' synthetic data still builds and scores (`make bench` must not rot unseen).

`bench/synthetic.py` builds the data the gap and HTTP benchmarks measure. It mirrors the
catalogue (it asserts it carries every long-context test the scoring knows), so a change to the
scoring can break `make bench` while every other test passes: that happened when RULER joined
the long-context tests. Here it is built at a small scale and fully scored.
"""

from __future__ import annotations

import pytest
from django.db import connection

from bench import synthetic
from releases.models import Claim, GapScore, Measurement
from releases.services.gap_scores import gap_scores_recompute

SMALL = synthetic.RELEASES_PER_VENDOR  # one vendor's worth of releases


@pytest.mark.django_db
def test_the_synthetic_bench_data_builds_and_every_claim_is_scored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(synthetic, "RELEASES", SMALL)

    catalogue = synthetic.build_catalogue()
    # The bench commits the catalogue before the COPY, which alters the measurement table; in
    # the test's one transaction, the catalogue's deferred foreign-key checks are run first.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    rows = synthetic.copy_measurements(catalogue)
    claims, kinds = synthetic.build_claims(catalogue)
    summary = gap_scores_recompute(as_of=synthetic.AS_OF)

    assert len(catalogue.releases) == SMALL
    assert rows == Measurement.objects.count() == SMALL * synthetic.MEASUREMENTS_PER_RELEASE
    assert claims == Claim.objects.count() == SMALL * synthetic.CLAIMS_PER_RELEASE
    assert set(kinds) >= {Claim.Kind.ARENA_RATING, Claim.Kind.BENCHMARK_SCORE}
    assert summary.recomputed == claims
    current = GapScore.objects.filter(is_current=True)
    assert current.count() == claims
    # The data exercises the verdicts the bench is meant to time, not one kind of outcome.
    assert {"holds", "overstated", "substantially_overstated"} <= set(
        current.values_list("verdict", flat=True)
    )
