"""The answers every route can give, declared once for the whole OpenAPI document: the limits
(413, 429) and the API key on writes (401, 403) come from middleware, and a body that is not
JSON at all (400) from FastAPI itself, not from the routes."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from services.api.auth import API_KEY_HEADER, READ_METHODS
from services.api.problems import PROBLEM_JSON

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _problem(status: int, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": HTTPStatus(status).phrase,
        "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}},
    }
    if headers:
        answer["headers"] = headers
    return answer


RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "string"}}}


def declare_cross_cutting(app: FastAPI) -> None:
    """Make `app.openapi()` declare the middleware's answers on every operation."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes
        )
        components = schema.setdefault("components", {})
        components.setdefault("securitySchemes", {})["ApiKey"] = {
            "type": "apiKey",
            "in": "header",
            "name": API_KEY_HEADER,
            "description": "Needed for writes when the server sets GAZETTE_API_KEYS.",
        }
        for path in schema.get("paths", {}).values():
            for method, operation in path.items():
                responses = operation.setdefault("responses", {})
                responses.setdefault("429", _problem(429, RETRY_AFTER))
                if "requestBody" in operation:
                    responses.setdefault("400", _problem(400))  # a body that is not JSON
                    responses.setdefault("413", _problem(413))
                if method.upper() not in READ_METHODS:
                    responses.setdefault("401", _problem(401))
                    responses.setdefault("403", _problem(403))
                    # Optional: the empty requirement lets a server without keys be used as is.
                    operation["security"] = [{"ApiKey": []}, {}]
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
