"""Feeds: follow one, list them, read one with its last poll, stop following, poll now."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from services.api.deps import FeedStoreDep, SettingsDep
from services.api.ids import FeedId
from services.api.problems import problem_responses
from shared.models import Feed, FeedIn

router = APIRouter(prefix="/feeds", tags=["feeds"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=Feed,
    responses={
        **problem_responses(422, 503),
        200: {"model": Feed, "description": "The URL is followed already"},
    },
    summary="Follow a feed (RSS, Atom or JSON Feed); it is polled at once, then every interval",
)
def post_feed(
    submitted: FeedIn, response: Response, feeds: FeedStoreDep, settings: SettingsDep
) -> Feed:
    feed, created = feeds.add_feed(submitted, settings.feed_interval_seconds)
    if not created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/feeds/{feed.id}"
    return feed


@router.get("", response_model=list[Feed], responses=problem_responses(503), summary="All feeds")
def list_feeds(feeds: FeedStoreDep) -> list[Feed]:
    return feeds.list_feeds()


@router.get(
    "/{feed_id}",
    response_model=Feed,
    responses=problem_responses(404, 503),
    summary="A feed with its last poll's outcome and its article count",
)
def get_feed(feed_id: FeedId, feeds: FeedStoreDep) -> Feed:
    return feeds.get_feed(feed_id)


@router.delete(
    "/{feed_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404, 503),
    summary="Stop following a feed (its articles stay)",
)
def delete_feed(feed_id: FeedId, feeds: FeedStoreDep) -> Response:
    feeds.delete_feed(feed_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{feed_id}/poll",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Feed,
    responses=problem_responses(404, 503),
    summary="Poll a feed now (the next free ingest worker takes it)",
)
def poll_feed(feed_id: FeedId, feeds: FeedStoreDep) -> Feed:
    return feeds.request_poll(feed_id)
