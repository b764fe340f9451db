#!/usr/bin/env python
"""Load drill: gunicorn (2 workers) on a temporary PostgreSQL cluster, wrk on loopback only.

    .venv/bin/python bench/load.py [--seconds 60] [--connections 50]

Starts its own PostgreSQL cluster (scripts/with_postgres.py), migrates, loads the demo data,
collects static files, starts gunicorn on 127.0.0.1 and runs wrk against each URL in turn for a
bounded time. Prints requests/s, p50/p95/p99 latency and errors per URL. Baseline from the same
run: /healthz (no database, no template). Everything stops by itself at the end.
"""

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PY = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def parse_wrk(output: str) -> dict:
    def ms(value: str) -> float:
        number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
        return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    result = {"p50": None, "p95": None, "p99": None, "rps": 0.0, "errors": 0, "non2xx": 0}
    for line in output.splitlines():
        line = line.strip()
        for pct in ("50", "90", "99"):
            if line.startswith(f"{pct}%"):
                result["p95" if pct == "90" else f"p{pct}"] = ms(line.split()[1])
        if line.startswith("Requests/sec:"):
            result["rps"] = float(line.split()[1])
        if line.startswith("Socket errors:"):
            result["errors"] = sum(int(n) for n in re.findall(r"\d+", line))
        if line.startswith("Non-2xx or 3xx responses:"):
            result["non2xx"] = int(line.split()[-1])
    return result


def run(seconds: int, connections: int) -> int:
    env = dict(os.environ)
    tmp = tempfile.mkdtemp(prefix="wegweiser-load-")
    env.update(
        DJANGO_SETTINGS_MODULE="wegweiser.settings.prod",
        SECRET_KEY="load-test-" + "x" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        WEGWEISER_VAR_DIR=tmp,
        PYTHONPATH=str(ROOT / "src"),
        LOG_LEVEL="WARNING",
    )
    manage = [PY, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "seed_demo", "-v0"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "wegweiser.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_for(f"{base}/healthz")
        import django

        os.environ.update(env)
        django.setup()
        from wegweiser.offers.models import Offer

        offer = Offer.objects.filter(is_published=True).order_by("pk").first()
        urls = {
            "baseline /healthz": "/healthz",
            "home": "/de/",
            "results": "/de/angebote/?q=Deutschkurs&town=herten",
            "detail": f"/de/angebote/{offer.uuid}/",
            "map": "/de/karte/",
        }
        urls["search API"] = "/api/v1/search?q=Deutschkurs&town=herten"
        hsds = "/api/hsds/services"
        try:
            urllib.request.urlopen(base + hsds, timeout=5)  # noqa: S310 - loopback only
            urls["HSDS list"] = hsds
        except OSError:
            pass  # the HSDS API comes with the open-data issue
        print(
            f"gunicorn 2 workers × 4 threads, PostgreSQL, {connections} connections, {seconds} s per URL"
        )
        print(f"{'url':20} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'errors':>7}")
        failures = 0
        for label, path in urls.items():
            out = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{connections}",
                    f"-d{seconds}s",
                    "--timeout",
                    "10s",
                    "--latency",
                    base + path,
                ],
                capture_output=True,
                text=True,
                timeout=seconds + 60,
            ).stdout
            r = parse_wrk(out)
            errors = r["errors"] + r["non2xx"]
            failures += errors
            print(
                f"{label:20} {r['rps']:8.1f} {r['p50'] or 0:8.1f} {r['p95'] or 0:8.1f} {r['p99'] or 0:8.1f} {errors:7d}"
            )
        return 1 if failures else 0
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.inner:
        # Re-run this script inside a temporary PostgreSQL cluster.
        cmd = [
            PY,
            str(ROOT / "scripts" / "with_postgres.py"),
            "--",
            PY,
            __file__,
            "--inner",
            "--seconds",
            str(args.seconds),
            "--connections",
            str(args.connections),
        ]
        sys.exit(subprocess.call(cmd))
    sys.exit(run(args.seconds, args.connections))


if __name__ == "__main__":
    main()
