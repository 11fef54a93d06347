"""DEMaD API under /api/social/: uploads and microdata of the caller's own
OCMW, benchmark runs and their figures after disclosure control.

Reading works with a session or an API key; uploading needs an API key of a
bijdrager of the OCMW. Every endpoint checks the role; another city's
microdata is never returned, whatever the caller asks.
"""

import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import django_auth

from stedenplatform.core.api import token_auth
from stedenplatform.core.errors import InputRefusedError, PlatformError
from stedenplatform.core.models import Organisation

from . import permissions, queries, services
from .models import BenchmarkRun, Figure, Upload

router = Router()
READ_AUTH = [token_auth, django_auth]


class UploadOut(Schema):
    id: int
    ocmw: str
    dataset: str
    filename: str
    uploaded_at: datetime
    uploaded_by: str | None
    rows: int
    persons: int
    checksum: str
    first_month: date | None
    last_month: date | None
    is_current: bool
    is_synthetic: bool


class RowsOut(Schema):
    upload: int
    columns: list[str]
    rows: list[list]
    offset: int


class RunOut(Schema):
    id: int
    created_at: datetime
    first_year: int
    last_year: int
    cities: list[str]
    parameters: dict
    figure_count: int
    suppressed_count: int
    is_synthetic: bool
    published_at: datetime | None


class FigureOut(Schema):
    indicator: str
    ocmw: str
    year: int
    breakdown: str
    group: str
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    censored: int | None
    suppression: str


class ProblemOut(Schema):
    code: str
    message: str
    problems: list[dict] = []


def _upload_out(upload: Upload) -> UploadOut:
    return UploadOut(
        id=upload.pk,
        ocmw=upload.organisation.code,
        dataset=upload.dataset,
        filename=upload.filename,
        uploaded_at=upload.uploaded_at,
        uploaded_by=upload.uploaded_by.username if upload.uploaded_by else None,
        rows=upload.rows,
        persons=upload.persons,
        checksum=upload.checksum,
        first_month=upload.first_month,
        last_month=upload.last_month,
        is_current=upload.is_current,
        is_synthetic=upload.is_synthetic,
    )


def _forbid(message: str):
    raise HttpError(403, message)


@router.get(
    "/uploads",
    response=list[UploadOut],
    auth=READ_AUTH,
    summary="Uploads van de eigen OCMW's",
)
def list_uploads(request):
    organisations = [
        o
        for o in permissions.ocmws_for(request.user, "bijdrager")
        if permissions.can_handle_microdata(request.user, o)
    ]
    if not organisations:
        _forbid("Alleen een bijdrager of beheerder van een OCMW ziet uploads.")
    uploads = Upload.objects.filter(organisation__in=organisations).select_related(
        "organisation", "uploaded_by"
    )
    return [_upload_out(u) for u in uploads]


@router.post(
    "/uploads",
    response={201: UploadOut, 200: UploadOut, 400: ProblemOut},
    auth=token_auth,
    summary="Een dataset opladen (vervangt de vorige)",
)
def create_upload(
    request, ocmw: Form[str], dataset: Form[str], file: File[UploadedFile]
):
    organisation = Organisation.objects.filter(code=ocmw).select_related("area").first()
    if organisation is None or not permissions.can_handle_microdata(
        request.user, organisation
    ):
        _forbid(
            "Alleen een bijdrager of beheerder van dit OCMW kan er gegevens opladen."
        )
    suffix = Path(file.name or "").suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in file.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            upload, changed = services.upload_microdata(
                request.user,
                organisation,
                dataset,
                Path(handle.name),
                file.name or "",
            )
        except InputRefusedError as error:
            return Status(
                400,
                ProblemOut(
                    code=error.code,
                    message=error.message,
                    problems=[p.as_dict() for p in error.problems],
                ),
            )
        except PlatformError as error:
            return Status(400, ProblemOut(code=error.code, message=error.message))
    return Status(201 if changed else 200, _upload_out(upload))


@router.get(
    "/uploads/{upload_id}/rows",
    response=RowsOut,
    auth=READ_AUTH,
    summary="Microdata van een eigen upload, per blad",
)
def upload_rows(request, upload_id: int, limit: int = 100, offset: int = 0):
    upload = get_object_or_404(
        Upload.objects.select_related("organisation__area"), pk=upload_id
    )
    if not permissions.can_handle_microdata(request.user, upload.organisation):
        _forbid("Alleen een bijdrager of beheerder van dit OCMW ziet zijn microdata.")
    page = queries.upload_rows(
        upload, limit=max(1, min(limit, 1000)), offset=max(0, offset)
    )
    if page is None:
        raise HttpError(410, "Dit bestand is vervangen en wordt niet meer bewaard.")
    columns, rows = page
    return RowsOut(
        upload=upload.pk,
        columns=columns,
        offset=offset,
        rows=[
            [str(v) if isinstance(v, date | Decimal) else v for v in r] for r in rows
        ],
    )


@router.get("/runs", response=list[RunOut], auth=READ_AUTH, summary="Benchmarks")
def list_runs(request):
    if not permissions.can_read_benchmark(request.user):
        _forbid("De benchmark is er voor de centrumsteden en het Kenniscentrum.")
    return [
        RunOut(id=r.pk, **{k: getattr(r, k) for k in RunOut.model_fields if k != "id"})
        for r in BenchmarkRun.objects.all()[:100]
    ]


def _figures(run: BenchmarkRun, indicator, ocmw, breakdown) -> list[FigureOut]:
    qs = Figure.objects.filter(run=run)
    if indicator:
        qs = qs.filter(indicator=indicator)
    if ocmw:
        qs = qs.filter(ocmw=ocmw)
    if breakdown:
        qs = qs.filter(breakdown=breakdown)
    return [FigureOut(**{k: getattr(f, k) for k in FigureOut.model_fields}) for f in qs]


@router.get(
    "/runs/{run_id}/figures",
    response=list[FigureOut],
    auth=READ_AUTH,
    summary="Cijfers van een benchmark (na geheimhouding)",
)
def run_figures(
    request,
    run_id: int,
    indicator: str | None = None,
    ocmw: str | None = None,
    breakdown: str | None = None,
):
    if not permissions.can_read_benchmark(request.user):
        _forbid("De benchmark is er voor de centrumsteden en het Kenniscentrum.")
    run = get_object_or_404(BenchmarkRun, pk=run_id)
    return _figures(run, indicator, ocmw, breakdown)


@router.get(
    "/dashboard/{nis}",
    response=list[FigureOut],
    auth=READ_AUTH,
    summary="Eigen cijfers van een stad uit de laatste benchmark",
)
def dashboard(
    request, nis: str, indicator: str | None = None, breakdown: str | None = None
):
    organisation = Organisation.objects.filter(
        area__code=nis, kind="centrumstad"
    ).first()
    if organisation is None:
        raise HttpError(404, f"Geen centrumstad met NIS-code {nis!r}.")
    if not permissions.can_read_dashboard(request.user, organisation):
        _forbid(
            f"Het dashboard van {organisation.name} is er voor wie een rol heeft "
            "bij die stad."
        )
    run = queries.latest_run()
    if run is None:
        return []
    return _figures(run, indicator, nis, breakdown)
