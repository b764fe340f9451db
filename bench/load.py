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
        # From bench/wrk_percentiles.lua, in microseconds.
        if line.startswith("PERCENTILE "):
            _, pct, micros = line.split()
            result[f"p{pct}"] = int(micros) / 1000
        if line.startswith("Requests/sec:"):
            result["rps"] = float(line.split()[1])
        if line.startswith("Socket errors:"):
            result["errors"] = sum(int(n) for n in re.findall(r"\d+", line))
        if line.startswith("Non-2xx or 3xx responses:"):
            result["non2xx"] = int(line.split()[-1])
    return result


class Browser:
    """A minimal browser for the drill: keeps cookies (also `Secure` ones, on loopback HTTP)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        import http.client
        import urllib.parse

        host, port = self.base.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode("utf-8", "replace")
        conn.close()
        return response.status, response.getheader("Location") or "", text

    def follow(self, location: str, limit: int = 5) -> tuple[str, int, str]:
        """GET `location` and the redirects after it; return (final path, status, html)."""
        for _ in range(limit):
            status, next_location, html = self.request("GET", location)
            if status not in (301, 302, 303):
                return location, status, html
            location = next_location
        return location, status, html

    def csrf(self, html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def backoffice_users(count: int) -> list[tuple[str, bytes]]:
    """`count` case managers spread over the demo's case-management organisations, with TOTP."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from wegweiser.accounts.constants import Role
    from wegweiser.accounts.models import Membership, Organisation, User

    organisations = list(
        Organisation.objects.filter(memberships__role=Role.CASE_MANAGER).distinct().order_by("pk")
    )
    users = []
    for n in range(count):
        email = f"last-fallmanagement-{n}@example.org"
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=BACKOFFICE_PASSWORD, full_name=f"Lasttest {n}"
        )
        Membership.objects.get_or_create(
            user=user, organisation=organisations[n % len(organisations)], role=Role.CASE_MANAGER
        )
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="load", confirmed=True)
        users.append((email, device.bin_key))
    return users


BACKOFFICE_PASSWORD = "Lasttest-Fallmanagement-2026"  # noqa: S105 – synthetic load-test accounts


def backoffice_session(base: str, email: str, key: bytes) -> tuple[int, float]:
    """Log in with password and TOTP, open the case list; return (errors, seconds)."""
    from django_otp.oath import totp

    started = time.perf_counter()
    browser = Browser(base)
    _status, _, html = browser.request("GET", "/accounts/login/")
    status, location, _ = browser.request(
        "POST",
        "/accounts/login/?next=/backoffice/cases/",
        {
            "csrfmiddlewaretoken": browser.csrf(html),
            "username": email,
            "password": BACKOFFICE_PASSWORD,
        },
    )
    # The case list sends a user without a verified second factor to the two-factor page.
    path, status, html = browser.follow(location) if status == 302 else (None, status, "")
    if status != 200 or "/two-factor/" not in (path or ""):
        return 1, time.perf_counter() - started
    status, location, _ = browser.request(
        "POST", path, {"csrfmiddlewaretoken": browser.csrf(html), "token": f"{totp(key):06d}"}
    )
    path, status, _html = browser.follow(location) if status == 302 else (None, status, "")
    ok = status == 200 and path == "/backoffice/cases/"
    return (0 if ok else 1), time.perf_counter() - started


def backoffice_drill(base: str, count: int) -> int:
    """`count` back-office users log in at the same moment and open their case lists."""
    from concurrent.futures import ThreadPoolExecutor

    users = backoffice_users(count)
    with ThreadPoolExecutor(max_workers=count) as pool:
        results = list(pool.map(lambda u: backoffice_session(base, *u), users))
    errors = sum(e for e, _ in results)
    times = sorted(t for _, t in results)
    print(
        f"back office: {count} users log in (password + TOTP) and open their case lists at once: "
        f"{errors} errors, slowest {times[-1] * 1000:.0f} ms, median {times[len(times) // 2] * 1000:.0f} ms"
    )
    return errors


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
        print(f"{'url':20} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
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
                    "--script",
                    str(ROOT / "bench" / "wrk_percentiles.lua"),
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
        failures += backoffice_drill(base, 10)
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
