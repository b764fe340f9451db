"""Apps that own searchable objects register how to (re)build their documents.

The search app imports none of them; `manage.py reindex` asks each provider for its documents.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    kind: str
    object_id: str
    title: str
    texts: list[str]
    source_id: str = ""


PROVIDERS: dict[str, Callable[[], Iterable[Document]]] = {}


def register_provider(kind: str, provider: Callable[[], Iterable[Document]]) -> None:
    PROVIDERS[kind] = provider
