"""docker-compose.yml is valid, and every service's own command runs here and turns healthy."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from services.api.server import open_writes_refusal
from shared.settings import Settings
from tests.polling import wait_until
from tests.servers import ROOT, free_port, gazette_env, gazette_process

pytestmark = pytest.mark.integration

COMPOSE = ROOT / "docker-compose.yml"
GAZETTE_SERVICES = ("api", "enrich", "ingest")


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded


def local(argv: list[str]) -> list[str]:
    """A compose command (`gazette ...`) as this checkout runs it."""
    assert argv[0] == "gazette", argv
    return argv[1:]


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_docker_compose_validates_the_file() -> None:
    result = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "config", "-q"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_redis_keeps_every_accepted_write() -> None:
    redis = compose()["services"]["redis"]
    command = " ".join(redis["command"])
    assert "--appendonly yes" in command and "--maxmemory-policy noeviction" in command
    assert "ports" not in redis  # only the services reach Redis
    assert redis["healthcheck"]["test"]


def test_each_service_has_a_command_a_healthcheck_and_depends_on_healthy_stores() -> None:
    services = compose()["services"]
    default = {name for name, service in services.items() if not service.get("profiles")}
    assert default == {"redis", "postgres", *GAZETTE_SERVICES}
    for name in GAZETTE_SERVICES:
        service = services[name]
        assert service["command"][0] == "gazette"
        assert service["healthcheck"]["test"][:3] == ["CMD", "gazette", "healthcheck"]
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert service["environment"]["GAZETTE_REDIS_URL"] == "redis://redis:6379/0"
        assert "@postgres:5432/gazette" in service["environment"]["GAZETTE_DATABASE_URL"]
        # A crashed or OOM-killed worker comes back, and so does the stack after a reboot.
        assert service["restart"] == "unless-stopped"


def test_postgres_is_private_persistent_and_health_checked() -> None:
    postgres = compose()["services"]["postgres"]
    assert postgres["image"] == "${POSTGRES_IMAGE:-postgres:17}"
    assert "ports" not in postgres  # only the services reach it
    assert postgres["volumes"] == ["postgres-data:/var/lib/postgresql/data"]
    assert postgres["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    # The password comes from the environment; the default is for a machine of one's own.
    assert postgres["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:-")
    assert postgres["restart"] == "unless-stopped"


def test_base_images_can_be_replaced_without_editing_anything() -> None:
    services = compose()["services"]
    assert services["api"]["build"]["args"]["PYTHON_IMAGE"] == "${PYTHON_IMAGE:-python:3.11-slim}"
    assert services["redis"]["image"] == "${REDIS_IMAGE:-redis:7.2-alpine}"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in dockerfile
    assert dockerfile.count("FROM ${PYTHON_IMAGE}") == 2  # build and runtime stages


def test_flower_is_an_optional_profile_on_the_same_broker() -> None:
    flower = compose()["services"]["flower"]
    assert flower["profiles"] == ["flower"]
    assert "--broker=redis://redis:6379/0" in " ".join(flower["command"])
    assert flower["restart"] == "on-failure"


def interpolated(value: Any, env: dict[str, str]) -> Any:
    """Compose's `${NAME:-default}` and `$$` in every string, as `docker compose` reads them."""
    if isinstance(value, dict):
        return {k: interpolated(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolated(v, env) for v in value]
    if not isinstance(value, str):
        return value
    value = re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: env.get(m.group(1)) or m.group(2), value)
    return value.replace("$$", "$")


def api_settings(env: dict[str, str]) -> tuple[Settings, list[str]]:
    """The settings and published ports of the compose api service under `env`."""
    api = interpolated(compose(), env)["services"]["api"]
    variables = {k.removeprefix("GAZETTE_").lower(): v for k, v in api["environment"].items()}
    return Settings(_env_file=None, **variables), api["ports"]  # type: ignore[call-arg]


def test_the_api_is_published_on_loopback_unless_told_otherwise() -> None:
    settings, ports = api_settings({})
    assert ports == ["127.0.0.1:8000:8000"]
    assert settings.api_host == "0.0.0.0"  # inside its container
    assert open_writes_refusal(settings) is None
    assert not settings.forwarded_allow_ips  # no proxy headers believed by default


def test_the_api_published_wider_needs_keys() -> None:
    settings, ports = api_settings({"GAZETTE_API_PUBLISHED_HOST": "0.0.0.0"})
    assert ports == ["0.0.0.0:8000:8000"]
    refusal = open_writes_refusal(settings)
    assert refusal is not None and "GAZETTE_API_KEYS" in refusal
    keyed, _ = api_settings({"GAZETTE_API_PUBLISHED_HOST": "0.0.0.0", "GAZETTE_API_KEYS": "k1"})
    assert open_writes_refusal(keyed) is None


def run_flower_command(tmp_path: Path, basic_auth: str | None) -> subprocess.CompletedProcess[str]:
    """The flower service's command, with a stand-in `celery` that only says how it was called."""
    flower = interpolated(compose(), {})["services"]["flower"]
    assert flower["ports"] == ["127.0.0.1:5555:5555"]
    assert flower["environment"]["FLOWER_BASIC_AUTH"] == ""  # passed through from the host
    stand_in = tmp_path / "celery"
    stand_in.write_text('#!/bin/sh\necho "celery $*"\n')
    stand_in.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin"}
    if basic_auth is not None:
        env["FLOWER_BASIC_AUTH"] = basic_auth
    return subprocess.run(
        flower["command"], env=env, capture_output=True, text=True, check=False, timeout=10
    )


@pytest.mark.parametrize("basic_auth", [None, "", "admin", "admin:", ":secret"])
def test_flower_refuses_to_start_without_basic_auth(tmp_path: Path, basic_auth: str | None) -> None:
    refused = run_flower_command(tmp_path, basic_auth)
    assert refused.returncode != 0
    assert "FLOWER_BASIC_AUTH=user:password" in refused.stderr
    assert "celery" not in refused.stdout


def test_flower_starts_with_basic_auth(tmp_path: Path) -> None:
    started = run_flower_command(tmp_path, "admin:secret")
    assert started.returncode == 0, started.stderr
    assert started.stdout.startswith("celery --broker=redis://redis:6379/0 flower")


@pytest.mark.parametrize("name", GAZETTE_SERVICES)
def test_service_command_runs_and_passes_its_own_healthcheck(
    name: str, redis_url: str, database_url: str, tmp_path: Path
) -> None:
    service = compose()["services"][name]
    env = gazette_env(
        GAZETTE_REDIS_URL=redis_url.rsplit("/", 1)[0] + "/2",  # a db no other worker uses
        GAZETTE_DATABASE_URL=database_url,
        GAZETTE_API_PORT=str(free_port()),
        GAZETTE_INBOX_DIR=str(tmp_path / "inbox"),
        GAZETTE_ENRICH_CONCURRENCY="1",
    )
    check = [sys.executable, "-m", "services.cli", *local(service["healthcheck"]["test"][1:])]

    def healthy() -> bool:
        return (
            subprocess.run(check, env=env, cwd=ROOT, capture_output=True, check=False).returncode
            == 0
        )

    with gazette_process(local(service["command"]), env, tmp_path / f"{name}.log") as process:
        wait_until(healthy, timeout=60, interval=0.2, what=f"{name} healthy")
        assert process.poll() is None
    assert not healthy()  # and the check fails once the service is gone
