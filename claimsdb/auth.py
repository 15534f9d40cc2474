"""Authentication backends: django-axes' login throttling, for logins over HTTP only."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LoginThrottlingBackend(AxesStandaloneBackend):
    """Refuses a login for a username and address that failed too often (django-axes).

    django-axes raises when `authenticate()` is called without a request. Code that does so
    (the shell, a management command checking a password) cannot be brute-forced over the
    network, so it is passed on to the next backend instead of failing.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
