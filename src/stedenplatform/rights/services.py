"""Changes to the rights catalogue and the client profiles.

Every function checks the actor's permission, validates everything first,
writes in one transaction and records an audit row with the values before
and after.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.text import slugify

from stedenplatform.core.audit import record, snapshot
from stedenplatform.core.errors import InputRefusedError, Problem
from stedenplatform.core.models import Area, AreaLevel, Role
from stedenplatform.core.permissions import has_role, require_role

from .advice import parse_household
from .conditions import ConditionError, parse_condition
from .models import TARGET_GROUPS, THEMES, ClientProfile, Level, Right, Scope
from .permissions import kenniscentrum, organisation_for_area, require_manage

logger = logging.getLogger(__name__)

# The fiche as people edit it on the page; imports also set validity and
# the LPDC identifier.
EDITABLE_FIELDS = [
    "title",
    "level",
    "scope",
    "description",
    "conditions_text",
    "condition",
    "procedure",
    "documents",
    "contact",
    "amount_text",
    "legal_source",
    "source_name",
    "source_url",
    "is_fictief",
    "themes",
    "target_groups",
]
FIELDS = EDITABLE_FIELDS + ["valid_from", "valid_to", "lpdc_id"]
AUDITED = FIELDS + ["slug", "area"]


def check_right(
    data: dict, *, row: int | None = None, source: str = ""
) -> list[Problem]:
    """Problems with a right's data; empty when it can be saved."""
    problems = []
    if not str(data.get("title") or "").strip():
        problems.append(
            Problem(
                "de titel ontbreekt", row=row, column="titel", code="titel_ontbreekt"
            )
        )
    level = data.get("level")
    if level not in Level.values:
        problems.append(
            Problem(
                "onbekend niveau",
                row=row,
                column="niveau",
                value=level,
                allowed=", ".join(Level.values),
                code="niveau_onbekend",
            )
        )
    if data.get("scope", Scope.INDIVIDUEEL) not in Scope.values:
        problems.append(
            Problem(
                "onbekende soort",
                row=row,
                column="soort",
                value=data.get("scope"),
                allowed=", ".join(Scope.values),
                code="soort_onbekend",
            )
        )
    if not str(data.get("description") or "").strip():
        problems.append(
            Problem(
                "de omschrijving ontbreekt",
                row=row,
                column="omschrijving",
                code="omschrijving_ontbreekt",
            )
        )
    for key, known, column in [
        ("themes", THEMES, "thema's"),
        ("target_groups", TARGET_GROUPS, "doelgroepen"),
    ]:
        for value in data.get(key) or []:
            if value not in known:
                problems.append(
                    Problem(
                        "onbekende waarde",
                        row=row,
                        column=column,
                        value=value,
                        allowed=", ".join(known),
                        code="waarde_onbekend",
                    )
                )
    condition = str(data.get("condition") or "")
    if condition.strip():
        try:
            parse_condition(condition)
        except ConditionError as error:
            problems.append(
                Problem(
                    f"de voorwaarde is ongeldig: {error.short}",
                    row=row,
                    column="voorwaarde",
                    value=condition,
                    code="voorwaarde_ongeldig",
                )
            )
    area = data.get("area")
    if level == Level.LOKAAL and (area is None or area.level != AreaLevel.GEMEENTE):
        problems.append(
            Problem(
                "een lokaal recht hoort bij een gemeente (NIS-code)",
                row=row,
                column="gemeente",
                value=getattr(area, "code", None),
                code="gemeente_ontbreekt",
            )
        )
    if level == Level.PROVINCIAAL and (
        area is None or area.level != AreaLevel.PROVINCIE
    ):
        problems.append(
            Problem(
                "een provinciaal recht hoort bij een provincie",
                row=row,
                column="provincie",
                value=getattr(area, "code", None),
                code="provincie_ontbreekt",
            )
        )
    if level in (Level.FEDERAAL, Level.VLAAMS) and area is not None:
        problems.append(
            Problem(
                "een federaal of Vlaams recht hoort niet bij één gebied",
                row=row,
                column="gebied",
                value=area.code,
                code="gebied_overbodig",
            )
        )
    return problems


def find_area(level: str, code: str | None) -> Area | None:
    if not code:
        return None
    wanted = AreaLevel.GEMEENTE if level == Level.LOKAAL else AreaLevel.PROVINCIE
    return Area.objects.filter(level=wanted, code=code, valid_to__isnull=True).first()


def _unique_slug(title: str, exclude: int | None = None) -> str:
    base = slugify(title)[:100] or "recht"
    slug, n = base, 2
    while Right.objects.filter(slug=slug).exclude(pk=exclude).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _apply(right: Right, data: dict) -> None:
    for name in FIELDS:
        if name in data:
            value = data[name]
            if name in {"valid_from", "valid_to"} and value == "":
                value = None
            setattr(
                right,
                name,
                value
                if value is not None or name in {"valid_from", "valid_to"}
                else "",
            )
    right.area = data.get("area")
    right.organisation = organisation_for_area(right.area)


def save_right(actor, data: dict, right: Right | None = None) -> Right:
    """Create or change a right after checking permission and every field."""
    area = data.get("area")
    require_manage(actor, str(data.get("level") or ""), area)
    if right is not None:
        require_manage(actor, right.level, right.area)
    problems = check_right(data)
    if problems:
        raise InputRefusedError("Het recht", problems)

    with transaction.atomic():
        before = snapshot(right, AUDITED) if right is not None else None
        if right is None:
            right = Right(slug=_unique_slug(data["title"]))
        _apply(right, data)
        right.save()
        related = data.get("related")
        if related is not None:
            right.related.set(related)
        record(
            actor,
            "recht.gewijzigd" if before else "recht.aangemaakt",
            right,
            before=before,
            after=snapshot(right, AUDITED),
            organisation=right.organisation,
        )
    logger.info("right saved: id=%s", right.pk)
    return right


def delete_right(actor, right: Right) -> None:
    """Remove a right; the audit row keeps its last values."""
    require_manage(actor, right.level, right.area)
    with transaction.atomic():
        before = snapshot(right, AUDITED)
        record(
            actor,
            "recht.verwijderd",
            right,
            before=before,
            organisation=right.organisation,
        )
        right.delete()


def save_profile(
    actor, *, slug: str, name: str, description: str, data: dict, organisation=None
) -> ClientProfile:
    """Create or change a client profile (beheerder of the organisation or KVS)."""
    owner = organisation or kenniscentrum()
    if not has_role(actor, kenniscentrum(), Role.BEHEERDER):
        require_role(actor, owner, Role.BEHEERDER)
    problems = []
    if not slug or slugify(slug) != slug:
        problems.append(
            Problem(
                "ongeldige korte naam",
                column="slug",
                value=slug,
                allowed="kleine letters, cijfers en koppeltekens",
                code="slug_ongeldig",
            )
        )
    if not name.strip():
        problems.append(
            Problem("de naam ontbreekt", column="naam", code="naam_ontbreekt")
        )
    if not isinstance(data, dict):
        problems.append(
            Problem(
                "de gegevens moeten een JSON-object zijn",
                column="gegevens",
                code="geen_object",
            )
        )
    if problems:
        raise InputRefusedError("Het cliëntprofiel", problems)
    # A profile is a partial household: it must pass the advice's checks.
    trial = {"datum": "2025-03-01", "aanvrager": {}, **data}
    trial["datum"] = data.get("datum", "2025-03-01")
    parse_household(trial)

    with transaction.atomic():
        profile = ClientProfile.objects.filter(slug=slug).first()
        before = snapshot(profile) if profile else None
        profile = profile or ClientProfile(slug=slug)
        profile.name, profile.description, profile.data = name, description, data
        profile.organisation = organisation
        profile.save()
        record(
            actor,
            "clientprofiel.gewijzigd" if before else "clientprofiel.aangemaakt",
            profile,
            before=before,
            after=snapshot(profile),
            organisation=owner,
        )
    logger.info("client profile saved: id=%s", profile.pk)
    return profile
