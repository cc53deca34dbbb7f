"""Articles: submit one, read one."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from services.api.deps import QueueDep, StoreDep
from services.api.problems import problem_responses
from shared.models import Accepted, Article, ArticleIn
from shared.submission import submit_article

router = APIRouter(prefix="/articles", tags=["articles"])


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Accepted,
    responses=problem_responses(422, 503),
    summary="Submit an article for enrichment",
)
def post_article(
    article: ArticleIn, response: Response, store: StoreDep, queue: QueueDep
) -> Accepted:
    """Store the article and queue its enrichment; the same article again gets the same id."""
    accepted, _ = submit_article(store, queue, article)
    response.headers["Location"] = f"/articles/{accepted.id}"
    return accepted


@router.get(
    "/{article_id}",
    response_model=Article,
    responses=problem_responses(404, 503),
    summary="Read an article with its entities and dates",
)
def get_article(article_id: str, store: StoreDep) -> Article:
    return store.get_article(article_id)
