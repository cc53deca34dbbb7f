"""`/docs`: Swagger UI from files in the package, so that it works offline, is pinned, and
needs no inline script (the Content-Security-Policy allows none)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

SWAGGER_UI = Path(__file__).resolve().parent.parent / "swagger_ui"
STATIC_PATH = "/docs/static"

router = APIRouter(include_in_schema=False)
static = StaticFiles(directory=SWAGGER_UI)

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} API</title>
<link rel="stylesheet" href="{static}/swagger-ui.css">
<link rel="icon" type="image/png" href="{static}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{static}/swagger-ui-bundle.js"></script>
<script src="{static}/init.js"></script>
</body>
</html>
"""


@router.get("/docs", response_class=HTMLResponse)
async def swagger_ui(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "").rstrip("/")
    page = _PAGE.format(
        title=escape(request.app.title),
        static=escape(root + STATIC_PATH),
        openapi=escape(root + (request.app.openapi_url or "/openapi.json")),
    )
    return HTMLResponse(page)
