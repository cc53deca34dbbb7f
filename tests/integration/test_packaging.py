"""The wheel the Dockerfile installs carries every module and data file the services read."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.servers import ROOT

pytestmark = pytest.mark.slow


def test_wheel_holds_the_data_files_and_every_module(tmp_path: Path) -> None:
    # Built from a clean copy: setuptools would reuse files a previous build left in build/.
    source = tmp_path / "src"
    skipped = shutil.ignore_patterns(".*", "build", "*.egg-info", "__pycache__", "tests", "bench")
    shutil.copytree(ROOT, source, ignore=skipped)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    [wheel] = tmp_path.glob("gazette-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = {
        str(path.relative_to(ROOT))
        for folder in ("shared", "services")
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and path.suffix in {".py", ".json", ".html", ".css"}
        and "__pycache__" not in path.parts
    }  # fmt: skip
    # Swagger UI for /docs, served from the package, with its licences.
    swagger_ui = {
        str(path.relative_to(ROOT)) for path in (ROOT / "services/api/swagger_ui").iterdir()
    }
    assert {"swagger-ui-bundle.js", "swagger-ui.css", "init.js", "LICENSE"} <= {
        Path(name).name for name in swagger_ui
    }
    assert (sources | swagger_ui) - names == set()
    # The word lists enrichment and the entity keys are built from, each beside its reader.
    assert {"services/enrich/entities/words.json", "shared/data/name_words.json"} <= names
