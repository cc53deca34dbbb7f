"""Shared fixtures for the ingest unit tests: sample pages and a local HTTP server."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpcore

FEEDS = Path(__file__).resolve().parents[2] / "seeds" / "feeds"


@dataclass
class Reply:
    """What the local server answers on one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    gzip: bool = False
    # Send the body without Content-Length (as a streamed, close-delimited response).
    chunked: bool = False
    # Send the status line and headers one byte at a time, this many seconds apart.
    trickle: float = 0.0


@dataclass
class LocalServer:
    """A real HTTP server on 127.0.0.1 in a thread; `routes` maps a path to a reply (or a
    function of the request headers), `seen` records each request's path and headers."""

    base_url: str
    routes: dict[str, Reply | Callable[[dict[str, str]], Reply]]
    seen: list[tuple[str, dict[str, str]]]
    # Set when the server shuts down: a trickling reply stops there.
    stopped: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return self.base_url + path


def _handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two sends; with Nagle on, a keep-alive client then waits
        # for a 40 ms delayed ACK on every response.
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            headers = {name.lower(): value for name, value in self.headers.items()}
            server.seen.append((self.path, headers))
            route = server.routes.get(self.path, Reply(404, b"not found"))
            reply = route(headers) if callable(route) else route
            body = gzip.compress(reply.body) if reply.gzip else reply.body
            if reply.trickle:
                self._trickle(reply, body)
                return
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.gzip:
                self.send_header("Content-Encoding", "gzip")
            if reply.chunked:
                self.send_header("Connection", "close")
                self.close_connection = True
            else:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if reply.chunked:
                for start in range(0, len(body), 16_384):
                    self.wfile.write(body[start : start + 16_384])
            else:
                self.wfile.write(body)

        def _trickle(self, reply: Reply, body: bytes) -> None:
            head = f"HTTP/1.1 {reply.status} OK\r\n" + "".join(
                f"{name}: {value}\r\n" for name, value in reply.headers.items()
            )
            head += f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            self.close_connection = True
            for byte in head.encode("latin-1"):
                if server.stopped.wait(reply.trickle):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the tests assert on `seen` instead."""

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client hanging up mid-body (the size-cap tests do) is expected, not an error."""


@contextmanager
def local_server() -> Iterator[LocalServer]:
    """Serve `routes` on 127.0.0.1 at a free port until the block ends."""
    server = LocalServer(base_url="", routes={}, seen=[])
    httpd = _QuietServer(("127.0.0.1", 0), _handler(server))
    server.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopped.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


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


class ToLocalServer(httpcore.SyncBackend):
    """Connects whatever address passed the SSRF guard to 127.0.0.1, where the test server is:
    a stand-in for a public host."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        return super().connect_tcp("127.0.0.1", port, timeout, local_address, socket_options)
