"""Reads for the Rechtenverkenner: rights that apply where a person lives,
filtered by theme, target group or letter, each assessed for a profile."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from stedenplatform.core.errors import PlatformError
from stedenplatform.core.geography import find_municipality_by_postcode

from .conditions import PROFILE_FACTS, assess
from .models import Level, Right


class UnknownPostcodeError(PlatformError):
    code = "postcode_onbekend"


@dataclass
class Assessment:
    right: Right
    verdict: str
    reasons: list[str]
    questions: list[str]


def find_place(postcode: str, municipality_code: str | None = None):
    """The municipality and province of a postcode; several may share one."""
    postcode = (postcode or "").strip()
    if not (len(postcode) == 4 and postcode.isdigit()):
        raise UnknownPostcodeError(
            f"'{postcode}' is geen Belgische postcode; geef vier cijfers, bv. 9000."
        )
    municipalities = find_municipality_by_postcode(postcode)
    if not municipalities:
        raise UnknownPostcodeError(
            f"Postcode {postcode} is onbekend; controleer de postcode (vier cijfers "
            "van een Belgische gemeente, bv. 9000 voor Gent)."
        )
    chosen = next(
        (m for m in municipalities if m.code == municipality_code), municipalities[0]
    )
    province = (
        chosen.parent if chosen.parent and chosen.parent.level == "provincie" else None
    )
    return chosen, province, municipalities


def rights_for_place(municipality, province, on: datetime.date | None = None):
    """Rights that apply in the municipality and are valid on the date."""
    on = on or timezone.localdate()
    scope = Q(level__in=[Level.FEDERAAL, Level.VLAAMS]) | Q(area=municipality)
    if province is not None:
        scope |= Q(area=province)
    valid = (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    return Right.objects.filter(scope & valid).select_related("area")


def assess_rights(
    rights, profile: dict, *, theme: str = "", target_group: str = "", letter: str = ""
) -> list[Assessment]:
    results = []
    for right in rights:
        if theme and theme not in right.themes:
            continue
        if target_group and target_group not in right.target_groups:
            continue
        if letter and not right.title.upper().startswith(letter.upper()):
            continue
        if not right.condition.strip() and right.conditions_text.strip():
            # Conditions only in free text: the platform cannot decide them.
            results.append(
                Assessment(
                    right,
                    "mogelijk recht",
                    [
                        "de voorwaarden zijn alleen als tekst beschreven, nog niet als regel"
                    ],
                    [
                        f"Voldoet de persoon aan deze voorwaarden: {right.conditions_text}"
                    ],
                )
            )
            continue
        verdict, outcome = assess(right.condition, profile)
        results.append(Assessment(right, verdict, outcome.reasons, outcome.questions))
    order = {"waarschijnlijk recht": 0, "mogelijk recht": 1, "geen recht": 2}
    levels = {Level.LOKAAL: 0, Level.PROVINCIAAL: 1, Level.VLAAMS: 2, Level.FEDERAAL: 3}
    results.sort(key=lambda a: (order[a.verdict], levels[a.right.level], a.right.title))
    return results


def clean_profile(raw: dict) -> tuple[dict, list[str]]:
    """Turn form or query values into profile facts; list the bad ones in Dutch."""
    profile: dict[str, object] = {}
    errors: list[str] = []
    for name, (kind, _question, label) in PROFILE_FACTS.items():
        value = raw.get(name)
        if value in (None, "", "onbekend"):
            continue
        if kind == "janee":
            if value in ("ja", "true", True):
                profile[name] = True
            elif value in ("nee", "false", False):
                profile[name] = False
            else:
                errors.append(
                    f"{label}: '{value}' is geen geldige keuze (ja, nee of onbekend)."
                )
        elif kind == "getal":
            try:
                number = float(str(value).replace(",", "."))
            except ValueError:
                errors.append(f"{label}: '{value}' is geen getal.")
                continue
            if number < 0:
                errors.append(f"{label}: '{value}' kan niet negatief zijn.")
                continue
            profile[name] = str(value).replace(",", ".")
        else:
            profile[name] = str(value)
    return profile, errors


def letters(rights) -> list[str]:
    return sorted({r.title[:1].upper() for r in rights if r.title})


def open_questions(results: list[Assessment]) -> list[tuple[str, int]]:
    """Questions still to ask, with how many possible rights each one decides."""
    counts: dict[str, int] = {}
    for result in results:
        for question in result.questions:
            counts[question] = counts.get(question, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
