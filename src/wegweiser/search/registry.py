"""Apps that own searchable objects register how to (re)build their documents.

The search app imports none of them; `manage.py reindex` asks each provider for its documents.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    kind: str
    object_id: str
    title: str
    texts: list[str]
    source_id: str = ""
    # Words for the object's attributes (an offer's languages, "kostenlos", "online" ...):
    # found by the full text like the texts, but neither shown in snippets nor embedded (the
    # passages and their vectors stay as they are).
    keywords: list[str] = field(default_factory=list)


PROVIDERS: dict[str, Callable[[], Iterable[Document]]] = {}
# Names the documents use (towns ...): a query word that is one means itself, and no word
# expands into one ("Haltern" does not find "Aufenthalt", nor "Haus" "Recklinghausen").
NAME_PROVIDERS: dict[str, Callable[[], Iterable[str]]] = {}
# Words for attributes (an offer's languages: "Arabisch", "Arabic" ...): like a name, a word
# before or after one may be a stopword in a search by keywords ("Beratung auf Arabisch").
ATTRIBUTE_PROVIDERS: dict[str, Callable[[], Iterable[str]]] = {}


def register_provider(kind: str, provider: Callable[[], Iterable[Document]]) -> None:
    PROVIDERS[kind] = provider


def register_names(key: str, provider: Callable[[], Iterable[str]]) -> None:
    NAME_PROVIDERS[key] = provider


def register_attribute_words(key: str, provider: Callable[[], Iterable[str]]) -> None:
    ATTRIBUTE_PROVIDERS[key] = provider
