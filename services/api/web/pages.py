"""Rendering for the web view: the templates, links that never carry the Host header, and
HTML error pages (a reader of /ui never gets a problem+json dump)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Coroutine, Mapping
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import redis
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse

from services.api.web import dates, labels
from shared.errors import GazetteError

WEB = Path(__file__).resolve().parent
log = logging.getLogger(__name__)

# The search form's labels, by query parameter: messages speak of what the reader sees.
FIELD_LABELS = {
    "entity": "Entity",
    "entity_id": "Entity",
    "label": "Label",
    "source": "Source",
    "status": "Status",
    "q": "Words",
    "published_from": "Published from",
    "published_to": "Published to",
    "mentions_date_from": "Mentions a date from",
    "mentions_date_to": "Mentions a date to",
    "limit": "Per page",
    "sort": "Sort",
    "cursor": "Page",
    "back": "Page",
}
DATE_FIELDS = frozenset(
    {"published_from", "published_to", "mentions_date_from", "mentions_date_to"}
)


def path_for(request: Request, name: str, /, **params: Any) -> str:
    """The path of a named route: relative to this server, never built from the Host header."""
    return str(request.scope.get("root_path", "")) + str(request.app.url_path_for(name, **params))


def link(
    request: Request, name: str, query: Mapping[str, object] | None = None, **params: Any
) -> str:
    """`path_for` with a query string of the non-empty `query` values."""
    kept = {key: str(value) for key, value in (query or {}).items() if value not in (None, "")}
    path = path_for(request, name, **params)
    return f"{path}?{urlencode(kept)}" if kept else path


@pass_context
def _url_for(context: Mapping[str, Any], name: str, /, **params: Any) -> str:
    return path_for(context["request"], name, **params)


@pass_context
def _link(
    context: Mapping[str, Any],
    name: str,
    /,
    query: Mapping[str, object] | None = None,
    **params: Any,
) -> str:
    return link(context["request"], name, query, **params)


templates = Jinja2Templates(directory=WEB / "templates")
templates.env.globals.update(
    url_for=_url_for,
    link=_link,
    css_class=labels.css_class,
    describe_label=labels.describe,
    label_of=labels.label_of,
    humanise=dates.humanise,
)


def render(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(request, template, context, status_code=status)


def error_page(
    request: Request, status: int, title: str, messages: list[str], retry: str | None = None
) -> HTMLResponse:
    context = {
        "status": status,
        "title": title,
        "messages": messages,
        "phrase": HTTPStatus(status).phrase,
        "retry": retry,
    }
    return render(request, "error.html", context, status)


def field_message(error: Mapping[str, Any]) -> str:
    """A validation error in the form's terms: which field, what was typed, what fits."""
    loc = [str(part) for part in error.get("loc", ())]
    # ("query", "published_from", "date"): the parameter, then the union member that failed
    field = next((part for part in loc if part in FIELD_LABELS), loc[-1] if loc else "")
    label = FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
    typed = error.get("input")
    shown = f"“{typed}”" if isinstance(typed, str) and typed else "this value"
    if field in DATE_FIELDS:
        return f"{label}: {shown} is not a date. Pick one, or type it as 2016-09-22."
    if field == "limit":
        return f"{label}: {shown} is not a number from 1 to 100."
    if field == "status":
        return f"{label}: {shown} is not a status; choose queued, processing, enriched or failed."
    if error.get("type") == "string_too_long":
        return f"{label}: {shown[:60]}… is too long."
    return f"{label}: {error.get('msg', 'not valid')}."


def humane(message: str) -> str:
    """A store message with the API's parameter names replaced by the form's labels."""
    if "cursor" in message:
        return "This page link is out of date or damaged; start again from the first page."
    for field, label in FIELD_LABELS.items():
        message = re.sub(rf"\b{field}\b", f"“{label}”", message)
    return message[:1].upper() + message[1:]


def _without_bad_fields(request: Request, exc: RequestValidationError) -> str:
    """This page's address less the query parameters that failed."""
    bad = {str(err["loc"][1]) for err in exc.errors() if len(err.get("loc", ())) > 1}
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in bad and v]
    path = str(request.scope.get("root_path", "")) + request.url.path
    return f"{path}?{urlencode(kept)}" if kept else path


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class HTMLErrorRoute(APIRoute):
    """A web view route: whatever goes wrong is answered with an HTML page."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                messages = list(dict.fromkeys(field_message(err) for err in exc.errors()))
                title = "Some of the filters need fixing"
                return error_page(request, 422, title, messages, _without_bad_fields(request, exc))
            except GazetteError as exc:
                return error_page(request, exc.status, exc.title, [humane(str(exc))])
            except StarletteHTTPException as exc:
                return error_page(
                    request, exc.status_code, HTTPStatus(exc.status_code).phrase, [str(exc.detail)]
                )
            except redis.RedisError as exc:
                log.warning("Redis unavailable: %s", exc)
                message = "The archive is not answering just now; try again in a few seconds."
                return error_page(request, 503, "The archive is unavailable", [message])

        return route
