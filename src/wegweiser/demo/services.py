"""`seed_demo`: deterministic synthetic demo data, created through the apps' services."""

import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from wegweiser.accounts.models import Membership, Organisation, User
from wegweiser.accounts.services import membership_add, organisation_create
from wegweiser.cases.demo import cases_seed
from wegweiser.core.models import Municipality
from wegweiser.core.services import district_load, vocabulary_load
from wegweiser.demo.legal import legal_texts_seed
from wegweiser.demo.vectors import demo_vectors_apply
from wegweiser.editorial.demo import editorial_seed
from wegweiser.offers.demo import offers_seed
from wegweiser.pages.demo import pages_seed
from wegweiser.search.services import indexing_deferred, synonyms_load_defaults

from .organisations import ACCOUNTS, DEMO_DOMAIN, DEMO_PASSWORD, ORGANISATIONS

SEED = 20261122


@dataclass
class SeedReport:
    organisations_created: int = 0
    users_created: int = 0
    offers_created: int = 0
    pages_created: int = 0
    cases_created: int = 0
    revisions_created: int = 0
    vectors_loaded: int = 0
    accounts: list[dict[str, str]] = field(default_factory=list)


def _slug_mail(name: str) -> str:
    return "".join(c for c in name.lower().replace(" ", "-") if c.isalnum() or c == "-")[:40]


@transaction.atomic
def demo_seed(*, accounts_file: Path | None = None) -> SeedReport:
    """Create (or complete) the demo district, organisations and accounts. Idempotent."""
    rng = random.Random(SEED)
    report = SeedReport()
    district_load(path=settings.WEGWEISER_DISTRICT_FILE)
    vocabulary_load()
    # The search's default synonym list (Kita/Kindergarten, Job/Arbeit ...), editable later.
    synonyms_load_defaults()
    legal_texts_seed()
    towns = {m.slug: m for m in Municipality.objects.all()}

    organisations: dict[str, Organisation] = {}
    for name, kind, town_slug in ORGANISATIONS:
        town = towns.get(town_slug) if town_slug else None
        organisation = Organisation.objects.filter(name=name, municipality=town).first()
        if organisation is None:
            local = _slug_mail(name)
            organisation = organisation_create(
                actor=None,
                name=name,
                kind=kind,
                municipality=town,
                email=f"info@{local}.{DEMO_DOMAIN}",
                phone=f"+49 2361 {rng.randint(100000, 999999)}",
                website=f"https://{local}.{DEMO_DOMAIN}/",
                address=f"{rng.choice(['Hauptstraße', 'Kirchplatz', 'Bahnhofstraße', 'Marktstraße', 'Am Rathaus'])} "
                f"{rng.randint(1, 80)}, {town.postcodes[0] if town and town.postcodes else ''} "
                f"{town.name if town else ''}".strip(),
                dpo_name="Datenschutzbeauftragte Beispiel",
                dpo_email=f"datenschutz@{local}.{DEMO_DOMAIN}",
            )
            report.organisations_created += 1
        organisations[name] = organisation

    password_hash = ""
    for local, full_name, role, organisation_name in ACCOUNTS:
        email = f"{local}@{DEMO_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            # Hashing the shared demo password once keeps seeding fast.
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user = User.objects.create_user(email, None, full_name=full_name, is_demo=True)
            user.password = password_hash
            user.save(update_fields=["password"])
            report.users_created += 1
        organisation = organisations[organisation_name]
        if not Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
            membership_add(actor=None, user=user, organisation=organisation, role=role)
        report.accounts.append(
            {
                "email": email,
                "password": DEMO_PASSWORD,
                "role": role,
                "organisation": organisation_name,
            }
        )

    # Each offer and page is indexed once, at the end, instead of after every step.
    with indexing_deferred():
        report.offers_created = offers_seed()
        report.pages_created = pages_seed()
    # After the offers: demo cases refer people to some of them.
    report.cases_created = cases_seed()
    # Proposed changes by providers, waiting in the district's review queue.
    report.revisions_created = editorial_seed()
    # Cross-language search from the start: the demo texts' embeddings ship with the code.
    if not os.environ.get("WEGWEISER_DEMO_SKIP_VECTORS"):
        report.vectors_loaded = demo_vectors_apply()

    target = Path(accounts_file or settings.WEGWEISER_DEMO_ACCOUNTS_FILE)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        json.dumps(report.accounts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return report
