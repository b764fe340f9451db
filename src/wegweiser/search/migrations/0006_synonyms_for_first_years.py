"""New default synonym groups: the needs of a newcomer's first years (residence permit,
citizenship, interpreters, health insurance, dentist, driving licence ...), each in the site's
seven languages. A site that holds a synonym list gets every group whose first word no group of
its list names yet; editors may change or delete them like any other group. A site without a
list gets them with the whole default list (`synonyms_load_defaults`)."""

from django.db import migrations

# Frozen copies, so that later changes to search.services.DEFAULT_SYNONYMS do not change what
# this migration does.
NEW_GROUPS = [
    "Aufenthaltserlaubnis, Aufenthaltstitel, Aufenthaltsgenehmigung, Aufenthalt, residence permit, residence title, تصريح إقامة, إقامة, посвідка на проживання, вид на проживання, вид на жительство, oturma izni, ikamet izni, اقامت, اجازه اقامت",
    "Einbürgerung, Staatsangehörigkeit, Staatsbürgerschaft, citizenship, naturalisation, naturalization, جنسية, تجنيس, громадянство, гражданство, vatandaşlık, تابعیت, شهروندی",
    "Familiennachzug, Familienzusammenführung, family reunification, لم الشمل, воссоединение семьи, возз'єднання сім'ї, aile birleşimi, پیوستن به خانواده",
    "Anerkennung, Berufsanerkennung, Anerkennungsberatung, recognition of qualifications, معادلة الشهادة, визнання диплома, признание диплома, denklik, ارزشیابی مدرک",
    "Dolmetscher, Dolmetscherin, Dolmetschen, Sprachmittler, Sprachmittlerin, Sprachmittlung, Übersetzer, Übersetzerin, Übersetzung, interpreter, translator, interpreting, مترجم, ترجمة, перекладач, переводчик, tercüman, çevirmen",
    "Krankenversicherung, Krankenkasse, Gesundheitskarte, health insurance, تأمين صحي, التأمين الصحي, медичне страхування, медична страховка, медицинская страховка, медицинское страхование, sağlık sigortası, بیمه درمانی, بیمه سلامت",
    "Zahnarzt, Zahnärztin, dentist, طبيب أسنان, стоматолог, зубний лікар, зубной врач, diş hekimi, dişçi, دندانپزشک",
    "Kinderarzt, Kinderärztin, pediatrician, paediatrician, طبيب أطفال, педіатр, педиатр, çocuk doktoru, پزشک اطفال, متخصص اطفال",
    "Schwangerschaft, schwanger, Schwangere, pregnancy, pregnant, حامل, حمل, вагітність, вагітна, беременность, беременная, hamilelik, hamile, بارداری, باردار",
    "Rechtsberatung, Rechtsanwalt, Rechtsanwältin, Anwalt, Anwältin, lawyer, attorney, legal advice, محامي, استشارة قانونية, адвокат, юрист, avukat, hukuki danışmanlık, وکیل, مشاوره حقوقی",
    "Kindergeld, child benefit, إعانة الأطفال, допомога на дітей, детское пособие, çocuk parası, کمک هزینه فرزند",
    "Führerschein, Fahrerlaubnis, Fahrschule, driving licence, driving license, driver's license, driving school, رخصة قيادة, رخصة السياقة, посвідчення водія, водійські права, водительские права, ehliyet, sürücü belgesi, گواهینامه رانندگی, گواهینامه",
    "Hausaufgaben, Hausaufgabenhilfe, Nachhilfe, Lernhilfe, homework, tutoring, واجبات منزلية, الواجب المنزلي, домашнє завдання, домашнее задание, ödev, ev ödevi, تکالیف مدرسه, تکلیف",
]


def _words(members: str) -> set[str]:
    return {m.strip().casefold() for m in members.split(",") if m.strip()}


def forwards(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    SearchGeneration = apps.get_model("search", "SearchGeneration")
    groups = list(SynonymGroup.objects.values_list("members", flat=True))
    if not groups:
        return
    named = set().union(*(_words(members) for members in groups))
    new = [m for m in NEW_GROUPS if m.split(",")[0].strip().casefold() not in named]
    if not new:
        return
    SynonymGroup.objects.bulk_create([SynonymGroup(members=members) for members in new])
    import secrets  # every process reads the groups anew (search.tokens)

    value = secrets.randbits(62) + 1
    if not SearchGeneration.objects.filter(name="synonyms").update(value=value):
        SearchGeneration.objects.create(name="synonyms", value=value)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_synonyms_in_other_languages")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
