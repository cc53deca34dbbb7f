"""Whether the session runs its servers in containers: only where they can really start.

An engine that answers is not enough: offline, air-gapped or behind a registry mirror that is down,
it cannot pull the image (nor testcontainers' Ryuk reaper), and every fixture would error. Then the
suite uses the local server instead, as it does when no engine answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

import docker
from docker.errors import DockerException
from docker.utils import parse_repository_tag
from testcontainers.core.config import testcontainers_config as config

REDIS_IMAGE = "redis:7-alpine"
PROBE_TIMEOUT_SECONDS = 5
# Pulling over a slow link is fine; a registry that never answers is not worth a session's wait.
PULL_TIMEOUT_SECONDS = 120


class Engine(Protocol):
    """The little the decision needs to ask a container engine."""

    def answers(self) -> bool: ...

    def has_image(self, image: str) -> bool: ...

    def pull(self, image: str) -> bool: ...


@dataclass(frozen=True)
class Choice:
    """Containers or local processes, and why, for the session's header."""

    containers: bool
    reason: str


def choose(engine: Engine, images: Sequence[str]) -> Choice:
    """Containers when the engine answers and every image is present or could be pulled."""
    if not engine.answers():
        return Choice(False, "no Docker engine answers")
    for image in images:
        if not engine.has_image(image) and not engine.pull(image):
            return Choice(False, f"the Docker engine has no {image} and cannot pull it")
    return Choice(True, f"the Docker engine has {', '.join(images)}")


class DockerEngine:
    """The engine testcontainers would use (DOCKER_HOST or the default socket), via the SDK."""

    def __init__(self) -> None:
        self._client: Any = None

    def answers(self) -> bool:
        try:
            client = docker.from_env(timeout=PROBE_TIMEOUT_SECONDS)
            client.ping()
        except (DockerException, OSError):
            return False
        client.api.timeout = PULL_TIMEOUT_SECONDS
        self._client = client
        return True

    def has_image(self, image: str) -> bool:
        try:
            self._client.images.get(image)
        except DockerException:
            return False
        return True

    def pull(self, image: str) -> bool:
        repository, tag = parse_repository_tag(image)
        try:
            self._client.images.pull(repository, tag=tag or "latest")
        except (DockerException, OSError):
            return False
        return True


def images_for(image: str) -> list[str]:
    """`image` as testcontainers names it, and the Ryuk reaper it starts first unless disabled."""
    images = [config.hub_image_name_prefix + image]
    if not config.ryuk_disabled:
        images.append(config.ryuk_image)
    return images


@cache
def redis_choice() -> Choice:
    """The session's one decision for Redis (asked once: a failed pull is not retried per test)."""
    return choose(DockerEngine(), images_for(REDIS_IMAGE))
