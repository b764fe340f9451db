#!/usr/bin/env python3
"""Run a command against a throw-away PostgreSQL cluster on 127.0.0.1.

    python scripts/with_postgres.py -- pytest ...

initdb creates the cluster in a temporary directory, postgres listens on a free port on the
loopback address only, DATABASE_URL points the command at it, and the cluster is stopped and
removed afterwards, also when the command fails or is interrupted. initdb and postgres refuse to
run as root, so as root they run as the `postgres` system user. `Cluster` is also used by the
fault drills in bench/, which stop and restart the server on purpose.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PG_BIN_CANDIDATES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def pg_bin(name: str) -> str:
    for directory in PG_BIN_CANDIDATES:
        if (directory / name).exists():
            return str(directory / name)
    found = shutil.which(name)
    if not found:
        sys.exit(
            f"with_postgres: {name} not found; install the Debian packages postgresql and postgresql-contrib"
        )
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_db_user(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


class Cluster:
    """A temporary PostgreSQL cluster: create(), start(), stop(), remove()."""

    def __init__(self) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="wegweiser-pg-"))
        self.datadir = self.workdir / "data"
        self.log = self.workdir / "postgres.log"
        self.port = free_port()
        self.server: subprocess.Popen | None = None
        if os.geteuid() == 0:
            shutil.chown(self.workdir, user="postgres", group="postgres")

    @property
    def url(self) -> str:
        return f"postgres://wegweiser@127.0.0.1:{self.port}/wegweiser"

    def create(self) -> None:
        subprocess.run(
            as_db_user(
                [
                    pg_bin("initdb"),
                    "-D",
                    str(self.datadir),
                    "-U",
                    "wegweiser",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.start()
        subprocess.run(
            [
                pg_bin("createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "wegweiser",
                "wegweiser",
            ],
            check=True,
        )

    def start(self) -> None:
        self.server = subprocess.Popen(
            as_db_user(
                [
                    pg_bin("postgres"),
                    "-D",
                    str(self.datadir),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "-k",
                    str(self.workdir),
                    "-c",
                    "fsync=off",
                    "-c",
                    "synchronous_commit=off",
                    "-c",
                    "full_page_writes=off",
                    "-c",
                    "max_connections=50",
                ]
            ),
            stdout=open(self.log, "ab"),
            stderr=subprocess.STDOUT,
        )
        for _ in range(200):
            ready = subprocess.run(
                [pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            if ready.returncode == 0:
                return
            if self.server.poll() is not None:
                sys.stderr.write(self.log.read_text())
                sys.exit("with_postgres: postgres did not start")
            time.sleep(0.1)
        sys.exit("with_postgres: postgres did not become ready")

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            # Fast shutdown: disconnect clients instead of waiting for them (pooled connections).
            subprocess.run(
                as_db_user([pg_bin("pg_ctl"), "-D", str(self.datadir), "stop", "-m", "fast", "-w"]),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        self.server = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


def main() -> int:
    args = sys.argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        sys.exit("usage: with_postgres.py -- COMMAND [ARGS...]")
    cluster = Cluster()
    try:
        cluster.create()
        env = dict(os.environ, DATABASE_URL=cluster.url)
        print(
            f"with_postgres: PostgreSQL on 127.0.0.1:{cluster.port} ({cluster.datadir})", flush=True
        )
        return subprocess.call(args, env=env)
    finally:
        cluster.remove()


if __name__ == "__main__":
    sys.exit(main())
