"""The image's entrypoint: started as root, it runs the service as the owner of the inbox."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import ROOT

ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root and setpriv"
)


def run(inbox: Path, *argv: str) -> str:
    env = {"PATH": os.environ["PATH"], "GAZETTE_INBOX_DIR": str(inbox)}
    done = subprocess.run(
        ["sh", str(ENTRYPOINT), *argv], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A folder other users can reach (pytest's own tmp_path is the session user's only)."""
    folder = Path(tempfile.mkdtemp(prefix="gazette-entrypoint-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def test_a_host_users_inbox_is_used_as_that_user_and_left_theirs(open_dir: Path) -> None:
    inbox = open_dir / "inbox"
    inbox.mkdir()
    os.chown(inbox, 4321, 4321)
    inbox.chmod(0o755)  # writable by its owner only, as a user's folder is

    assert run(inbox, "id", "-u") == "4321"
    run(inbox, "mkdir", str(inbox / "done"))  # what the ingest worker does first
    assert (inbox / "done").stat().st_uid == 4321
    assert inbox.stat().st_uid == 4321
