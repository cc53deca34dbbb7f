"""The web view: a filterable list of articles and an article page with its mentions
highlighted. Server-rendered HTML (autoescaped Jinja2 templates), no build step."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from services.api.deps import ReaderDep
from services.api.routes.articles import ArticleQueryDep
from services.api.web.highlight import DATE_COLOUR, LABEL_COLOURS, colour_of, segments
from shared.errors import InvalidQuery
from shared.models import ArticleStatus
from shared.store.query import ArticleSummary

WEB = Path(__file__).resolve().parent.parent / "web"
FORM_FIELDS = (
    "entity", "label", "source", "status", "q", "published_from", "published_to",
    "mentions_date_from", "mentions_date_to", "sort", "limit", "cursor",
)  # fmt: skip

router = APIRouter(prefix="/ui", include_in_schema=False)
templates = Jinja2Templates(directory=WEB / "templates")
templates.env.globals.update(colour=colour_of, date_colour=DATE_COLOUR)
static = StaticFiles(directory=WEB / "static")


@router.get("", response_class=HTMLResponse, name="web_list")
async def web_list(request: Request, reader: ReaderDep, query: ArticleQueryDep) -> HTMLResponse:
    form = {name: request.query_params.get(name, "") for name in FORM_FIELDS}
    items: list[ArticleSummary] = []
    next_cursor, error = None, None
    try:
        items, next_cursor = await reader.find_articles(query)
    except InvalidQuery as exc:
        error = str(exc)
    kept = {k: v for k, v in form.items() if v and k != "cursor"}
    base = str(request.url_for("web_list"))
    next_page = None
    if next_cursor:
        next_page = f"{base}?{urlencode({**kept, 'cursor': next_cursor.encode()})}"
    context = {
        "form": form,
        "items": items,
        "error": error,
        "next_page": next_page,
        "first_page": f"{base}?{urlencode(kept)}",
        "labels": sorted(LABEL_COLOURS),
        "statuses": [status.value for status in ArticleStatus],
    }
    return templates.TemplateResponse(request, "list.html", context)


@router.get("/articles/{article_id}", response_class=HTMLResponse, name="web_article")
async def web_article(request: Request, article_id: str, reader: ReaderDep) -> HTMLResponse:
    article = await reader.get_article(article_id)
    if article.url and urlsplit(article.url).scheme.lower() not in ("http", "https"):
        article = article.model_copy(update={"url": None})  # never a javascript: link
    context = {
        "article": article,
        "segments": segments(article.text, article.entities, article.dates),
        "legend": sorted({e.label for e in article.entities}),
    }
    return templates.TemplateResponse(request, "article.html", context)
