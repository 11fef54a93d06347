"""Import local rights from an LPDC export in JSON-LD (CPSV-AP shape).

The Lokale Producten- en Dienstencatalogus publishes each public service as
a `cpsv:PublicService` instance, whole per version, with the fields of the
Belgian CPSV application profile and the OSLO "Dienst" vocabulary: title,
description, requirements (`belgif:hasRequirement`, free text), procedures
(`cpsv:follows`), costs (`m8g:hasCost`), financial advantages
(`lpdcExt:hasFinancialAdvantage`), legal resources (`m8g:hasLegalResource`),
target audiences, themes, the spatial scope as REFNIS codes (`dct:spatial`),
competent and executing authorities, and `schema:startDate`/`endDate`.

The free-text requirements are kept as they are; an executable condition can
ride along in `sp:voorwaardeExpressie` (or be written later on the platform).
The whole file is checked before anything is written; a re-import of the same
file changes nothing.
"""

from __future__ import annotations

import datetime
import json
import logging

from django.db import transaction

from stedenplatform.core.audit import record, snapshot
from stedenplatform.core.errors import InputRefusedError, Problem
from stedenplatform.core.models import Area, AreaLevel

from .models import TARGET_GROUPS, THEMES, Level, Right
from .permissions import organisation_for_area, require_manage
from .services import AUDITED, _apply, _unique_slug, check_right

logger = logging.getLogger(__name__)

REFNIS_PREFIXES = (
    "http://vocab.belgif.be/auth/refnis2025/",
    "http://vocab.belgif.be/auth/refnis2019/",
    "https://vocab.belgif.be/auth/refnis2025/",
)
AUDIENCE = {
    "Burger": None,
    "Gezin": "gezinnen",
    "Jongere": "jongeren",
    "Senior": "senioren",
    "PersoonMetHandicap": "personen-met-handicap",
    "LaagInkomen": "laag-inkomen",
    "Werkzoekende": "werkzoekenden",
    "Student": "studenten",
}
THEME_CODES = {
    "BurgerOverheid": None,
    "EconomieWerk": "werk",
    "OnderwijsWetenschap": "onderwijs",
    "WelzijnGezondheid": "gezondheid",
    "BouwenWonen": "wonen",
    "CultuurSportVrijeTijd": "vrije-tijd",
    "MobiliteitOpenbareWerken": "mobiliteit",
    "Inkomen": "inkomen",
}


def _text(value) -> str:
    """A language string (or list of them) as Dutch text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get("@value", ""))
    if isinstance(value, list):
        dutch = [v for v in value if isinstance(v, dict) and v.get("@language") == "nl"]
        return "\n".join(_text(v) for v in (dutch or value) if _text(v))
    return str(value)


def _many(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _descriptions(items) -> str:
    parts = []
    for item in _many(items):
        title = _text(item.get("dct:title")) if isinstance(item, dict) else ""
        description = (
            _text(item.get("dct:description")) if isinstance(item, dict) else ""
        )
        parts.append(
            f"{title}: {description}" if title and description else title or description
        )
    return "\n".join(p for p in parts if p)


def _concept(uri) -> str:
    uri = uri.get("@id", "") if isinstance(uri, dict) else str(uri)
    return uri.rstrip("/").rsplit("/", 1)[-1]


def _date(value, row: int, column: str, problems: list[Problem]):
    text = _text(value)
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        problems.append(
            Problem(
                "geen geldige datum",
                row=row,
                column=column,
                value=text,
                allowed="JJJJ-MM-DD",
                code="datum_ongeldig",
            )
        )
        return None


def _members(document):
    """The instances of a JSON-LD graph or of a page of a linked data event stream."""
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        return None
    for key in ("@graph", "tree:member", "member"):
        if isinstance(document.get(key), list):
            return document[key]
    return None


def _instance_id(item: dict) -> str:
    """An event stream carries versions; `dct:isVersionOf` names the instance."""
    version_of = item.get("dct:isVersionOf")
    if isinstance(version_of, dict):
        version_of = version_of.get("@id")
    return str(version_of or item.get("@id") or "")


def _latest_versions(records: list[dict]) -> list[dict]:
    """Keep, per instance, only its newest version (each version is whole)."""
    latest: dict[str, dict] = {}
    for data in records:
        key = data["lpdc_id"]
        if key not in latest or data["_version"] >= latest[key]["_version"]:
            latest[key] = data
    for data in latest.values():
        data.pop("_version")
    return list(latest.values())


def parse_lpdc(content: bytes | str, source: str = "LPDC-bestand") -> list[dict]:
    """Read and check a whole LPDC file; raise InputRefusedError on any problem."""
    try:
        document = json.loads(content)
    except (ValueError, UnicodeDecodeError) as error:
        raise InputRefusedError(
            source, [Problem(f"geen geldige JSON ({error})", code="geen_json")]
        ) from None
    graph = _members(document)
    if not isinstance(graph, list):
        raise InputRefusedError(
            source,
            [
                Problem(
                    "verwacht een JSON-LD-document met een '@graph'-lijst of de "
                    "'tree:member'-lijst van een LDES-pagina",
                    code="geen_graph",
                )
            ],
        )
    problems: list[Problem] = []
    municipalities = {
        a.code: a
        for a in Area.objects.filter(level=AreaLevel.GEMEENTE, valid_to__isnull=True)
    }
    records = []
    for row, item in enumerate(graph, start=1):
        types = _many(item.get("@type"))
        if "cpsv:PublicService" not in types and "PublicService" not in types:
            continue
        codes = []
        for spatial in _many(item.get("dct:spatial")):
            uri = spatial.get("@id", "") if isinstance(spatial, dict) else str(spatial)
            code = uri
            for prefix in REFNIS_PREFIXES:
                code = code.removeprefix(prefix)
            codes.append(code)
        area = None
        if len(codes) != 1 or codes[0] not in municipalities:
            problems.append(
                Problem(
                    "geografisch toepassingsgebied moet precies één bestaande gemeente "
                    "(REFNIS-code van 2025) zijn",
                    row=row,
                    column="dct:spatial",
                    value=", ".join(codes) or None,
                    allowed="bv. http://vocab.belgif.be/auth/refnis2025/44021",
                    code="gemeente_onbekend",
                )
            )
        else:
            area = municipalities[codes[0]]
        audiences = [
            AUDIENCE.get(_concept(a)) for a in _many(item.get("lpdcExt:targetAudience"))
        ]
        themes = [
            THEME_CODES.get(_concept(t)) for t in _many(item.get("m8g:thematicArea"))
        ]
        legal = _many(item.get("m8g:hasLegalResource"))
        legal_text = "; ".join(
            _text(r.get("dct:title")) or r.get("@id", "")
            if isinstance(r, dict)
            else str(r)
            for r in legal
        )
        data = {
            "lpdc_id": _instance_id(item),
            "title": _text(item.get("dct:title")),
            "description": _text(item.get("dct:description")),
            "level": Level.LOKAAL,
            "scope": "individueel",
            "conditions_text": _descriptions(item.get("belgif:hasRequirement")),
            "condition": _text(item.get("sp:voorwaardeExpressie")),
            "procedure": _descriptions(item.get("cpsv:follows")),
            "documents": _descriptions(
                [
                    e
                    for r in _many(item.get("belgif:hasRequirement"))
                    if isinstance(r, dict)
                    for e in _many(r.get("m8g:hasSupportingEvidence"))
                ]
            ),
            "amount_text": "\n".join(
                x
                for x in [
                    _descriptions(item.get("m8g:hasCost")),
                    _descriptions(item.get("lpdcExt:hasFinancialAdvantage")),
                ]
                if x
            ),
            "contact": _descriptions(item.get("m8g:hasContactPoint"))
            or "\n".join(
                _text(c.get("schema:email") or c.get("schema:telephone"))
                for c in _many(item.get("m8g:hasContactPoint"))
                if isinstance(c, dict)
            ),
            "legal_source": legal_text[:300],
            "source_name": "LPDC (Lokale Producten- en Dienstencatalogus)",
            "source_url": str(item.get("@id") or "")[:200]
            if str(item.get("@id") or "").startswith("http")
            else "",
            "is_fictief": bool(item.get("sp:fictief", False)),
            "themes": sorted({t for t in themes if t in THEMES}),
            "target_groups": sorted({a for a in audiences if a in TARGET_GROUPS}),
            "valid_from": _date(
                item.get("schema:startDate"), row, "schema:startDate", problems
            ),
            "valid_to": _date(
                item.get("schema:endDate"), row, "schema:endDate", problems
            ),
            "area": area,
        }
        if not data["lpdc_id"]:
            problems.append(
                Problem(
                    "de instantie heeft geen '@id'",
                    row=row,
                    column="@id",
                    code="id_ontbreekt",
                )
            )
        if area is not None:
            problems.extend(check_right(data, row=row))
        data["_version"] = _text(item.get("prov:generatedAtTime"))
        records.append(data)
    records = _latest_versions(records)
    if not records and not problems:
        problems.append(
            Problem("het bestand bevat geen cpsv:PublicService", code="geen_diensten")
        )
    if problems:
        raise InputRefusedError(source, problems)
    return records


def import_lpdc(actor, content: bytes | str, source: str = "LPDC-bestand") -> dict:
    """Import every local right of the file in one transaction."""
    records = parse_lpdc(content, source)
    for data in records:
        require_manage(actor, Level.LOKAAL, data["area"])

    counts = {"nieuw": 0, "gewijzigd": 0, "ongewijzigd": 0}
    with transaction.atomic():
        for data in records:
            right = Right.objects.filter(lpdc_id=data["lpdc_id"]).first()
            before = snapshot(right, AUDITED) if right else None
            if right is None:
                right = Right(slug=_unique_slug(data["title"]))
            _apply(right, data)
            after = snapshot(right, AUDITED)
            if before is not None and before == after:
                counts["ongewijzigd"] += 1
                continue
            right.organisation = organisation_for_area(right.area)
            right.save()
            record(
                actor,
                "recht.geimporteerd",
                right,
                before=before,
                after=snapshot(right, AUDITED),
                organisation=right.organisation,
            )
            counts["gewijzigd" if before else "nieuw"] += 1
    logger.info(
        "lpdc import: new=%s changed=%s unchanged=%s",
        counts["nieuw"],
        counts["gewijzigd"],
        counts["ongewijzigd"],
    )
    return counts
