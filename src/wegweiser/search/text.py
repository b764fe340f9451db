"""Text handling shared by indexing and querying: folding, tokens, German stems.

Index and query go through the same functions, so that "Ärztin", "Aerztin" and "arztin" meet in
one term, and "Wohnungen" and "Wohnung" in one stem.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_GERMAN = snowballstemmer.stemmer("german")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_FOLD = str.maketrans(
    {
        "ä": "a",
        "ö": "o",
        "ü": "u",
        "ß": "ss",
        "é": "e",
        "è": "e",
        "á": "a",
        "à": "a",
        "ç": "c",
        "ñ": "n",
        "ó": "o",
        "í": "i",
        "ú": "u",
        "ı": "i",
        "ş": "s",
        "ğ": "g",
    }
)
_DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))
MAX_TOKEN_LENGTH = 40
# The Arabic article and prepositions are written together with the next word ("المدرسة",
# "بالعربية"), and words in other scripts are not stemmed: a known word hides behind them.
ARABIC_PREFIXES = ("بال", "وال", "ال", "ب", "و", "ل")


def after_prefixes(word: str, letters: int) -> list[str]:
    """What follows an Arabic prefix `word` starts with, where more than `letters` letters
    are left ("المدرسة" → "مدرسة")."""
    return [
        word[len(prefix) :]
        for prefix in ARABIC_PREFIXES
        if word.startswith(prefix) and len(word) - len(prefix) > letters
    ]


def fold(word: str) -> str:
    """Lower case without diacritics; the digraphs ae/oe/ue count as the umlauts they spell."""
    word = unicodedata.normalize("NFKC", word).lower().translate(_FOLD)
    for digraph, vowel in _DIGRAPHS:
        word = word.replace(digraph, vowel)
    return word


@lru_cache(maxsize=100_000)
def term(word: str) -> str:
    """The index term of one word: folded, then stemmed with the German Snowball stemmer."""
    folded = fold(word)[:MAX_TOKEN_LENGTH]
    if not folded.isascii():
        # Arabic, Cyrillic ... scripts: folded but not stemmed with a German stemmer.
        return folded
    return _GERMAN.stemWord(folded)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def token_matches(text: str) -> list[re.Match]:
    """The tokens with their places in `text`, for rewriting a query."""
    return list(_TOKEN.finditer(text or ""))


def terms(text: str) -> list[str]:
    return [term(token) for token in tokens(text) if len(token) > 1 or token.isdigit()]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edit distance where two neighbouring letters swapped count as one edit ("artz" →
    "arzt", "Shcule"; optimal string alignment), giving up (returning limit + 1) as soon as it
    exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if before and j > 1 and char_a != char_b and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, before[j - 2] + 1)
            current.append(value)
        # A swap reaches back two rows: give up when two rows in a row exceed the limit.
        if min(current) > limit and min(previous) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


# Typos at the start of a word (a neighbouring key on a phone: "Feutschkurs", "Qohnung") are
# looked for in words of this many letters or more; shorter ones have too many neighbours.
TYPO_FIRST_LETTER_MIN = 5


def typo_start_keys(word_term: str) -> tuple[list[str], list[str]]:
    """Where the candidates for a mistyped word may start: (prefixes, second-and-third letters).

    A term is a candidate when it starts with one of the prefixes – the same first letter; or,
    in longer words, the word without its first letter (one letter too many in front) or with
    its first two letters swapped – or when its second and third letters are one of the pairs
    (the first letter replaced, or missing). Both engines apply this same rule.
    """
    prefixes = [word_term[0]]
    pairs: list[str] = []
    if len(word_term) >= TYPO_FIRST_LETTER_MIN:
        prefixes += [word_term[1:3], word_term[1] + word_term[0]]
        pairs += [word_term[1:3], word_term[:2]]
    return prefixes, pairs


def typo_order(word_term: str, distance: int, count: int, candidate: str) -> tuple:
    """Best candidates first: fewest edits, then the same letters (swapped ones: "artz" is
    "arzt" rather than "art"), then the same first letter, then the most common."""
    return (
        distance,
        sorted(candidate) != sorted(word_term),
        candidate[0] != word_term[0],
        -count,
        candidate,
    )
