"""The default synonym groups gain the everyday words of the site's other languages (and
English words for the attributes): groups an editor has not changed since they were created
from the old defaults are brought up to the new ones; changed groups stay as they are."""

from django.db import migrations

# (old default, new default): frozen copies, so that later changes to
# search.services.DEFAULT_SYNONYMS do not change what this migration does.
UPDATES = [
    (
        "Kita, Kindergarten, Kindertagesstätte, Kindertagesstaette, Krippe",
        "Kita, Kindergarten, Kindertagesstätte, Kindertagesstaette, Krippe, daycare, nursery, روضة أطفال, حضانة, дитячий садок, садочок, детский сад, kreş, anaokulu, مهدکودک, کودکستان",
    ),
    (
        "Job, Arbeit, Arbeitsstelle, Stelle, Beschäftigung, Beruf",
        "Job, Arbeit, Arbeitsstelle, Stelle, Beschäftigung, Beruf, work, employment, عمل, وظيفة, робота, работа, istihdam, meslek, کار, شغل",
    ),
    (
        "Wohnung, Unterkunft, Wohnen, Miete",
        "Wohnung, Unterkunft, Wohnen, Miete, apartment, flat, housing, شقة, سكن, квартира, житло, жильё, жилье, konut, آپارتمان, مسکن",
    ),
    (
        "Arzt, Ärztin, Praxis, Doktor",
        "Arzt, Ärztin, Praxis, Doktor, doctor, physician, طبيب, лікар, врач, hekim, پزشک, دکتر",
    ),
    (
        "Deutschkurs, Sprachkurs, Sprachförderung, Deutsch lernen, Integrationskurs",
        "Deutschkurs, Sprachkurs, Sprachförderung, Deutsch lernen, Integrationskurs, German course, German class, Almanca kursu, курс німецької, курсы немецкого, دورة ألمانية, کلاس آلمانی",
    ),
    (
        "Geflüchtete, Flüchtlinge, Asylsuchende",
        "Geflüchtete, Flüchtlinge, Asylsuchende, refugees, refugee, لاجئين, لاجئ, біженці, беженцы, mülteci, پناهنده",
    ),
    ("Ausbildung, Lehre", "Ausbildung, Lehre, apprenticeship, vocational training"),
    ("Schule, Unterricht", "Schule, Unterricht, school, مدرسة, школа, okul, مدرسه"),
    (
        "Schulden, Schuldnerberatung",
        "Schulden, Schuldnerberatung, debt, debts, ديون, борги, долги, borç, بدهی",
    ),
    (
        "Schwimmen, Schwimmkurs",
        "Schwimmen, Schwimmkurs, swimming, سباحة, плавання, плавание, yüzme, شنا",
    ),
    (
        "Fahrrad, Radfahren",
        "Fahrrad, Radfahren, bicycle, bike, cycling, دراجة, велосипед, bisiklet, دوچرخه",
    ),
    (
        "kostenlos, gratis, kostenfrei, umsonst, gebührenfrei",
        "kostenlos, gratis, kostenfrei, umsonst, gebührenfrei, free of charge, مجاني, مجانا, безкоштовно, бесплатно, ücretsiz, رایگان",
    ),
    (
        "kostenlos, gratis, kostenfrei, umsonst, gebührenfrei, free of charge",
        "kostenlos, gratis, kostenfrei, umsonst, gebührenfrei, free of charge, مجاني, مجانا, безкоштовно, бесплатно, ücretsiz, رایگان",
    ),
    (
        "barrierefrei, rollstuhlgerecht, behindertengerecht, stufenlos",
        "barrierefrei, rollstuhlgerecht, behindertengerecht, stufenlos, Rollstuhl, wheelchair, wheelchair accessible, step-free",
    ),
]


def _normal(members: str) -> str:
    return ", ".join(m.strip() for m in members.split(",") if m.strip())


def forwards(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    SearchGeneration = apps.get_model("search", "SearchGeneration")
    new_by_old = {_normal(old): new for old, new in UPDATES}
    changed = False
    for group in SynonymGroup.objects.all():
        new = new_by_old.get(_normal(group.members))
        if new is not None:
            group.members = new
            group.save(update_fields=["members"])
            changed = True
    if changed:  # every process reads the groups anew (search.tokens)
        import secrets

        value = secrets.randbits(62) + 1
        if not SearchGeneration.objects.filter(name="synonyms").update(value=value):
            SearchGeneration.objects.create(name="synonyms", value=value)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_passage_pending_index")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
