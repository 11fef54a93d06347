"""Publish a benchmark run's safe aggregates into the statistics module.

This is the only place where DEMaD figures leave the module. It sends the
figures of each city (never the microdata, never a withheld value) as
management information (status 'intern') through the statistics module's
publishing interface. Breakdowns become indicators of their own, with the
breakdown in the code (`demad_herinstroom_lft_18_24`), because an
observation there has an indicator, an area and a period but no other
dimension. The statistics module has no median kind: the median duration is
published as kind 'mean', whose protected measure is the number of units,
with its definition saying that it is a median.
"""

import logging

from django.db import transaction
from django.utils import timezone

from stedenplatform.core.audit import record
from stedenplatform.stats.publishing import publish_indicator_series

from .disclosure import EMPTY, PRIMARY, SECONDARY
from .indicators import ALL_CITIES, INDICATOR_BY_CODE, TOTAL, Parameters
from .models import BenchmarkRun, Figure
from .permissions import require_run_benchmark
from .schemas import CATEGORIES, SEXES

logger = logging.getLogger(__name__)

SOURCE = "DEMaD, microdata van de OCMW's van de centrumsteden (gepseudonimiseerd)"
THEME = "Welzijn/Leefloon/DEMaD"
BREAKDOWN_CODES = {"categorie": "cat", "leeftijd": "lft", "geslacht": "gsl"}
BREAKDOWN_LABELS = {
    "categorie": "categorie",
    "leeftijd": "leeftijdsgroep",
    "geslacht": "geslacht",
}
STATS_KIND = {"count": "count", "percentage": "percentage", "median": "mean"}


def group_code(group: str) -> str:
    """A code-safe form of a group label.

    >>> group_code("18-24"), group_code("65+"), group_code("<18"), group_code("V")
    ('18_24', '65_plus', 'jonger_18', 'v')
    """
    text = group.lower().replace("+", "_plus").replace("-", "_")
    if text.startswith("<"):
        text = "jonger_" + text[1:]
    return text


def group_label(breakdown: str, group: str) -> str:
    if breakdown == "categorie":
        return CATEGORIES.get(group, group)
    if breakdown == "geslacht":
        return SEXES.get(group, group)
    return group


def series_code(indicator: str, breakdown: str, group: str) -> str:
    if breakdown == TOTAL:
        return indicator
    return f"{indicator}_{BREAKDOWN_CODES[breakdown]}_{group_code(group)}"


def build_series(run: BenchmarkRun) -> tuple[list[dict], list[dict]]:
    """The indicator definitions and observations of one run, for stats."""
    p = Parameters.from_dict(run.parameters)
    indicators: dict[str, dict] = {}
    observations = []
    figures = (
        Figure.objects.filter(run=run)
        .exclude(ocmw=ALL_CITIES)
        .order_by("indicator", "breakdown", "group", "ocmw", "year")
    )
    for figure in figures:
        definition = INDICATOR_BY_CODE[figure.indicator]
        code = series_code(figure.indicator, figure.breakdown, figure.group)
        if code not in indicators:
            name = definition.title(p)
            theme = THEME
            if figure.breakdown != TOTAL:
                label = group_label(figure.breakdown, figure.group)
                name = f"{name}: {BREAKDOWN_LABELS[figure.breakdown]} {label}"
                theme = f"{THEME}/Naar {BREAKDOWN_LABELS[figure.breakdown]}"
            kind = STATS_KIND[definition.kind]
            entry = {
                "code": code,
                "name": name,
                "definition": definition.definition(p),
                "unit": definition.unit,
                "kind": kind,
                "theme": theme,
                "decimals": definition.decimals,
                "source": SOURCE,
                "threshold": p.min_denominator if kind == "mean" else p.min_numerator,
                "status": "intern",
            }
            if definition.numerator_label:
                entry["numerator_label"] = definition.numerator_label
            if definition.denominator_label:
                entry["denominator_label"] = definition.denominator_label
            indicators[code] = entry
        missing = None
        if figure.suppression in (PRIMARY, SECONDARY):
            missing = "geheim"
        elif figure.suppression == EMPTY or figure.value is None:
            missing = "niet_van_toepassing"
        observations.append(
            {
                "indicator": code,
                "area": figure.ocmw,
                "period": str(figure.year),
                "value": None if missing else figure.value,
                "numerator": None if missing else figure.numerator,
                "denominator": None if missing else figure.denominator,
                "missing": missing,
            }
        )
    return list(indicators.values()), observations


def publish_run(actor, run: BenchmarkRun) -> dict:
    """Send the run's city figures to the statistics module; return its counts."""
    if actor is not None:
        require_run_benchmark(actor)
    indicators, observations = build_series(run)
    with transaction.atomic():
        result = publish_indicator_series(
            source="demad",
            indicators=indicators,
            observations=observations,
            actor=actor,
        )
        run.published_at = timezone.now()
        run.published_by = (
            actor if actor is not None and actor.is_authenticated else None
        )
        run.save(update_fields=["published_at", "published_by"])
        record(actor, "social.benchmark_published", run, after=result)
    logger.info("benchmark run %s published: %s", run.pk, result)
    return result
