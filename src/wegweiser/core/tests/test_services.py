import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from wegweiser.core.constants import MunicipalityKind
from wegweiser.core.models import Language, LifeArea, Municipality
from wegweiser.core.services import district_load, vocabulary_load

pytestmark = pytest.mark.django_db

TOWNS = {
    "Castrop-Rauxel",
    "Datteln",
    "Dorsten",
    "Gladbeck",
    "Haltern am See",
    "Herten",
    "Marl",
    "Oer-Erkenschwick",
    "Recklinghausen",
    "Waltrop",
}


def test_district_load_creates_the_ten_towns_with_ags(settings):
    report = district_load(path=settings.WEGWEISER_DISTRICT_FILE)
    assert report.created == 11
    towns = Municipality.objects.filter(kind=MunicipalityKind.TOWN)
    assert {t.name for t in towns} == TOWNS
    assert all(t.ags.startswith("05562") and len(t.ags) == 8 for t in towns)
    assert Municipality.objects.get(name="Herten").ags == "05562020"


def test_district_load_is_idempotent_and_updates_changes(settings, tmp_path):
    district_load(path=settings.WEGWEISER_DISTRICT_FILE)
    data = json.loads(Path(settings.WEGWEISER_DISTRICT_FILE).read_text(encoding="utf-8"))
    data["towns"][0]["latitude"] = 51.5
    changed = tmp_path / "district.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    report = district_load(path=changed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 10)
    assert Municipality.objects.count() == 11


def test_district_load_rejects_town_outside_district(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "district": {
                    "ags": "05562",
                    "name": "K",
                    "slug": "k",
                    "latitude": 51,
                    "longitude": 7,
                },
                "towns": [
                    {
                        "ags": "05111000",
                        "name": "Düsseldorf",
                        "slug": "d",
                        "latitude": 51,
                        "longitude": 6,
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValidationError):
        district_load(path=bad)
    assert Municipality.objects.count() == 0


def test_district_load_rejects_broken_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationError):
        district_load(path=bad)


def test_vocabulary_load_has_translated_life_areas():
    vocabulary_load()
    assert LifeArea.objects.count() == 10
    housing = LifeArea.objects.get(slug="wohnen")
    assert housing.translated_name("de") == "Wohnen"
    assert housing.translated_name("ar") == "السكن"
    assert housing.translated_name("xx") == "Wohnen"
    assert Language.objects.get(code="fa").direction == "rtl"
    assert vocabulary_load().created == 0


def test_load_district_command_adds_the_default_synonyms_once(settings):
    from django.core.management import call_command

    from wegweiser.search.models import SynonymGroup
    from wegweiser.search.services import DEFAULT_SYNONYMS

    call_command("load_district", stdout=io.StringIO())
    assert SynonymGroup.objects.count() == len(DEFAULT_SYNONYMS)
    SynonymGroup.objects.filter(members__startswith="Kita").update(members="Kita, Kinderkrippe")
    call_command("load_district", stdout=io.StringIO())
    # An editor's list is kept as it is.
    assert SynonymGroup.objects.count() == len(DEFAULT_SYNONYMS)
    assert SynonymGroup.objects.filter(members="Kita, Kinderkrippe").exists()
