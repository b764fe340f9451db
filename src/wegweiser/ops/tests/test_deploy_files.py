"""The files in deploy/ stay in step with the code."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
ENV_READ = re.compile(
    r'(?:os\.environ(?:\.get)?\(\s*|os\.environ\[|env_bool\(|env_list\(|require_env\()\s*"([A-Z0-9_]+)"'
)


def test_env_example_explains_every_setting_the_project_reads():
    names = set()
    for path in (ROOT / "src" / "wegweiser" / "settings").glob("*.py"):
        names |= set(ENV_READ.findall(path.read_text()))
    example = (ROOT / "deploy" / "wegweiser.env.example").read_text()
    documented = set(re.findall(r"^#?([A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert "DATABASE_URL" in names
    assert sorted(names - documented) == []


def test_systemd_units_run_only_existing_commands():
    commands = get_commands()
    units = list((ROOT / "deploy" / "systemd").glob("*.service"))
    assert units
    for unit in units:
        for command in re.findall(r"manage\.py (\w+)", unit.read_text()):
            assert command in commands, f"{unit.name}: {command}"


def test_every_timer_has_its_service():
    for timer in (ROOT / "deploy" / "systemd").glob("*.timer"):
        assert timer.with_suffix(".service").exists(), timer.name


def test_env_example_can_be_loaded_by_a_shell():
    """The guide loads the file with `set -a; . wegweiser.env` (systemd reads it too)."""
    import shutil
    import subprocess

    bash = shutil.which("bash")
    result = subprocess.run(
        [
            bash,
            "-c",
            'set -a; . "$1"; set +a; printf %s "$WEGWEISER_SITE_NAME"',
            "bash",
            ROOT / "deploy" / "wegweiser.env.example",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert result.stdout == "Wegweiser Kreis Beispiel"


def test_nginx_access_log_leaves_out_query_strings_and_referers():
    """A back-office search names a newcomer (/backoffice/cases/?q=...); nginx's default
    `combined` log would keep it, in the request line and again as the next request's Referer."""
    conf = (ROOT / "deploy" / "nginx" / "wegweiser.conf").read_text()
    conf = re.sub(r"#[^\n]*", "", conf)
    formats = dict(re.findall(r"log_format\s+(\w+)\s+((?:'[^']*'\s*)+);", conf))
    assert formats, "deploy/nginx/wegweiser.conf defines no log_format"
    for name, layout in formats.items():
        for variable in ("$request ", '$request"', "$request_uri", "$args", "$query_string"):
            assert variable not in layout, f"log_format {name} logs {variable.strip()}"
        assert "$is_args" not in layout and "$http_referer" not in layout, name
    servers = conf.split("server {")[1:]
    assert servers
    for server in servers:
        logs = re.findall(r"^\s*access_log\s+([^;]+);", server, flags=re.MULTILINE)
        server_log = [log for log in logs if log.strip() != "off"]
        assert server_log, "a server block falls back to nginx's combined log"
        for log in server_log:
            assert log.split()[-1] in formats, log


def _nginx_limited_paths(zone: str) -> list[re.Pattern]:
    """The regex locations of deploy/nginx/wegweiser.conf that apply the rate limit `zone`."""
    conf = re.sub(r"#[^\n]*", "", (ROOT / "deploy" / "nginx" / "wegweiser.conf").read_text())
    blocks = re.findall(r'location\s+~\s+"([^"]+)"\s*\{([^}]*)\}', conf)
    return [re.compile(pattern) for pattern, body in blocks if f"zone={zone} " in body]


def test_nginx_rate_limits_the_public_forms_and_searches_in_every_language():
    """Anyone can send the public forms and run the search engine; nginx answers a script that
    floods them with 429. The locations match the URLs as Django builds them, in every
    language the site speaks."""
    import uuid

    from django.urls import reverse
    from django.utils.translation import override

    forms = _nginx_limited_paths("wegweiser_forms")
    searches = _nginx_limited_paths("wegweiser_search")
    offer = uuid.uuid4()
    for language, _name in settings.LANGUAGES:
        with override(language):
            sent = [
                reverse("offers:offer-suggest"),
                reverse("offers:offer-feedback", kwargs={"uuid": offer}),
                reverse("offers:barrier-report"),
            ]
            searched = [
                reverse(name)
                for name in (
                    "offers:offer-list",
                    "offers:search-suggestions",
                    "offers:offer-map",
                    "pages:page-list",
                )
            ]
        for path in sent:
            assert any(p.fullmatch(path) for p in forms), path
        for path in searched:
            assert any(p.fullmatch(path) for p in searches), path
    conf = (ROOT / "deploy" / "nginx" / "wegweiser.conf").read_text()
    # Only the POSTs of the forms count: their pages themselves load freely.
    assert re.search(r"map \$request_method \$wegweiser_form_client \{\s*POST ", conf)
    assert "limit_req_zone $wegweiser_form_client zone=wegweiser_forms:" in conf
