"""API test fixtures: clients by role, and a small world whose rows tell filters apart."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from releases.api.throttling import forget_reservations
from releases.models import GapScore
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_cache(settings: Any) -> Iterator[None]:
    # Responses and rate-limit counters live in the cache: no test sees another's.
    settings.API_ANON_RATE = "100000/minute"
    settings.API_USER_RATE = "100000/minute"
    cache.clear()
    forget_reservations()
    yield
    cache.clear()
    forget_reservations()


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


def token_client(user: User) -> tuple[APIClient, AuthToken]:
    instance, token = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client, instance


@pytest.fixture
def analyst_client(analyst: User) -> APIClient:
    return token_client(analyst)[0]


@pytest.fixture
def plain_user(db: Any) -> User:
    return User.objects.create_user("reader", password="pw-reader-1")


def score(claim: Any, **fields: Any) -> GapScore:
    defaults: dict[str, Any] = {
        "method_version": "test",
        "computed_at": timezone.now(),
        "as_of": dt.date(2025, 6, 1),
        "verdict": GapScore.Verdict.HOLDS,
        "explanation": "test score",
        "is_current": True,
    }
    defaults.update(fields)
    return GapScore.objects.create(claim=claim, **defaults)


OLD_BYTES = b"old bytes"
OLD_SHA256 = hashlib.sha256(OLD_BYTES).hexdigest()
NEW_BYTES = b'{"full": {}}'


def committed() -> None:
    """Run and drop the on-commit callbacks queued so far, as a commit would.

    The test's transaction never commits, and the data version advances at most once per
    transaction: without this, the world's own writes would leave an advance queued that
    swallows every later one, and no test could see the version move.
    """
    for _, callback, _ in list(connection.run_on_commit):
        callback()
    connection.run_on_commit.clear()


@dataclass
class World:
    """Two vendors, two releases, two benchmarks, claims and measurements that differ in every
    filtered field, so each filter keeps some rows and drops others."""

    meta: Any
    acme: Any
    maverick: Any
    rocket: Any
    maverick_instruct: Any
    maverick_experimental: Any
    rocket_base: Any
    gpqa: Any
    arena: Any
    arena_source: Any
    evals_source: Any
    old_snapshot: Any
    new_snapshot: Any
    gpqa_claim: Any  # Maverick instruct on GPQA: overstated, gap 9, z 3, 2025 card, confirmed
    arena_claim: Any  # Maverick experimental arena rating: holds, flags variant_mismatch
    rocket_claim: Any  # Rocket base on GPQA: unverified, 2024 document, no score gap
    draft_claim: Any
    m_gpqa_maverick: Any
    m_gpqa_rocket: Any
    m_arena_maverick: Any
    m_unresolved: Any


@pytest.fixture
def world(db: Any) -> World:
    meta = factories.VendorFactory(name="Meta", slug="meta")
    acme = factories.VendorFactory(name="Acme", slug="acme")
    maverick = factories.ReleaseFactory(
        vendor=meta,
        name="Llama 4 Maverick",
        slug="llama-4-maverick",
        announced_on=dt.date(2025, 4, 5),
        architecture="moe",
    )
    rocket = factories.ReleaseFactory(
        vendor=acme,
        name="Rocket",
        slug="rocket",
        announced_on=dt.date(2024, 6, 1),
        architecture="dense",
    )
    maverick_instruct = factories.VariantFactory(
        release=maverick, name="Maverick Instruct", slug="llama-4-maverick-instruct"
    )
    maverick_experimental = factories.VariantFactory(
        release=maverick,
        name="Maverick Experimental",
        slug="maverick-exp",
        kind="experimental",
        is_public=False,
    )
    rocket_base = factories.VariantFactory(
        release=rocket, name="Rocket Base", slug="rocket-base", kind="base"
    )
    gpqa = factories.BenchmarkFactory(slug="gpqa-diamond", name="GPQA Diamond")
    arena = factories.BenchmarkFactory(
        slug="lmarena-text", name="LMArena text", unit="elo", min_value=None, max_value=None
    )
    # The arena importer writes ratings and ranks.
    factories.BenchmarkFactory(
        slug="lmarena-text-rank",
        name="LMArena rank",
        unit="rank",
        higher_is_better=False,
        min_value=1,
        max_value=None,
    )
    card = factories.CitationFactory(
        title="Llama 4 model card",
        published_on=dt.date(2025, 4, 5),
        sha256="a" * 64,
        archived_content=b"# card",
    )
    old_doc = factories.CitationFactory(title="Rocket paper", published_on=dt.date(2024, 6, 1))
    arena_source = factories.SourceFactory(
        slug="lmarena-text", name="LMArena", importer="lmarena-text", evaluator="LMArena"
    )
    evals_source = factories.SourceFactory(
        slug="evals", name="Evals", importer="epoch", evaluator="Epoch AI"
    )
    old_snapshot = factories.SnapshotFactory(
        source=evals_source,
        fetched_at=timezone.now() - dt.timedelta(days=30),
        sha256=OLD_SHA256,
        raw=OLD_BYTES,
        status="imported",
    )
    new_snapshot = factories.SnapshotFactory(
        source=arena_source,
        sha256=hashlib.sha256(NEW_BYTES).hexdigest(),
        raw=NEW_BYTES,
        status="failed",
        error="parse error at row 3",
    )
    gpqa_claim = factories.ClaimFactory(
        release=maverick,
        variant=maverick_instruct,
        benchmark=gpqa,
        stated_value=69.8,
        quote="GPQA Diamond 69.8",
        citation=card,
    )
    arena_claim = factories.ClaimFactory(
        release=maverick,
        variant=maverick_experimental,
        benchmark=arena,
        kind="arena_rating",
        stated_value=1417,
        quote="ELO of 1417",
        citation=card,
    )
    rocket_claim = factories.ClaimFactory(
        release=rocket,
        variant=rocket_base,
        benchmark=gpqa,
        stated_value=40.0,
        quote="Rocket reaches forty on GPQA",
        citation=old_doc,
    )
    draft_claim = factories.ClaimFactory(
        release=rocket,
        variant=rocket_base,
        benchmark=gpqa,
        stated_value=41.0,
        status="draft",
        quote="draft",
        citation=old_doc,
    )
    m_gpqa_maverick = factories.MeasurementFactory(
        snapshot=old_snapshot,
        benchmark=gpqa,
        variant=maverick_instruct,
        value=60.8,
        raw_model_name="Llama-4-Maverick",
        as_of=dt.date(2025, 5, 1),
        evaluator="Epoch AI",
    )
    m_gpqa_rocket = factories.MeasurementFactory(
        snapshot=old_snapshot,
        benchmark=gpqa,
        variant=rocket_base,
        value=39.0,
        raw_model_name="rocket-base",
        as_of=dt.date(2024, 7, 1),
        evaluator="Epoch AI",
    )
    m_arena_maverick = factories.MeasurementFactory(
        snapshot=new_snapshot,
        benchmark=arena,
        variant=maverick_experimental,
        value=1417,
        raw_model_name="llama-4-maverick-03-26-experimental",
        as_of=dt.date(2025, 4, 7),
        evaluator="LMArena",
    )
    m_unresolved = factories.MeasurementFactory(
        snapshot=new_snapshot,
        benchmark=arena,
        variant=None,
        value=1300,
        raw_model_name="mystery-model",
        as_of=dt.date(2025, 4, 7),
        evaluator="LMArena",
    )
    score(
        gpqa_claim,
        verdict="overstated",
        gap=9.0,
        z=3.0,
        flags=[],
        review_status="confirmed",
        measurement_ids=[m_gpqa_maverick.pk],
    )
    score(
        gpqa_claim,
        verdict="holds",
        gap=1.0,
        z=0.5,
        is_current=False,
        computed_at=timezone.now() - dt.timedelta(days=3),
    )
    score(
        arena_claim,
        verdict="holds",
        gap=0.0,
        z=0.1,
        flags=["variant_mismatch", "single_source"],
        measurement_ids=[m_arena_maverick.pk],
    )
    score(
        rocket_claim,
        verdict="unverified",
        gap=None,
        z=None,
        flags=[],
        explanation="No tracked source measures this model on GPQA Diamond: unverified.",
    )
    committed()
    return World(
        meta=meta,
        acme=acme,
        maverick=maverick,
        rocket=rocket,
        maverick_instruct=maverick_instruct,
        maverick_experimental=maverick_experimental,
        rocket_base=rocket_base,
        gpqa=gpqa,
        arena=arena,
        arena_source=arena_source,
        evals_source=evals_source,
        old_snapshot=old_snapshot,
        new_snapshot=new_snapshot,
        gpqa_claim=gpqa_claim,
        arena_claim=arena_claim,
        rocket_claim=rocket_claim,
        draft_claim=draft_claim,
        m_gpqa_maverick=m_gpqa_maverick,
        m_gpqa_rocket=m_gpqa_rocket,
        m_arena_maverick=m_arena_maverick,
        m_unresolved=m_unresolved,
    )


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content[:500]
    return response.json()["results"]
