"""`/healthz`: is the database reachable, and the broker when one is configured?

Answers 200 with {"status": "ok", ...} when every configured dependency answers, otherwise 503
with the failing one named, so a load balancer or docker-compose health check can act on it.

`/livez` answers 200 as long as the process serves requests, touching nothing else: liveness, as
against readiness. It is also the cheapest request the server can answer, which `make bench`
measures as the machine's ceiling.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; its text says why
        return f"error: {exc.__class__.__name__}: {exc}"
    return "ok"


def broker_status() -> str:
    if not settings.REDIS_URL:
        return "not configured (tasks run in-process)"
    from kombu import Connection

    try:
        with Connection(settings.REDIS_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"error: {exc.__class__.__name__}: {exc}"
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(not value.startswith("error") for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@never_cache
@require_GET
def livez(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
