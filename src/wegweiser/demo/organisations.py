"""Synthetic organisations and demo accounts. All names are invented or generic; every e-mail
address is on the reserved domain example.org."""

from wegweiser.accounts.constants import OrganisationKind as K
from wegweiser.accounts.constants import Role

DEMO_PASSWORD = "Demo-Wegweiser-2026"  # noqa: S105 - synthetic demo accounts only
DEMO_DOMAIN = "example.org"
DISTRICT_ORGANISATION = "Kommunales Integrationszentrum Kreis Recklinghausen"

# (name, kind, town slug or None for district-wide)
ORGANISATIONS: list[tuple[str, str, str | None]] = [
    (DISTRICT_ORGANISATION, K.DISTRICT, "recklinghausen"),
    ("Kreis Recklinghausen – Ausländerbehörde", K.DISTRICT, "recklinghausen"),
    *[
        (f"Stadt {town} – Bürgerbüro", K.TOWN, slug)
        for town, slug in [
            ("Castrop-Rauxel", "castrop-rauxel"),
            ("Datteln", "datteln"),
            ("Dorsten", "dorsten"),
            ("Gladbeck", "gladbeck"),
            ("Haltern am See", "haltern-am-see"),
            ("Herten", "herten"),
            ("Marl", "marl"),
            ("Oer-Erkenschwick", "oer-erkenschwick"),
            ("Recklinghausen", "recklinghausen"),
            ("Waltrop", "waltrop"),
        ]
    ],
    ("Caritasverband Recklinghausen", K.WELFARE_ASSOCIATION, "recklinghausen"),
    ("Caritasverband Dorsten", K.WELFARE_ASSOCIATION, "dorsten"),
    ("AWO Unterbezirk Gladbeck", K.WELFARE_ASSOCIATION, "gladbeck"),
    ("AWO Ortsverein Herten", K.WELFARE_ASSOCIATION, "herten"),
    ("Diakonisches Werk Marl", K.WELFARE_ASSOCIATION, "marl"),
    ("Diakonie Castrop-Rauxel", K.WELFARE_ASSOCIATION, "castrop-rauxel"),
    ("DRK Kreisverband Recklinghausen", K.WELFARE_ASSOCIATION, "recklinghausen"),
    ("DRK Ortsverein Datteln", K.WELFARE_ASSOCIATION, "datteln"),
    ("Der Paritätische Kreisgruppe", K.WELFARE_ASSOCIATION, "herten"),
    ("Jugendmigrationsdienst Vest", K.WELFARE_ASSOCIATION, "recklinghausen"),
    ("Volkshochschule Recklinghausen", K.OTHER, "recklinghausen"),
    ("Volkshochschule Dorsten", K.OTHER, "dorsten"),
    ("Volkshochschule Marl – die insel", K.OTHER, "marl"),
    ("Volkshochschule Gladbeck", K.OTHER, "gladbeck"),
    ("Familienbildungsstätte Haltern", K.OTHER, "haltern-am-see"),
    ("Sportverein Blau-Weiß Herten", K.CLUB, "herten"),
    ("TuS Waltrop 1911", K.CLUB, "waltrop"),
    ("SC Oer-Erkenschwick Schwimmabteilung", K.CLUB, "oer-erkenschwick"),
    ("Fußballfreunde Castrop", K.CLUB, "castrop-rauxel"),
    ("Lesepaten Marl e. V.", K.CLUB, "marl"),
    ("Nähcafé Datteln e. V.", K.CLUB, "datteln"),
    ("Kulturverein Brücke Gladbeck", K.CLUB, "gladbeck"),
    ("Deutsch-Arabischer Freundeskreis Recklinghausen", K.MIGRANT_ORGANISATION, "recklinghausen"),
    ("Ukrainische Gemeinde Vest", K.MIGRANT_ORGANISATION, "herten"),
    ("Afghanischer Kulturverein Marl", K.MIGRANT_ORGANISATION, "marl"),
    ("Türkischer Elternverein Gladbeck", K.MIGRANT_ORGANISATION, "gladbeck"),
    ("Eritreische Gemeinschaft Dorsten", K.MIGRANT_ORGANISATION, "dorsten"),
    ("Frauennetzwerk International Castrop-Rauxel", K.MIGRANT_ORGANISATION, "castrop-rauxel"),
    ("Grundschule am Park Herten", K.SCHOOL, "herten"),
    ("Gesamtschule Waltrop", K.SCHOOL, "waltrop"),
    ("Realschule Datteln", K.SCHOOL, "datteln"),
    ("Berufskolleg Vest", K.SCHOOL, "recklinghausen"),
    ("Gymnasium am Silvertbach Haltern", K.SCHOOL, "haltern-am-see"),
    ("Hauptschule Oer-Erkenschwick", K.SCHOOL, "oer-erkenschwick"),
    ("Kita Sonnenblume Herten", K.KITA, "herten"),
    ("Kita Regenbogen Marl", K.KITA, "marl"),
    ("Familienzentrum Kunterbunt Dorsten", K.KITA, "dorsten"),
    ("Kita Pusteblume Castrop-Rauxel", K.KITA, "castrop-rauxel"),
    ("Kita Arche Noah Gladbeck", K.KITA, "gladbeck"),
    ("Malerbetrieb Beispiel GmbH", K.EMPLOYER, "recklinghausen"),
    ("Pflegedienst Vest Musterpflege", K.EMPLOYER, "herten"),
    ("Logistikzentrum Datteln Beispiel AG", K.EMPLOYER, "datteln"),
    ("Bäckerei Beispielbrot", K.EMPLOYER, "waltrop"),
    ("Jobcenter Kreis Recklinghausen", K.OTHER, "recklinghausen"),
    ("Agentur für Arbeit Recklinghausen", K.OTHER, "recklinghausen"),
    ("Verbraucherzentrale Beratungsstelle Marl", K.OTHER, "marl"),
    ("Mieterverein Vest", K.OTHER, "recklinghausen"),
    ("Stadtbibliothek Gladbeck", K.OTHER, "gladbeck"),
    ("Psychosoziales Zentrum Vest", K.OTHER, "recklinghausen"),
]

# (e-mail local part, full name, role, organisation)
ACCOUNTS: list[tuple[str, str, str, str]] = [
    ("admin", "Alex Admin", Role.ADMIN, DISTRICT_ORGANISATION),
    ("ki-redaktion", "Kira Redaktion", Role.KI_EDITOR, DISTRICT_ORGANISATION),
    ("traeger-caritas", "Tom Träger", Role.PROVIDER_EDITOR, "Caritasverband Recklinghausen"),
    ("traeger-awo", "Tara Träger", Role.PROVIDER_EDITOR, "AWO Unterbezirk Gladbeck"),
    ("traeger-vhs", "Vera Volkshochschule", Role.PROVIDER_EDITOR, "Volkshochschule Recklinghausen"),
    ("buergerbuero-herten", "Bea Bürgerbüro", Role.REGISTRATION_CLERK, "Stadt Herten – Bürgerbüro"),
    ("buergerbuero-marl", "Ben Bürgerbüro", Role.REGISTRATION_CLERK, "Stadt Marl – Bürgerbüro"),
    ("kim-koordination", "Kim Koordination", Role.KIM_COORDINATOR, DISTRICT_ORGANISATION),
    (
        "fallmanagement-caritas",
        "Carla Fallmanagement",
        Role.CASE_MANAGER,
        "Caritasverband Recklinghausen",
    ),
    ("fallmanagement-awo", "Ali Fallmanagement", Role.CASE_MANAGER, "AWO Unterbezirk Gladbeck"),
    ("fallmanagement-diakonie", "Dana Fallmanagement", Role.CASE_MANAGER, "Diakonisches Werk Marl"),
]
