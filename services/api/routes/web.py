"""The web view: search, article and entity pages, server-rendered (autoescaped Jinja2, no
build step). Every link is a path on this server, never built from the Host header, and every
error is an HTML page."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from services.api.deps import ReaderDep
from services.api.ids import ArticleId, EntityId
from services.api.routes.articles import ArticleQueryDep
from services.api.web import labels, search
from services.api.web.dates import day_span, humanise
from services.api.web.highlight import segments
from services.api.web.mentions import mention_ids, surface_forms
from services.api.web.operations import router as operations_router
from services.api.web.pages import (
    WEB,
    HTMLErrorRoute,
    error_page,
    humane,
    link,
    path_for,
    render,
)
from services.api.web.snippets import Piece, query_words, snippet
from shared.errors import EntityNotFound, InvalidQuery
from shared.models import Article, ArticleStatus, DateMention
from shared.store import Reader
from shared.store.explore import RELATED_SAMPLE
from shared.store.query import (
    ArticleQuery,
    ArticleSummary,
)

router = APIRouter(prefix="/ui", include_in_schema=False, route_class=HTMLErrorRoute)
static = StaticFiles(directory=WEB / "static")
RECENT_ARTICLES = 10
RELATED_SHOWN = 12


@router.get("", response_class=HTMLResponse, name="web_list")
async def web_list(
    request: Request,
    reader: ReaderDep,
    query: ArticleQueryDep,
    sort: Annotated[Literal["newest", "relevance"], Query()] = "newest",
    back: Annotated[str, Query(max_length=search.MAX_BACK * 80)] = "",
    entity_id: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    form = search.form_values(request)
    entity = await _chosen_entity(reader, form, entity_id)
    if entity and entity[0]:
        query = search.with_entity(query, entity[0])
        form.update(entity=entity[1], entity_id=entity[0])
    query = search.with_sort(query, sort)
    stack = search.back_stack(back)
    items: list[ArticleSummary] = []
    next_cursor, error, total = None, None, None
    try:
        items, next_cursor = await reader.find_articles(query)
        total = await reader.count_articles(query)
    except InvalidQuery as exc:
        error = humane(str(exc))
    full = {a.id: a for a in await reader.get_articles([item.id for item in items])}
    names = (
        set(await reader.resolve_entities(list(query.entity_ids), list(query.entity_keys)))
        if query.filters_entity
        else set()
    )
    words = query_words(query.text)
    context = {
        "form": form,
        "items": items,
        "snippets": {i: _snippet(a, words, names, query.label) for i, a in full.items()},
        "error": error,
        "pager": search.pager(request, form, stack, next_cursor, query.limit),
        "entity": entity,
        "total": total,
        "export_links": export_links(request, search.kept_filters(form)),
        "archive_empty": not items
        and not search.kept_filters(form)
        and await _archive_is_empty(reader),
        "labels": labels.LABELS,
        "statuses": [status.value for status in ArticleStatus],
        "sizes": sorted({*search.PAGE_SIZES, query.limit}),
        "sorts": search.SORTS,
        "more_open": search.more_open(form),
        "live": not form["cursor"],
    }
    return render(request, "list.html", context, 400 if error else 200)


def export_links(request: Request, filters: dict[str, str]) -> dict[str, str]:
    """Download links (format -> URL) for every match of the reader's filters, in the API's
    terms: an entity picked from the suggestions goes as its id."""
    wanted = {k: v for k, v in filters.items() if k not in ("limit", "sort", "entity_id")}
    if filters.get("entity_id"):
        wanted["entity"] = filters["entity_id"]
    return {
        title: link(request, "export_articles", {"format": fmt, **wanted})
        for title, fmt in (("CSV", "csv"), ("JSON lines", "jsonl"))
    }


async def _archive_is_empty(reader: Reader) -> bool:
    return not sum((await reader.count_by_status()).values())


async def _chosen_entity(
    reader: Reader, form: dict[str, str], entity_id: str
) -> tuple[str, str] | None:
    """(id, name) when the box names one entity: an id typed or linked, or a name picked from
    the suggestions (the hidden id holds while the box still shows its name)."""
    typed = form["entity"].strip()
    wanted = typed if ":" in typed else entity_id
    if not typed or not wanted:
        return None
    ranked = await reader.rank_entities(None, await reader.resolve_entities([wanted], []), 1)
    if not ranked:
        return ("", typed) if ":" in typed else None
    found = ranked[0]
    if ":" not in typed and typed.casefold() != found.name.casefold():
        return None  # the reader typed another name since picking this one
    return found.entity_id, found.name


def _snippet(article: Article, words: list[str], names: set[str], label: str | None) -> list[Piece]:
    ids = mention_ids(article) if names else {}
    marked = [m for m in article.entities if ids.get(m.start) in names]
    if not marked and label:
        marked = [m for m in article.entities if m.label == label][:3]
    text = article.text
    lead = len(article.title) if text.startswith(article.title) else 0
    return snippet(text, words, marked, lead=len(text) - len(text[lead:].lstrip()))


@router.get("/articles/{article_id}", response_class=HTMLResponse, name="web_article")
async def web_article(request: Request, article_id: ArticleId, reader: ReaderDep) -> HTMLResponse:
    article = await reader.get_article(article_id)
    if article.url and urlsplit(article.url).scheme.lower() not in ("http", "https"):
        article = article.model_copy(update={"url": None})  # never a javascript: link
    dates = _date_list(request, article.dates)
    context = {
        "article": article,
        "segments": segments(article.text, article.entities, article.dates, mention_ids(article)),
        "dates": dates,
        "date_links": {d["value"]: d["filter"] for d in dates if d["filter"]},
        "legend": sorted({e.label for e in article.entities}),
    }
    return render(request, "article.html", context)


def date_filter(request: Request, value: str) -> str | None:
    """The search for articles that mention the days a value covers."""
    span = day_span(value)
    if span is None:
        return None
    query = {"mentions_date_from": span[0].isoformat(), "mentions_date_to": span[1].isoformat()}
    return link(request, "web_list", query)


def _date_list(request: Request, mentions: list[DateMention]) -> list[dict[str, object]]:
    """Each date once, in the order first mentioned, with how often and in which words."""
    counts = Counter((d.value, str(d.type)) for d in mentions)
    words: dict[tuple[str, str], list[str]] = {}
    for d in mentions:
        forms = words.setdefault((d.value, str(d.type)), [])
        if d.text not in forms:
            forms.append(d.text)
    return [
        {
            "value": value,
            "type": kind,
            "shown": humanise(value, kind),
            "count": counts[(value, kind)],
            "words": forms,
            "filter": date_filter(request, value),
        }
        for (value, kind), forms in words.items()
    ]


@router.get("/entities/{entity_id}", response_class=HTMLResponse, name="web_entity")
async def web_entity(
    request: Request,
    entity_id: EntityId,
    reader: ReaderDep,
    interval: Annotated[Literal["day", "week"], Query()] = "week",
) -> HTMLResponse:
    ranked = await reader.rank_entities(None, await reader.resolve_entities([entity_id], []), 1)
    if not ranked:
        raise EntityNotFound(entity_id)
    entity = ranked[0]
    recent, _ = await reader.find_articles(
        ArticleQuery(entity_ids=(entity_id,), limit=RECENT_ARTICLES)
    )
    context = {
        "entity": entity,
        "label": labels.label_of(entity.label),
        "forms": surface_forms(entity_id, await reader.get_articles([a.id for a in recent])),
        "recent": recent,
        "filter": link(request, "web_list", {"entity": entity.name, "entity_id": entity.entity_id}),
        "timeline": await reader.entity_timeline(entity_id, interval),
        "interval": interval,
        "other_interval": "day" if interval == "week" else "week",
        "timeline_api": link(
            request, "entity_timeline", {"interval": interval}, entity_id=entity_id
        ),
        "related": await reader.related_entities(entity_id, RELATED_SHOWN),
        "related_sample": RELATED_SAMPLE,
    }
    return render(request, "entity.html", context)


@router.get("/labels.css", name="web_label_css")
def label_css() -> Response:
    return Response(
        labels.label_css(), media_type="text/css", headers={"Cache-Control": "max-age=3600"}
    )


router.include_router(operations_router)


@router.get("/{unknown:path}", response_class=HTMLResponse, name="web_not_found")
def web_not_found(request: Request, unknown: str) -> Response:
    if not unknown:  # "/ui/" is the search page
        return RedirectResponse(path_for(request, "web_list"), status_code=308)
    message = "There is no page here. Search, feeds, failed articles and status are linked above."
    return error_page(request, 404, "Page not found", [message])
