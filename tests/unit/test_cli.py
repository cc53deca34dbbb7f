from pathlib import Path

import pytest

from services.cli import main
from shared import settings as settings_module


def test_a_command_without_redis_says_how_to_get_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GAZETTE_REDIS_URL", raising=False)
    monkeypatch.setenv("GAZETTE_DATA_DIR", str(tmp_path))
    settings_module.get_settings.cache_clear()
    try:
        assert main(["ingest", str(tmp_path)]) == 2
    finally:
        settings_module.get_settings.cache_clear()
    error = capsys.readouterr().err
    assert "GAZETTE_REDIS_URL is not set and no `gazette up` is running here" in error
    assert "Traceback" not in error


def test_the_url_a_running_stack_left_is_used(tmp_path: Path) -> None:
    (tmp_path / "redis.url").write_text("redis://127.0.0.1:4242/0\n")
    found = settings_module.Settings(redis_url=None, data_dir=tmp_path).require_redis_url()
    assert found == "redis://127.0.0.1:4242/0"
    explicit = settings_module.Settings(redis_url="redis://elsewhere:6379/0", data_dir=tmp_path)
    assert explicit.require_redis_url() == "redis://elsewhere:6379/0"
