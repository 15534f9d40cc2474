"""claimsdb's CSP middleware writes exactly the headers django-csp's own would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONE, SELF
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from claimsdb.csp import SettingsPolicyCSPMiddleware, settings_policy


def _respond(
    middleware_class: type[CSPMiddleware],
    path: str,
    make_response: Callable[[HttpRequest], HttpResponse],
) -> tuple[HttpRequest, HttpResponse]:
    request = RequestFactory().get(path)
    middleware = middleware_class(make_response)
    return request, middleware(request)


def _plain(_: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def _not_found(_: HttpRequest) -> HttpResponse:
    return HttpResponse("missing", status=404)


def _own_header(_: HttpRequest) -> HttpResponse:
    response = HttpResponse("raw bytes")
    response[HEADER] = "sandbox"
    return response


def _exempt(_: HttpRequest) -> HttpResponse:
    response = HttpResponse("ok")
    response._csp_exempt = True  # type: ignore[attr-defined]  # what @csp_exempt sets
    return response


def _updated(_: HttpRequest) -> HttpResponse:
    response = HttpResponse("ok")
    response._csp_update = {"img-src": ["data:"]}  # type: ignore[attr-defined]  # @csp_update
    return response


def _with_nonce(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")  # type: ignore[attr-defined]


RESPONSES = {
    "plain": _plain,
    "404": _not_found,
    "own header": _own_header,
    "exempt": _exempt,
    "csp_update": _updated,
    "nonce": _with_nonce,
}

REPORT_ONLY = {"DIRECTIVES": {"default-src": [SELF], "report-uri": "/csp-report"}}
EXCLUDED = {"EXCLUDE_URL_PREFIXES": ["/api/"], "DIRECTIVES": {"default-src": [NONE]}}


@pytest.mark.parametrize("name", RESPONSES)
@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"CONTENT_SECURITY_POLICY_REPORT_ONLY": REPORT_ONLY},
        {"CONTENT_SECURITY_POLICY": EXCLUDED},
        {"DEBUG": True},
    ],
    ids=["settings", "report-only too", "excluded prefix", "debug"],
)
@pytest.mark.parametrize("path", ["/releases/llama-4-maverick/", "/api/v1/claims/"])
def test_the_headers_are_django_csps_own(name: str, overrides: dict[str, Any], path: str) -> None:
    with override_settings(**overrides):
        _, stock = _respond(CSPMiddleware, path, RESPONSES[name])
        _, ours = _respond(SettingsPolicyCSPMiddleware, path, RESPONSES[name])
    for header in (HEADER, HEADER_REPORT_ONLY):
        stock_value = stock.get(header)
        if name == "nonce" and stock_value:
            # Each request has its own nonce: compare the policies around it.
            stock_value = stock_value.split("'nonce-")[0]
            assert ours[header].split("'nonce-")[0] == stock_value
        else:
            assert ours.get(header) == stock_value, (header, name, overrides, path)


def test_the_settings_policy_follows_a_settings_change() -> None:
    before = settings_policy(False)
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": [SELF]}}):
        assert settings_policy(False) == "default-src 'self'"
        _, response = _respond(SettingsPolicyCSPMiddleware, "/", _plain)
        assert response[HEADER] == "default-src 'self'"
    assert settings_policy(False) == before


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error() -> None:
    request, _ = _respond(SettingsPolicyCSPMiddleware, "/", _plain)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)  # type: ignore[attr-defined]
