"""The search index's readiness check (`/readyz`): counts only, the page is public."""

import pytest

from wegweiser.search import embeddings
from wegweiser.search.registry import Document
from wegweiser.search.services import document_upsert

pytestmark = pytest.mark.django_db


def test_readyz_reports_the_index_and_its_embedding_backlog(client, settings):
    settings.SEARCH_EMBED_ON_SAVE = False
    document_upsert(
        Document(kind="offer", object_id="1", title="Deutschkurs", texts=["Deutsch lernen."])
    )
    document_upsert(Document(kind="page", object_id="9", title="Kita", texts=[]))
    checks = client.get("/readyz").json()["checks"]
    assert checks["search_index"] == {
        "status": "ok",
        "documents": {"offer": 1, "page": 1},
        "passages_without_vectors": 3,
        "passages_without_terms": 3,
    }
    if embeddings.terms_available():
        embeddings.embed_missing()
        checks = client.get("/readyz").json()["checks"]
        assert checks["search_index"]["passages_without_terms"] == 0
