"""The door through which other modules publish aggregated figures into
Stad in Cijfers.

A module that computes figures of its own (DEMaD in `social`, for one)
calls `publish_indicator_series` with its indicator definitions and the
observations per current gemeente and period. The caller applies its own
disclosure control first; this module applies its own again on every output,
so a figure below the indicator's threshold is never shown here either.

Example::

    publish_indicator_series(
        source="demad",
        indicators=[{
            "code": "demad_leefloon_duur_12m", "name": "Leefloon langer dan 12 maanden",
            "definition": "...", "unit": "persoon", "kind": "percentage",
            "theme": "Welzijn/Leefloon", "decimals": 1, "source": "DEMaD",
            "threshold": 5, "status": "intern",
            "numerator_label": "...", "denominator_label": "...",
        }],
        observations=[{
            "indicator": "demad_leefloon_duur_12m", "area": "44021",
            "period": "2024", "value": Decimal("23.4"), "numerator": 412,
            "denominator": 1761, "missing": None,
        }],
        actor=request.user,
    )

The call is idempotent: publishing the same series twice changes nothing.
"""

import hashlib
import json
import logging

from django.db import transaction

from stedenplatform.core.audit import record
from stedenplatform.core.errors import InputRefusedError, Problem
from stedenplatform.core.models import AreaLevel

from . import catalogue, periods, store
from .models import ImportBatch, Indicator, Missing

logger = logging.getLogger(__name__)

OBSERVATION_KEYS = {
    "indicator",
    "area",
    "period",
    "value",
    "numerator",
    "denominator",
    "missing",
    "respondents",
    "ci_low",
    "ci_high",
}


def publish_indicator_series(
    *, source: str, indicators: list[dict], observations: list[dict], actor=None
) -> dict:
    """Create or update indicators and their observations in one transaction; idempotent.
    indicators: dicts with code, name, definition, unit, kind ('count'|'percentage'|'ratio'|'mean'), theme (path like 'Welzijn/Leefloon'), decimals, source (text), threshold (int), status ('intern'|'extern'), optional numerator_label/denominator_label.
    observations: dicts with indicator (code), area (NIS code of a current gemeente), period (e.g. '2024', '2024-Q1', '2024-03'), value (Decimal|None), numerator, denominator, missing (None | 'onbekend' | 'geheim' | 'niet_van_toepassing').
    Returns counts {'indicators': n, 'observations': n}. Raises core.errors.InputRefusedError on bad input."""  # noqa: E501
    label = f"Publicatie van '{source}'"
    problems: list[Problem] = []
    codes = set()
    for index, data in enumerate(indicators, start=1):
        if not isinstance(data, dict):
            problems.append(
                Problem(
                    "een indicator moet een dict zijn",
                    row=index,
                    code="ongeldige_invoer",
                )
            )
            continue
        problems.extend(catalogue.validate_indicator(data, row=index))
        if data.get("status") == "uitdovend":
            problems.append(
                Problem(
                    "status kan alleen intern of extern zijn",
                    row=index,
                    column="status",
                    value="uitdovend",
                    allowed="intern, extern",
                    code="ongeldige_status",
                )
            )
        if data.get("code") in codes:
            problems.append(
                Problem(
                    "indicatorcode komt twee keer voor",
                    row=index,
                    column="code",
                    value=data.get("code"),
                    code="dubbele_code",
                )
            )
        codes.add(data.get("code"))
    known = (
        set(
            Indicator.objects.filter(
                code__in={
                    o.get("indicator") for o in observations if isinstance(o, dict)
                }
            ).values_list("code", flat=True)
        )
        | codes
    )

    resolver = catalogue.AreaResolver()
    parsed, seen = [], set()
    for index, obs in enumerate(observations, start=1):
        if not isinstance(obs, dict):
            problems.append(
                Problem(
                    "een observatie moet een dict zijn",
                    row=index,
                    code="ongeldige_invoer",
                )
            )
            continue
        extra = set(obs) - OBSERVATION_KEYS
        if extra:
            problems.append(
                Problem(
                    "onbekende velden",
                    row=index,
                    value=", ".join(sorted(extra)),
                    allowed=", ".join(sorted(OBSERVATION_KEYS)),
                    code="onbekend_veld",
                )
            )
        row = _parse_observation(obs, index, known, resolver, problems)
        if row is None:
            continue
        key = (row[0], row[1], row[2])
        if key in seen:
            problems.append(
                Problem(
                    "dubbele observatie",
                    row=index,
                    value=f"{key[0]} {obs.get('area')} {obs.get('period')}",
                    code="dubbele_observatie",
                )
            )
        seen.add(key)
        parsed.append(row)
    if problems:
        raise InputRefusedError(label, problems)

    with transaction.atomic():
        defined = catalogue.upsert_indicators(indicators, actor=actor)
        by_code = {
            i.code: i.pk
            for i in Indicator.objects.filter(code__in={r[0] for r in parsed})
        }
        by_code.update({code: i.pk for code, i in defined.items()})
        period_ids = periods.ensure_periods({r[2] for r in parsed})
        rows = [(by_code[r[0]], r[1], period_ids[r[2]], *r[3:]) for r in parsed]
        result = store.write_observations(rows)
        if not (result.created or result.updated or result.deleted):
            return {"indicators": len(defined), "observations": len(rows)}
        digest = hashlib.sha256(
            json.dumps([indicators, observations], sort_keys=True, default=str).encode()
        ).hexdigest()
        batch = ImportBatch.objects.create(
            source_name=f"publicatie:{source}"[:300],
            sha256=digest,
            file_format="api",
            layout="long",
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            rows=len(rows),
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        )
        record(
            actor,
            "stats.series_published",
            batch,
            after={
                "source": source,
                "indicators": sorted(defined),
                **result.as_dict(),
            },
        )
    logger.info(
        "series published: batch=%s indicators=%s observations=%s",
        batch.pk,
        len(defined),
        len(rows),
    )
    return {"indicators": len(defined), "observations": len(rows)}


def _parse_observation(obs, index, known, resolver, problems):
    start = len(problems)
    code = obs.get("indicator")
    if code not in known:
        problems.append(
            Problem(
                "onbekende indicator",
                row=index,
                column="indicator",
                value=code,
                allowed="een code uit 'indicators' of een bestaande indicator",
                code="onbekende_indicator",
            )
        )
    area_id, _ = resolver.resolve(AreaLevel.GEMEENTE, str(obs.get("area", "")).strip())
    if area_id is None:
        problems.append(
            Problem(
                "onbekende gemeente",
                row=index,
                column="area",
                value=obs.get("area"),
                allowed="NIS-code van een huidige gemeente",
                code="onbekend_gebied",
            )
        )
    try:
        period_key = periods.parse_period(obs.get("period"))
    except ValueError:
        period_key = None
        problems.append(
            Problem(
                "ongeldige periode",
                row=index,
                column="period",
                value=obs.get("period"),
                allowed=periods.PERIOD_ALLOWED,
                code="ongeldige_periode",
            )
        )
    numbers = {}
    for name in ("value", "numerator", "denominator", "ci_low", "ci_high"):
        raw = obs.get(name)
        try:
            number, missing = catalogue.parse_number(raw)
        except ValueError:
            number, missing = None, ""
            problems.append(
                Problem(
                    "geen getal",
                    row=index,
                    column=name,
                    value=raw,
                    allowed="een getal of leeg",
                    code="geen_getal",
                )
            )
        if missing:
            problems.append(
                Problem(
                    "gebruik 'missing' voor ontbrekende waarden",
                    row=index,
                    column=name,
                    value=raw,
                    allowed="een getal of leeg",
                    code="geen_getal",
                )
            )
        numbers[name] = number
    missing = obs.get("missing") or ""
    if missing and missing not in Missing.values:
        problems.append(
            Problem(
                "onbekende code voor ontbrekende waarde",
                row=index,
                column="missing",
                value=missing,
                allowed=", ".join(Missing.values),
                code="ongeldige_code",
            )
        )
    if missing and numbers["value"] is not None:
        problems.append(
            Problem(
                "een ontbrekende waarde kan geen waarde hebben",
                row=index,
                column="value",
                value=obs.get("value"),
                allowed="leeg als 'missing' gezet is",
                code="tegenstrijdig",
            )
        )
    respondents = obs.get("respondents")
    if respondents is not None and (
        not isinstance(respondents, int) or respondents < 0
    ):
        problems.append(
            Problem(
                "aantal respondenten moet een positief geheel getal zijn",
                row=index,
                column="respondents",
                value=respondents,
                code="ongeldig_getal",
            )
        )
    if len(problems) > start:
        return None
    return (
        code,
        area_id,
        period_key,
        numbers["value"],
        numbers["numerator"],
        numbers["denominator"],
        respondents,
        numbers["ci_low"],
        numbers["ci_high"],
        missing,
    )
