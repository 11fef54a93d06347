"""DEMaD pages: public explanation, uploads, benchmark report, dashboard.

Views stay thin: they check the role through `permissions`, call a service
for a change or a query for a read, and render.
"""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from stedenplatform.core.errors import InputRefusedError, PlatformError
from stedenplatform.core.models import Organisation
from stedenplatform.core.pdf import render_pdf

from . import permissions, queries, services
from .forms import BenchmarkForm, UploadForm
from .indicators import INDICATORS, Parameters
from .models import BenchmarkRun, Upload
from .publish import publish_run
from .schemas import SCHEMAS

SAMPLES = Path(__file__).parent / "samples"


def index(request):
    user = request.user
    context = {
        "schemas": SCHEMAS.values(),
        "indicators": [
            (i.title(Parameters()), i.definition(Parameters())) for i in INDICATORS
        ],
        "parameters": Parameters().described(),
        "own_ocmws": permissions.ocmws_for(user),
        "upload_ocmws": [
            o
            for o in permissions.ocmws_for(user, "bijdrager")
            if permissions.can_handle_microdata(user, o)
        ],
        "can_read_benchmark": permissions.can_read_benchmark(user),
    }
    return render(request, "social/index.html", context)


def sample_file(request, dataset):
    path = SAMPLES / f"{dataset}-fictief.csv"
    if dataset not in SCHEMAS or not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=path.name, content_type="text/csv"
    )


def _upload_ocmws(user) -> list[Organisation]:
    return [
        o
        for o in permissions.ocmws_for(user, "bijdrager")
        if permissions.can_handle_microdata(user, o)
    ]


@login_required
def uploads(request):
    organisations = _upload_ocmws(request.user)
    if not organisations:
        raise PermissionDenied(
            "Microdata opladen en bekijken kan alleen een bijdrager of beheerder van "
            "het OCMW van een centrumstad."
        )
    form = UploadForm(organisations=organisations)
    problems = None
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, organisations=organisations)
        if form.is_valid():
            organisation = next(
                o for o in organisations if o.code == form.cleaned_data["organisation"]
            )
            uploaded = form.cleaned_data["file"]
            suffix = Path(uploaded.name).suffix.lower()
            with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
                for chunk in uploaded.chunks():
                    handle.write(chunk)
                handle.flush()
                try:
                    upload, changed = services.upload_microdata(
                        request.user,
                        organisation,
                        form.cleaned_data["dataset"],
                        Path(handle.name),
                        uploaded.name,
                    )
                except InputRefusedError as error:
                    problems = error
                except PlatformError as error:
                    form.add_error(None, error.message)
                else:
                    if changed:
                        messages.success(
                            request,
                            f"{uploaded.name} is opgeladen: {upload.rows} rijen.",
                        )
                    else:
                        messages.info(
                            request,
                            f"{uploaded.name} is hetzelfde bestand als het "
                            "huidige; er is niets veranderd.",
                        )
                    return redirect("social:uploads")
    context = {
        "form": form,
        "problems": problems,
        "organisations": [
            {"organisation": o, "uploads": queries.uploads_of(o)[:30]}
            for o in organisations
        ],
        "schemas": SCHEMAS.values(),
    }
    status = 400 if problems else 200
    return render(request, "social/uploads.html", context, status=status)


@login_required
def upload_detail(request, pk):
    upload = get_object_or_404(
        Upload.objects.select_related("organisation__area"), pk=pk
    )
    permissions.require_microdata(request.user, upload.organisation)
    try:
        page = max(0, int(request.GET.get("pagina", "1")) - 1)
    except ValueError:
        page = 0
    rows = queries.upload_rows(upload, limit=50, offset=page * 50)
    return render(
        request,
        "social/upload_detail.html",
        {
            "upload": upload,
            "rows": rows,
            "page": page + 1,
            "has_next": rows is not None and (page + 1) * 50 < upload.rows,
        },
    )


@login_required
def benchmark_list(request):
    permissions.require_read_benchmark(request.user)
    can_run = permissions.can_run_benchmark(request.user)
    form = BenchmarkForm() if can_run else None
    problems = None
    if request.method == "POST":
        permissions.require_run_benchmark(request.user)
        form = BenchmarkForm(request.POST)
        if form.is_valid():
            try:
                run = services.run_benchmark(
                    request.user, Parameters.from_dict(form.cleaned_data)
                )
            except InputRefusedError as error:
                problems = error
            except PlatformError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Benchmark {run.pk} is berekend.")
                return redirect("social:report", pk=run.pk)
    return render(
        request,
        "social/benchmark_list.html",
        {
            "runs": BenchmarkRun.objects.select_related("created_by")[:20],
            "form": form,
            "problems": problems,
            "can_run": can_run,
            "status": queries.data_status() if can_run else None,
            "datasets": SCHEMAS.values(),
            "own_ocmws": permissions.ocmws_for(request.user),
        },
        status=400 if problems else 200,
    )


def _report_context(request, run: BenchmarkRun, *, charts: bool = True) -> dict:
    own = permissions.ocmws_for(request.user)
    city = request.GET.get("stad") or (own[0].area.code if own else None)
    names = queries.city_names()
    if city not in names:
        city = None
    year = request.GET.get("jaar")
    year = int(year) if year and year.isdigit() else None
    return {
        "run": run,
        "sections": queries.benchmark_sections(
            run, year=year, city=city, charts=charts
        ),
        "parameters": Parameters.from_dict(run.parameters).described(),
        "city": city,
        "city_name": names.get(city),
        "year": year,
        "years": list(range(run.first_year, run.last_year + 1)),
        "cities": sorted(
            ((code, name) for code, name in names.items() if code in run.cities),
            key=lambda item: item[1],
        ),
        "windows": [
            {"name": names.get(code, code), "first": w[0], "last": w[1]}
            for code, w in sorted(
                run.data_windows.items(), key=lambda i: names.get(i[0], "")
            )
        ],
        "can_run": permissions.can_run_benchmark(request.user),
    }


@login_required
def report(request, pk):
    permissions.require_read_benchmark(request.user)
    run = get_object_or_404(BenchmarkRun, pk=pk)
    return render(request, "social/report.html", _report_context(request, run))


@login_required
def report_pdf(request, pk):
    permissions.require_read_benchmark(request.user)
    run = get_object_or_404(BenchmarkRun, pk=pk)
    pdf = render_pdf(
        "social/report_pdf.html", _report_context(request, run), request=request
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="demad-benchmark-{run.pk}.pdf"'
    )
    return response


@require_POST
@login_required
def publish(request, pk):
    permissions.require_run_benchmark(request.user)
    run = get_object_or_404(BenchmarkRun, pk=pk)
    try:
        result = publish_run(request.user, run)
    except PlatformError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Gepubliceerd in Cijfers als beleidsinformatie (intern): "
            f"{result['indicators']} indicatoren, "
            f"{result['observations']} observaties.",
        )
    return redirect("social:report", pk=run.pk)


@login_required
def dashboard(request, nis):
    organisation = get_object_or_404(
        Organisation.objects.select_related("area"),
        area__code=nis,
        kind="centrumstad",
    )
    permissions.require_dashboard(request.user, organisation)
    run = queries.latest_run()
    sections = queries.dashboard_sections(run, nis) if run else []
    return render(
        request,
        "social/dashboard.html",
        {
            "organisation": organisation,
            "run": run,
            "sections": sections,
            "nis": nis,
        },
    )
