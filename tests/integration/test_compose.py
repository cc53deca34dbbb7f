"""docker-compose.yml is valid, and every service's own command runs here and turns healthy."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

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
    assert services["api"]["ports"] == ["8000:8000"]


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
    assert "--broker=redis://redis:6379/0" in flower["command"]
    assert flower["restart"] == "on-failure"


@pytest.mark.parametrize("name", GAZETTE_SERVICES)
def test_service_command_runs_and_passes_its_own_healthcheck(
    name: str, redis_url: str, tmp_path: Path
) -> None:
    service = compose()["services"][name]
    env = gazette_env(
        GAZETTE_REDIS_URL=redis_url.rsplit("/", 1)[0] + "/2",  # a db no other worker uses
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
