"""The role × URL permission matrix shared by every app's `test_permissions.py`.

Each app lists its URLs as `MatrixRow`s; `run_matrix` signs in one user per role (all in
organisation A, second factor verified) and asserts the status each gets. The URL-walk test
checks that every named URL appears in some app's matrix.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.urls import reverse

from wegweiser.accounts.constants import Role

ANONYMOUS = "anonymous"
NO_ROLE = "no_role"
ALL_ROLES = [ANONYMOUS, NO_ROLE, *Role.values]
STAFF_ROLES = list(Role.values)


@dataclass(frozen=True)
class MatrixRow:
    url_name: str
    expected: dict[str, int]
    default: int = 404
    method: str = "get"
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda objects: {})
    data: dict[str, Any] = field(default_factory=dict)

    def status_for(self, role: str) -> int:
        if role in self.expected:
            return self.expected[role]
        return 302 if role == ANONYMOUS else self.default


def matrix_params(rows: list[MatrixRow]) -> list[tuple[MatrixRow, str]]:
    return [(row, role) for row in rows for role in ALL_ROLES]


def matrix_id(value: Any) -> str:
    return value.url_name + f"-{value.method}" if isinstance(value, MatrixRow) else str(value)


def run_matrix(
    row: MatrixRow, role: str, *, make_member, login, org_a, objects: dict[str, Any]
) -> None:
    url = reverse(row.url_name, kwargs=row.kwargs(objects))
    if role == ANONYMOUS:
        client = Client()
    elif role == NO_ROLE:
        client = login(make_member(None), verified=False)
    else:
        client = login(make_member(role, org_a))
    response = getattr(client, row.method)(url, row.data)
    expected = row.status_for(role)
    assert response.status_code == expected, (
        f"{role} {row.method.upper()} {url}: expected {expected}, got {response.status_code}"
    )
