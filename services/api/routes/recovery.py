"""Recovery: send a failed (dead-lettered) article through enrichment again."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from services.api.deps import QueueDep, StoreDep
from services.api.ids import ArticleId
from services.api.problems import problem_responses
from shared.models import Accepted
from shared.submission import retry_article

router = APIRouter(prefix="/articles", tags=["articles"])


@router.post(
    "/{article_id}/retry",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Accepted,
    responses=problem_responses(404, 409, 503),
    summary="Queue a failed article for enrichment again",
)
def post_retry(
    article_id: ArticleId, response: Response, store: StoreDep, queue: QueueDep
) -> Accepted:
    """Re-drive a failed article with a fresh attempt budget; 409 unless it is failed."""
    accepted = retry_article(store, queue, article_id)
    response.headers["Location"] = f"/articles/{accepted.id}"
    return accepted
