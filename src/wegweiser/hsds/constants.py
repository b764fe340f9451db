"""Fixed values of the HSDS 3.0 API, the German-integration profile, imports and exports."""

import uuid

HSDS_VERSION = "3.0"
PROFILE_URI = "https://wegweiser.example.org/docs/hsds-profile"
PROFILE_DOC = "docs/hsds-profile.md"

# Child records (schedules, phones, contacts ...) have no UUID of their own in Wegweiser; their
# HSDS ids are UUID5 names under this namespace, derived from the parent's UUID and a stable key.
ID_NAMESPACE = uuid.UUID("6f1d3c8e-6a43-4c2b-9a57-0d6c5e2b8a11")

TAXONOMY_LIFE_AREAS = "wegweiser-life-areas"
TAXONOMY_TARGET_GROUPS = "wegweiser-target-groups"

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_PAGE = 100_000
MAX_PROXIMITY_METRES = 200_000

# State (Land) by the first two digits of the AGS.
LAENDER = {
    "01": "Schleswig-Holstein",
    "02": "Hamburg",
    "03": "Niedersachsen",
    "04": "Bremen",
    "05": "Nordrhein-Westfalen",
    "06": "Hessen",
    "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg",
    "09": "Bayern",
    "10": "Saarland",
    "11": "Berlin",
    "12": "Brandenburg",
    "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen",
    "15": "Sachsen-Anhalt",
    "16": "Thüringen",
}

WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

# Imports
MAX_IMPORT_BYTES = 50 * 1024 * 1024
IMPORT_FORMATS = ("hsds", "csv", "xlsx", "ohana")
PREVIEW_ROWS = 10


def child_id(parent: uuid.UUID | str, kind: str, key: object) -> str:
    """A stable HSDS id for a record that has no UUID of its own."""
    return str(uuid.uuid5(ID_NAMESPACE, f"{parent}:{kind}:{key}"))


def vocabulary_id(kind: str, slug: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"{kind}:{slug}"))
