"""The inbox and `gazette ingest` against hostile and broken files, with the real store and
queue (db 10: no worker consumes it)."""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.cli import main
from services.ingest.worker import InboxIngester
from shared import settings as settings_module
from shared.bus import Bus
from shared.queue import EnrichQueue, create_celery_app
from shared.settings import Settings
from shared.store import Store

pytestmark = pytest.mark.integration

SECRET = "GAZETTE_REDIS_URL=redis://:hunter2@db:6379/0"
GOOD = "A good article\n\nThe council met on Tuesday and agreed the budget for the new year.\n"


@pytest.fixture
def db10(redis_url: str) -> str:
    return redis_url.rsplit("/", 1)[0] + "/10"


def inbox_ingester(
    inbox: Path, store: Store, db10: str, max_file_bytes: int = 1024 * 1024
) -> InboxIngester:
    queue = EnrichQueue(create_celery_app(Settings(redis_url=db10)))
    return InboxIngester(inbox, store, Bus.from_url(db10), queue, max_file_bytes)


def test_a_link_in_the_inbox_is_not_followed_and_goes_to_failed(
    tmp_path: Path, store: Store, db10: str
) -> None:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(f"Secret\n\n{SECRET}\n")
    inbox = tmp_path / "inbox"
    ingester = inbox_ingester(inbox, store, db10)
    (inbox / "p.txt").symlink_to(secret)
    (inbox / "good.txt").write_text(GOOD)

    assert ingester.poll() == 1  # the good file only
    assert sorted(os.listdir(inbox / "failed")) == ["p.txt", "p.txt.errors"]
    assert (inbox / "failed" / "p.txt").is_symlink()  # the link moved, not its target
    note = (inbox / "failed" / "p.txt.errors").read_text()
    assert "not a regular file (a symbolic link)" in note
    assert "hunter2" not in note
    assert secret.read_text().endswith(f"{SECRET}\n")  # untouched
    assert os.listdir(inbox / "done") == ["good.txt"]


def test_a_linked_done_folder_stops_the_inbox_and_nothing_leaves_it(
    tmp_path: Path, store: Store, db10: str, caplog: pytest.LogCaptureFixture
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "done").symlink_to(elsewhere)
    ingester = inbox_ingester(inbox, store, db10)
    (inbox / "good.txt").write_text(GOOD)
    with caplog.at_level(logging.ERROR):
        assert ingester.poll() == 0
        assert ingester.poll() == 0
    assert os.listdir(elsewhere) == []
    assert (inbox / "good.txt").exists()  # left in place
    refusals = [r for r in caplog.records if "not a folder inside the inbox" in r.getMessage()]
    assert len(refusals) == 1  # said once, not every round


def test_a_linked_failed_folder_is_refused_too(tmp_path: Path, store: Store, db10: str) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "failed").symlink_to(elsewhere)
    ingester = inbox_ingester(inbox, store, db10)
    (inbox / "bad.jsonl").write_text("not json\n")
    assert ingester.poll() == 0
    assert os.listdir(elsewhere) == []
    assert (inbox / "bad.jsonl").exists()


def test_a_file_the_parser_chokes_on_goes_to_failed_and_the_next_files_are_read(
    tmp_path: Path, store: Store, db10: str
) -> None:
    inbox = tmp_path / "inbox"
    ingester = inbox_ingester(inbox, store, db10)
    (inbox / "a-deep.json").write_text("[" * 100_000)  # json.loads recurses until it breaks
    (inbox / "b-fifo.txt").parent.mkdir(exist_ok=True)
    os.mkfifo(inbox / "b-fifo.txt")
    (inbox / "c-big.txt").write_text("Big\n\n" + "word " * 300_000)
    (inbox / "d-empty.jsonl").write_text("\n")
    (inbox / "e-good.txt").write_text(GOOD)

    assert ingester.poll() == 1
    assert os.listdir(inbox / "done") == ["e-good.txt"]
    failed = sorted(os.listdir(inbox / "failed"))
    assert failed == sorted(
        f"{name}{suffix}"
        for name in ("a-deep.json", "b-fifo.txt", "c-big.txt", "d-empty.jsonl")
        for suffix in ("", ".errors")
    )
    notes = {name: (inbox / "failed" / f"{name}.errors").read_text() for name in failed[::2]}
    assert "invalid JSON: nested too deeply" in notes["a-deep.json"]
    assert "not a regular file (a FIFO)" in notes["b-fifo.txt"]
    assert "too large" in notes["c-big.txt"] and "GAZETTE_MAX_FILE_BYTES" in notes["c-big.txt"]
    assert "the file holds no articles" in notes["d-empty.jsonl"]
    assert sorted(os.listdir(inbox)) == ["done", "failed"]


def test_errors_notes_name_the_problem_without_quoting_the_file(
    tmp_path: Path, store: Store, db10: str
) -> None:
    inbox = tmp_path / "inbox"
    ingester = inbox_ingester(inbox, store, db10)
    (inbox / "environ.txt").write_text(SECRET * 100 + "\n\nbody\n")  # a title too long
    (inbox / "lines.jsonl").write_text(json.dumps({"title": SECRET, "text": 5}) + "\n")
    ingester.poll()
    for name in ("environ.txt", "lines.jsonl"):
        note = (inbox / "failed" / f"{name}.errors").read_text()
        assert "hunter2" not in note, note
    assert (
        "title: String should have at most 1000 characters"
        in (inbox / "failed" / "environ.txt.errors").read_text()
    )


@pytest.fixture
def cli_env(
    db10: str, store: Store, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("GAZETTE_REDIS_URL", db10)
    monkeypatch.setenv("GAZETTE_DATABASE_URL", database_url)
    monkeypatch.setenv("GAZETTE_MAX_FILE_BYTES", "4096")
    monkeypatch.setenv("GAZETTE_LOG_JSON", "false")
    settings_module.get_settings.cache_clear()
    yield
    settings_module.get_settings.cache_clear()


def test_gazette_ingest_carries_on_past_bad_files_and_ends_with_a_count(
    tmp_path: Path, cli_env: None, capfd: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a-deep.json").write_text("[" * 100_000)
    (folder / "b-empty.jsonl").write_text("")
    (folder / "c-big.txt").write_text("Big\n\n" + "word " * 2_000)
    (folder / "d-link.txt").symlink_to(folder / "e-good.txt")
    (folder / "e-good.txt").write_text(GOOD.replace("budget", f"budget {uuid.uuid4().hex}"))
    assert main(["ingest", str(folder)]) == 1
    out, err = capfd.readouterr()  # file descriptors: log handlers write there too
    assert "Traceback" not in err
    assert out.count("\tqueued\t") == 1 and out.strip().endswith("e-good.txt")
    lines = err.strip().splitlines()
    assert lines[-1] == "5 files read, 1 article queued, 4 files failed"
    assert f"{folder / 'b-empty.jsonl'}: nothing to ingest: the file holds no articles" in lines
    assert any(line.startswith(f"{folder / 'd-link.txt'}: not a regular file") for line in lines)


def test_gazette_ingest_of_a_device_is_one_line_and_reads_nothing(
    cli_env: None, capfd: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", "/dev/zero", "/no/such/file.txt"]) == 1
    _, err = capfd.readouterr()
    assert err.splitlines() == [
        "/dev/zero: not a regular file (a character device): not read",
        "/no/such/file.txt: no such file or folder",
        "2 files read, 0 articles queued, 2 files failed",
    ]


def test_a_file_that_cannot_be_moved_does_not_hold_back_the_next(
    tmp_path: Path, store: Store, db10: str
) -> None:
    inbox = tmp_path / "inbox"
    ingester = inbox_ingester(inbox, store, db10)
    (inbox / "done" / "a.txt").mkdir(parents=True)  # rename cannot put a file over a folder
    (inbox / "a.txt").write_text(GOOD)
    (inbox / "b.txt").write_text(GOOD.replace("budget", "harbour plan"))
    assert ingester.poll() == 2
    assert (inbox / "a.txt").exists()
    assert (inbox / "done" / "b.txt").is_file()
