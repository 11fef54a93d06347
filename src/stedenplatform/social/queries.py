"""Reads for the DEMaD pages and API: uploads, runs, report and dashboard.

Everything shown here comes from the figures of a benchmark run, which hold
only what disclosure control let through; microdata is read only for the
OCMW's own preview (`upload_rows`).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from stedenplatform.core.charts import bar_chart, line_chart
from stedenplatform.core.geography import FLEMISH_REGION
from stedenplatform.core.models import Area, AreaLevel, Organisation, OrganisationKind
from stedenplatform.stats.figures import choropleth

from . import storage
from .disclosure import EMPTY, PRIMARY, SECONDARY
from .indicators import ALL_CITIES, INDICATORS, TOTAL, Indicator, Parameters
from .models import BenchmarkRun, Figure, Upload
from .publish import group_label
from .schemas import SCHEMAS

ALL_CITIES_LABEL = "13 centrumsteden samen"
LOWER_IS_BETTER = {
    "demad_duur_mediaan",
    "demad_duur_lang_1",
    "demad_duur_lang_2",
    "demad_herinstroom",
}
BREAKDOWN_TITLES = {
    "categorie": "Naar categorie",
    "leeftijd": "Naar leeftijd bij de start",
    "geslacht": "Naar geslacht",
}


def city_names() -> dict[str, str]:
    names = {
        o.area.code: o.name.removeprefix("Stad ")
        for o in Organisation.objects.filter(
            kind=OrganisationKind.CENTRUMSTAD
        ).select_related("area")
        if o.area
    }
    names[ALL_CITIES] = ALL_CITIES_LABEL
    return names


def latest_run() -> BenchmarkRun | None:
    return BenchmarkRun.objects.first()


def uploads_of(organisation: Organisation):
    return Upload.objects.filter(organisation=organisation).select_related(
        "uploaded_by"
    )


def data_status() -> list[dict]:
    """Per city and data set: rows and date of the current upload (no microdata)."""
    current = {
        (u.organisation_id, u.dataset): u
        for u in Upload.objects.filter(is_current=True)
    }
    rows = []
    for organisation in Organisation.objects.filter(
        kind=OrganisationKind.CENTRUMSTAD
    ).order_by("name"):
        rows.append(
            {
                "organisation": organisation,
                "datasets": [current.get((organisation.pk, d)) for d in SCHEMAS],
            }
        )
    return rows


def upload_rows(upload: Upload, limit: int = 50, offset: int = 0):
    """A page of the OCMW's own microdata; None when the file is no longer kept."""
    if not upload.is_current:
        return None
    path = storage.file_path(
        upload.organisation.area.code, upload.dataset, upload.storage_name
    )
    if not path.exists():
        return None
    return storage.read_rows(path, limit, offset)


def format_value(value: Decimal | None, indicator: Indicator) -> str:
    if value is None:
        return ""
    text = f"{value:,.{indicator.decimals}f}".replace(",", " ").replace(".", ",")
    return text + (" %" if indicator.kind == "percentage" else "")


def shown_text(figure: Figure, indicator: Indicator) -> str:
    if figure.suppression in (PRIMARY, SECONDARY):
        return "geheim"
    if figure.suppression == EMPTY or figure.value is None:
        return "geen gegevens"
    return format_value(figure.value, indicator)


@dataclass
class IndicatorSection:
    indicator: Indicator
    title: str
    definition: str
    year: int | None
    rows: list[dict] = field(default_factory=list)
    trend_rows: list[dict] = field(default_factory=list)
    trend_years: list[int] = field(default_factory=list)
    bar_svg: str = ""
    map_svg: str = ""
    trend_svg: str = ""
    position: str = ""
    breakdowns: list[dict] = field(default_factory=list)


def _by_indicator(run: BenchmarkRun, breakdown: str = TOTAL, ocmw: str | None = None):
    qs = Figure.objects.filter(run=run, breakdown=breakdown)
    if ocmw:
        qs = qs.filter(ocmw__in=[ocmw, ALL_CITIES])
    grouped: dict[str, list[Figure]] = {}
    for figure in qs:
        grouped.setdefault(figure.indicator, []).append(figure)
    return grouped


def _default_year(figures: list[Figure], ocmw: str | None = None) -> int | None:
    """The latest year with a shown figure whose follow-up is mostly complete.

    A year counts when the 13 cities together have at least as many units
    with a complete follow-up as censored ones, so that a report does not
    open on a last year in which only a few exits could be followed up.
    """
    settled = {
        f.year
        for f in figures
        if f.ocmw == ALL_CITIES
        and f.denominator is not None
        and (f.censored is None or f.denominator >= f.censored)
    }
    years = [
        f.year
        for f in figures
        if f.ocmw != ALL_CITIES
        and f.value is not None
        and (ocmw is None or f.ocmw == ocmw)
    ]
    preferred = [y for y in years if y in settled]
    if preferred:
        return max(preferred)
    return max(years) if years else None


def _position(indicator: Indicator, rows: list[dict], city: str | None) -> str:
    shown = [r for r in rows if r["code"] != ALL_CITIES and r["value"] is not None]
    if not city or not shown:
        return ""
    mine = next((r for r in shown if r["code"] == city), None)
    if mine is None:
        return (
            "Het cijfer van je stad is dit jaar niet getoond (geheim of geen gegevens)."
        )
    reverse = indicator.code not in LOWER_IS_BETTER
    ordered = sorted(shown, key=lambda r: r["value"], reverse=reverse)
    rank = ordered.index(mine) + 1
    lower = indicator.code in LOWER_IS_BETTER
    return (
        f"{mine['name']} staat op plaats {rank} van {len(shown)} steden met een "
        "getoond "
        f"cijfer (plaats 1 = het {'laagste' if lower else 'hoogste'} cijfer; "
        f"{'lager' if lower else 'hoger'} is hier gunstiger)."
    )


def _geometries() -> tuple[dict[str, dict], list[dict]]:
    """The current geometry of each centrumstad and of the Flemish provinces."""
    cities = {
        a.code: a.geometry
        for a in Area.objects.filter(
            level=AreaLevel.GEMEENTE,
            valid_to__isnull=True,
            geometry__isnull=False,
            organisations__kind=OrganisationKind.CENTRUMSTAD,
        )
    }
    provinces = [
        {
            "type": "Feature",
            "geometry": a.geometry,
            "properties": {"naam": a.name, "waarde": None},
        }
        for a in Area.objects.filter(
            level=AreaLevel.PROVINCIE,
            valid_to__isnull=True,
            geometry__isnull=False,
            parent__code=FLEMISH_REGION,
        )
    ]
    return cities, provinces


def _map(rows: list[dict], geometries, *, title: str, unit: str) -> str:
    cities, provinces = geometries
    features = list(provinces)
    for row in rows:
        if row["code"] in cities:
            features.append(
                {
                    "type": "Feature",
                    "geometry": cities[row["code"]],
                    "properties": {
                        "naam": row["name"],
                        "waarde": None if row["value"] is None else float(row["value"]),
                    },
                }
            )
    if not any(f["properties"]["waarde"] is not None for f in features):
        return ""
    return choropleth(features, title=title, unit=unit)


def benchmark_sections(
    run: BenchmarkRun,
    *,
    year: int | None = None,
    city: str | None = None,
    charts: bool = True,
) -> list[IndicatorSection]:
    """Per indicator: the cities side by side, the trend and the position."""
    p = Parameters.from_dict(run.parameters)
    names = city_names()
    grouped = _by_indicator(run)
    geometries = _geometries() if charts else ({}, [])
    sections = []
    for indicator in INDICATORS:
        figures = grouped.get(indicator.code, [])
        chosen = year if year is not None else _default_year(figures)
        section = IndicatorSection(
            indicator, indicator.title(p), indicator.definition(p), chosen
        )
        for f in sorted(
            (f for f in figures if f.year == chosen),
            key=lambda f: (f.ocmw == ALL_CITIES, names.get(f.ocmw, f.ocmw)),
        ):
            section.rows.append(
                {
                    "code": f.ocmw,
                    "name": names.get(f.ocmw, f.ocmw),
                    "value": f.value,
                    "text": shown_text(f, indicator),
                    "numerator": f.numerator,
                    "denominator": f.denominator,
                    "censored": f.censored,
                    "is_city": f.ocmw == city,
                }
            )
        trend_codes = [ALL_CITIES] + ([city] if city else [])
        section.trend_years = sorted({f.year for f in figures})
        for code in trend_codes:
            values = {f.year: f for f in figures if f.ocmw == code}
            section.trend_rows.append(
                {
                    "name": names.get(code, code),
                    "cells": [
                        shown_text(values[y], indicator) if y in values else ""
                        for y in section.trend_years
                    ],
                    "points": [
                        {
                            "jaar": str(y),
                            "waarde": float(values[y].value),
                            "reeks": names.get(code, code),
                        }
                        for y in section.trend_years
                        if y in values and values[y].value is not None
                    ],
                }
            )
        section.position = _position(indicator, section.rows, city)
        if charts:
            bars = [
                {"stad": r["name"], "waarde": float(r["value"])}
                for r in section.rows
                if r["value"] is not None
            ]
            if bars:
                section.bar_svg = bar_chart(
                    bars,
                    category="stad",
                    value="waarde",
                    title=f"{section.title}, {chosen}, per stad",
                    value_title=indicator.unit,
                    highlight=names.get(city) if city else ALL_CITIES_LABEL,
                )
            section.map_svg = _map(
                section.rows,
                geometries,
                title=f"{section.title}, {chosen}: kaart",
                unit=indicator.unit,
            )
            points = [pt for row in section.trend_rows for pt in row["points"]]
            if points:
                section.trend_svg = line_chart(
                    points,
                    x="jaar",
                    y="waarde",
                    color="reeks",
                    x_type="ordinal",
                    title=f"{section.title}: verloop",
                    y_title=indicator.unit,
                    x_title="jaar",
                )
        sections.append(section)
    return sections


def dashboard_sections(
    run: BenchmarkRun, city: str, *, charts: bool = True
) -> list[IndicatorSection]:
    """The city's own figures: trend, latest year and breakdowns."""
    sections = benchmark_sections(run, city=city, charts=False)
    names = city_names()
    own = Figure.objects.filter(run=run, ocmw=city).exclude(breakdown=TOTAL)
    breakdowns: dict[tuple[str, str], list[Figure]] = {}
    for figure in own:
        breakdowns.setdefault((figure.indicator, figure.breakdown), []).append(figure)
    for section in sections:
        indicator = section.indicator
        both = list(
            Figure.objects.filter(
                run=run,
                ocmw__in=[city, ALL_CITIES],
                breakdown=TOTAL,
                indicator=indicator.code,
            )
        )
        totals = {f.year: f for f in both if f.ocmw == city}
        section.year = _default_year(both, city)
        mine = totals.get(section.year)
        section.rows = [
            {
                "code": city,
                "name": names.get(city, city),
                "value": mine.value if mine else None,
                "text": shown_text(mine, indicator) if mine else "geen gegevens",
                "numerator": mine.numerator if mine else None,
                "denominator": mine.denominator if mine else None,
                "censored": mine.censored if mine else None,
                "is_city": True,
            }
        ]
        for breakdown in indicator.breakdowns:
            if breakdown == TOTAL:
                continue
            cells = sorted(
                (
                    f
                    for f in breakdowns.get((indicator.code, breakdown), [])
                    if f.year == section.year
                ),
                key=lambda f: f.group,
            )
            if cells:
                section.breakdowns.append(
                    {
                        "title": BREAKDOWN_TITLES[breakdown],
                        "rows": [
                            {
                                "label": group_label(breakdown, f.group),
                                "text": shown_text(f, indicator),
                                "numerator": f.numerator,
                                "denominator": f.denominator,
                            }
                            for f in cells
                        ],
                    }
                )
        if charts:
            points = [pt for row in section.trend_rows for pt in row["points"]]
            if points:
                section.trend_svg = line_chart(
                    points,
                    x="jaar",
                    y="waarde",
                    color="reeks",
                    x_type="ordinal",
                    title=f"{section.title}: {names.get(city, city)} en de 13 "
                    "centrumsteden",
                    y_title=indicator.unit,
                    x_title="jaar",
                )
    return sections
