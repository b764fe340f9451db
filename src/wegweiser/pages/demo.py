"""Synthetic demo info pages: a small guide in German with some translations, some outdated."""

from wegweiser.core.models import LifeArea

from .constants import DEMO, SOURCE_LANGUAGE
from .models import Page
from .services import page_create, page_translation_save

# (key, parent key, life area slug, German title, German text, translations {language: title}).
# Translated bodies are short synthetic summaries; "outdated" entries get their German text
# revised after translation, so they show the outdated note.
DEMO_PAGES = [
    (
        "wohnen",
        None,
        "wohnen",
        "Wohnen",
        "Wohnung suchen, mieten und darin leben.",
        {"en": "Housing", "ar": "السكن", "uk": "Житло"},
    ),
    (
        "bruttokaltmiete",
        "wohnen",
        "wohnen",
        "Wohnung suchen: Was ist die Bruttokaltmiete?",
        "Die Bruttokaltmiete ist die Kaltmiete plus die kalten Nebenkosten (zum Beispiel Wasser, Müllabfuhr, Hausreinigung), aber ohne Heizung und Warmwasser. Das Jobcenter übernimmt Mieten bis zu einer festen Grenze.",
        {
            "en": "Looking for a flat: what is the gross cold rent?",
            "ar": "البحث عن شقة: ما هو الإيجار البارد الإجمالي؟",
            "uk": "Пошук житла: що таке орендна плата брутто без опалення?",
        },
    ),
    (
        "mietvertrag",
        "wohnen",
        "wohnen",
        "Mietvertrag und Kaution",
        "Lesen Sie den Mietvertrag vor der Unterschrift genau. Die Kaution beträgt höchstens drei Kaltmieten.",
        {"en": "Tenancy agreement and deposit", "ar": "عقد الإيجار والتأمين"},
    ),
    (
        "wbs",
        "wohnen",
        "wohnen",
        "Wohnberechtigungsschein (WBS)",
        "Mit einem Wohnberechtigungsschein können Sie eine Sozialwohnung mieten. Sie beantragen ihn bei Ihrer Stadt.",
        {"en": "Housing entitlement certificate (WBS)"},
    ),
    (
        "muell",
        "wohnen",
        "wohnen",
        "Mülltrennung",
        "In Deutschland wird Müll getrennt: Papier, Verpackungen, Bioabfall und Restmüll.",
        {"en": "Separating waste", "uk": "Сортування сміття"},
    ),
    (
        "behoerden",
        None,
        "beratung-und-recht",
        "Ämter und Behörden",
        "Wichtige Wege in den ersten Wochen.",
        {
            "en": "Offices and authorities",
            "ar": "المكاتب والسلطات",
            "uk": "Установи та органи влади",
        },
    ),
    (
        "anmeldung",
        "behoerden",
        "beratung-und-recht",
        "Anmeldung im Bürgerbüro",
        "Wer eine Wohnung bezieht, meldet sich innerhalb von zwei Wochen im Bürgerbüro an. Bringen Sie Pass und Wohnungsgeberbestätigung mit.",
        {
            "en": "Registering at the citizens' office",
            "ar": "التسجيل في مكتب المواطنين",
            "uk": "Реєстрація в бюро громадян",
        },
    ),
    (
        "aufenthalt",
        "behoerden",
        "beratung-und-recht",
        "Aufenthaltstitel verlängern",
        "Beantragen Sie die Verlängerung rechtzeitig vor Ablauf bei der Ausländerbehörde.",
        {"en": "Extending your residence permit"},
    ),
    (
        "rundfunkbeitrag",
        "behoerden",
        "beratung-und-recht",
        "Rundfunkbeitrag",
        "Jede Wohnung zahlt einen Rundfunkbeitrag. Wer Sozialleistungen bezieht, kann sich befreien lassen.",
        {},
    ),
    (
        "gesundheit",
        None,
        "gesundheit",
        "Gesundheit",
        "Ärzte, Krankenversicherung und Hilfe im Notfall.",
        {"en": "Health", "ar": "الصحة", "uk": "Здоров'я"},
    ),
    (
        "krankenversicherung",
        "gesundheit",
        "gesundheit",
        "Krankenversicherung",
        "In Deutschland muss jeder krankenversichert sein. Die Versichertenkarte bringen Sie zu jedem Arztbesuch mit.",
        {"en": "Health insurance", "ar": "التأمين الصحي", "uk": "Медичне страхування"},
    ),
    (
        "hausarzt",
        "gesundheit",
        "gesundheit",
        "Einen Hausarzt finden",
        "Der Hausarzt ist die erste Anlaufstelle bei Krankheit und überweist an Fachärzte.",
        {"en": "Finding a family doctor"},
    ),
    (
        "notruf",
        "gesundheit",
        "gesundheit",
        "Notruf 112 und 110",
        "Rettungsdienst und Feuerwehr: 112. Polizei: 110. Der ärztliche Bereitschaftsdienst: 116 117.",
        {
            "en": "Emergency numbers 112 and 110",
            "ar": "أرقام الطوارئ 112 و110",
            "uk": "Екстрені номери 112 і 110",
        },
    ),
    (
        "familie",
        None,
        "familie-und-kinder",
        "Familie und Kinder",
        "Kita, Schule und Unterstützung für Familien.",
        {"en": "Family and children", "ar": "الأسرة والأطفال"},
    ),
    (
        "kita",
        "familie",
        "familie-und-kinder",
        "Kita-Platz finden",
        "Kinder haben ab dem ersten Geburtstag einen Anspruch auf einen Betreuungsplatz. Melden Sie Ihr Kind früh im Kita-Portal Ihrer Stadt an.",
        {
            "en": "Finding a place in a day-care centre",
            "ar": "العثور على مكان في الحضانة",
            "uk": "Як знайти місце в дитсадку",
        },
    ),
    (
        "schule",
        "familie",
        "familie-und-kinder",
        "Schulpflicht und Anmeldung an der Schule",
        "Kinder und Jugendliche sind schulpflichtig. Seiteneinsteiger berät das Kommunale Integrationszentrum.",
        {"en": "Compulsory schooling and school registration"},
    ),
    (
        "sprache",
        None,
        "sprache",
        "Deutsch lernen",
        "Sprachkurse für jedes Niveau.",
        {"en": "Learning German", "ar": "تعلم اللغة الألمانية", "uk": "Вивчення німецької"},
    ),
    (
        "integrationskurs",
        "sprache",
        "sprache",
        "Deutschkurse und Integrationskurse",
        "Der Integrationskurs besteht aus einem Sprachkurs und einem Orientierungskurs. Die Kosten übernimmt oft das Bundesamt.",
        {
            "en": "German courses and integration courses",
            "ar": "دورات اللغة الألمانية ودورات الاندماج",
            "uk": "Курси німецької та інтеграційні курси",
        },
    ),
    (
        "berufssprache",
        "sprache",
        "sprache",
        "Deutsch für den Beruf",
        "Berufssprachkurse bereiten auf Arbeit und Ausbildung vor.",
        {"en": "German for work"},
    ),
    (
        "arbeit",
        None,
        "arbeit-und-ausbildung",
        "Arbeit und Ausbildung",
        "Anerkennung, Jobsuche und Ausbildung.",
        {"en": "Work and training", "uk": "Робота і навчання"},
    ),
]
# Pages whose German text was revised after translating: their translations are outdated.
OUTDATED = {"bruttokaltmiete", "krankenversicherung", "kita"}
REVISION = " Stand: überarbeitet."


def _content(text: str) -> str:
    return f"<p>{text}</p>"


def pages_seed() -> int:
    """Create the demo guide through the services; returns the number of pages created. Idempotent."""
    life_areas = {area.slug: area for area in LifeArea.objects.all()}
    pages: dict[str, Page] = {
        page.source_id: page for page in Page.objects.filter(source_system=DEMO)
    }
    created = 0
    for position, (key, parent_key, area, title, text, translations) in enumerate(DEMO_PAGES):
        if key in pages:
            continue
        page = page_create(
            actor=None,
            slug=key,
            parent=pages.get(parent_key) if parent_key else None,
            position=position,
            life_area=life_areas.get(area),
            source_system=DEMO,
            source_id=key,
        )
        pages[key] = page
        created += 1
        page_translation_save(
            actor=None, page=page, language=SOURCE_LANGUAGE, title=title, content=_content(text)
        )
        for language, translated_title in translations.items():
            page_translation_save(
                actor=None,
                page=page,
                language=language,
                title=translated_title,
                content=_content(translated_title),
            )
        if key in OUTDATED:
            page_translation_save(
                actor=None,
                page=page,
                language=SOURCE_LANGUAGE,
                title=title,
                content=_content(text + REVISION),
            )
    return created
