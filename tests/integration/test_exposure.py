"""`gazette api` as an attacker on the network meets it: it will not serve open writes on a
reachable address, and a client cannot pick its own address with X-Forwarded-For."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.polling import wait_until
from tests.servers import ROOT, free_port, gazette_env, gazette_process

pytestmark = pytest.mark.integration


def api_env(redis_url: str, database_url: str, **overrides: str) -> dict[str, str]:
    return gazette_env(
        GAZETTE_REDIS_URL=redis_url.rsplit("/", 1)[0] + "/13",
        GAZETTE_DATABASE_URL=database_url,
        GAZETTE_API_PORT=str(free_port()),
        GAZETTE_LOG_JSON="false",
        **overrides,
    )


def test_api_refuses_open_writes_on_a_reachable_address(redis_url: str, database_url: str) -> None:
    env = api_env(redis_url, database_url, GAZETTE_API_HOST="0.0.0.0")
    run = subprocess.run(
        [sys.executable, "-m", "services.cli", "api"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert run.returncode == 2
    assert "refusing to serve on 0.0.0.0" in run.stderr
    assert "GAZETTE_API_KEYS" in run.stderr and "GAZETTE_ALLOW_OPEN_WRITES=true" in run.stderr
    assert "Traceback" not in run.stderr


def test_the_stack_refuses_open_writes_on_a_reachable_address(tmp_path: Path) -> None:
    env = gazette_env(GAZETTE_API_HOST="0.0.0.0", GAZETTE_DATA_DIR=str(tmp_path))
    run = subprocess.run(
        [sys.executable, "-m", "services.cli", "up"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert run.returncode == 2
    assert "gazette up: refusing to serve on 0.0.0.0" in run.stderr
    assert list(tmp_path.iterdir()) == []  # nothing was started


@pytest.mark.parametrize(
    "setting", [{"GAZETTE_API_KEYS": "a-key"}, {"GAZETTE_ALLOW_OPEN_WRITES": "true"}]
)
def test_api_serves_on_a_reachable_address_with_keys_or_the_opt_out(
    redis_url: str, database_url: str, tmp_path: Path, setting: dict[str, str]
) -> None:
    env = api_env(redis_url, database_url, GAZETTE_API_HOST="0.0.0.0", **setting)
    base = f"http://127.0.0.1:{env['GAZETTE_API_PORT']}"
    with gazette_process(["api"], env, tmp_path / "api.log") as server:
        wait_until(lambda: _answers(f"{base}/healthz"), timeout=30, what="the API")
        assert server.poll() is None


def _answers(url: str) -> bool:
    try:
        return httpx.get(url).status_code == 200
    except httpx.TransportError:
        return False


def test_a_forged_x_forwarded_for_does_not_dodge_the_rate_limit(
    redis_url: str, database_url: str, tmp_path: Path
) -> None:
    env = api_env(redis_url, database_url, GAZETTE_RATE_LIMIT_PER_MINUTE="5")
    base = f"http://127.0.0.1:{env['GAZETTE_API_PORT']}"
    with gazette_process(["api"], env, tmp_path / "api.log"):
        wait_until(lambda: _answers(f"{base}/healthz"), timeout=30, what="the API")
        statuses = [
            httpx.get(f"{base}/feeds", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
            for n in range(8)
        ]
    assert statuses.count(429) >= 3, statuses


def test_forwarded_addresses_count_from_a_configured_proxy(
    redis_url: str, database_url: str, tmp_path: Path
) -> None:
    env = api_env(
        redis_url,
        database_url,
        GAZETTE_RATE_LIMIT_PER_MINUTE="5",
        GAZETTE_FORWARDED_ALLOW_IPS="127.0.0.1",
    )
    base = f"http://127.0.0.1:{env['GAZETTE_API_PORT']}"
    with gazette_process(["api"], env, tmp_path / "api.log"):
        wait_until(lambda: _answers(f"{base}/healthz"), timeout=30, what="the API")
        statuses = [
            httpx.get(f"{base}/feeds", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
            for n in range(8)
        ]
    assert 429 not in statuses  # each forwarded client has its own budget behind the proxy
