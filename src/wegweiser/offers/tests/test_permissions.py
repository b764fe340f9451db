import pytest

from wegweiser.core.tests.matrix import ALL_ROLES, MatrixRow, matrix_id, matrix_params, run_matrix
from wegweiser.offers.tests.factories import LocationFactory, OfferFactory

PUBLIC = dict.fromkeys(ALL_ROLES, 200)

MATRIX = [
    MatrixRow("offers:offer-list", PUBLIC),
    MatrixRow("offers:offer-detail", PUBLIC, kwargs=lambda o: {"uuid": o["offer"].uuid}),
    MatrixRow(
        "offers:organisation-detail",
        PUBLIC,
        kwargs=lambda o: {"uuid": o["offer"].organisation.uuid},
    ),
    MatrixRow("offers:good-practice-list", PUBLIC),
    MatrixRow("sitemap", PUBLIC),
]


@pytest.mark.parametrize(("row", "role"), matrix_params(MATRIX), ids=matrix_id)
def test_offers_permission_matrix(row, role, make_member, login, org_a, district):
    offer = OfferFactory(locations=[LocationFactory()])
    run_matrix(
        row, role, make_member=make_member, login=login, org_a=org_a, objects={"offer": offer}
    )


MATRIX += [
    MatrixRow("offers:offer-suggest", PUBLIC),
    MatrixRow("offers:barrier-report", PUBLIC),
    MatrixRow("offers:offer-feedback", PUBLIC, kwargs=lambda o: {"uuid": o["offer"].uuid}),
    MatrixRow("offers:offer-handout", PUBLIC, kwargs=lambda o: {"uuid": o["offer"].uuid}),
    MatrixRow("offers:town-detail", PUBLIC, kwargs=lambda o: {"slug": "herten"}),
    MatrixRow("offers:life-area-detail", PUBLIC, kwargs=lambda o: {"slug": "wohnen"}),
]
MATRIX += [MatrixRow("offers:offer-map", PUBLIC)]
MATRIX += [MatrixRow("offers:search-suggestions", PUBLIC)]
