"""`gazette up` brings back a child that dies, and the stack carries on."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from shared.models import ArticleStatus
from shared.store import Store
from tests.fault.conftest import dev_articles
from tests.polling import wait_until
from tests.servers import RunningStack

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def pool_children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.parametrize("service", [("worker", "enrich"), ("api",)])
def test_a_sigkilled_child_is_restarted_and_the_stack_works_again(
    stack: RunningStack, fault_store: Store, service: tuple[str, ...]
) -> None:
    victim = stack.child(*service)
    orphans = pool_children(victim)
    os.kill(victim, signal.SIGKILL)

    def replaced() -> int | None:
        pid = stack.child(*service)
        return pid if pid != victim else None

    wait_until(replaced, timeout=30, interval=0.1, what=f"{service} restarted ({stack.log})")
    wait_until(lambda: stack.api.get("/readyz").status_code == 200, timeout=90, what="ready")
    answer = stack.api.post("/articles", json=dev_articles(1)[0].model_dump(mode="json"))
    assert answer.status_code == 202
    article_id = answer.json()["id"]
    wait_until(
        lambda: fault_store.article_status(article_id) is ArticleStatus.ENRICHED,
        timeout=60, what="enriched after the restart",
    )  # fmt: skip
    # The killed worker's pool processes do not linger holding memory.
    wait_until(
        lambda: not [p for p in orphans if Path(f"/proc/{p}").exists()], timeout=30, what="orphans"
    )
    assert f"{service[-1]} exited" in stack.log.read_text()
