"""The search page's state: the filters a reader set, the page they are on, and the links to the
pages before and after (cursors only go forward, so the way back is a stack kept in the URL)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import Request

from services.api.web.pages import link
from shared.store.query import ArticleQuery, Cursor

FILTERS = (
    "entity", "entity_id", "label", "source", "status", "q", "published_from", "published_to",
    "mentions_date_from", "mentions_date_to",
)  # fmt: skip
# Shown inside the "More filters" box, which starts open when one of them is set.
MORE_FILTERS = frozenset(FILTERS) - {"entity", "entity_id", "q"}
PAGE_SIZES = (10, 20, 50, 100)
DEFAULT_LIMIT = 20
SORTS = {"newest": "Newest first", "relevance": "Best match first"}
# Cursors of earlier pages kept for "previous"; past that, the oldest are dropped.
MAX_BACK = 40
BACK_SEPARATOR = "."  # not in the cursor's base64url alphabet


@dataclass(frozen=True)
class Pager:
    page: int  # 1-based
    first_item: int  # 1-based position of the page's first article
    first: str | None
    previous: str | None
    next: str | None


def form_values(request: Request) -> dict[str, str]:
    """The reader's filters as typed, for refilling the form."""
    names = (*FILTERS, "limit", "sort", "cursor", "back")
    return {name: request.query_params.get(name, "") for name in names}


def kept_filters(form: Mapping[str, str]) -> dict[str, str]:
    """What every link of the result pages carries: the filters, page size and sort."""
    kept = {name: form[name] for name in FILTERS if form.get(name)}
    if form.get("limit") and form["limit"] != str(DEFAULT_LIMIT):
        kept["limit"] = form["limit"]
    if form.get("sort") and form["sort"] != "newest":
        kept["sort"] = form["sort"]
    return kept


def back_stack(back: str) -> list[str]:
    """The cursors of the pages before this one (the first page has none); raises InvalidQuery
    for anything this page did not hand out."""
    tokens = [token for token in back.split(BACK_SEPARATOR) if token]
    for token in tokens:
        Cursor.decode(token)
    return tokens[-MAX_BACK:]


def more_open(form: Mapping[str, str]) -> bool:
    """Whether the folded filters start open: one of them, the sort or the page size is set."""
    chosen = kept_filters(form)
    return any(name in chosen for name in (*MORE_FILTERS, "sort", "limit"))


def pager(
    request: Request,
    form: Mapping[str, str],
    back: list[str],
    following_cursor: Cursor | None,
    limit: int,
) -> Pager:
    kept = kept_filters(form)
    next_cursor = following_cursor.encode() if following_cursor else None
    cursor = form.get("cursor", "")
    page = len(back) + 2 if cursor else 1

    def page_link(at: str | None, stack: list[str]) -> str:
        return link(request, "web_list", {**kept, "cursor": at, "back": BACK_SEPARATOR.join(stack)})

    previous = None
    if cursor:
        previous = page_link(back[-1] if back else None, back[:-1])
    following = None
    if next_cursor:
        following = page_link(next_cursor, [*back, cursor] if cursor else [])
    return Pager(
        page=page,
        first_item=(page - 1) * limit + 1,
        first=page_link(None, []) if cursor else None,
        previous=previous,
        next=following,
    )


def with_sort(query: ArticleQuery, sort: str) -> ArticleQuery:
    """The query with the reader's sort; relevance only ranks when there are words to rank by
    (a shared link may keep `sort=relevance` after its words were cleared)."""
    relevance = sort == "relevance" and bool((query.text or "").strip())
    return dataclasses.replace(query, by_relevance=relevance)


def with_entity(query: ArticleQuery, entity_id: str) -> ArticleQuery:
    """The query narrowed to one known entity instead of every entity the typed name fits."""
    return dataclasses.replace(query, entity_ids=(entity_id,), entity_keys=())
