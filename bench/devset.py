"""Which news texts the benches read: the full dev set beside the checkout, else the sample."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The MEANTIME dev set sits beside a checkout of the project's workspace, not in the repository.
FULL = ROOT.parent / "shared" / "eval" / "meantime-en.jsonl"
SAMPLE = ROOT / "tests" / "data" / "meantime-sample.jsonl"


def dev_set() -> Path:
    """The full dev set when it is there, else the 31-article sample the repository ships."""
    return FULL if FULL.is_file() else SAMPLE


def announce_dev_set() -> Path:
    """`dev_set()`, saying on stderr which one it is, so that figures are not compared blindly."""
    path = dev_set()
    if path == SAMPLE:
        print(
            f"bench: the full dev set ({FULL}) is not here; "
            f"using the sample that ships with the tests ({SAMPLE.relative_to(ROOT)}). "
            "Words per second compare; corpus-level figures are over fewer texts.",
            file=sys.stderr,
        )
    else:
        print(f"bench: texts from {path}", file=sys.stderr)
    return path
