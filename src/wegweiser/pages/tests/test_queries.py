import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import make_page

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("language", ["de", "ar"])
def test_detail_queries_do_not_grow_with_children_or_depth(client, language):
    top = make_page(slug="oben")
    middle = make_page(slug="mitte", parent=top, translations={"ar": "وسط"})
    page = make_page(slug="seite", parent=middle, translations={"ar": "صفحة", "en": "Page"})
    for n in range(3):
        make_page(slug=f"kind-{n}", parent=page, translations={"ar": f"طفل {n}"})
    url = f"/{language}/ratgeber/{page.uuid}/"
    few = _queries(client, url)
    for n in range(3, 6):
        make_page(slug=f"kind-{n}", parent=page)
    assert _queries(client, url) == few

    deeper = make_page(slug="tief", parent=make_page(slug="tiefer", parent=page))
    make_page(slug="blatt", parent=deeper)
    assert _queries(client, f"/{language}/ratgeber/{deeper.uuid}/") == few


def test_index_queries_do_not_grow_with_pages(client):
    for n in range(2):
        make_page(slug=f"kind-{n}", parent=make_page(slug=f"oben-{n}"))
    few = _queries(client, "/ar/ratgeber/")
    for n in range(2, 4):
        make_page(slug=f"kind-{n}", parent=make_page(slug=f"oben-{n}", translations={"ar": "x"}))
    assert _queries(client, "/ar/ratgeber/") == few
