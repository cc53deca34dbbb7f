"""Shared fixtures for the ingest unit tests: sample pages and a local HTTP server."""

from __future__ import annotations

ARTICLE_PARAGRAPHS = (
    "The river authority opened the new flood barrier on Tuesday after four years of "
    "construction, saying it would protect about twelve thousand homes along the lower valley.",
    "Engineers tested the gates twice during the autumn storms, and the barrier held water "
    "levels nearly a metre below the historic peak recorded in the winter of 2014.",
    "Residents who had been moved out during last year's floods said they were relieved, "
    "though several asked why the upstream reservoirs had not been dredged at the same time.",
    "The authority said the dredging contract would be tendered in the spring and that a "
    "second barrier further downstream was still under study by the regional council.",
)

NAV_TEXT = "Home World Politics Sports Weather Subscribe"
FOOTER_TEXT = "Copyright 2026 Valley Courier Media Group. All rights reserved. Privacy policy"
SIDEBAR_TEXT = "Most read: Ten recipes for a rainy weekend"


def article_page(canonical: str | None = "/news/flood-barrier-opens") -> str:
    """A realistic news page: header, nav, article, sidebar, comments and footer."""
    paragraphs = "\n".join(f"<p>{text}</p>" for text in ARTICLE_PARAGRAPHS)
    canonical_link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Flood barrier opens on the lower valley | Valley Courier</title>
<meta property="og:title" content="Flood barrier opens on the lower valley">
<meta property="article:published_time" content="2026-03-10T08:30:00+01:00">
<meta name="author" content="Jane Miller">
{canonical_link}
<script>var tracking = "do not include me";</script>
</head><body>
<header><div class="logo">Valley Courier</div>
<nav><ul>{"".join(f"<li><a href='/{w.lower()}'>{w}</a></li>" for w in NAV_TEXT.split())}</ul></nav>
</header>
<main>
<article>
<h1>Flood barrier opens on the lower valley</h1>
<p class="byline">By Jane Miller</p>
{paragraphs}
</article>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/r">{SIDEBAR_TEXT}</a></li></ul></aside>
</main>
<footer><p>{FOOTER_TEXT}</p><nav><a href="/about">About us</a> <a href="/jobs">Jobs</a></nav>
</footer>
</body></html>"""
