"""Pages of Stad in Cijfers: theme tree with search, indicator page (time
series, map, comparison), benchmark of the 13 centrumsteden, area profile
and steekkaart (page and PDF), and the upload of indicator files.

Every page reads its state from the query string, so each view has a stable
link, and `?formaat=csv` or `?formaat=xlsx` downloads the table it shows.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from stedenplatform.core.errors import InputRefusedError
from stedenplatform.core.geography import CENTRUMSTEDEN
from stedenplatform.core.models import Area, AreaLevel, Role
from stedenplatform.core.pdf import render_pdf
from stedenplatform.core.permissions import organisations_with_role

from . import figures, queries
from .exporters import Table, download
from .forms import UploadForm
from .models import ImportBatch, Kind, Observation, Period, Theme
from .services import import_indicator_file

logger = logging.getLogger(__name__)

VIEWS = {"reeks": "Tijdreeks", "kaart": "Kaart", "vergelijking": "Vergelijking"}
MAP_LEVELS = {
    "gemeente": "gemeenten",
    "wijk": "wijken",
    "sector": "statistische sectoren",
}
DEFAULT_AREA = "44021"


def _formaat(request) -> str | None:
    value = request.GET.get("formaat")
    return value if value in ("csv", "xlsx", "pdf") else None


def _notes(indicator, shown_marks) -> list[str]:
    notes = [queries.NOTES[m] for m in sorted(shown_marks) if m in queries.NOTES]
    if indicator is not None and indicator.source:
        terms = (
            f" ({indicator.source.terms_of_use})"
            if indicator.source.terms_of_use
            else ""
        )
        notes.append(f"Bron: {indicator.source.name}{terms}")
    return notes


def _cell(shown) -> object:
    return shown.value if shown.published else shown.text


def index(request):
    visible = queries.visible_indicators(request.user)
    query = request.GET.get("q", "").strip()
    with_data = queries.indicators_with_data()
    only_data = request.GET.get("met_cijfers") == "1"
    if query:
        visible = visible.filter(
            Q(name__icontains=query)
            | Q(code__icontains=query)
            | Q(definition__icontains=query)
            | Q(theme__path__icontains=query)
        )
    indicators = list(visible)
    if only_data:
        indicators = [i for i in indicators if i.pk in with_data]
    return render(
        request,
        "stats/index.html",
        {
            "tree": queries.theme_tree(indicators),
            "query": query,
            "only_data": only_data,
            "with_data": with_data,
            "count": len(indicators),
            "cities": queries.centrumsteden(),
            "can_upload": bool(organisations_with_role(request.user, Role.BIJDRAGER)),
        },
    )


def _indicator_or_404(request, code):
    indicator = queries.visible_indicators(request.user).filter(code=code).first()
    if indicator is None:
        raise Http404("Deze indicator bestaat niet of is niet openbaar.")
    return indicator


def _area_or_404(code, levels=None):
    qs = Area.current().filter(code=code)
    if levels:
        qs = qs.filter(level__in=levels)
    area = qs.first()
    if area is None:
        raise Http404("Dit gebied bestaat niet.")
    return area


def indicator_detail(request, code):
    indicator = _indicator_or_404(request, code)
    area = _area_or_404(request.GET.get("gebied") or DEFAULT_AREA)
    view = (
        request.GET.get("weergave") if request.GET.get("weergave") in VIEWS else "reeks"
    )
    level = (
        request.GET.get("niveau")
        if request.GET.get("niveau") in MAP_LEVELS
        else "gemeente"
    )
    periods = queries.periods_of(indicator)
    period = next((p for p in periods if p.label == request.GET.get("periode")), None)
    if period is None and periods:
        period = _latest_for(indicator, periods, area)
    region = queries.flemish_region()

    if view == "reeks":
        table, figure = _series_view(indicator, area, region, periods)
    elif view == "kaart":
        table, figure, map_note = _map_view(indicator, area, period, level)
    else:
        table, figure = _comparison_view(indicator, area, region, period)
    file_format = _formaat(request)
    if file_format in ("csv", "xlsx"):
        return download(table, file_format)

    params = {"gebied": area.code, "weergave": view}
    if period is not None:
        params["periode"] = period.label
    if view == "kaart":
        params["niveau"] = level
    return render(
        request,
        "stats/indicator.html",
        {
            "indicator": indicator,
            "area": area,
            "view": view,
            "views": [
                (key, label, "?" + urlencode({**params, "weergave": key}))
                for key, label in VIEWS.items()
            ],
            "level": level,
            "levels": MAP_LEVELS,
            "period": period,
            "periods": periods,
            "table": table,
            "figure": figure,
            "map_note": map_note if view == "kaart" else "",
            "cities": queries.centrumsteden(),
            "csv_link": "?" + urlencode({**params, "formaat": "csv"}),
            "xlsx_link": "?" + urlencode({**params, "formaat": "xlsx"}),
            "permalink": request.path + "?" + urlencode(params),
        },
    )


def _latest_for(indicator, periods, area) -> Period:
    ids = set(
        Observation.objects.filter(indicator=indicator, area=area).values_list(
            "period_id", flat=True
        )
    )
    candidates = [p for p in periods if p.pk in ids] or periods
    return candidates[-1]


def _series_view(indicator, area, region, periods):
    areas = [area] if area.pk == region.pk else [area, region]
    data = queries.series(indicator, areas)
    areas = [a for a in areas if a.pk == area.pk or data[a.pk]]
    table = Table(
        title=f"{indicator.name} – {area.name}",
        columns=["Periode", *[a.name for a in areas]],
    )
    rows, marks = [], set()
    # A count of the region dwarfs that of a city on one axis: the chart then
    # shows the area alone, the table keeps both.
    charted = {area.pk} if indicator.kind == Kind.COUNT else {a.pk for a in areas}
    for period in periods:
        shown = [queries.present(data[a.pk].get(period.pk), indicator) for a in areas]
        if all(not s.text for s in shown):
            continue
        table.rows.append([period.label, *[_cell(s) for s in shown]])
        for a, s in zip(areas, shown, strict=True):
            marks.add(s.mark)
            if s.published and a.pk in charted:
                rows.append(
                    {
                        "periode": period.label,
                        "gebied": a.name,
                        "waarde": float(s.value),
                    }
                )
    table.notes = _notes(indicator, marks)
    figure = None
    if rows:
        figure = figures.time_series(
            rows,
            title=f"{indicator.name}: tijdreeks voor {area.name}",
            unit=indicator.unit,
        )
    return table, figure


def _map_view(indicator, area, period, level):
    if period is None:
        return Table(title=indicator.name, columns=["Gebied", "Waarde"]), None, ""
    if level == "gemeente":
        areas = list(
            Area.current()
            .filter(level=AreaLevel.GEMEENTE, geometry__isnull=False)
            .order_by("name")
        )
        note = "Gemeenten van Vlaanderen en Brussel."
    else:
        city = area if area.level == AreaLevel.GEMEENTE else area.parent
        if level == "wijk":
            areas = list(
                Area.current()
                .filter(level=AreaLevel.WIJK, parent=city)
                .order_by("name")
            )
        else:
            areas = list(
                Area.current()
                .filter(level=AreaLevel.SECTOR, parent__parent=city)
                .order_by("code")
            )
        note = (
            f"{MAP_LEVELS[level].capitalize()} van {city.name}. De grenzen van "
            "wijken en sectoren worden niet meegeleverd; de cijfers staan in de "
            "tabel."
        )
    cells = queries.cells_for(indicator, period, areas)
    table = Table(
        title=f"{indicator.name} – {MAP_LEVELS[level]} – {period.label}",
        columns=["Code", "Gebied", f"Waarde ({indicator.unit})"],
    )
    features, marks = [], set()
    for a in areas:
        shown = queries.present(cells.get(a.pk), indicator)
        if shown.text:
            marks.add(shown.mark)
            table.rows.append([a.code, a.name, _cell(shown)])
        if a.geometry:
            features.append(
                {
                    "type": "Feature",
                    "geometry": a.geometry,
                    "properties": {
                        "naam": a.name,
                        "waarde": float(shown.value) if shown.published else None,
                    },
                }
            )
    table.notes = _notes(indicator, marks) + [
        "Grenzen: Provincies in Cijfers / Statbel."
    ]
    figure = None
    if table.rows and features:
        figure = figures.choropleth(
            features,
            title=f"Kaart: {indicator.name} per gemeente, {period.label}",
            unit=indicator.unit,
        )
    return table, figure, note


def _comparison_view(indicator, area, region, period):
    areas = queries.centrumsteden()
    if area.pk not in {a.pk for a in areas} and area.pk != region.pk:
        areas.append(area)
    areas.append(region)
    columns = ["Gebied", f"Waarde ({indicator.unit})"]
    if indicator.is_survey:
        columns += ["95%-betrouwbaarheidsinterval laag", "hoog", "Respondenten (n)"]
    table = Table(
        title=f"{indicator.name} – centrumsteden en Vlaams Gewest – "
        f"{period.label if period else ''}",
        columns=columns,
    )
    if period is None:
        return table, None
    cells = queries.cells_for(indicator, period, areas)
    rows, marks = [], set()
    for a in areas:
        shown = queries.present(cells.get(a.pk), indicator)
        marks.add(shown.mark)
        line = [a.name, _cell(shown)]
        if indicator.is_survey:
            line += [shown.ci_low, shown.ci_high, shown.respondents]
        table.rows.append(line)
        if shown.published:
            row = {"gebied": a.name, "waarde": float(shown.value)}
            if shown.ci_low is not None and shown.ci_high is not None:
                row.update(laag=float(shown.ci_low), hoog=float(shown.ci_high))
            rows.append(row)
    table.notes = _notes(indicator, marks)
    figure = None
    if rows:
        figure = figures.comparison(
            rows,
            title=f"{indicator.name}: {area.name} tegenover de centrumsteden "
            f"en het Vlaams Gewest, {period.label}",
            unit=indicator.unit,
            highlight=area.name,
        )
    return table, figure


def benchmark(request):
    visible = queries.visible_indicators(request.user)
    themes = list(Theme.objects.filter(parent__isnull=True))
    theme_path = request.GET.get("thema") or "Demografie"
    year = request.GET.get("jaar")
    year = int(year) if year and year.isdigit() else None
    indicators = list(
        visible.filter(
            Q(theme__path=theme_path) | Q(theme__path__startswith=theme_path + "/")
        ).filter(queries.has_data())
    )
    cities = queries.centrumsteden()
    region = queries.flemish_region()
    rows = queries.benchmark(indicators, cities, region, year)
    table = Table(
        title=f"Benchmark centrumsteden – {theme_path}"
        + (f" – {year}" if year else ""),
        columns=[
            "Indicator",
            "Eenheid",
            "Periode",
            *[c.name for c in cities],
            "Vlaams Gewest",
        ],
    )
    marks = set()
    for row in rows:
        table.rows.append(
            [
                row.indicator.name,
                row.indicator.unit,
                row.period.label if row.period else "",
                *[_cell(s) for s in row.cells],
                _cell(row.flemish) if row.flemish else "",
            ]
        )
        marks.update(s.mark for s in row.cells)
    table.notes = (
        _notes(None, marks)
        + ["Rang 1 = hoogste waarde onder de 13 centrumsteden."]
        + sorted(
            {f"Bron: {r.indicator.source.name}" for r in rows if r.indicator.source}
        )
    )
    file_format = _formaat(request)
    if file_format in ("csv", "xlsx"):
        return download(table, file_format)
    params = {"thema": theme_path, **({"jaar": year} if year else {})}
    return render(
        request,
        "stats/benchmark.html",
        {
            "rows": [(r, _benchmark_cells(r)) for r in rows],
            "cities": cities,
            "themes": themes,
            "theme_path": theme_path,
            "year": year or "",
            "table": table,
            "csv_link": "?" + urlencode({**params, "formaat": "csv"}),
            "xlsx_link": "?" + urlencode({**params, "formaat": "xlsx"}),
        },
    )


def _benchmark_cells(row) -> str:
    """The cells of one benchmark row as HTML: built here rather than in the
    template, which is several times slower for a table of 5,600 cells."""
    parts = []
    for shown, rank in zip(row.cells, row.ranks, strict=True):
        suffix = f'<br><span class="muted">#{rank}</span>' if rank else ""
        parts.append(f'<td class="num">{escape(shown.text)}{suffix}</td>')
    flemish = escape(row.flemish.text) if row.flemish else ""
    parts.append(f'<td class="num">{flemish}</td>')
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def _profile_table(area, groups, title):
    table = Table(
        title=title, columns=["Thema", "Indicator", "Periode", "Waarde", "Eenheid"]
    )
    marks = set()
    for group in groups:
        for item in group["items"]:
            table.rows.append(
                [
                    group["theme"],
                    item["indicator"].name,
                    item["period"].label,
                    _cell(item["shown"]),
                    item["indicator"].unit,
                ]
            )
            marks.add(item["shown"].mark)
    table.notes = _notes(None, marks) + sorted(
        {
            f"Bron: {i['indicator'].source.name}"
            for g in groups
            for i in g["items"]
            if i["indicator"].source
        }
    )
    return table


def area_profile(request, code):
    area = _area_or_404(code, [AreaLevel.GEMEENTE, AreaLevel.WIJK, AreaLevel.GEWEST])
    groups = queries.area_profile(area, queries.visible_indicators(request.user))
    table = _profile_table(area, groups, f"Gebiedsprofiel {area.name}")
    file_format = _formaat(request)
    if file_format in ("csv", "xlsx"):
        return download(table, file_format)
    wijken = (
        list(Area.current().filter(level=AreaLevel.WIJK, parent=area).order_by("name"))
        if area.level == AreaLevel.GEMEENTE
        else []
    )
    return render(
        request,
        "stats/area.html",
        {
            "area": area,
            "groups": groups,
            "wijken": wijken,
            "csv_link": "?formaat=csv",
            "xlsx_link": "?formaat=xlsx",
        },
    )


def steekkaart(request, code):
    area = _area_or_404(code, [AreaLevel.GEMEENTE, AreaLevel.WIJK])
    theme = request.GET.get("thema", "Demografie")
    visible = queries.visible_indicators(request.user).filter(
        Q(theme__path=theme) | Q(theme__path__startswith=theme + "/")
    )
    groups = queries.area_profile(area, visible)
    items = [i for g in groups for i in g["items"]]
    region = queries.flemish_region()
    comparison = {}
    for item in items:
        cell = Observation.objects.filter(
            indicator=item["indicator"], area=region, period=item["period"]
        ).first()
        comparison[item["indicator"].pk] = queries.present(cell, item["indicator"])
    table = Table(
        title=f"Steekkaart {theme} – {area.name}",
        columns=["Indicator", "Periode", area.name, "Vlaams Gewest", "Eenheid"],
    )
    marks = set()
    for item in items:
        flemish = comparison[item["indicator"].pk]
        table.rows.append(
            [
                item["indicator"].name,
                item["period"].label,
                _cell(item["shown"]),
                _cell(flemish) if flemish.text else "",
                item["indicator"].unit,
            ]
        )
        marks.update([item["shown"].mark, flemish.mark])
    table.notes = _notes(None, marks) + sorted(
        {f"Bron: {i['indicator'].source.name}" for i in items if i["indicator"].source}
    )
    figure = None
    if items:
        counted = [i for i in items if i["indicator"].kind == "count"] or items
        chart_indicator = counted[0]["indicator"]
        series_table, figure = _series_view(
            chart_indicator, area, region, queries.periods_of(chart_indicator)
        )
    file_format = _formaat(request)
    if file_format in ("csv", "xlsx"):
        return download(table, file_format)
    context = {
        "area": area,
        "theme": theme,
        "items": items,
        "comparison": comparison,
        "table": table,
        "figure": figure,
        "themes": Theme.objects.filter(parent__isnull=True),
    }
    if file_format == "pdf":
        pdf = render_pdf("stats/steekkaart_print.html", context, request=request)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{table.filename("pdf")}"'
        )
        return response
    params = urlencode({"thema": theme})
    context.update(
        pdf_link=f"?{params}&formaat=pdf",
        csv_link=f"?{params}&formaat=csv",
        xlsx_link=f"?{params}&formaat=xlsx",
    )
    return render(request, "stats/steekkaart.html", context)


@login_required
def upload(request):
    if not organisations_with_role(request.user, Role.BIJDRAGER):
        raise PermissionDenied("Hiervoor heb je minstens de rol 'bijdrager' nodig.")
    result = refusal = None
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["bestand"]
        try:
            result = import_indicator_file(
                upload_file.name,
                upload_file.read(),
                actor=request.user,
                dry_run=form.cleaned_data["alleen_controleren"],
            )
        except InputRefusedError as error:
            refusal = error
        else:
            if result.written is not None:
                messages.success(request, f"{upload_file.name} is ingelezen.")
                if not result.changed:
                    messages.info(
                        request, "Dit bestand was al ingelezen: er is niets gewijzigd."
                    )
    recent = ImportBatch.objects.select_related("actor")[:10]
    return render(
        request,
        "stats/upload.html",
        {
            "form": form,
            "result": result,
            "refusal": refusal,
            "recent": recent,
        },
        status=400 if refusal else 200,
    )


def city_redirect(request):
    code = request.GET.get("gebied", DEFAULT_AREA)
    if code not in CENTRUMSTEDEN and not Area.current().filter(code=code).exists():
        raise Http404("Dit gebied bestaat niet.")
    return redirect(reverse("stats:area", args=[code]))
