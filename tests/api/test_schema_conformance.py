"""schemathesis against /api/schema/: generated requests for every operation, in both formats
(JSON and CSV where offered); no 5xx, and every response matches the schema (status, content
type, body, headers). Bounded: a few examples per operation, about half a minute in all."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings

from claimsdb.wsgi import application
from tests.api.conftest import World

MAX_EXAMPLES = 6


@schemathesis.deserializer("text/csv")
def _csv(ctx: Any, response: Any) -> str:
    text = response.content.decode("utf-8")
    # A CSV body is a header row and rows of the same width.
    rows = list(csv.reader(io.StringIO(text)))
    assert not rows or all(len(row) == len(rows[0]) for row in rows), "ragged CSV"
    return text


@schemathesis.deserializer("application/octet-stream", "application/x-ndjson")
def _bytes(ctx: Any, response: Any) -> str:
    return response.content.decode("utf-8", errors="replace")


@pytest.fixture
def api_schema(world: World) -> Iterator[Any]:
    # Requests go through the WSGI app on the test's own connection, inside its transaction:
    # keep Django from closing that connection at the end of each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_every_operation_answers_as_its_schema_says(api_schema: Any) -> None:
    """One test over every operation (schemathesis' lazy pytest loader does not run on this
    pytest); the assertion lists each operation that failed, with its first failure."""
    failures: dict[str, str] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
        )
        def check(case: Any) -> None:
            # The WSGI transport hands schemathesis the body as sent, and it sends "gzip" in
            # Accept-Encoding; a compressed answer is the same JSON (tests/api/test_fast_reads).
            case.call_and_validate(headers={"Accept-Encoding": "identity"})

        try:
            check()
        except Exception as exc:  # every kind of failure is reported, not only the first
            failures[operation.label] = str(exc)[:2000]
    assert failures == {}
