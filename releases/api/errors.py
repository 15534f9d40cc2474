"""One error format for every 4xx and 5xx the API answers:

    {"status": 400, "code": "invalid", "message": "...", "errors": {"field": ["..."]}}

`errors` holds field errors (empty otherwise; "non_field_errors" for the whole object). A
`django.core.exceptions.ValidationError` raised by a service is a 400 like a serializer's, so
the checks the admin runs read the same through the API. Anything unexpected is logged and
answered as a 500 in the same shape, never as an HTML page.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

MESSAGES = {
    400: "The request is not valid; see errors.",
    401: "Authentication credentials were not provided or are not valid.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    405: "Method not allowed.",
    406: "The requested format is not available; use ?format=json (or csv where offered).",
    409: "The change conflicts with stored data.",
    415: "Unsupported media type.",
    429: "Too many requests; retry after the number of seconds in Retry-After.",
    500: "Internal server error.",
}


def error_body(*, status_code: int, code: str, message: str, errors: Any = None) -> dict[str, Any]:
    return {"status": status_code, "code": code, "message": message, "errors": errors or {}}


def _field_errors(detail: Any) -> dict[str, Any]:
    if isinstance(detail, dict):
        return {key: _as_list(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return {"non_field_errors": [str(item) for item in detail]}
    return {}


def _as_list(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _as_list(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_list(item) if isinstance(item, dict | list) else str(item) for item in value]
    return [str(value)]


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    return exc.default_code


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DataError):
        # A value the database cannot hold or compare (out of its range): the client's input.
        exc = exceptions.ValidationError({"non_field_errors": ["A value is out of range."]})
    elif isinstance(exc, IntegrityError):
        logger.info("API write refused by the database: %s", exc)
        return Response(
            error_body(status_code=409, code="conflict", message=MESSAGES[409]),
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("API request failed", exc_info=exc)
        return Response(
            error_body(status_code=500, code="server_error", message=MESSAGES[500]),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        message = MESSAGES[400]
        errors = _field_errors(exc.detail)
    else:
        message = (
            str(exc.detail)
            if not isinstance(exc.detail, dict | list)
            else MESSAGES.get(response.status_code, "")
        )
        errors = {}
    response.data = error_body(
        status_code=response.status_code, code=_code(exc), message=message, errors=errors
    )
    return response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def json_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(
        error_body(status_code=404, code="not_found", message=MESSAGES[404]), status=404
    )


def json_server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        error_body(status_code=500, code="server_error", message=MESSAGES[500]), status=500
    )


def handler404(request: HttpRequest, exception: Exception) -> Any:
    """Django's 404 for pages, the API's error format under /api/ (an unknown path there)."""
    if _is_api(request):
        return json_not_found(request, exception)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def handler500(request: HttpRequest) -> Any:
    if _is_api(request):
        return json_server_error(request)
    from django.views.defaults import server_error

    return server_error(request)
