"""Readiness checks behind `/readyz`, as a registry that other apps add their checks to.

An app registers a check in its `AppConfig.ready()`:

    from wegweiser.ops.health import CheckResult, register_check

    register_check("search_index", search_index_check)

A check is a callable without arguments that returns a status (`"ok"`, `"failed"`,
`"not_configured"`) or a `CheckResult` with a small detail dictionary (counts, never personal
data). A check that raises counts as failed; the exception goes to the log, not to the response,
because `/readyz` is public.

A placeholder (`placeholder=True`) stands in for a check whose app is not installed yet and gives
way to the real check whenever that registers, in whatever order the apps are loaded.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger(__name__)

OK = "ok"
FAILED = "failed"
NOT_CONFIGURED = "not_configured"
STATUSES = frozenset({OK, FAILED, NOT_CONFIGURED})


@dataclass(frozen=True)
class CheckResult:
    status: str
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, **self.detail}


Check = Callable[[], "str | CheckResult"]


@dataclass(frozen=True)
class _Registration:
    check: Check
    placeholder: bool


_registry: dict[str, _Registration] = {}


def register_check(name: str, check: Check, *, placeholder: bool = False) -> None:
    """Add (or replace) the readiness check `name`. A placeholder never replaces a real check."""
    current = _registry.get(name)
    if placeholder and current is not None and not current.placeholder:
        return
    _registry[name] = _Registration(check=check, placeholder=placeholder)


def unregister_check(name: str) -> None:
    _registry.pop(name, None)


def registered_checks() -> list[str]:
    return list(_registry)


def _run_one(name: str, check: Check) -> CheckResult:
    try:
        result = check()
    except Exception as error:
        # Only the class name: messages of database errors may carry host or role names and the
        # log line must stay free of anything a request put into the exception.
        logger.warning(
            "Readiness check %(check)s failed: %(error)s",
            {"check": name, "error": type(error).__name__},
        )
        return CheckResult(FAILED)
    if isinstance(result, str):
        result = CheckResult(result)
    if result.status not in STATUSES:
        logger.warning("Readiness check %(check)s returned an unknown status", {"check": name})
        return CheckResult(FAILED, result.detail)
    return result


def checks_run() -> tuple[bool, dict[str, dict[str, Any]]]:
    """Run every registered check; ready means that none failed (`not_configured` passes)."""
    results = {name: _run_one(name, reg.check) for name, reg in list(_registry.items())}
    ready = all(result.status != FAILED for result in results.values())
    return ready, {name: result.as_dict() for name, result in results.items()}


def database_check() -> str:
    """The default database answers a trivial query."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def migrations_check() -> CheckResult:
    """Every migration on disk is applied to the default database."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return CheckResult(FAILED, {"unapplied": len(plan)})
    return CheckResult(OK)


def search_index_placeholder() -> str:
    """Stands in until the search app registers its index consistency check."""
    return NOT_CONFIGURED


def register_default_checks() -> None:
    register_check("database", database_check)
    register_check("migrations", migrations_check)
    register_check("search_index", search_index_placeholder, placeholder=True)
