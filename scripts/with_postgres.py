#!/usr/bin/env python3
"""Run a command against a throw-away PostgreSQL cluster on 127.0.0.1.

    python scripts/with_postgres.py -- pytest ...

initdb creates the cluster in a temporary directory, postgres listens on a free port on the
loopback address only, DATABASE_URL points the command at it, and the cluster is stopped and
removed afterwards, also when the command fails or is interrupted. initdb and postgres refuse to
run as root, so as root they run as the `postgres` system user.
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


def main() -> int:
    args = sys.argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        sys.exit("usage: with_postgres.py -- COMMAND [ARGS...]")

    workdir = Path(tempfile.mkdtemp(prefix="wegweiser-pg-"))
    datadir = workdir / "data"
    if os.geteuid() == 0:
        shutil.chown(workdir, user="postgres", group="postgres")
    port = free_port()
    log = workdir / "postgres.log"
    server = None
    try:
        subprocess.run(
            as_db_user(
                [
                    pg_bin("initdb"),
                    "-D",
                    str(datadir),
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
        server = subprocess.Popen(
            as_db_user(
                [
                    pg_bin("postgres"),
                    "-D",
                    str(datadir),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-k",
                    str(workdir),
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
            stdout=open(log, "wb"),
            stderr=subprocess.STDOUT,
        )
        for _ in range(100):
            ready = subprocess.run(
                [pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            if ready.returncode == 0:
                break
            if server.poll() is not None:
                sys.stderr.write(log.read_text())
                sys.exit("with_postgres: postgres did not start")
            time.sleep(0.1)
        subprocess.run(
            [
                pg_bin("createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "wegweiser",
                "wegweiser",
            ],
            check=True,
        )
        env = dict(os.environ, DATABASE_URL=f"postgres://wegweiser@127.0.0.1:{port}/wegweiser")
        print(f"with_postgres: PostgreSQL on 127.0.0.1:{port} ({datadir})", flush=True)
        return subprocess.call(args, env=env)
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
