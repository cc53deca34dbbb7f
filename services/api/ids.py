"""Path ids, checked against their formats before anything looks them up.

An id that cannot exist is answered like one that does not (404), so a crafted id
(`articles:<id>`, `*`, a megabyte of text) never takes part in building a storage key.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Path

from shared.errors import ArticleNotFound, EntityNotFound, FeedNotFound

# Article and feed ids are the first 16 hex digits of a SHA-256 (shared/identity.py, feed_store).
HEX_ID = re.compile(r"[0-9a-f]{16}")
# `<class>:<slug>` (shared/entity_names.py): a lower-case class, then ASCII letters, digits and
# hyphens; the slug is empty for a name with no ASCII letter in it.
ENTITY_ID = re.compile(r"[a-z_]{1,40}:[0-9a-z-]{0,200}")

SHOWN = 80  # characters of a refused id echoed back in the problem's detail


def is_entity_id(value: str) -> bool:
    """True when `value` has the form of an entity id (it may still name no entity)."""
    return ENTITY_ID.fullmatch(value) is not None


def _documented(pattern: re.Pattern[str], description: str, example: str) -> object:
    # The pattern is documented, not enforced by FastAPI: enforced, a bad id would be a 422.
    return Path(
        description=description,
        examples=[example],
        json_schema_extra={"pattern": f"^{pattern.pattern}$"},
    )


async def checked_article_id(
    article_id: Annotated[
        str, _documented(HEX_ID, "An article id, as `POST /articles` answered.", "3f2a9c1d0b7e4a66")
    ],
) -> str:
    if HEX_ID.fullmatch(article_id) is None:
        raise ArticleNotFound(article_id[:SHOWN])
    return article_id


async def _feed_id(
    feed_id: Annotated[
        str, _documented(HEX_ID, "A feed id, as `POST /feeds` answered.", "9b1e0c7d2a4f5e38")
    ],
) -> str:
    if HEX_ID.fullmatch(feed_id) is None:
        raise FeedNotFound(feed_id[:SHOWN])
    return feed_id


async def _entity_id(
    entity_id: Annotated[
        str, _documented(ENTITY_ID, "An entity id: `<class>:<name>`.", "person:sergei-lavrov")
    ],
) -> str:
    if not is_entity_id(entity_id):
        raise EntityNotFound(entity_id[:SHOWN])
    return entity_id


ArticleId = Annotated[str, Depends(checked_article_id)]
FeedId = Annotated[str, Depends(_feed_id)]
EntityId = Annotated[str, Depends(_entity_id)]
