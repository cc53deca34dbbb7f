"""The session runs its servers in containers only where they can start; otherwise locally."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.containers import choose

REDIS = "redis:7-alpine"
RYUK = "testcontainers/ryuk:0.8.1"


@dataclass
class Engine:
    """An engine with some images on hand and some a registry would give it."""

    up: bool = True
    local: set[str] = field(default_factory=set)
    pullable: set[str] = field(default_factory=set)
    pulled: list[str] = field(default_factory=list)

    def answers(self) -> bool:
        return self.up

    def has_image(self, image: str) -> bool:
        return image in self.local

    def pull(self, image: str) -> bool:
        self.pulled.append(image)
        if image in self.pullable:
            self.local.add(image)
            return True
        return False


def test_no_engine_means_local_servers() -> None:
    choice = choose(Engine(up=False), [REDIS, RYUK])
    assert not choice.containers
    assert choice.reason == "no Docker engine answers"


def test_images_on_hand_mean_containers_without_pulling() -> None:
    engine = Engine(local={REDIS, RYUK})
    assert choose(engine, [REDIS, RYUK]).containers
    assert engine.pulled == []


def test_missing_images_are_pulled_when_the_registry_answers() -> None:
    engine = Engine(local={REDIS}, pullable={RYUK})
    assert choose(engine, [REDIS, RYUK]).containers
    assert engine.pulled == [RYUK]


def test_an_engine_that_cannot_pull_means_local_servers() -> None:
    """Offline or air-gapped: the reaper image alone missing is enough to stay local."""
    choice = choose(Engine(local={REDIS}), [REDIS, RYUK])
    assert not choice.containers
    assert RYUK in choice.reason
