"""The OpenAPI document tells the truth: every operation lists the error statuses it can return, with one error
schema, the bounds the guard enforces on path and query parameters, and how to get a token.

Applied once to the generated document (``install(app)``), so routes added by any domain get it too. A route may
still declare its own ``responses={...}``: those are kept.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from jiabao.api import params

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "message_zh", "message_en"],
            "properties": {
                "code": {"type": "string", "description": "Stable machine-readable reason, e.g. `not_found`"},
                "message": {"type": "string", "description": "In the caller's language"},
                "message_zh": {"type": "string"},
                "message_en": {"type": "string"},
                "fields": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["field", "code", "message_zh", "message_en"],
                        "properties": {
                            "field": {"type": "string", "description": "Dotted path of the field, e.g. `head.name`"},
                            "code": {"type": "string"},
                            "message_zh": {"type": "string"},
                            "message_en": {"type": "string"},
                        },
                    },
                },
                "detail": {"type": "object"},
            },
        }
    },
}

DESCRIPTIONS = {
    "400": "Bad request",
    "401": "Not logged in, or the token was revoked (log out) or expired. Get a token from POST /api/v1/auth/token",
    "403": "Logged in, but the role may not do this",
    "404": "No such record, or one the caller may not see (no hint that it exists)",
    "409": "The current state forbids it, or a concurrent request changed it first (retry or reload)",
    "413": "The request body is larger than the configured limit",
    "422": "A field is not valid; `fields` names each one with a reason",
    "429": "Too many attempts; wait `Retry-After` seconds",
    "503": "The service is busy; retry shortly",
}

AUTH_HELP = (
    'Get a token with `POST /api/v1/auth/token` (JSON `{"username", "password"}`) and send it as '
    "`Authorization: Bearer <access_token>`. `POST /api/v1/auth/logout` revokes it. Repeated failed log-ins are "
    "slowed down and then locked for a while (429)."
)


def _statuses(operation: dict[str, Any], method: str, path: str) -> set[str]:
    codes = {"409", "422", "503"}
    secured = bool(operation.get("security"))
    if secured:
        codes |= {"401", "403", "404"}
    if "{" in path:
        codes.add("404")
    if method != "get":
        codes |= {"404", "409", "413"}
    if operation.get("operationId") == "auth_token":
        codes |= {"401", "429"}
    return codes


def _bound_parameters(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        bounds = params.bounds_for(parameter.get("in", ""), parameter.get("name", ""), _kind(schema))
        if bounds is None:
            continue
        low, high = bounds
        if _kind(schema) == "integer":
            target = _typed(schema, "integer")
            target["minimum"] = max(target.get("minimum", low), low)
            target["maximum"] = min(target.get("maximum", high), high)
        else:
            target = _typed(schema, "string")
            target["maxLength"] = min(target.get("maxLength", high), high)
            target.setdefault("pattern", params.NO_CONTROL_PATTERN)


def _kind(schema: dict[str, Any]) -> str | None:
    if "type" in schema:
        return str(schema["type"])
    for option in schema.get("anyOf", []):
        if option.get("type") not in (None, "null"):
            return str(option["type"])
    return None


def _typed(schema: dict[str, Any], kind: str) -> dict[str, Any]:
    if schema.get("type") == kind:
        return schema
    for option in schema.get("anyOf", []):
        if option.get("type") == kind:
            found: dict[str, Any] = option  # the same dict: edited in place
            return found
    return schema


def _birth_dates_nullable(schemas: dict[str, Any]) -> None:
    """Response birth dates are withheld (null) for roles that see the age only (``jiabao.api.redact``)."""
    for schema in schemas.values():
        for key, prop in schema.get("properties", {}).items():
            if (key == "birth_date" or key.endswith("_birth_date")) and prop.get("format") == "date":
                schema["properties"][key] = {
                    "anyOf": [{"type": "string", "format": "date"}, {"type": "null"}],
                    "title": prop.get("title", key),
                    "description": "Withheld (null) for roles that may not see clear identity data; see `age`",
                }


def build(app: FastAPI) -> dict[str, Any]:
    document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = document.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    schemes = components.setdefault("securitySchemes", {})
    for scheme in schemes.values():
        if scheme.get("type") == "http" and scheme.get("scheme") == "bearer":
            scheme["description"] = AUTH_HELP
    document["info"]["description"] = f"{app.description}\n\n{AUTH_HELP}"
    _birth_dates_nullable(components.get("schemas", {}))
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            _bound_parameters(operation)
            responses = operation["responses"]
            for status in sorted(_statuses(operation, method, path)):
                entry = responses.setdefault(status, {"description": DESCRIPTIONS[status]})
                entry["description"] = entry.get("description") or DESCRIPTIONS[status]
                entry["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
                if status == "429":
                    entry["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
    return document


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
