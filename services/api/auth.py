"""API keys: when `GAZETTE_API_KEYS` is set, every write needs one of them.

A middleware rather than a per-route dependency, so that a write route added later cannot
forget it. The key travels in `X-API-Key` (or as `Authorization: Bearer <key>`).
"""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from services.api.problems import problem_response

API_KEY_HEADER = "X-API-Key"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def presented_key(request: Request) -> str | None:
    """The key a request carries, if any."""
    key = request.headers.get(API_KEY_HEADER)
    if key:
        return key
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def key_is_valid(presented: str, keys: frozenset[str]) -> bool:
    """Constant-time comparison against every configured key."""
    return any(hmac.compare_digest(presented.encode(), key.encode()) for key in keys)


class RequireWriteKey:
    """Refuse a write without a valid key: 401 when none is given, 403 when it is wrong."""

    def __init__(self, app: ASGIApp, keys: frozenset[str]) -> None:
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.keys or scope["method"] in READ_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        presented = presented_key(request)
        if presented is not None and key_is_valid(presented, self.keys):
            await self.app(scope, receive, send)
            return
        if presented is None:
            answer = problem_response(
                request,
                401,
                f"Writes need an API key in the {API_KEY_HEADER} header.",
                headers={"WWW-Authenticate": f'ApiKey header="{API_KEY_HEADER}"'},
            )
        else:
            answer = problem_response(request, 403, "The API key is not valid.")
        await answer(scope, receive, send)
