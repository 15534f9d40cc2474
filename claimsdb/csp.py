"""The Content-Security-Policy header on every response, as django-csp writes it, with the
policy from settings built once per process instead of once per response."""

from __future__ import annotations

import functools
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

# What a view sets on its response to change its policy (django-csp's decorators).
_OWN_POLICY_ATTRIBUTES = tuple(
    f"_csp_{kind}{suffix}" for kind in ("config", "update", "replace") for suffix in ("", "_ro")
)


@functools.cache
def settings_policy(report_only: bool) -> str:
    """The header settings.CONTENT_SECURITY_POLICY (or its _REPORT_ONLY twin) gives a response
    that has no policy of its own and no nonce: django-csp's own `build_policy`."""
    return build_policy(report_only=report_only)


@receiver(setting_changed)
def _forget_settings_policy(*, setting: str, **_: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        settings_policy.cache_clear()


class SettingsPolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, for the responses that take the policy from settings (all of
    ours: no view sets its own, no page uses a nonce): the header is the same string each time,
    built once. django-csp builds it on every response, both policies through
    `dataclasses.asdict`: 46 us of CPU, a quarter of a /livez answer (make bench's in-process
    figures). A response with a policy of its own, or whose request used a nonce, goes
    through django-csp unchanged; tests/test_csp.py compares the two header by header."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in _OWN_POLICY_ATTRIBUTES
        ):
            return super().process_response(request, response)
        # As django-csp: the debug pages of a 404 or a 500 get no policy.
        if settings.DEBUG and response.status_code in (404, 500):
            return response
        for header, report_only, exempt, setting in (
            (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            policy = settings_policy(report_only)
            if not policy or header in response or getattr(response, exempt, False):
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error, not a
        # nonce silently missing from the policy.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
