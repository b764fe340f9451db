"""Synthetic demo offers: about 600 across the ten towns and all life areas.

Texts are written for the demo; providers are the synthetic demo organisations. Deterministic:
the same seed gives the same offers, and a second run adds nothing.
"""

import random
from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone

from wegweiser.accounts.models import Organisation
from wegweiser.core.models import Language, LifeArea, Municipality, TargetGroup

from . import services
from .constants import Cost, OfferStatus, ScheduleKind
from .models import Location, Offer

DEMO_SOURCE = "demo"
TARGET_COUNT = 600

# life area slug -> list of (name, summary, description, target groups, languages, cost, flags)
TEMPLATES: dict[str, list[tuple]] = {
    "sprache": [
        (
            "Deutschkurs für Frauen mit Kinderbetreuung",
            "Deutsch lernen in kleiner Gruppe, während die Kinder betreut werden.",
            "Der Kurs richtet sich an Frauen, die Deutsch lernen möchten. Während des Unterrichts werden Kinder ab einem Jahr im Nebenraum betreut. Niveau A1 bis A2, Einstieg jederzeit möglich.",
            ["frauen", "familien"],
            ["de", "ar", "fa"],
            Cost.FREE,
            {"childcare": True},
        ),
        (
            "Integrationskurs mit Alphabetisierung",
            "Integrationskurs für Menschen, die das lateinische Alphabet lernen.",
            "Der Integrationskurs mit Alphabetisierung umfasst bis zu 1.300 Unterrichtsstunden und endet mit dem Deutsch-Test für Zuwanderer. Die Anmeldung erfolgt mit Berechtigungsschein des BAMF.",
            ["neuzugewanderte", "gefluechtete"],
            ["de"],
            Cost.REDUCED,
            {"registration_required": True},
        ),
        (
            "Sprachcafé",
            "Deutsch sprechen üben bei Kaffee und Tee, ohne Anmeldung.",
            "Im Sprachcafé treffen sich Menschen aus vielen Ländern mit Ehrenamtlichen, um in entspannter Runde Deutsch zu sprechen. Alle Niveaus sind willkommen.",
            ["alle"],
            ["de", "en", "uk", "ar"],
            Cost.FREE,
            {},
        ),
        (
            "Berufssprachkurs B2",
            "Deutsch für den Beruf auf dem Niveau B2.",
            "Der Berufssprachkurs bereitet auf die Arbeit in Deutschland vor: Bewerbungen, Telefonate, Fachwortschatz. Voraussetzung ist das Niveau B1.",
            ["neuzugewanderte", "fachkraefte"],
            ["de"],
            Cost.FREE,
            {"registration_required": True},
        ),
        (
            "Online-Deutschkurs am Abend",
            "Deutsch lernen von zu Hause, zweimal pro Woche abends.",
            "Der Kurs findet per Videokonferenz statt. Sie brauchen ein Smartphone oder einen Computer mit Internet. Niveau A2 bis B1.",
            ["alle"],
            ["de", "uk", "ru"],
            Cost.FEE,
            {"is_online": True, "is_on_site": False},
        ),
        (
            "Lesepatenschaft für Kinder",
            "Ehrenamtliche lesen mit Kindern und fördern die deutsche Sprache.",
            "Lesepatinnen und Lesepaten treffen sich einmal pro Woche mit einem Kind in der Stadtbibliothek, lesen gemeinsam und sprechen über Bücher.",
            ["kinder"],
            ["de"],
            Cost.FREE,
            {"age": (6, 12)},
        ),
    ],
    "bildung-und-schule": [
        (
            "Beratung zur Schulanmeldung für neu zugewanderte Kinder",
            "Hilfe bei der Anmeldung in der Schule und bei der Wahl der Schulform.",
            "Das Kommunale Integrationszentrum berät Familien, deren Kinder neu in Deutschland sind, zur Schulpflicht, zu Seiteneinsteigerklassen und zur Anmeldung an einer Schule.",
            ["familien", "kinder", "jugendliche"],
            ["de", "ar", "uk", "tr"],
            Cost.FREE,
            {},
        ),
        (
            "Hausaufgabenhilfe",
            "Unterstützung bei Hausaufgaben am Nachmittag.",
            "Ehrenamtliche helfen Schülerinnen und Schülern der Klassen 1 bis 10 bei den Hausaufgaben und beim Lernen für Klassenarbeiten.",
            ["kinder", "jugendliche"],
            ["de"],
            Cost.FREE,
            {"age": (6, 16)},
        ),
        (
            "Anerkennungsberatung für ausländische Abschlüsse",
            "Beratung zur Anerkennung von Schul-, Berufs- und Hochschulabschlüssen.",
            "Wir prüfen mit Ihnen, welche Stelle für die Anerkennung zuständig ist, welche Unterlagen Sie brauchen und welche Kosten entstehen können.",
            ["fachkraefte", "neuzugewanderte"],
            ["de", "en", "ru"],
            Cost.FREE,
            {"registration_required": True},
        ),
        (
            "Elternabend: Das Schulsystem in NRW",
            "Informationsabend für Eltern über Grundschule, weiterführende Schulen und Abschlüsse.",
            "An diesem Abend erklären wir das Schulsystem in Nordrhein-Westfalen mit Dolmetscherinnen. Fragen sind ausdrücklich erwünscht.",
            ["familien"],
            ["de", "ar", "tr", "uk"],
            Cost.FREE,
            {"dated": True},
        ),
    ],
    "arbeit-und-ausbildung": [
        (
            "Bewerbungswerkstatt",
            "Gemeinsam Lebenslauf und Bewerbung schreiben.",
            "In der Bewerbungswerkstatt erstellen Sie mit Unterstützung einen Lebenslauf und ein Anschreiben. Bringen Sie Zeugnisse und Zertifikate mit, wenn Sie welche haben.",
            ["alle", "jugendliche"],
            ["de", "en"],
            Cost.FREE,
            {},
        ),
        (
            "Beratung zur Arbeitserlaubnis",
            "Fragen zu Aufenthalt und Erlaubnis zur Beschäftigung.",
            "Wir beraten zu Beschäftigungsduldung, Ausbildungsduldung und zur Zustimmung der Ausländerbehörde. Bitte bringen Sie Ihre Aufenthaltspapiere mit.",
            ["gefluechtete"],
            ["de", "ar", "fa"],
            Cost.FREE,
            {"registration_required": True},
        ),
        (
            "Ausbildungsbörse für junge Zugewanderte",
            "Betriebe aus der Region stellen Ausbildungsplätze vor.",
            "Auf der Ausbildungsbörse lernen Sie Betriebe aus Handwerk, Pflege und Logistik kennen. Bringen Sie Ihren Lebenslauf mit.",
            ["jugendliche"],
            ["de"],
            Cost.FREE,
            {"dated": True, "age": (16, 27)},
        ),
        (
            "Jobcoaching für Frauen",
            "Begleitung auf dem Weg in Arbeit, mit Kinderbetreuung.",
            "Im Jobcoaching planen Sie Ihren beruflichen Weg, üben Vorstellungsgespräche und bekommen Kontakte zu Arbeitgebern. Kinderbetreuung ist möglich.",
            ["frauen"],
            ["de", "ar", "tr"],
            Cost.FREE,
            {"childcare": True},
        ),
    ],
    "wohnen": [
        (
            "Wohnungssuche: Beratung und Begleitung",
            "Hilfe bei der Suche nach einer Wohnung und beim Mietvertrag.",
            "Wir erklären Bruttokaltmiete, Nebenkosten und Kaution, helfen beim Ausfüllen von Anträgen und begleiten zu Besichtigungen.",
            ["alle", "familien"],
            ["de", "ar", "uk"],
            Cost.FREE,
            {},
        ),
        (
            "Mieterberatung",
            "Beratung bei Fragen zum Mietrecht und zur Nebenkostenabrechnung.",
            "Der Mieterverein berät zu Mieterhöhung, Mängeln in der Wohnung und Nebenkostenabrechnungen. Für Mitglieder kostenlos, sonst gegen Gebühr.",
            ["alle"],
            ["de", "tr"],
            Cost.FEE,
            {},
        ),
        (
            "Energiesparberatung für Haushalte",
            "Tipps zum Strom- und Heizkosten sparen.",
            "Energieberaterinnen zeigen, wie Sie Heizkosten und Stromkosten senken. Auf Wunsch kommt die Beratung zu Ihnen nach Hause.",
            ["familien", "seniorinnen-und-senioren"],
            ["de", "ru"],
            Cost.FREE,
            {},
        ),
    ],
    "gesundheit": [
        (
            "Gesundheitslotsen",
            "Ehrenamtliche erklären das Gesundheitssystem in Ihrer Sprache.",
            "Gesundheitslotsinnen und -lotsen erklären, wie Arztpraxis, Krankenversicherung und Notdienst funktionieren, und begleiten bei Bedarf.",
            ["neuzugewanderte"],
            ["de", "ar", "fa", "ti", "uk"],
            Cost.FREE,
            {},
        ),
        (
            "Psychosoziale Beratung für Geflüchtete",
            "Beratung und Therapie bei seelischer Belastung.",
            "Das Psychosoziale Zentrum bietet Beratung und Psychotherapie für geflüchtete Menschen, auch mit Sprachmittlung. Die Beratung ist vertraulich.",
            ["gefluechtete"],
            ["de", "ar", "fa", "en"],
            Cost.FREE,
            {"registration_required": True},
        ),
        (
            "Schwangerschaftsberatung",
            "Beratung rund um Schwangerschaft und Geburt.",
            "Wir beraten zu Vorsorge, finanziellen Hilfen und Elterngeld und vermitteln Hebammen. Auf Wunsch anonym.",
            ["frauen", "familien"],
            ["de", "tr", "ar"],
            Cost.FREE,
            {},
        ),
        (
            "Sprechstunde Krankenversicherung",
            "Hilfe bei Fragen zur Krankenkasse und Gesundheitskarte.",
            "Sie haben Post von der Krankenkasse oder wissen nicht, ob Sie versichert sind? Wir helfen weiter.",
            ["alle"],
            ["de", "uk", "ru"],
            Cost.FREE,
            {},
        ),
    ],
    "familie-und-kinder": [
        (
            "Kita-Platz-Beratung",
            "Unterstützung bei der Suche nach einem Kita-Platz.",
            "Wir erklären den Kita-Navigator, den Rechtsanspruch auf einen Kindergartenplatz und helfen bei der Anmeldung.",
            ["familien", "kinder"],
            ["de", "ar", "uk", "tr"],
            Cost.FREE,
            {},
        ),
        (
            "Eltern-Kind-Gruppe",
            "Spielen, singen und andere Eltern kennenlernen.",
            "Die Eltern-Kind-Gruppe ist für Familien mit Kindern bis drei Jahre. Wir spielen, singen und tauschen uns über den Alltag mit Kindern aus.",
            ["familien", "kinder"],
            ["de", "ar"],
            Cost.FREE,
            {"age": (0, 3)},
        ),
        (
            "Erziehungsberatung",
            "Vertrauliche Beratung für Eltern, Kinder und Jugendliche.",
            "Die Erziehungsberatungsstelle hilft bei Sorgen in der Familie, Streit, Trennung oder Problemen in der Schule.",
            ["familien", "jugendliche"],
            ["de", "tr", "en"],
            Cost.FREE,
            {},
        ),
        (
            "Familienpatenschaften",
            "Ehrenamtliche Patinnen begleiten Familien im Alltag.",
            "Eine Familienpatin besucht Sie regelmäßig, hilft bei Briefen und Terminen und zeigt Ihnen die Angebote in der Stadt.",
            ["familien", "neuzugewanderte"],
            ["de"],
            Cost.FREE,
            {},
        ),
    ],
    "beratung-und-recht": [
        (
            "Migrationsberatung für Erwachsene (MBE)",
            "Beratung für Zugewanderte ab 27 Jahren zu allen Fragen des Ankommens.",
            "Die Migrationsberatung für erwachsene Zuwanderer hilft bei Aufenthalt, Sprachkursen, Arbeit, Wohnen und Behörden. Termine nach Vereinbarung.",
            ["neuzugewanderte"],
            ["de", "ar", "ru", "tr"],
            Cost.FREE,
            {"age": (27, None), "registration_required": True},
        ),
        (
            "Jugendmigrationsdienst (JMD)",
            "Beratung für junge Menschen mit Migrationsgeschichte von 12 bis 27 Jahren.",
            "Der Jugendmigrationsdienst begleitet junge Menschen bei Schule, Ausbildung und Beruf und bietet Gruppenangebote.",
            ["jugendliche"],
            ["de", "ar", "en"],
            Cost.FREE,
            {"age": (12, 27)},
        ),
        (
            "Asylverfahrensberatung",
            "Unabhängige Beratung im Asylverfahren.",
            "Wir erklären den Ablauf des Asylverfahrens, bereiten auf die Anhörung beim BAMF vor und helfen bei Bescheiden.",
            ["gefluechtete"],
            ["de", "ar", "fa", "ti"],
            Cost.FREE,
            {"registration_required": True},
        ),
        (
            "Schuldnerberatung",
            "Hilfe bei Schulden und Zahlungsproblemen.",
            "Die Schuldnerberatung verschafft einen Überblick über Ihre Schulden, verhandelt mit Gläubigern und berät zur Insolvenz.",
            ["alle"],
            ["de", "tr"],
            Cost.FREE,
            {"registration_required": True},
        ),
        (
            "Sozialberatung",
            "Beratung zu Bürgergeld, Wohngeld, Kindergeld und anderen Leistungen.",
            "Wir helfen beim Ausfüllen von Anträgen und erklären Bescheide des Jobcenters und anderer Ämter.",
            ["alle"],
            ["de", "ar", "uk", "ru"],
            Cost.FREE,
            {},
        ),
    ],
    "freizeit-sport-und-kultur": [
        (
            "Schwimmkurs für Frauen",
            "Schwimmen lernen in geschützter Atmosphäre mit Trainerin.",
            "Der Kurs findet zu Zeiten statt, in denen nur Frauen im Bad sind. Anfängerinnen sind willkommen.",
            ["frauen"],
            ["de", "ar"],
            Cost.REDUCED,
            {"registration_required": True},
        ),
        (
            "Fußballtraining für alle",
            "Offenes Training für Jugendliche und Erwachsene, auch ohne Vereinsmitgliedschaft.",
            "Der Verein lädt geflüchtete und einheimische Spielerinnen und Spieler zum gemeinsamen Training ein. Schuhe können ausgeliehen werden.",
            ["jugendliche", "gefluechtete"],
            ["de", "en"],
            Cost.FREE,
            {},
        ),
        (
            "Internationaler Kochabend",
            "Gemeinsam kochen und Rezepte aus aller Welt teilen.",
            "Einmal im Monat kochen wir gemeinsam Gerichte aus verschiedenen Ländern. Die Zutaten werden gestellt.",
            ["alle"],
            ["de", "ar", "uk"],
            Cost.FREE,
            {"dated": True},
        ),
        (
            "Bibliotheksführung in einfacher Sprache",
            "Die Stadtbibliothek kennenlernen und einen Ausweis bekommen.",
            "Wir zeigen Bücher, Filme und Sprachlernmaterial in vielen Sprachen und erklären, wie Sie kostenlos einen Bibliotheksausweis erhalten.",
            ["alle", "neuzugewanderte"],
            ["de"],
            Cost.FREE,
            {},
        ),
    ],
    "engagement-und-begegnung": [
        (
            "Begegnungscafé",
            "Nachbarinnen und Nachbarn aus aller Welt treffen sich.",
            "Im Begegnungscafé kommen Alteingesessene und Neuzugewanderte ins Gespräch. Kinder sind willkommen.",
            ["alle"],
            ["de", "ar", "uk", "fa"],
            Cost.FREE,
            {},
        ),
        (
            "Ehrenamt für Geflüchtete",
            "Sich engagieren, Menschen kennenlernen und Deutsch üben.",
            "Wir vermitteln Ehrenamtsstellen in Vereinen, Tafeln und Kleiderkammern, auch für Menschen, die noch wenig Deutsch sprechen.",
            ["gefluechtete", "ehrenamtliche"],
            ["de", "en", "ar"],
            Cost.FREE,
            {},
        ),
        (
            "Patenschaftsprogramm",
            "Ehrenamtliche begleiten Neuzugewanderte in den ersten Monaten.",
            "Patinnen und Paten helfen bei Behördengängen, üben Deutsch und zeigen die Stadt. Wir schulen und begleiten die Ehrenamtlichen.",
            ["ehrenamtliche", "neuzugewanderte"],
            ["de"],
            Cost.FREE,
            {},
        ),
    ],
    "alltag-und-mobilitaet": [
        (
            "Fahrradkurs für Erwachsene",
            "Radfahren lernen und sicher im Straßenverkehr unterwegs sein.",
            "In fünf Terminen lernen Sie Radfahren und die wichtigsten Verkehrsregeln. Fahrräder und Helme werden gestellt.",
            ["frauen", "alle"],
            ["de", "ar", "fa"],
            Cost.FREE,
            {"registration_required": True},
        ),
        (
            "Hilfe bei Behördenpost",
            "Wir erklären Briefe von Ämtern und helfen beim Antworten.",
            "Bringen Sie Ihre Briefe mit. Ehrenamtliche erklären den Inhalt und helfen beim Ausfüllen von Formularen.",
            ["alle"],
            ["de", "ar", "uk", "ru", "tr"],
            Cost.FREE,
            {},
        ),
        (
            "Digitalsprechstunde",
            "Hilfe mit Smartphone, E-Mail und Online-Anträgen.",
            "Wir helfen beim Einrichten von E-Mail, beim Online-Banking und bei Terminbuchungen im Internet.",
            ["seniorinnen-und-senioren", "alle"],
            ["de", "ru"],
            Cost.FREE,
            {},
        ),
        (
            "Führerschein-Theorie in einfacher Sprache",
            "Vorbereitung auf die Theorieprüfung mit Übersetzungshilfe.",
            "Der Kurs bereitet auf die theoretische Führerscheinprüfung vor, die in vielen Sprachen abgelegt werden kann.",
            ["alle"],
            ["de", "ar", "tr"],
            Cost.FEE,
            {},
        ),
    ],
}

TRANSLATIONS = {
    "en": ("Offer", "An offer for newcomers: please see the German description for details."),
    "ar": ("عرض", "عرض للقادمين الجدد: يرجى الاطلاع على الوصف الألماني للتفاصيل."),
    "uk": ("Пропозиція", "Пропозиція для новоприбулих: подробиці дивіться в німецькому описі."),
}
ENGLISH_NAMES = {
    "Deutschkurs für Frauen mit Kinderbetreuung": "German course for women with childcare",
    "Sprachcafé": "Language café",
    "Wohnungssuche: Beratung und Begleitung": "Finding a flat: advice and support",
    "Kita-Platz-Beratung": "Advice on finding a Kita place",
    "Begegnungscafé": "Meeting café",
    "Hilfe bei Behördenpost": "Help with letters from authorities",
    "Migrationsberatung für Erwachsene (MBE)": "Migration counselling for adults (MBE)",
    "Bewerbungswerkstatt": "Job application workshop",
    "Gesundheitslotsen": "Health guides",
}
ARABIC_NAMES = {
    "Deutschkurs für Frauen mit Kinderbetreuung": "دورة لغة ألمانية للنساء مع رعاية الأطفال",
    "Sprachcafé": "مقهى اللغة",
    "Wohnungssuche: Beratung und Begleitung": "البحث عن شقة: استشارة ومرافقة",
    "Kita-Platz-Beratung": "استشارة للحصول على مكان في روضة الأطفال",
    "Hilfe bei Behördenpost": "مساعدة في رسائل الدوائر الرسمية",
}
STREETS = [
    "Hauptstraße",
    "Kirchplatz",
    "Bahnhofstraße",
    "Marktstraße",
    "Am Rathaus",
    "Schulstraße",
    "Breite Straße",
    "Lindenallee",
    "Gartenweg",
    "Mühlenstraße",
]
SLOTS = [
    (time(9), time(12)),
    (time(10), time(13)),
    (time(14), time(17)),
    (time(16), time(18)),
    (time(18), time(20)),
    (time(9, 30), time(11, 30)),
]


def offers_seed(*, seed: int = 20261122) -> int:
    """Create the demo offers if they are missing; returns the number created."""
    if Offer.objects.filter(source_system=DEMO_SOURCE).exists():
        return 0
    rng = random.Random(seed)
    towns = list(Municipality.objects.filter(kind="town").order_by("ags"))
    areas = {a.slug: a for a in LifeArea.objects.all()}
    groups = {g.slug: g for g in TargetGroup.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    providers = list(Organisation.objects.exclude(kind__in=["employer"]).order_by("name"))
    if not towns or not providers:
        return 0
    templates = [(slug, t) for slug, items in TEMPLATES.items() for t in items]
    created = 0
    now = timezone.now()
    for index in range(TARGET_COUNT):
        area_slug, (name, summary, description, group_slugs, language_codes, cost, flags) = (
            templates[index % len(templates)]
        )
        town = towns[(index // len(templates) + index) % len(towns)]
        local_providers = [p for p in providers if p.municipality_id == town.id] or providers
        provider = rng.choice(local_providers)
        location = _location(rng, provider, town)
        age = flags.get("age", (None, None))
        offer = services.offer_create(
            organisation=provider,
            name=f"{name} in {town.name}" if index >= len(templates) else name,
            summary=summary,
            description=f"{description}\n\nOrt: {location.name}, {location.address_line}.",
            status=OfferStatus.TEMPORARILY_CLOSED if index % 97 == 13 else OfferStatus.ACTIVE,
            cost=cost,
            cost_description="Ermäßigung mit Bildungsgutschein oder Berechtigungsschein."
            if cost != Cost.FREE
            else "",
            age_min=age[0],
            age_max=age[1],
            registration_required=flags.get("registration_required", False),
            childcare=flags.get("childcare", False),
            is_online=flags.get("is_online", False),
            is_on_site=flags.get("is_on_site", True),
            email=provider.email,
            phone=provider.phone,
            website=provider.website,
            is_good_practice=index % 24 == 5,
            good_practice_story=(
                f"Seit drei Jahren läuft „{name}“ in {town.name}. Entscheidend war die Zusammenarbeit mit "
                "Ehrenamtlichen aus den Migrantenorganisationen: Sie sprechen die Sprachen der Teilnehmenden und "
                "erreichen Menschen, die sonst nicht kommen würden."
                if index % 24 == 5
                else ""
            ),
            is_published=index % 50 != 49,
            source_system=DEMO_SOURCE,
            source_id=f"demo-{index:04d}",
            life_areas=[areas[area_slug]]
            + ([areas["sprache"]] if flags.get("childcare") and area_slug != "sprache" else []),
            target_groups=[groups[g] for g in group_slugs if g in groups],
            languages=[languages[c] for c in language_codes if c in languages],
            locations=[] if flags.get("is_on_site") is False else [location],
        )
        offer.last_verified_at = now - timedelta(days=rng.randint(0, 500))
        offer.save(update_fields=["last_verified_at"])
        _schedules(rng, offer, location, flags)
        if rng.random() < 0.3:
            services.contact_add(
                offer=offer,
                name=rng.choice(["Frau Beispiel", "Herr Muster", "Team Beratung"]),
                role="Ansprechperson",
                phone=provider.phone,
                email=provider.email,
            )
        _translations(rng, offer, name)
        created += 1
    return created


def _location(rng: random.Random, provider: Organisation, town: Municipality) -> Location:
    # A provider may have several locations of the same name in a town: without the pk as a
    # tie-break, PostgreSQL may pick another one in another run, and the demo texts (and the
    # keys of their shipped vectors) would change.
    existing = (
        Location.objects.filter(organisation=provider, municipality=town)
        .order_by("name", "pk")
        .first()
    )
    if existing and rng.random() < 0.6:
        return existing
    return services.location_create(
        organisation=provider,
        name=f"{provider.name} – {rng.choice(['Beratungsstelle', 'Treffpunkt', 'Kursraum', 'Haus der Begegnung'])}",
        street=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        postcode=(town.postcodes or [""])[0],
        municipality=town,
        latitude=town.latitude + Decimal(rng.randint(-90, 90)) / 10000,
        longitude=town.longitude + Decimal(rng.randint(-90, 90)) / 10000,
        step_free=rng.random() < 0.6,
        accessible_toilet=rng.random() < 0.35,
        hearing_loop=rng.random() < 0.1,
    )


def _schedules(rng: random.Random, offer: Offer, location: Location, flags: dict) -> None:
    if flags.get("dated"):
        day = date.today() + timedelta(days=rng.randint(3, 60))
        services.schedule_add(
            offer=offer,
            location=location,
            kind=ScheduleKind.DATE,
            date=day,
            opens_at=time(17),
            closes_at=time(19),
        )
        return
    if rng.random() < 0.15:
        services.schedule_add(
            offer=offer, kind=ScheduleKind.BY_APPOINTMENT, note="Termine nach Vereinbarung"
        )
        return
    for weekday in rng.sample(range(5), rng.randint(1, 3)):
        opens, closes = rng.choice(SLOTS)
        services.schedule_add(
            offer=offer,
            location=location,
            kind=ScheduleKind.WEEKLY,
            weekday=weekday,
            opens_at=opens,
            closes_at=closes,
        )


def _translations(rng: random.Random, offer: Offer, base_name: str) -> None:
    for language, probability in (("en", 0.35), ("ar", 0.2), ("uk", 0.12)):
        if rng.random() >= probability:
            continue
        generic_name, generic_summary = TRANSLATIONS[language]
        names = ENGLISH_NAMES if language == "en" else ARABIC_NAMES if language == "ar" else {}
        services.offer_translation_save(
            offer=offer,
            language=language,
            name=names.get(base_name, f"{generic_name}: {offer.name}"),
            summary=generic_summary,
            description="",
        )
    # Some German texts were edited after translation: those translations become outdated.
    if offer.translations.exists() and rng.random() < 0.15:
        services.offer_update(offer=offer, summary=offer.summary + " Neu: auch in den Ferien.")
