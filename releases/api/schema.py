"""OpenAPI additions: the error format on every operation, and a request example (curl) for
each, which the docs page shows beside it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

# Placeholders the examples use for path parameters.
EXAMPLE_VALUES = {"slug": "llama-4-maverick", "id": "1"}
EXAMPLE_HOST = "http://127.0.0.1:8000"


class ErrorSerializer(serializers.Serializer):
    """The one shape of every 4xx and 5xx answer."""

    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(
        help_text="Machine-readable: invalid, not_authenticated, authentication_failed, "
        "permission_denied, not_found, method_not_allowed, not_acceptable, throttled, "
        "conflict, server_error..."
    )
    message = serializers.CharField(help_text="What went wrong, in words.")
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field errors: field name → messages (non_field_errors for the whole input).",
    )


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


READ_ERRORS = {
    "400": _error("A filter or parameter is not valid."),
    "404": _error("No such object, or no such page of a list."),
    "406": _error("The format asked for is not offered here."),
    "429": _error("Rate limit reached: retry after Retry-After seconds."),
    "500": _error("Server error."),
}
WRITE_ERRORS = {
    **READ_ERRORS,
    "400": _error("The input is not valid; `errors` names each field."),
    "401": _error("No valid token or session (a revoked token is refused here)."),
    "403": _error("Signed in, but not an analyst."),
    "409": _error("The change conflicts with stored data."),
}


FORMAT_PARAMETER = {
    "name": "format",
    "in": "query",
    "required": False,
    "description": "json (default) or csv; `Accept: text/csv` does the same.",
    "schema": {"type": "string", "enum": ["json", "csv"]},
}
CSV_SCHEMA = {
    "type": "string",
    "description": "CSV: a header row, then one row per item of the page; nested objects as "
    "dotted columns (current_score.verdict), lists joined with ';', conditions as JSON.",
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        errors = READ_ERRORS if self.method in ("GET", "HEAD") else WRITE_ERRORS
        for code, response in errors.items():
            if code in responses:
                continue
            responses[code] = self._get_response_for_code(response, code, direction=direction)
        if self.method == "GET":
            responses.setdefault(
                "304",
                {
                    "description": "Not modified: the ETag sent in If-None-Match (or the date in "
                    "If-Modified-Since) is still current."
                },
            )
        return responses

    def get_auth(self) -> list[dict[str, Any]]:
        # Reads are open: a token or session is optional there (the empty requirement).
        auths = list(super().get_auth())
        if self.method in ("GET", "HEAD") and {} not in auths:
            auths.append({})
        return auths

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        operation["x-codeSamples"] = [{"lang": "Shell", "label": "curl", "source": self._curl()}]
        offers_csv = any(r.format == "csv" for r in getattr(self.view, "renderer_classes", ()))
        if offers_csv and self.method == "GET":
            operation.setdefault("parameters", []).append(FORMAT_PARAMETER)
        # Whatever the answer (a page, an error), in CSV it is text.
        for response in operation.get("responses", {}).values():
            if "text/csv" in response.get("content", {}):
                response["content"]["text/csv"] = {"schema": CSV_SCHEMA}
        return operation

    def _curl(self) -> str:
        path = self.path
        for name, value in EXAMPLE_VALUES.items():
            path = path.replace("{" + name + "}", value)
        url = f"{EXAMPLE_HOST}{path}"
        if self.method == "GET":
            query = {
                "/api/v1/claims/": "?vendor=meta&verdict=overstated&page_size=50",
                "/api/v1/measurements/": "?benchmark=gpqa-diamond&release=llama-4-maverick",
                "/api/v1/track-record/vendors/": "?year=2025&ordering=-overstated_share",
            }.get(self.path, "")
            return f"curl -s '{url}{query}'"
        body = {
            "/api/v1/claims/": '{"release": "llama-4-maverick", "kind": "benchmark_score", '
            '"benchmark": "gpqa-diamond", "stated_value": 69.8, "quote": "...", "citation": 1}',
            "/api/v1/aliases/": '{"name": "Llama-4-Maverick-17B-128E-Instruct", '
            '"variant": "llama-4-maverick-instruct", "source": null}',
            "/api/v1/citations/": '{"url": "https://example.org/card.md", "title": "Model card"}',
        }.get(
            self.path.rsplit("{", 1)[0].rstrip("/") + "/",
            '{"review_status": "confirmed", "review_note": "Checked."}',
        )
        if self.method in ("PATCH",):
            body = '{"stated_value": 70.1}' if "claims" in self.path else body
        return (
            f"curl -s -X {self.method} '{url}' -H 'Authorization: Token $CLAIMSDB_TOKEN' "
            f"-H 'Content-Type: application/json' -d '{body}'"
        )


def no_nul_in_query_strings(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Say in the schema what every form field enforces: a query string holds no NUL character
    (Django refuses one with a 400). Without it the schema would promise to accept it."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if (
                    parameter.get("in") == "query"
                    and schema.get("type") == "string"
                    and not {"enum", "format", "pattern"} & set(schema)
                ):
                    schema["pattern"] = "^[^\\u0000]*$"
    return result
