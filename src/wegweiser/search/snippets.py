"""Short text excerpts around the searched words, with the words marked (<mark>), HTML-escaped."""

import re
from functools import lru_cache

from django.utils.html import escape

from wegweiser.search.selectors import STOPWORDS
from wegweiser.search.text import fold, term, tokens

WINDOW = 160
_WORD = re.compile(r"[^\W_]+")


def highlight(text: str, query: str, terms: frozenset[str] = frozenset()) -> str:
    """`terms`: index terms the search expanded the query to (`SearchResult.terms`), marked
    too where a text word has one of them as its stem."""
    text = " ".join((text or "").split())
    wanted = _wanted(query[:1000])
    if not text or not (wanted or terms):
        return escape(text[:WINDOW])
    # Scan only until the window after the first hit is full (long pages, many words).
    matches = []
    end = None
    marked = _marked(wanted, terms)
    for match in _WORD.finditer(text):
        if end is not None and match.start() >= end:
            break
        word = match.group(0)
        hit = marked.get(word)
        if hit is None:
            if len(marked) >= MARKED_WORDS:
                marked.clear()
            hit = marked[word] = _hit(word, wanted) or (bool(terms) and _forms(word)[0] in terms)
        if hit:
            matches.append(match)
            if end is None:
                end = max(0, match.start() - WINDOW // 3) + WINDOW
    start = max(0, matches[0].start() - WINDOW // 3) if matches else 0
    end = min(len(text), start + WINDOW)
    # Whole words only: the excerpt starts after a space and ends before one.
    if start > 0:
        space = text.find(" ", start - 1, matches[0].start() if matches else end)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", start, end + 1)
        end = space if space > start else end
    out, position = [], start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        out.append(escape(text[position : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        position = match.end()
    out.append(escape(text[position:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + "".join(out) + suffix


# Text words whose marking a query keeps (a result list's texts repeat their words).
MARKED_WORDS = 5_000


@lru_cache(maxsize=100)
def _marked(wanted: frozenset[str], terms: frozenset[str]) -> dict[str, bool]:
    """Per text word whether a search (its wanted words and terms) marks it; filled as the
    texts are read."""
    return {}


@lru_cache(maxsize=1_000)
def _wanted(query: str) -> frozenset[str]:
    """The query's words as index terms, stopwords aside (once per query: a result list
    highlights ten texts)."""
    wanted = frozenset(term(w) for w in tokens(query) if len(w) > 2)
    return (wanted - STOPWORDS) or wanted


def _hit(word: str, wanted: frozenset[str]) -> bool:
    """Whether a text word is one of the wanted terms, or a compound or longer form of one."""
    stem, folded = _forms(word)
    return any(
        stem == w or (len(w) >= 4 and (stem.startswith(w) or stem.endswith(w))) for w in wanted
    ) or (folded in wanted)


@lru_cache(maxsize=50_000)
def _forms(word: str) -> tuple[str, str]:
    """A text word's stem and folded form (texts repeat their words; stemming is the cost)."""
    return term(word), fold(word)
