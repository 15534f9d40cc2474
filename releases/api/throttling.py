"""Rate limits through the default cache (Redis when REDIS_URL is set), read from settings at
request time so a deployment or a test can change them (API_ANON_RATE, API_USER_RATE).

A refused request gets 429 with Retry-After (DRF adds the header from `wait()`).
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class AnonymousRateThrottle(SimpleRateThrottle):
    """Per client address, for requests without a user."""

    scope = "anon"

    def get_rate(self) -> str:
        return settings.API_ANON_RATE

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenRateThrottle(SimpleRateThrottle):
    """Per token for token requests (two tokens of one user are counted apart), per user for
    session requests."""

    scope = "token"

    def get_rate(self) -> str:
        return settings.API_USER_RATE

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        token_key = getattr(request.auth, "token_key", None)
        ident = f"token-{token_key}" if token_key else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
