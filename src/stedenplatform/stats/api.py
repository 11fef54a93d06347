"""JSON API of Stad in Cijfers under /api/stats/: indicators, areas and
observations with filters, the DCAT-AP catalogue, file import with an API
key, and the Connector endpoints. Suppressed cells come back without value
and with `onderdrukt: true`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from stedenplatform.core.api import token_auth
from stedenplatform.core.errors import InputRefusedError
from stedenplatform.core.models import Area

from . import connector, dcat, queries
from .models import ConnectorPackage, Observation
from .periods import parse_period
from .services import import_indicator_file

router = Router()
MAX_LIMIT = 5000


class IndicatorOut(Schema):
    code: str
    name: str
    definition: str
    theme: str
    unit: str
    kind: str
    decimals: int
    source: str | None
    threshold: int
    is_survey: bool
    status: str
    formula: str
    url: str


class AreaOut(Schema):
    level: str
    code: str
    name: str
    parent: str | None


class ObservationOut(Schema):
    indicator: str
    area: str
    level: str
    period: str
    value: float | None
    numerator: float | None
    denominator: float | None
    ci_low: float | None
    ci_high: float | None
    respondents: int | None
    missing: str | None
    onderdrukt: bool


class ObservationPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[ObservationOut]


class ImportOut(Schema):
    rows: int
    created: int
    updated: int
    unchanged: int
    aggregated: int
    computed: int
    suppressed: int


def _indicator_out(i) -> IndicatorOut:
    return IndicatorOut(
        code=i.code,
        name=i.name,
        definition=i.definition,
        theme=i.theme.path,
        unit=i.unit,
        kind=i.kind,
        decimals=i.decimals,
        source=i.source.name if i.source else None,
        threshold=i.threshold,
        is_survey=i.is_survey,
        status=i.status,
        formula=i.formula,
        url=reverse("stats:indicator", args=[i.code]),
    )


@router.get("/indicators", response=list[IndicatorOut], summary="Indicatoren")
def list_indicators(
    request, theme: str | None = None, q: str | None = None, status: str | None = None
):
    """Zichtbare indicatoren; filter op thema (pad), zoekterm of status."""
    qs = queries.visible_indicators(request.user)
    if theme:
        qs = qs.filter(theme__path__startswith=theme)
    if q:
        qs = qs.filter(name__icontains=q)
    if status:
        qs = qs.filter(status=status)
    return [_indicator_out(i) for i in qs]


@router.get("/indicators/{code}", response=IndicatorOut, summary="Eén indicator")
def get_indicator(request, code: str):
    indicator = queries.visible_indicators(request.user).filter(code=code).first()
    if indicator is None:
        raise Http404("Onbekende indicator.")
    return _indicator_out(indicator)


@router.get("/areas", response=list[AreaOut], summary="Gebieden voor cijfers")
def list_areas(request, level: str | None = None, parent: str | None = None):
    """Huidige gebieden; filter op niveau (gemeente, wijk, sector, ...) en ouder."""
    qs = Area.current().select_related("parent")
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__code=parent)
    return [
        AreaOut(
            level=a.level,
            code=a.code,
            name=a.name,
            parent=a.parent.code if a.parent else None,
        )
        for a in qs[:20000]
    ]


def _float(value):
    return None if value is None else float(value)


@router.get("/observations", response=ObservationPage, summary="Observaties")
def list_observations(
    request,
    indicator: str | None = None,
    area: str | None = None,
    level: str | None = None,
    period: str | None = None,
    limit: int = 1000,
    offset: int = 0,
):
    """Observaties na privacycontrole. Filters: indicatorcode, gebiedscode,
    niveau en periode (2024, 2024-Q1, 2024-03, ...)."""
    visible = queries.visible_indicators(request.user)
    qs = (
        Observation.objects.filter(indicator__in=visible)
        .select_related("indicator", "area", "period")
        .order_by("indicator__code", "area__code", "period__start", "id")
    )
    if indicator:
        qs = qs.filter(indicator__code=indicator)
    if area:
        qs = qs.filter(area__code=area)
    if level:
        qs = qs.filter(area__level=level)
    if period:
        try:
            kind, start, end = parse_period(period)
        except ValueError:
            return JsonResponse(
                {
                    "code": "ongeldige_periode",
                    "melding": f"Ongeldige periode {period!r}.",
                },
                status=400,
            )
        qs = qs.filter(period__kind=kind, period__start=start, period__end=end)
    limit = max(1, min(limit, MAX_LIMIT))
    results = []
    for o in qs[offset : offset + limit]:
        shown = queries.present(o, o.indicator)
        results.append(
            ObservationOut(
                indicator=o.indicator.code,
                area=o.area.code,
                level=o.area.level,
                period=o.period.label,
                value=_float(shown.value),
                numerator=_float(shown.numerator),
                denominator=_float(shown.denominator),
                ci_low=_float(shown.ci_low),
                ci_high=_float(shown.ci_high),
                respondents=shown.respondents,
                missing=o.missing or None,
                onderdrukt=bool(o.suppression),
            )
        )
    return ObservationPage(
        count=qs.count(), limit=limit, offset=offset, results=results
    )


@router.get("/dcat", summary="DCAT-AP-catalogus (JSON-LD)")
def dcat_catalogue(request):
    """De gepubliceerde datasets als DCAT-AP 2 in JSON-LD."""
    response = JsonResponse(
        dcat.catalogue(request), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Type"] = "application/ld+json; charset=utf-8"
    return response


@router.post(
    "/import",
    auth=token_auth,
    response={200: ImportOut},
    summary="Indicatorbestand inlezen",
)
def import_file(
    request,
    file: UploadedFile = File(...),  # noqa: B008
    dry_run: bool = False,
):
    """Lees een bestand in (breed of lang; csv, xlsx of parquet). Een fout
    bestand wordt geheel geweigerd (400) met alle problemen."""
    try:
        result = import_indicator_file(
            file.name, file.read(), actor=request.user, dry_run=dry_run
        )
    except InputRefusedError as error:
        return JsonResponse(
            {
                "code": error.code,
                "melding": error.message,
                "problemen": [p.as_dict() for p in error.problems],
            },
            status=400,
        )
    except PermissionDenied as error:
        return JsonResponse({"code": "geen_toegang", "melding": str(error)}, status=403)
    w = result.written
    return ImportOut(
        rows=len(result.parsed.rows),
        created=w.created if w else 0,
        updated=w.updated if w else 0,
        unchanged=w.unchanged if w else 0,
        aggregated=w.aggregated if w else 0,
        computed=w.computed if w else 0,
        suppressed=w.suppressed if w else 0,
    )


@router.get("/connector/key", summary="Connector: publieke sleutel")
def connector_key(request):
    return HttpResponse(
        connector.public_key_pem(), content_type="application/x-pem-file"
    )


@router.get("/connector/{dataset}", summary="Connector: versies van een dataset")
def connector_versions(request, dataset: str):
    packages = ConnectorPackage.objects.filter(dataset=dataset).order_by("version")
    return {
        "dataset": dataset,
        "versions": [
            {
                "version": p.version,
                "sha256": p.sha256,
                "created": connector.package_created(p),
            }
            for p in packages
        ],
    }


@router.get("/connector/{dataset}/{version}", summary="Connector: ondertekend pakket")
def connector_package(request, dataset: str, version: int):
    package = ConnectorPackage.objects.filter(dataset=dataset, version=version).first()
    if package is None:
        raise Http404("Onbekend pakket.")
    response = HttpResponse(bytes(package.body), content_type="application/json")
    response[connector.SIGNATURE_HEADER] = package.signature
    response[connector.SHA_HEADER] = package.sha256
    return response
