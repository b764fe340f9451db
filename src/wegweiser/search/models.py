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


class SearchPassage(models.Model):
    """A passage of a document (its title and ~150 words) with its multilingual embedding.

    Long pages answer many questions further down; one vector per passage finds them, and a
    document scores with its best passage plus a share of its title's similarity (the title
    alone is a passage of its own, `is_title`; ADR 0009). `vector` is float32 bytes (384
    dimensions), empty until `manage.py embed` or the after-commit hook has computed it;
    `terms` the model's latent terms beside it (`embeddings.terms_pack`: 256 uint16 indexes and
    256 float16 weights), computed with it.
    """

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="passages")
    position = models.PositiveIntegerField()
    is_title = models.BooleanField(default=False)
    text = models.TextField()
    text_hash = models.CharField(max_length=64, db_index=True)
    vector = models.BinaryField(null=True, blank=True)
    terms = models.BinaryField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="search_passage_unique")
        ]
        indexes = [
            # The passages still without a vector (embedding after a save, `manage.py
            # embed`): found without reading every passage (0.5 s at 200,000 passages).
            models.Index(
                fields=["id"],
                condition=models.Q(vector__isnull=True),
                name="search_passage_pending",
            ),
            models.Index(
                fields=["id"],
                condition=models.Q(terms__isnull=True),
                name="search_passage_terms_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.position}"


class SearchGeneration(models.Model):
    """Counters that change whenever vectors change, so that each process knows when its cached
    vector matrix is stale (one cheap query instead of reloading the vectors)."""

    name = models.CharField(max_length=40, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
