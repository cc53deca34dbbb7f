"""How `gazette api` listens: never with open writes on a reachable address, and believing
proxy headers only from the proxies it is told about."""

from __future__ import annotations

import ipaddress
import sys
from typing import Any

from shared.settings import Settings

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach; a name other than localhost is not."""
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def open_writes_refusal(settings: Settings) -> str | None:
    """Why the API must not start as configured, or None when it may.

    Writes are open when no API key is set; that is only safe where nobody else can connect.
    In a container the API binds 0.0.0.0, so what counts there is the published address.
    """
    if settings.api_key_set() or settings.allow_open_writes:
        return None
    host = settings.api_published_host or settings.api_host
    if is_loopback(host):
        return None
    return (
        f"refusing to serve on {host}:{settings.api_port} with writes open to anyone who can "
        "connect. Set GAZETTE_API_KEYS to one or more comma-separated keys (writes then need "
        "one), or listen on loopback (GAZETTE_API_HOST=127.0.0.1, or in docker compose "
        "GAZETTE_API_PUBLISHED_HOST=127.0.0.1), or, if a proxy in front of the API already "
        "guards writes, set GAZETTE_ALLOW_OPEN_WRITES=true."
    )


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's settings: proxy headers are believed only from the configured proxies.

    uvicorn's own default believes them from 127.0.0.1, which lets any local client (or a
    proxy that passes the header through) pick its address and so dodge the rate limit.
    """
    trusted = settings.forwarded_allow_ips.strip()
    return {
        "host": settings.api_host,
        "port": settings.api_port,
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or None,
        "server_header": False,
        "log_level": settings.log_level.lower(),
        "log_config": None,  # keep the JSON handler configure_logging installed
    }


def serve(settings: Settings) -> int:
    """Run the API until it is stopped; 2 when the configuration is refused."""
    refusal = open_writes_refusal(settings)
    if refusal:
        print(f"gazette api: {refusal}", file=sys.stderr)
        return 2
    import uvicorn

    uvicorn.run("services.api.app:create_app", factory=True, **uvicorn_options(settings))
    return 0
