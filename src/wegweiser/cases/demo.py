"""Synthetic KIM demo data for `seed_demo`: intakes from registration offices, cases at four
case-management organisations, their needs, notes and referrals, and gaps.

Every name is invented and every address is on example.org. Deterministic, and a second run
adds nothing (the intakes carry `demo-` references).
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from wegweiser.accounts.constants import OrganisationKind, Role
from wegweiser.accounts.models import Membership, Organisation
from wegweiser.core.models import Language, LifeArea, Municipality
from wegweiser.offers.models import Offer
from wegweiser.privacy.constants import DataCategory, Purpose
from wegweiser.privacy.models import ConsentNotice
from wegweiser.privacy.services import notice_create

from . import services
from .constants import BarrierKind, CaseStatus, InstitutionKind
from .models import Intake

NOTICE_KEY = "kim-willkommensberatung"
NOTICE_TEXT = (
    "Ich bin damit einverstanden, dass das Bürgerbüro meinen Namen, meine Kontaktdaten, meine "
    "Sprachen und die Größe meines Haushalts an eine Stelle des Kommunalen "
    "Integrationsmanagements (Wohlfahrtsverband oder Stadt) übermittelt, damit sie mir eine "
    "Willkommensberatung anbietet. Die Beraterin oder der Berater darf mich mit meiner "
    "Zustimmung an Angebote vermitteln und den Fall an eine andere Beratungsstelle abgeben. "
    "Ich kann diese Einwilligung jederzeit widerrufen. (Synthetischer Demo-Text.)"
)

# organisation -> towns it serves, counselling languages, capacity
CASE_MANAGEMENT = {
    "Caritasverband Recklinghausen": (
        ["recklinghausen", "herten", "oer-erkenschwick"],
        ["de", "ar", "fa"],
        25,
    ),
    "AWO Unterbezirk Gladbeck": (["gladbeck", "dorsten"], ["de", "tr", "ar"], 20),
    "Diakonisches Werk Marl": (["marl", "haltern-am-see"], ["de", "uk", "ru"], 15),
    "Diakonie Castrop-Rauxel": (["castrop-rauxel", "datteln", "waltrop"], ["de", "uk"], 12),
}
OFFICES = ["Stadt Herten – Bürgerbüro", "Stadt Marl – Bürgerbüro", "Stadt Gladbeck – Bürgerbüro"]
GIVEN = ["Amal", "Olena", "Yusuf", "Mariam", "Dmytro", "Samira", "Ahmad", "Iryna", "Hasan",
         "Nour", "Taras", "Leyla", "Omid", "Zainab", "Bohdan", "Aylin"]  # fmt: skip
FAMILY = ["Beispiel", "Muster", "Probe", "Demo", "Testfeld", "Platzhalter", "Fiktiv",
          "Erfunden"]  # fmt: skip
LANGS = [["ar"], ["uk", "ru"], ["fa"], ["tr"], ["ar", "de"], ["uk"]]
INTAKES = 40


def _notice() -> ConsentNotice:
    notice = ConsentNotice.objects.filter(key=NOTICE_KEY, language="de").first()
    return notice or notice_create(
        actor=None,
        key=NOTICE_KEY,
        language="de",
        title="Einwilligung Willkommensberatung (KIM)",
        text=NOTICE_TEXT,
        purposes=list(Purpose.values),
        recipient_kinds=[OrganisationKind.WELFARE_ASSOCIATION, OrganisationKind.TOWN],
        data_categories=[
            DataCategory.IDENTITY,
            DataCategory.CONTACT,
            DataCategory.LANGUAGES,
            DataCategory.HOUSEHOLD,
            DataCategory.NEEDS,
        ],
    )


def cases_seed() -> int:
    """Create the demo intakes, cases and gaps once; return the number of cases created."""
    if Intake.objects.filter(external_ref__startswith="demo-").exists():
        return 0
    rng = random.Random(20261201)
    towns = {m.slug: m for m in Municipality.objects.filter(kind="town")}
    organisations = {
        o.name: o for o in Organisation.objects.filter(name__in=[*CASE_MANAGEMENT, *OFFICES])
    }
    known_languages = set(Language.objects.values_list("code", flat=True))
    serving: dict[str, Organisation] = {}
    for name, (slugs, languages, capacity) in CASE_MANAGEMENT.items():
        if name not in organisations:
            continue
        services.case_management_configure(
            actor=None,
            organisation=organisations[name],
            capacity=capacity,
            municipalities=[towns[s] for s in slugs if s in towns],
            languages=languages,
        )
        for slug in slugs:
            serving[slug] = organisations[name]
    managers = {
        m.organisation_id: m.user
        for m in Membership.objects.filter(role=Role.CASE_MANAGER).select_related("user")
    }
    offices = [organisations[name] for name in OFFICES if name in organisations]
    if not offices or not serving:
        return 0
    notice = _notice()
    areas = list(LifeArea.objects.all()[:10])
    # Only providers the demo notice names (by kind) may receive referrals.
    offers = list(
        Offer.objects.filter(
            status="active",
            organisation__kind__in=[OrganisationKind.WELFARE_ASSOCIATION, OrganisationKind.TOWN],
        ).order_by("id")[:50]
    )
    town_list = [towns[s] for s in sorted(serving) if s in towns]
    created = 0
    today = timezone.localdate()
    for i in range(INTAKES):
        town = town_list[i % len(town_list)]
        given = i % 7 != 3  # about one in seven refuses
        intake = services.intake_record(
            actor=None,
            office=offices[i % len(offices)],
            given_name=rng.choice(GIVEN),
            family_name=f"{rng.choice(FAMILY)}-{i + 1}",
            municipality=town,
            consent_given=given,
            notice=notice,
            consent_language="de",
            interpreter=rng.random() < 0.5,
            email=f"neu{i + 1}@example.org",
            phone=f"+49 2361 555{i:03d}",
            address=f"Beispielweg {i + 1}, {town.name}",
            languages=[c for c in LANGS[i % len(LANGS)] if c in known_languages],
            household_size=rng.randint(1, 6),
            arrival_date=today - timedelta(days=rng.randint(5, 200)),
            external_ref=f"demo-{i + 1}",
        )
        # A few intakes stay open so that the coordinator has something to distribute.
        if not given or i % 5 == 4:
            continue
        organisation = serving[town.slug]
        case = services.intake_assign(actor=None, intake=intake, organisation=organisation)
        created += 1
        manager = managers.get(organisation.pk)
        if manager is None or i % 4 == 0:
            continue  # waiting to be taken over
        services.case_take_over(actor=None, case=case, case_manager=manager)
        if areas:
            services.need_add(
                actor=manager,
                case=case,
                life_area=areas[i % len(areas)],
                description="Sucht Unterstützung (Demo).",
            )
        if i % 3 == 0:
            continue
        services.case_status_change(actor=manager, case=case, status=CaseStatus.FIRST_CONTACT)
        services.note_add(actor=manager, case=case, text="Erstgespräch geführt (Demo-Notiz).")
        services.goal_add(actor=manager, case=case, description="Deutschkurs beginnen (Demo).")
        if i % 2 == 0:
            services.case_status_change(actor=manager, case=case, status=CaseStatus.ACTIVE)
            if offers:
                referral = services.referral_create(
                    actor=manager, case=case, offer=offers[i % len(offers)]
                )
                services.referral_send(actor=manager, referral=referral)
    _gaps_seed(rng, serving, areas, managers, today)
    return created


def _gaps_seed(rng, serving, areas, managers, today) -> None:
    if not areas:
        return
    pairs = [(slug, org) for slug, org in sorted(serving.items()) if org.pk in managers]
    for j in range(60):
        slug, organisation = pairs[j % len(pairs)] if j % 3 else pairs[0]
        services.gap_record(
            actor=None,
            organisation=organisation,
            life_area=rng.choice(areas),
            institution_kind=rng.choice(InstitutionKind.values),
            barrier_kind=rng.choice(BarrierKind.values[:4]),
            municipality=Municipality.objects.get(slug=slug),
            observed_on=date(today.year, 1, 1) + timedelta(days=rng.randint(0, 300)),
            description="Struktureller Hinweis ohne Personenbezug (Demo).",
        )
