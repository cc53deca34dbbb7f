from pathlib import Path

import pytest

from services.cli import main
from shared import settings as settings_module


@pytest.mark.parametrize(
    ("command", "missing", "given"),
    [
        (["ingest"], "GAZETTE_DATABASE_URL", {}),
        (["ingest"], "GAZETTE_REDIS_URL", {"GAZETTE_DATABASE_URL": "postgresql://nowhere/x"}),
        (["migrate"], "GAZETTE_DATABASE_URL", {}),
        (["prune", "--days", "30"], "GAZETTE_DATABASE_URL", {}),
        (["relabel"], "GAZETTE_DATABASE_URL", {}),
    ],
)
def test_a_command_without_its_servers_says_how_to_get_them(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    missing: str,
    given: dict[str, str],
) -> None:
    monkeypatch.delenv("GAZETTE_REDIS_URL", raising=False)
    monkeypatch.delenv("GAZETTE_DATABASE_URL", raising=False)
    monkeypatch.setenv("GAZETTE_DATA_DIR", str(tmp_path))
    for name, value in given.items():
        monkeypatch.setenv(name, value)
    settings_module.get_settings.cache_clear()
    args = [*command, str(tmp_path)] if command == ["ingest"] else command
    try:
        assert main(args) == 2
    finally:
        settings_module.get_settings.cache_clear()
    error = capsys.readouterr().err
    assert f"{missing} is not set and no `gazette up` is running here" in error
    assert "Traceback" not in error


def test_the_url_a_running_stack_left_is_used(tmp_path: Path) -> None:
    (tmp_path / "redis.url").write_text("redis://127.0.0.1:4242/0\n")
    found = settings_module.Settings(redis_url=None, data_dir=tmp_path).require_redis_url()
    assert found == "redis://127.0.0.1:4242/0"
    explicit = settings_module.Settings(redis_url="redis://elsewhere:6379/0", data_dir=tmp_path)
    assert explicit.require_redis_url() == "redis://elsewhere:6379/0"
    (tmp_path / "postgres.url").write_text("postgresql://postgres@127.0.0.1:4243/gazette\n")
    found = settings_module.Settings(database_url=None, data_dir=tmp_path).require_database_url()
    assert found == "postgresql://postgres@127.0.0.1:4243/gazette"
