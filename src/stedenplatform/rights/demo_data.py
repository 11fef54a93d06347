"""Demo data of the rights module: the federal, Flemish and provincial
catalogue (`data/catalogus.yaml`), the local rights of an LPDC example file
(`data/lpdc-voorbeeld.jsonld`, fictief) and the client profiles. Loading twice
changes nothing."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from stedenplatform.core.audit import record, snapshot
from stedenplatform.core.models import Area, AreaLevel

from .lpdc import parse_lpdc
from .models import ClientProfile, Right
from .permissions import organisation_for_area
from .services import AUDITED, _apply, check_right

DATA_DIR = Path(__file__).parent / "data"
CATALOGUE = DATA_DIR / "catalogus.yaml"
LPDC_EXAMPLE = DATA_DIR / "lpdc-voorbeeld.jsonld"
PROFILES = DATA_DIR / "profielen.yaml"


def _catalogue_rows() -> list[dict]:
    rows = []
    for item in yaml.safe_load(CATALOGUE.read_text(encoding="utf-8")):
        area = None
        if item.get("provincie"):
            area = Area.objects.get(
                level=AreaLevel.PROVINCIE, code=item["provincie"], valid_to__isnull=True
            )
        rows.append(
            {
                "slug": item["slug"],
                "title": item["titel"],
                "level": item["niveau"],
                "scope": item.get("soort", "individueel"),
                "description": item["omschrijving"],
                "conditions_text": item.get("voorwaarden_tekst", ""),
                "condition": (item.get("voorwaarde") or "").strip(),
                "procedure": item.get("procedure", ""),
                "documents": item.get("documenten", ""),
                "contact": item.get("contact", ""),
                "amount_text": item.get("voordeel", ""),
                "legal_source": item.get("regelgeving", ""),
                "source_name": item.get("bron", ""),
                "source_url": item.get("bron_url", ""),
                "is_fictief": item.get("fictief") in (True, "ja"),
                "themes": item.get("themas", []),
                "target_groups": item.get("doelgroepen", []),
                "area": area,
                "related_slugs": item.get("verwant", []),
            }
        )
    return rows


def _upsert(data: dict, key: dict) -> tuple[Right, bool]:
    right = Right.objects.filter(**key).first()
    before = snapshot(right, AUDITED) if right else None
    if right is None:
        right = Right(slug=data.get("slug") or key.get("slug"))
    _apply(right, data)
    if data.get("slug"):
        right.slug = data["slug"]
    after = snapshot(right, AUDITED)
    if before == after:
        return right, False
    right.organisation = organisation_for_area(right.area)
    right.save()
    record(
        None,
        "recht.demo",
        right,
        before=before,
        after=snapshot(right, AUDITED),
        organisation=right.organisation,
    )
    return right, True


@transaction.atomic
def load_catalogue() -> int:
    """Create or update the built-in catalogue and the LPDC example."""
    changed = 0
    rows = _catalogue_rows()
    for row in rows:
        problems = check_right(row)
        if problems:
            raise ValueError("; ".join(p.describe() for p in problems))
    rights = {}
    for row in rows:
        rights[row["slug"]], was_changed = _upsert(row, {"slug": row["slug"]})
        changed += was_changed
    for row in rows:
        wanted = {rights[s].pk for s in row["related_slugs"] if s in rights}
        current = set(rights[row["slug"]].related.values_list("pk", flat=True))
        if wanted - current:
            rights[row["slug"]].related.add(*wanted)
    from django.utils.text import slugify

    for data in parse_lpdc(LPDC_EXAMPLE.read_bytes(), LPDC_EXAMPLE.name):
        data["slug"] = slugify(data["title"])[:100]
        _, was_changed = _upsert(data, {"lpdc_id": data["lpdc_id"]})
        changed += was_changed
    return changed


@transaction.atomic
def load_profiles() -> int:
    changed = 0
    for item in yaml.safe_load(PROFILES.read_text(encoding="utf-8")):
        values = {
            "name": item["naam"],
            "description": item["omschrijving"],
            "data": item["gegevens"],
        }
        profile = ClientProfile.objects.filter(slug=item["slug"]).first()
        if profile and all(getattr(profile, k) == v for k, v in values.items()):
            continue
        ClientProfile.objects.update_or_create(slug=item["slug"], defaults=values)
        changed += 1
    return changed


def load(console) -> None:
    """Load this module's demo data."""
    rights = load_catalogue()
    profiles = load_profiles()
    console.print(
        f"Rechten: {Right.objects.count()} rechten ({rights} bijgewerkt), "
        f"{ClientProfile.objects.count()} cliëntprofielen ({profiles} bijgewerkt)."
    )
