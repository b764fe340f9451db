#!/usr/bin/env python
"""Fault drills against gunicorn (2 workers) on a temporary PostgreSQL cluster, loopback only.

    .venv/bin/python bench/faults.py

Each drill asserts its outcome and the script exits non-zero when one fails:
1. a worker killed (SIGKILL) in the middle of requests: the master replaces it, the site answers;
2. PostgreSQL restarted while requests run: after the restart every request succeeds again;
3. the database unreachable: public pages answer 503 with a friendly page in the URL's language
   and JSON for /api/, /healthz stays 200, /readyz says 503; after the database is back the site
   recovers by itself, without a restart.
"""

import concurrent.futures
import http.client
import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
spec = importlib.util.spec_from_file_location(
    "with_postgres", ROOT / "scripts" / "with_postgres.py"
)
with_postgres = importlib.util.module_from_spec(spec)
spec.loader.exec_module(with_postgres)


def get(url: str, timeout: float = 10) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback only
            return (
                response.status,
                response.headers.get("Content-Type", ""),
                response.read().decode(),
            )
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()
    except (OSError, http.client.HTTPException) as error:
        # A connection cut by a killed worker: "no answer", which the drills count.
        return 0, "", str(error)


def hammer(base: str, paths: list[str], seconds: float) -> list[int]:
    """Requests from 8 threads for `seconds`; returns every status code seen (0 = no answer)."""
    deadline = time.time() + seconds
    statuses: list[int] = []

    def worker(index: int) -> None:
        while time.time() < deadline:
            statuses.append(get(base + paths[index % len(paths)])[0])

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(worker, range(8)))
    return statuses


def check(name: str, condition: bool, detail: str = "") -> bool:
    print(
        f"[{'ok' if condition else 'FAILED'}] {name}{(' – ' + detail) if detail else ''}",
        flush=True,
    )
    return condition


def main() -> int:
    cluster = with_postgres.Cluster()
    tmp = tempfile.mkdtemp(prefix="wegweiser-faults-")
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="wegweiser.settings.prod",
        SECRET_KEY="faults-" + "y" * 60,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        WEGWEISER_VAR_DIR=tmp,
        PYTHONPATH=str(ROOT / "src"),
        LOG_LEVEL="ERROR",
    )
    server = None
    results = []
    try:
        cluster.create()
        env["DATABASE_URL"] = cluster.url
        manage = [PY, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        subprocess.run(
            [*manage, "seed_demo", "-v0"], env=env, check=True, stdout=subprocess.DEVNULL
        )
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True)
        port = with_postgres.free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "wegweiser.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--graceful-timeout",
                "5",
                "--log-level",
                "error",
            ],
            env=env,
            cwd=ROOT,
        )
        for _ in range(100):
            if get(base + "/healthz")[0] == 200:
                break
            time.sleep(0.3)
        paths = ["/de/", "/de/angebote/?q=Deutschkurs", "/healthz"]

        # 1. A worker killed in the middle of requests.
        children = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            load = pool.submit(hammer, base, paths, 6)
            time.sleep(2)
            os.kill(int(children[0]), signal.SIGKILL)
            load.result()
        time.sleep(2)
        after = hammer(base, paths, 3)
        workers = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
        results.append(
            check(
                "worker killed: master starts a new worker",
                len(workers) == 2,
                f"{len(workers)} workers",
            )
        )
        results.append(
            check(
                "worker killed: every later request succeeds",
                set(after) == {200},
                f"{len(after)} requests",
            )
        )

        # 2. PostgreSQL restarted while requests run.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            load = pool.submit(hammer, base, paths, 8)
            time.sleep(2)
            cluster.stop()
            time.sleep(1)
            cluster.start()
            during = load.result()
        after = hammer(base, paths, 3)
        results.append(
            check(
                "PostgreSQL restart: no 500 during the restart",
                500 not in during,
                f"statuses seen {sorted(set(during))}",
            )
        )
        results.append(
            check("PostgreSQL restart: every later request succeeds", set(after) == {200})
        )

        # 3. The database unreachable, then back.
        cluster.stop()
        status, ctype, body = get(base + "/ar/angebote/")
        results.append(check("database down: public page answers 503", status == 503, str(status)))
        results.append(check("database down: page in the URL's language", 'lang="ar"' in body))
        status, ctype, _ = get(base + "/api/v1/search?q=Kurs")
        results.append(
            check(
                "database down: /api/ answers JSON",
                status == 503 and "json" in ctype,
                f"{status} {ctype}",
            )
        )
        results.append(check("database down: /healthz stays 200", get(base + "/healthz")[0] == 200))
        results.append(check("database down: /readyz answers 503", get(base + "/readyz")[0] == 503))
        cluster.start()
        time.sleep(1)
        after = hammer(base, paths, 3)
        results.append(
            check("database back: the site recovers without a restart", set(after) == {200})
        )
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        cluster.remove()
    print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
