"""Synthetic demo consent notices: the KIM welcome notice, version 1, in four languages.

Idempotent: a second run adds nothing. The texts are written for the demo and are no legal
advice; every real installation writes its own with its data-protection officer.
"""

from wegweiser.accounts.constants import OrganisationKind

from .constants import DataCategory, Purpose
from .models import ConsentNotice
from .services import notice_create

DEMO_NOTICE_KEY = "kim-welcome"

_PURPOSES = [
    Purpose.CONTACT_TRANSFER,
    Purpose.CASE_MANAGEMENT,
    Purpose.REFERRAL,
    Purpose.CASE_TRANSFER,
]
_KINDS = [OrganisationKind.DISTRICT, OrganisationKind.TOWN, OrganisationKind.WELFARE_ASSOCIATION]
_CATEGORIES = [
    DataCategory.IDENTITY,
    DataCategory.CONTACT,
    DataCategory.LANGUAGES,
    DataCategory.HOUSEHOLD,
    DataCategory.RESIDENCE,
    DataCategory.NEEDS,
]

TEXTS = {
    "de": (
        "Einwilligung in die Willkommensberatung (KIM)",
        "Ich bin damit einverstanden, dass das Bürgerbüro meinen Namen, meine Kontaktdaten, "
        "meine Sprachen und Angaben zu meinem Haushalt an das Kommunale "
        "Integrationsmanagement des Kreises übermittelt. Eine Fallmanagerin oder ein "
        "Fallmanager eines Wohlfahrtsverbands oder meiner Stadt nimmt Kontakt mit mir auf, "
        "berät mich und darf mich mit meiner Zustimmung an Angebote vermitteln oder meinen "
        "Fall an eine andere Beratungsstelle übergeben.\n\n"
        "Die Einwilligung ist freiwillig. Ich kann sie jederzeit ohne Nachteile widerrufen; "
        "der Widerruf gilt ab diesem Zeitpunkt. (Demo-Text, keine Rechtsberatung.)",
    ),
    "en": (
        "Consent to welcome counselling (KIM)",
        "I agree that the registration office passes my name, contact data, languages and "
        "details of my household to the district's integration management. A case manager "
        "of a welfare association or of my town will contact me, counsel me and, with my "
        "agreement, may refer me to offers or hand my case to another counselling service.\n\n"
        "This consent is voluntary. I can withdraw it at any time without disadvantage; the "
        "withdrawal applies from then on. (Demo text, not legal advice.)",
    ),
    "ar": (
        "الموافقة على استشارة الترحيب (KIM)",
        "أوافق على أن يرسل مكتب التسجيل اسمي وبيانات الاتصال بي ولغاتي ومعلومات عن أسرتي إلى "
        "إدارة الاندماج في المقاطعة. سيتواصل معي مدير حالة لتقديم المشورة.\n\n"
        "هذه الموافقة طوعية ويمكنني سحبها في أي وقت. (نص تجريبي.)",
    ),
    "uk": (
        "Згода на вітальну консультацію (KIM)",
        "Я погоджуюся, що бюро реєстрації передасть моє ім'я, контактні дані, мови та дані "
        "про мою родину до служби інтеграції округу. Кейс-менеджер зв'яжеться зі мною.\n\n"
        "Згода є добровільною, я можу відкликати її будь-коли. (Демонстраційний текст.)",
    ),
}


def notices_seed() -> int:
    """Create the demo notice in every language that is still missing; return how many."""
    created = 0
    for language, (title, text) in TEXTS.items():
        if ConsentNotice.objects.filter(key=DEMO_NOTICE_KEY, version=1, language=language).exists():
            continue
        notice_create(
            actor=None,
            key=DEMO_NOTICE_KEY,
            version=1,
            language=language,
            title=title,
            text=text,
            purposes=_PURPOSES,
            recipient_kinds=_KINDS,
            data_categories=_CATEGORIES,
        )
        created += 1
    return created
