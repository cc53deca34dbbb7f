import pytest

from services.api.server import is_loopback, open_writes_refusal, uvicorn_options
from shared.settings import Settings


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.0.1", "::1", "[::1]", "localhost"])
def test_loopback_addresses(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "", "192.168.1.5", "example.org", "10.0.0.1"])
def test_reachable_addresses(host: str) -> None:
    assert not is_loopback(host)


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_open_writes_are_refused_only_where_others_can_connect() -> None:
    assert open_writes_refusal(settings(api_host="127.0.0.1")) is None
    assert open_writes_refusal(settings(api_host="0.0.0.0")) is not None
    assert open_writes_refusal(settings(api_host="0.0.0.0", api_keys="k")) is None
    assert open_writes_refusal(settings(api_host="0.0.0.0", allow_open_writes=True)) is None
    # In a container: what counts is where the port is published.
    published = settings(api_host="0.0.0.0", api_published_host="127.0.0.1")
    assert open_writes_refusal(published) is None
    wide = settings(api_host="127.0.0.1", api_published_host="0.0.0.0")
    assert open_writes_refusal(wide) is not None


def test_proxy_headers_are_believed_only_from_configured_proxies() -> None:
    default = uvicorn_options(settings())
    assert default["proxy_headers"] is False
    behind = uvicorn_options(settings(forwarded_allow_ips="10.0.0.0/8"))
    assert behind["proxy_headers"] is True and behind["forwarded_allow_ips"] == "10.0.0.0/8"
