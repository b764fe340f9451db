"""A portable inverted index: the same tables, queries and ranking on SQLite and PostgreSQL.

See docs/adr/0004-search-index.md.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """One searchable object (an offer, an info page) with its texts in all its languages."""

    kind = models.CharField(max_length=20)
    object_id = models.CharField(max_length=64)
    # The id the object had in the file it was imported from (Integreat id, HSDS id), if any.
    source_id = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    length = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class SearchTerm(models.Model):
    """The vocabulary: every term in the index with the number of documents holding it."""

    term = models.CharField(max_length=64, unique=True)
    # A word as people write it that led to this term, for "did you mean".
    display = models.CharField(max_length=64, blank=True)
    document_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.term


class SearchPosting(models.Model):
    """A term in a document, with its weight (occurrences; title terms count more)."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="postings")
    term = models.ForeignKey(SearchTerm, on_delete=models.CASCADE, related_name="postings")
    weight = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "document"], name="search_posting_unique")
        ]

    def __str__(self) -> str:
        return f"{self.term_id}@{self.document_id}×{self.weight}"


class SynonymGroup(models.Model):
    """Words that mean the same for a searcher: "Kita, Kindergarten, Kindertagesstätte".

    A member may be several words ("Migrationsberatung für Erwachsene"), so abbreviations work too.
    """

    members = models.TextField(_("words with the same meaning, separated by commas"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")

    def __str__(self) -> str:
        return self.members
