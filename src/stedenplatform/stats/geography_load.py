"""Extend the platform's 2025 geography with what statistics need: the
2019-2024 municipalities and their succession onto those of 2025, the
administrative arrondissementen, the deelgemeenten (used as the wijk level)
and statistische sectoren of Flanders and Brussels, and simplified
municipality and province boundaries.

Sources, shipped in `data/`: Statbel REFNIS (TU_COM_REFNIS, CC BY 4.0), the
2025 merger list, and the area tables and boundaries of Provincies in
Cijfers / Statbel (Modellicentie Gratis Hergebruik v1.0, CC BY 4.0).
Sector boundaries are not shipped (the file is too heavy), so sectors and
wijken have no geometry.
"""

import csv
import datetime
import functools
import json
import logging
import re
from pathlib import Path

from django.db import transaction

from stedenplatform.core.geography import GEOGRAPHY_2025
from stedenplatform.core.models import Area, AreaLevel, AreaSuccession

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"
OLD_FROM = datetime.date(2019, 1, 1)
OLD_TO = datetime.date(2024, 12, 31)
SIMPLIFY_TOLERANCE = 0.0012  # degrees, about 100 m: enough for a city map


def _perpendicular(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def simplify_ring(ring: list, tolerance: float = SIMPLIFY_TOLERANCE) -> list:
    """Douglas-Peucker on one closed ring, keeping at least a triangle."""
    if len(ring) <= 5:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            distance = _perpendicular(ring[i], ring[first], ring[last])
            if distance > best:
                best, index = distance, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    result = [
        [round(x, 4), round(y, 4)] for (x, y), k in zip(ring, keep, strict=True) if k
    ]
    if len(result) < 4:
        step = max(1, len(ring) // 4)
        result = [[round(x, 4), round(y, 4)] for x, y in ring[::step]] + [result[0]]
    return result


def simplify_geometry(geometry: dict) -> dict:
    if geometry["type"] == "Polygon":
        return {
            "type": "Polygon",
            "coordinates": [simplify_ring(r) for r in geometry["coordinates"]],
        }
    if geometry["type"] == "MultiPolygon":
        return {
            "type": "MultiPolygon",
            "coordinates": [
                [simplify_ring(r) for r in polygon]
                for polygon in geometry["coordinates"]
            ],
        }
    return geometry


@functools.cache
def _features(name: str) -> dict[str, dict]:
    data = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
    return {
        str(f["properties"]["nis"]).zfill(5): simplify_geometry(f["geometry"])
        for f in data["features"]
    }


def _refnis_rows() -> list[dict]:
    path = DATA_DIR / "TU_COM_REFNIS_pre2025.txt"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            r
            for r in csv.DictReader(handle, delimiter="|")
            if r["DT_VLDT_END"].strip() == "31/12/9999"
        ]


def _mergers() -> dict[str, str]:
    """Old NIS code -> new NIS code for the 2025 mergers."""
    mapping = {}
    text = (DATA_DIR / "fusies-2025.csv").read_text(encoding="utf-8")
    for line in text.splitlines()[1:]:
        old_part, _, new_part = line.partition(",\t")
        new = re.findall(r"\((\d{5})\)", new_part)
        for old in re.findall(r"\((\d{5})\)", old_part):
            mapping[old] = new[0]
    return mapping


@transaction.atomic
def load_statistical_geography(with_sectors: bool = True) -> dict[str, int]:
    """Add the areas; running it again changes nothing."""
    counts = {}
    provinces = {a.code: a for a in Area.current().filter(level=AreaLevel.PROVINCIE)}
    regions = {a.code: a for a in Area.current().filter(level=AreaLevel.GEWEST)}
    current = {a.code: a for a in Area.current().filter(level=AreaLevel.GEMEENTE)}
    refnis = _refnis_rows()

    arrondissements = {}
    for row in refnis:
        if row["LVL_REFNIS"] != "3":
            continue
        parent = provinces.get(row["CD_SUP_REFNIS"]) or regions.get("04000")
        arrondissements[row["CD_REFNIS"]], _ = Area.objects.update_or_create(
            level=AreaLevel.ARRONDISSEMENT,
            code=row["CD_REFNIS"],
            valid_from=None,
            defaults={
                "name": row["TX_REFNIS_NL"],
                "name_fr": row["TX_REFNIS_FR"],
                "parent": parent,
            },
        )
    counts["arrondissementen"] = len(arrondissements)

    old_geometry = _features("gemeenten_2019-2024_vl_bru.geojson")
    existing_old = {
        a.code: a
        for a in Area.objects.filter(level=AreaLevel.GEMEENTE, valid_to=OLD_TO)
    }
    arrondissement_province = {
        code: area.parent for code, area in arrondissements.items()
    }
    new_old = []
    for row in refnis:
        if row["LVL_REFNIS"] != "4" or row["CD_REFNIS"] in existing_old:
            continue
        parent = arrondissement_province.get(row["CD_SUP_REFNIS"])
        new_old.append(
            Area(
                level=AreaLevel.GEMEENTE,
                code=row["CD_REFNIS"],
                name=row["TX_REFNIS_NL"],
                name_fr=row["TX_REFNIS_FR"],
                parent=parent,
                valid_from=OLD_FROM,
                valid_to=OLD_TO,
                geometry=old_geometry.get(row["CD_REFNIS"]),
            )
        )
    Area.objects.bulk_create(new_old)
    old = {
        a.code: a
        for a in Area.objects.filter(level=AreaLevel.GEMEENTE, valid_to=OLD_TO)
    }
    counts["gemeenten_2019_2024"] = len(old)

    mergers = _mergers()
    known = set(AreaSuccession.objects.values_list("old_id", "new_id"))
    successions = []
    for code, area in old.items():
        target = current.get(mergers.get(code, code))
        if target is None:
            logger.warning("no successor for municipality %s", code)
            continue
        if (area.pk, target.pk) not in known:
            successions.append(
                AreaSuccession(old=area, new=target, date=GEOGRAPHY_2025)
            )
    AreaSuccession.objects.bulk_create(successions)
    counts["opvolgingen"] = AreaSuccession.objects.filter(date=GEOGRAPHY_2025).count()

    geometry = _features("gemeenten_2025_vl_bru.geojson")
    changed = []
    for code, area in current.items():
        shape = geometry.get(code)
        if shape is not None and area.geometry != shape:
            area.geometry = shape
            changed.append(area)
    Area.objects.bulk_update(changed, ["geometry"], batch_size=50)
    for code, shape in _features("provincies_vl_bru.geojson").items():
        target = provinces.get(code) or (
            regions.get("04000") if code == "04000" else None
        )
        if target is not None and target.geometry != shape:
            target.geometry = shape
            target.save(update_fields=["geometry"])
    counts["grenzen"] = sum(1 for a in current.values() if a.code in geometry)

    if with_sectors:
        counts.update(_load_sectors(current))
    return counts


def _load_sectors(current: dict[str, Area]) -> dict[str, int]:
    path = DATA_DIR / "statsec2025_koppeltabel_vl_bru.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    wijken = {
        a.code: a
        for a in Area.objects.filter(level=AreaLevel.WIJK, valid_from=GEOGRAPHY_2025)
    }
    new: dict[str, Area] = {}
    for row in rows:
        code = row["deelgemeente"]
        parent = current.get(row["gemeente"].zfill(5))
        if code in wijken or code in new or parent is None:
            continue
        new[code] = Area(
            level=AreaLevel.WIJK,
            code=code,
            valid_from=GEOGRAPHY_2025,
            name=row["deelgemeente_naam"].replace(" (Dg.)", ""),
            parent=parent,
        )
    Area.objects.bulk_create(new.values(), ignore_conflicts=True)
    wijken = {
        a.code: a.pk
        for a in Area.objects.filter(level=AreaLevel.WIJK, valid_from=GEOGRAPHY_2025)
    }
    existing = set(
        Area.objects.filter(
            level=AreaLevel.SECTOR, valid_from=GEOGRAPHY_2025
        ).values_list("code", flat=True)
    )
    sectors = [
        Area(
            level=AreaLevel.SECTOR,
            code=row["statsec"],
            name=row["statsec_naam"],
            valid_from=GEOGRAPHY_2025,
            parent_id=wijken[row["deelgemeente"]],
        )
        for row in rows
        if row["statsec"] not in existing and row["deelgemeente"] in wijken
    ]
    Area.objects.bulk_create(sectors, batch_size=2000, ignore_conflicts=True)
    return {"wijken": len(wijken), "sectoren": len(existing) + len(sectors)}
