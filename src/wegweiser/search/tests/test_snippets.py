"""Excerpts around the words found: whole words, the words marked, the rest escaped."""

from wegweiser.search.snippets import highlight
from wegweiser.search.text import term

TEXT = (
    "Der Mieterverein berät zu Mieterhöhung, Mängeln in der Wohnung und Nebenkosten. "
    "Für Mitglieder kostenlos, sonst gegen Gebühr. Ort: Stadt Herten – Bürgerbüro, "
    "Kurt-Schumacher-Straße 2. <b>Unterlagen</b> mitbringen: Mietvertrag, Bescheide."
)


def test_the_excerpt_has_whole_words_around_the_word_found():
    for query in ("Bescheide", "Mietvertrag", "Bürgerbüro", "Unterlagen", "Mitglieder"):
        snippet = highlight(TEXT + " " + TEXT, query)
        assert f"<mark>{query}</mark>" in snippet
        plain = snippet.replace("<mark>", "").replace("</mark>", "").replace("&lt;", "<")
        plain = plain.replace("&gt;", ">")
        words = plain.removeprefix("… ").removesuffix(" …").split()
        assert set(words) <= set(TEXT.split()), query
    assert "&lt;b&gt;Unterlagen" in highlight(TEXT, "Bescheide")  # the text stays escaped


def test_the_terms_a_search_expanded_to_are_marked():
    # "Unterkunft" found the text through its synonym "Wohnung" (SearchResult.terms).
    assert "<mark>" not in highlight(TEXT, "Unterkunft")
    snippet = highlight(TEXT, "Unterkunft", frozenset({term("Unterkunft"), term("Wohnung")}))
    assert "<mark>Wohnung</mark>" in snippet


def test_a_short_text_is_whole_and_a_text_without_the_word_starts_at_its_beginning():
    assert highlight("Kurz.", "kurz") == "<mark>Kurz</mark>."
    snippet = highlight(TEXT, "Fahrrad")
    assert snippet.startswith("Der Mieterverein") and snippet.endswith(" …")
