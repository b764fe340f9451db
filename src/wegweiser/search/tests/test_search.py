"""Search behaviour; the suite runs on SQLite and, in CI, on PostgreSQL with the same tests."""

import importlib

import pytest
from django.core.management import call_command

from wegweiser.core.tests.factories import TownFactory
from wegweiser.search.registry import Document
from wegweiser.search.selectors import lexical_ranked, search_ranked
from wegweiser.search.services import document_delete, document_upsert, synonyms_load_defaults
from wegweiser.search.text import edit_distance, fold, term

pytestmark = pytest.mark.django_db

DOCS = {
    "1": (
        "Deutschkurs für Frauen mit Kinderbetreuung",
        "Deutsch lernen in kleiner Gruppe. Niveau A1.",
    ),
    "2": (
        "Beratung für Ärztinnen und Ärzte aus dem Ausland",
        "Anerkennung des Abschlusses, Approbation.",
    ),
    "3": ("Wohnungssuche", "Hilfe bei der Suche nach einer Wohnung, Mietvertrag und Kaution."),
    "4": ("Kita-Platz finden", "Anmeldung im Kindergarten und in der Krippe."),
    "5": ("Migrationsberatung für Erwachsene", "Beratung zu Aufenthalt, Sprache, Arbeit."),
    "6": ("Schwimmkurs", "Schwimmen lernen für Kinder und Erwachsene."),
    "7": ("Fußballtraining", "Offenes Training im Verein, Schuhe können ausgeliehen werden."),
    "8": ("Integrationskurs am Vormittag", "Montag bis Freitag, 9 bis 12 Uhr."),
}


@pytest.fixture
def index(db):
    synonyms_load_defaults()
    for object_id, (title, text) in DOCS.items():
        document_upsert(Document(kind="offer", object_id=object_id, title=title, texts=[text]))


def ids(query: str) -> list[str]:
    return [object_id for object_id, _score in search_ranked(kind="offer", query=query).ranked]


def test_text_folding_and_stems_meet():
    assert fold("Ärztin") == fold("Aerztin") == "arztin"
    assert term("Wohnungen") == term("Wohnung")
    assert fold("Straße") == "strasse"
    assert edit_distance("wohnung", "wohnumg", 2) == 1
    # Two neighbouring letters swapped are one edit, and the search gives up past its limit.
    assert edit_distance("artz", "arzt", 1) == edit_distance("shcule", "schule", 1) == 1
    assert edit_distance("abcdef", "badcfe", 2) == 3
    assert edit_distance("kindergarten", "kita", 2) == 3


def test_stemming_finds_inflected_forms(index):
    assert ids("Wohnungen")[0] == "3"


@pytest.mark.parametrize("query", ["Ärztin", "Aerztin", "arztin", "ÄRZTIN"])
def test_umlauts_both_ways(index, query):
    assert ids(query)[0] == "2"


@pytest.mark.parametrize("query", ["Kurs", "Deutsch Kurs", "kurs"])
def test_compounds_are_found_by_their_parts(index, query):
    assert "1" in ids(query)


def test_synonyms_and_abbreviations(index):
    assert ids("Kindergarten")[0] == "4"
    assert "4" in ids("Kindertagesstätte")
    assert ids("MBE")[0] == "5"
    assert "1" in ids("Sprachkurs")


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_a_typo_of_a_word_of_the_synonym_list_is_corrected_to_it(index, engine):
    # No text says "Kindertagesstätte"; the synonym list does, beside "Kita".
    result = lexical_ranked(kind="offer", query="Kindertagesstäte", engine=engine)
    assert result.did_you_mean == "Kindertagesstätte"
    assert result.ranked[0][0] == "4"


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_a_synonym_of_several_words_needs_them_all(index, engine):
    # "MBE" means "Migrationsberatung für Erwachsene", "Sprachkurs" also "Deutsch lernen":
    # the swimming course for adults ("Schwimmen lernen für ... Erwachsene") is neither.
    def found(query):
        ranked = lexical_ranked(kind="offer", query=query, engine=engine).ranked
        return [object_id for object_id, _score in ranked]

    assert found("MBE") == ["5"]
    assert "1" in found("Sprachkurs")
    assert "6" not in found("Sprachkurs")
    assert found("Schwimmen")[0] == "6"
    # Typed as a query, the phrase finds its group: "Integrationskurs" has neither word.
    result = lexical_ranked(kind="offer", query="Deutsch lernen", engine=engine)
    assert {"1", "8"} <= {object_id for object_id, _score in result.ranked}
    assert result.did_you_mean == ""
    assert found("Migrationsberatung für Erwachsene")[0] == "5"


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_longer_forms_continue_the_word_not_another_word_that_begins_like_it(index, engine):
    for object_id, title in [("10", "Schulanmeldung"), ("11", "Schuldnerberatung")]:
        document_upsert(Document(kind="offer", object_id=object_id, title=title, texts=[]))
    document_upsert(Document(kind="offer", object_id="12", title="Schulden", texts=["Hilfe."]))

    def found(query):
        ranked = lexical_ranked(kind="offer", query=query, engine=engine).ranked
        return {object_id for object_id, _score in ranked}

    # "Schule" (stem "schul") begins "Schulden" ("schuld") and "Schuldnerberatung".
    assert found("Schule") == {"10"}
    assert found("Schulden") == {"11", "12"}
    assert "1" in found("Deutsch")  # "Deutschkurs": "deutsch" + "kur"
    assert "2" in found("Arzt")  # "Ärztinnen"


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_a_word_only_the_synonym_list_knows_counts_as_its_synonyms_with_compounds(index, engine):
    # No text says "Arzt" or "doctor", one says "Hausarzt": the words of the Arzt group find
    # it through "Arzt"'s compounds, as "Arzt" typed does.
    document_upsert(
        Document(kind="offer", object_id="9", title="Termin beim Hausarzt", texts=["Begleitung."])
    )

    def found(query):
        result = lexical_ranked(kind="offer", query=query, engine=engine)
        assert result.listed and result.all_words_matched, query
        return {object_id for object_id, _score in result.ranked}

    assert found("Arzt") == found("doctor") == found("طبيب") == found("лікар") == {"2", "9"}
    # Behind the Arabic article or a preposition ("the doctor", "with the doctor").
    assert found("الطبيب") == found("بالطبيب") == {"2", "9"}
    # A word of the list beside a word outside it is not read as the list says.
    assert not lexical_ranked(kind="offer", query="doctor appointment", engine=engine).listed


@pytest.mark.parametrize("engine", ["memory", "sql"])
@pytest.mark.parametrize("query", ["residence permit", "oturma izni", "إقامة", "вид на жительство"])
def test_a_newcomers_word_for_a_residence_permit_finds_the_advice_on_residence(
    index, engine, query
):
    result = lexical_ranked(kind="offer", query=query, engine=engine)
    assert result.listed
    assert [object_id for object_id, _score in result.ranked] == ["5"]


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_a_synonym_no_text_has_is_neither_corrected_nor_taken_apart(index, engine):
    # "lawyer" means "Rechtsberatung, Rechtsanwalt ..."; no text says them. The synonym
    # "Rechtsberatung" is not "Beratung", nor is "Anwalt" a typo of another word: the full
    # text finds nothing, the model may.
    result = lexical_ranked(kind="offer", query="lawyer", engine=engine)
    assert result.ranked == [] and result.did_you_mean == ""
    # Typed by the searcher, a German compound of the list that no text has is taken apart
    # as other unknown compounds are: "Kinderarzt" ("Kind" + "Arzt") finds the doctors.
    result = lexical_ranked(kind="offer", query="Kinderarzt", engine=engine)
    assert result.ranked[0][0] == "2" and result.did_you_mean == ""


@pytest.mark.parametrize("engine", ["memory", "sql"])
@pytest.mark.parametrize(
    "query",
    ["أحتاج شقة", "Як знайти квартиру?", "ищу квартиру", "konut arıyorum", "دنبال آپارتمان"],
)
def test_words_of_intent_and_question_words_of_other_languages_leave_the_listed_word(
    index, engine, query
):
    # "I need", "how to find", "I am looking for" + a word of the list: read as that word.
    result = lexical_ranked(kind="offer", query=query, engine=engine)
    assert result.listed and result.all_words_matched
    assert [object_id for object_id, _score in result.ranked] == ["3"]


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_a_word_only_info_pages_hold_is_read_through_the_synonym_list_for_offers(index, engine):
    # An English info page says "doctor"; no offer does. The offers' search reads the word
    # as the synonym list says (Arzt, Hausarzt ...), not as a word the offers lack.
    document_upsert(
        Document(kind="offer", object_id="9", title="Termin beim Hausarzt", texts=["Begleitung."])
    )
    document_upsert(
        Document(kind="page", object_id="p1", title="Health", texts=["Find a doctor near you."])
    )
    offers = lexical_ranked(kind="offer", query="doctor", engine=engine)
    assert {object_id for object_id, _score in offers.ranked} == {"2", "9"}
    pages = lexical_ranked(kind="page", query="doctor", engine=engine)
    assert [object_id for object_id, _score in pages.ranked] == ["p1"]


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_a_typo_is_corrected_to_a_word_of_the_documents_searched(index, engine):
    # "Kachen" is one letter from "Kochen" (an offer) and "Kuchen" (three info pages): each
    # search suggests its own documents' word, though the pages' word is more common overall.
    document_upsert(
        Document(kind="offer", object_id="9", title="Kochen für Familien", texts=["Gemeinsam."])
    )
    for number in range(3):
        document_upsert(
            Document(kind="page", object_id=f"p{number}", title="Kuchen", texts=["Backen."])
        )
    offers = lexical_ranked(kind="offer", query="Kachen", engine=engine)
    assert offers.did_you_mean == "Kochen"
    assert [object_id for object_id, _score in offers.ranked] == ["9"]
    pages = lexical_ranked(kind="page", query="Kachen", engine=engine)
    assert pages.did_you_mean == "Kuchen"
    assert len(pages.ranked) == 3


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_a_short_word_of_another_language_is_no_typo_of_a_german_word(index, engine):
    # Turkish "araba" (car) is one letter from "arab" ("Arabisch"); read as German it is a
    # typo of it, read as Turkish it is a word of its own that no text holds.
    document_upsert(
        Document(kind="offer", object_id="9", title="Beratung auf Arabisch", texts=["Termine."])
    )
    german = lexical_ranked(kind="offer", query="araba", engine=engine)
    assert [object_id for object_id, _score in german.ranked] == ["9"]
    assert lexical_ranked(kind="offer", query="araba", engine=engine, german=False).ranked == []
    # A typo of a word the synonym list has in that language is still corrected ("okul",
    # school), and so is a longer word of the texts ("Arabischh").
    assert lexical_ranked(kind="offer", query="okull", engine=engine, german=False).terms >= {
        "okul",
        "schul",
    }
    longer = lexical_ranked(kind="offer", query="Arabischh", engine=engine, german=False)
    assert [object_id for object_id, _score in longer.ranked] == ["9"]


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_a_word_is_weighed_by_how_common_it_is_among_the_documents_searched(engine):
    # "Beratung" is in every offer but rare among the pages: in the pages' search it is a
    # rare word, and the page that says it most comes first, with a positive score.
    for number in range(30):
        document_upsert(
            Document(kind="offer", object_id=str(number), title="Beratung", texts=["Beratung."])
        )
    pages = {
        "a": ("Familie", "Kinder, Schule, Freizeit. Beratung auch."),
        "b": ("Beratung finden", "Beratung für Familien, Beratung für Eltern."),
        "c": ("Wohnen", "Mietvertrag und Kaution."),
    }
    for object_id, (title, text) in pages.items():
        document_upsert(Document(kind="page", object_id=object_id, title=title, texts=[text]))
    ranked = lexical_ranked(kind="page", query="Beratung", engine=engine).ranked
    assert [object_id for object_id, _score in ranked] == ["b", "a"]
    assert all(score > 0 for _object_id, score in ranked)


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_swapped_letters_are_read_before_a_missing_one(index, engine):
    # "Artz" is one edit from "Arzt" (swapped) and from "Art" (one letter too many): the
    # swap is the likelier typo, though "Art" is the more common word.
    for number in range(3):
        document_upsert(
            Document(kind="offer", object_id=f"art{number}", title="Kunst", texts=["Jede Art."])
        )
    result = lexical_ranked(kind="offer", query="Artz", engine=engine)
    assert result.ranked[0][0] == "2"
    assert term(result.did_you_mean) == "arzt"


def test_one_or_two_words_of_the_texts_are_read_in_their_language(index, monkeypatch):
    # The detector guesses on one word ("Kaution" was English to it): a word the texts use
    # is read as theirs, compounds included ("Mietkaution").
    from wegweiser.search import embeddings

    monkeypatch.setattr(embeddings, "query_language", lambda query, default="de": "en")
    document_upsert(
        Document(kind="offer", object_id="40", title="Mietkaution", texts=["Hilfe beim Umzug."])
    )
    result = search_ranked(kind="offer", query="Kaution")
    assert result.language == "de"
    assert {object_id for object_id, _score in result.ranked} == {"3", "40"}
    # Words the texts do not use stay in the detected language, and so do longer queries.
    assert search_ranked(kind="offer", query="deposit").language == "en"
    assert search_ranked(kind="offer", query="Wohnung Kaution Mietvertrag").language == "en"


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_a_compound_written_apart_is_read_as_one_word(index, engine):
    def ranked(query):
        result = lexical_ranked(kind="offer", query=query, engine=engine)
        return [object_id for object_id, _score in result.ranked]

    # "Kindergarten" is a word of the synonym list (Kita), "Schwimmkurs" one of the texts.
    assert ranked("Kinder Garten") == ranked("Kindergarten") == ["4"]
    assert ranked("schwimm kurs") == ranked("Schwimmkurs") == ["6"]
    assert "1" in ranked("Deutsch Kurs")
    # Words that are no compound together stay two words.
    assert ranked("Kinder Schwimmkurs") == ["6"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Wohnug", "3"),
        ("Schwimmkrus", "6"),
        ("Fussbaltraining", "7"),
        # The first letter: a neighbouring key, one too many, two swapped.
        ("Qohnung", "3"),
        ("Achwimmkurs", "6"),
        ("Xwohnung", "3"),
        ("cShwimmkurs", "6"),
        # A typo in the ending keeps the stemmer from cutting it ("kinderbetreu").
        ("Kinderbetreuunf", "1"),
    ],
)
def test_typos_are_corrected_with_did_you_mean(index, query, expected):
    result = search_ranked(kind="offer", query=query)
    assert result.ranked and result.ranked[0][0] == expected
    assert result.did_you_mean


def test_a_corrected_word_finds_what_the_word_finds(index):
    for object_id, title in (("20", "Sprachkurs für Anfänger"), ("21", "Berufssprachkurs B2")):
        document_upsert(Document(kind="offer", object_id=object_id, title=title, texts=[]))
    # "Sprachkurz" is corrected to "Sprachkurs", whose compounds (Berufssprachkurs) and
    # synonyms count as they do when the word is typed right.
    result = search_ranked(kind="offer", query="Sprachkurz")
    assert result.did_you_mean
    assert {object_id for object_id, _score in result.ranked} == set(ids("Sprachkurs"))
    assert {"20", "21"} <= set(ids("Sprachkurz"))


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_an_unknown_compound_of_known_words_is_split_not_corrected(index, engine):
    # "Kinderarzt" is in no text, but is two edits from "Kindergarten" (doc 4): it means
    # "Kinder" and "Arzt". The documents with both come first, then those with "Arzt".
    document_upsert(
        Document(kind="offer", object_id="30", title="Sprechstunde beim Arzt für Kinder", texts=[])
    )
    result = lexical_ranked(kind="offer", query="Kinderarzt", engine=engine)
    assert [object_id for object_id, _score in result.ranked] == ["30", "2"]
    assert result.all_words_matched
    assert result.did_you_mean == ""
    # A word one edit from a known one stays a typo.
    assert lexical_ranked(kind="offer", query="Wohnug", engine=engine).did_you_mean == "Wohnung"


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_singular_and_plural_of_one_word_meet_despite_their_two_stems(index, engine):
    # The stemmer cuts "Deutschkurs" to "deutschkur", "Deutschkurse" only to "deutschkurs".
    document_upsert(
        Document(kind="offer", object_id="50", title="Sprachkurse für Anfänger", texts=[])
    )

    def found(query):
        return lexical_ranked(kind="offer", query=query, engine=engine)

    assert "1" in [o for o, _s in found("Deutschkurse").ranked]
    assert found("Deutschkurse").did_you_mean == ""  # not a typo of "Deutschkurs"
    # A synonym in the singular ("Sprachkurs", of "Integrationskurs") finds the plural.
    assert "50" in [o for o, _s in found("Integrationskurs").ranked]


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_keywords_of_intent_need_not_be_found(index, engine):
    # "finden" says what the searcher wants, not what about: the housing offer (doc 3) does
    # not say "finden", the Kita offer (doc 4) does, and is not about housing.
    def found(query):
        return lexical_ranked(kind="offer", query=query, engine=engine)

    assert found("Wohnung finden").ranked == found("Wohnung").ranked
    assert found("Wohnung finden").all_words_matched
    # In a question, ranked by all its words, it stays one of them.
    question = found("Wo kann ich eine günstige Wohnung für meine Familie finden?")
    assert "4" in [object_id for object_id, _score in question.ranked]


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_a_town_name_means_itself_not_a_compound(index, engine):
    # "Haltern" is stemmed "halt", the end of "Aufenthalt" (doc 5); "Recklinghausen" ends
    # in "haus". As towns, they are names, not compounds. "Markt" in "Markt Schwaben" is a
    # word as well.
    for name in ("Haltern am See", "Recklinghausen", "Markt Schwaben"):
        TownFactory(name=name)
    for object_id, title in (
        ("40", "Sprachcafé in Haltern am See"),
        ("41", "Treffpunkt in Recklinghausen"),
        ("42", "Hausaufgabenhilfe"),
        ("43", "Beratung zum Arbeitsmarkt"),
        ("44", "Markt der Möglichkeiten"),
    ):
        document_upsert(Document(kind="offer", object_id=object_id, title=title, texts=[]))

    def found(query):
        ranked = lexical_ranked(kind="offer", query=query, engine=engine).ranked
        return [object_id for object_id, _score in ranked]

    assert found("Haltern") == ["40"]
    assert found("Haus") == ["42"]
    assert found("Aufenthalt") == ["5"]
    assert found("Recklinghausen") == ["41"]
    assert set(found("Markt")) == {"43", "44"}


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_a_town_saved_later_is_a_name_from_the_next_search(index, engine):
    document_upsert(Document(kind="offer", object_id="40", title="Café in Haltern", texts=[]))

    def found(query):
        ranked = lexical_ranked(kind="offer", query=query, engine=engine).ranked
        return {object_id for object_id, _score in ranked}

    assert found("Haltern") == {"40", "5"}  # not yet a town: "halt" in "Aufenthalt"
    TownFactory(name="Haltern am See")  # the index is not touched
    assert found("Haltern") == {"40"}


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_a_stopword_beside_a_town_or_a_language_keeps_keywords_keywords(index, district, engine):
    TownFactory(name="Herten")
    document_upsert(Document(kind="offer", object_id="40", title="Deutschkurs", texts=["Herten"]))
    document_upsert(Document(kind="offer", object_id="41", title="Radkurs", texts=["Herten"]))

    def found(query):
        return lexical_ranked(kind="offer", query=query, engine=engine)

    assert found("Deutschkurs in Herten").keywords
    assert found("Deutschkurs in Herten").ranked == found("Deutschkurs Herten").ranked
    assert not found("Hilfe bei der Wohnung").keywords  # a phrase: the model may widen it
    # An offer's languages are attribute words (offers.search): "Beratung auf Arabisch" asks
    # for advice in Arabic, as "Beratung Arabisch" does.
    assert found("Beratung auf Arabisch").keywords


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_a_town_name_narrows_the_other_words_and_does_not_widen_them(index, engine, monkeypatch):
    from wegweiser.search import selectors

    monkeypatch.setattr(selectors, "LEXICAL_ENGINE", engine)
    TownFactory(name="Herten")
    TownFactory(name="Dorsten")
    for object_id, title, town in (
        ("40", "Schuldnerberatung", "Dorsten"),
        ("41", "Sprachcafé", "Herten"),
        ("42", "Schuldnerberatung", "Herten"),
    ):
        document_upsert(Document(kind="offer", object_id=object_id, title=title, texts=[town]))
    assert ids("Schuldnerberatung Herten") == ["42"]
    document_delete(kind="offer", object_id="42")
    # None in Herten: the debt advice elsewhere, not every offer in Herten.
    assert ids("Schuldnerberatung Herten") == ids("Schuldnerberatung in Herten") == ["40"]
    assert search_ranked(kind="offer", query="Schuldnerberatung Herten").place_words == "Herten"
    assert search_ranked(kind="offer", query="Schuldnerberatung Dorsten").place_words == ""
    # Alone, the name finds its town's offers.
    assert ids("Herten") == ["41"]
    assert ids("Sprachcafé Dorsten") == ["41"]


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_a_name_of_several_words_is_one_word_of_the_query(index, engine):
    TownFactory(name="Castrop-Rauxel")
    TownFactory(name="Haltern am See")
    document_upsert(
        Document(kind="offer", object_id="40", title="Kita-Beratung", texts=["Castrop-Rauxel"])
    )
    document_upsert(Document(kind="offer", object_id="41", title="Kita-Beratung", texts=["Rauxel"]))
    document_upsert(
        Document(kind="offer", object_id="42", title="Kita-Beratung", texts=["Haltern am See"])
    )

    def found(query):
        return lexical_ranked(kind="offer", query=query, engine=engine)

    # Two words, not three: keywords, which the model may only reorder (search_ranked).
    for query, expected in (("Kita Castrop-Rauxel", "40"), ("Kita Haltern am See", "42")):
        result = found(query)
        assert result.words == 2 and result.keywords and result.all_words_matched, query
        assert [object_id for object_id, _score in result.ranked] == [expected], query


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_plurals_the_german_stemmer_leaves_alone_meet_their_singular(index, engine):
    texts = {
        "40": "Kitas im Stadtteil",
        "41": "Ein Tipp für Eltern",
        "42": "Emergency food pantries",
        "43": "A food pantry for families",
        "44": "Support groups for parents",
    }
    for object_id, text in texts.items():
        document_upsert(Document(kind="offer", object_id=object_id, title=text, texts=[]))

    def found(query):
        ranked = lexical_ranked(kind="offer", query=query, engine=engine).ranked
        return {object_id for object_id, _score in ranked}

    # "Kitas", "Tipps" (after a vowel, after a double letter), English plurals in -s and -ies.
    assert found("Kita") >= {"4", "40"} and found("Kitas") >= {"4", "40"}
    assert found("Tipps") == found("Tipp") == {"41"}
    assert found("food pantries") == found("food pantry") == {"42", "43"}
    assert found("support group") == {"44"}
    assert found("family") == {"43"}


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_words_of_intent_in_english_and_german(index, engine):
    document_upsert(
        Document(kind="offer", object_id="40", title="Food pantry", texts=["Free groceries"])
    )

    def found(query):
        ranked = lexical_ranked(kind="offer", query=query, engine=engine).ranked
        return [object_id for object_id, _score in ranked]

    document_upsert(
        Document(kind="offer", object_id="41", title="Get-together", texts=["Food and music"])
    )
    # Food, not "get" and "food" (only the get-together says both).
    assert set(found("where can I get food")) == set(found("food")) == {"40", "41"}
    assert found("Kita-Platz bekommen") == found("Kita-Platz")


def test_the_query_language_is_told_by_words_that_say_something(index):
    TownFactory(name="Marl")
    document_upsert(Document(kind="offer", object_id="40", title="Hebamme", texts=["Marl"]))

    def language(query):
        return search_ranked(kind="offer", query=query).language

    # The detector alone reads English (0.93) and Latin (0.93) here.
    assert language("Kita in Marl") == "de"
    assert language("Hebamme") == "de"
    assert language("Where can I learn German?") == "en"
    assert language("Як знайти квартиру?") == "uk"


@pytest.mark.parametrize("engine", ["memory", "sql"])
def test_words_of_another_language_are_not_taken_apart_as_german_compounds(index, engine):
    document_upsert(Document(kind="offer", object_id="40", title="Grandparent programme", texts=[]))
    document_upsert(Document(kind="offer", object_id="41", title="Rent assistance", texts=[]))

    def found(query, german):
        ranked = lexical_ranked(kind="offer", query=query, engine=engine, german=german).ranked
        return {object_id for object_id, _score in ranked}

    assert found("rent", german=False) == {"41"}
    assert found("rent", german=True) == {"40", "41"}  # as "Kurs" finds "Deutschkurs"
    # search_ranked tells English from German.
    assert {o for o, _s in search_ranked(kind="offer", query="help with rent").ranked} == {"41"}


def test_natural_question_falls_back_to_best_partial_match(index):
    assert ids("Wo finde ich einen Deutschkurs für meine Frau?")[0] == "1"


def test_and_across_words(index):
    assert ids("Beratung Erwachsene") == ["5"]


@pytest.mark.parametrize(
    "query",
    ["", " ", "x" * 10000, '"', "*", "NEAR(", "'; DROP TABLE x;--", "😀😀", "Привіт مرحبا Kurs"],
)
def test_bad_input_never_errors(index, query):
    assert isinstance(ids(query), list)


def test_zero_results_for_unknown_words(index):
    result = search_ranked(kind="offer", query="Quantenchromodynamik")
    assert result.ranked == []


def test_delete_and_reindex_keep_vocabulary_counts_right(index):
    from wegweiser.search.models import SearchTerm

    document_delete(kind="offer", object_id="6")
    assert ids("Schwimmkurs") == []
    assert not SearchTerm.objects.filter(term=term("Schwimmkurs"), document_count__gt=0).exists()
    document_upsert(Document(kind="offer", object_id="3", title="Wohnungssuche", texts=["Neu"]))
    assert "3" in ids("Wohnung")
    assert ids("Kaution") == []


def test_reindex_command_rebuilds_from_offers(district):
    from wegweiser.offers.tests.factories import OfferFactory
    from wegweiser.search.models import SearchDocument

    offer = OfferFactory(name="Nähcafé")
    SearchDocument.objects.all().delete()
    call_command("reindex", verbosity=0)
    assert ids("Nahcafe") == [str(offer.pk)]


def test_did_you_mean_uses_real_words_written_as_typed(index):
    assert search_ranked(kind="offer", query="Wohnug").did_you_mean == "Wohnung"
    assert search_ranked(kind="offer", query="Hilfe Wohnug").did_you_mean == "Hilfe Wohnung"
    assert search_ranked(kind="offer", query="hilfe wohnug").did_you_mean == "hilfe wohnung"


@pytest.mark.parametrize(
    ("query", "keywords"),
    [
        ("Deutschkurs Herten", True),
        ("Kita", True),
        ("Wo gibt es einen Deutschkurs?", False),
        ("Deutschkurs?", False),
        ("Was kostet die Kita", False),
    ],
)
def test_keywords_are_told_from_questions(index, query, keywords):
    # Keywords restrict German results to their words; a short question does not.
    from wegweiser.search.selectors import lexical_ranked

    assert lexical_ranked(kind="offer", query=query).keywords is keywords


def test_questions_do_not_expand_known_words_to_compounds(index):
    from wegweiser.search.selectors import _expand

    # "Kurs" alone finds "Deutschkurs" and "Schwimmkurs" ...
    assert {"deutschkur", "schwimmkur"} <= set(_expand("kur", 4)[0])
    # ... but in a question a word in the vocabulary means itself ("Kurs" is not one here,
    # so it still expands; "Beratung" is, so it does not become "Migrationsberatung").
    assert "migrationsberat" in _expand("berat", 8)[0]
    assert "migrationsberat" not in _expand("berat", 8, question=True)[0]
    assert "deutschkur" in _expand("kur", 4, question=True)[0]


def test_reindex_keeps_vectors_of_unchanged_passages_and_drops_stale_documents(district):
    from wegweiser.offers.tests.factories import OfferFactory
    from wegweiser.search.models import SearchDocument, SearchPassage
    from wegweiser.search.services import index_rebuild

    offer = OfferFactory(name="Nähcafé", description="Nähen lernen in der Gruppe.")
    document_upsert(Document(kind="offer", object_id="999999", title="Verwaist", texts=[]))
    vector = bytes(384 * 4)
    SearchPassage.objects.update(vector=vector)
    index_rebuild(kinds=["offer"])
    assert not SearchDocument.objects.filter(object_id="999999").exists()
    passages = SearchPassage.objects.filter(document__object_id=str(offer.pk))
    assert passages.exists()
    assert all(bytes(p.vector) == vector for p in passages)


def test_the_migration_brings_default_groups_no_editor_changed_up_to_date(db):
    from django.apps import apps

    from wegweiser.search import tokens
    from wegweiser.search.models import SynonymGroup

    migration = importlib.import_module(
        "wegweiser.search.migrations.0005_synonyms_in_other_languages"
    )
    unchanged = SynonymGroup.objects.create(members="Arzt,  Ärztin, Praxis, Doktor")
    edited = SynonymGroup.objects.create(members="Wohnung, Unterkunft, Wohnen, Miete, Bleibe")
    token = tokens.token_read(tokens.SYNONYMS)
    migration.forwards(apps, None)
    unchanged.refresh_from_db()
    edited.refresh_from_db()
    assert "طبيب" in unchanged.members
    assert unchanged.members.startswith("Arzt, Ärztin, Praxis, Doktor, doctor")
    assert edited.members == "Wohnung, Unterkunft, Wohnen, Miete, Bleibe"
    assert tokens.token_read(tokens.SYNONYMS) != token
    assert lexical_ranked(kind="offer", query="طبيب").listed


def test_the_migration_adds_the_new_default_groups_to_a_site_with_a_list(db):
    from django.apps import apps

    from wegweiser.search import tokens
    from wegweiser.search.models import SynonymGroup

    migration = importlib.import_module("wegweiser.search.migrations.0006_synonyms_for_first_years")
    migration.forwards(apps, None)  # no list yet: the defaults come whole, later
    assert not SynonymGroup.objects.exists()
    SynonymGroup.objects.create(members="Kita, Kindergarten")
    own = SynonymGroup.objects.create(members="Dolmetscher, Sprachmittler, Übersetzer")
    token = tokens.token_read(tokens.SYNONYMS)
    migration.forwards(apps, None)
    members = list(SynonymGroup.objects.values_list("members", flat=True))
    assert len(members) == 2 + len(migration.NEW_GROUPS) - 1
    assert any(m.startswith("Aufenthaltserlaubnis, ") for m in members)
    # The editors' own group of a word is kept, not doubled.
    assert [m for m in members if "Dolmetscher" in m] == [own.members]
    assert tokens.token_read(tokens.SYNONYMS) != token
    migration.forwards(apps, None)
    assert SynonymGroup.objects.count() == len(members)
