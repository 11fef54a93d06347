"""Demo data of DEMaD: small synthetic ("fictief") microdata for the 13
cities, uploaded through the same validation as a real file, one benchmark
run over it, published into Cijfers. Loading twice changes nothing: the
generator is deterministic, an identical file is not uploaded again, and a
run is made only when some upload is newer than the latest run."""

import tempfile
from pathlib import Path

from stedenplatform.core.models import Organisation

from .models import BenchmarkRun, Upload
from .publish import publish_run
from .services import run_benchmark, upload_microdata
from .synthetic import generate_city, load_population, write_csv

DEMO_YEARS = (2016, 2025)
DEMO_SCALE = 0.09


def load(console) -> None:
    changed = 0
    with tempfile.TemporaryDirectory() as scratch:
        for nis in sorted(load_population()):
            organisation = Organisation.objects.get(area__code=nis, kind="centrumstad")
            tables = generate_city(nis, *DEMO_YEARS, scale=DEMO_SCALE)
            for dataset, table in tables.items():
                path = Path(scratch) / f"{nis}-{dataset}-fictief.csv"
                write_csv(table, dataset, path)
                _, was_new = upload_microdata(
                    None, organisation, dataset, path, path.name, synthetic=True
                )
                changed += was_new
    console.print(
        f"DEMaD: fictieve microdata voor 13 steden ({changed} nieuwe uploads)"
    )

    latest = BenchmarkRun.objects.first()
    newest_upload = (
        Upload.objects.filter(is_current=True).order_by("-uploaded_at").first()
    )
    if latest is None or (
        newest_upload and newest_upload.uploaded_at > latest.created_at
    ):
        latest = run_benchmark(None)
        console.print(
            f"DEMaD: benchmark {latest.pk} berekend ({latest.figure_count} cijfers,"
            f" {latest.suppressed_count} geheim)"
        )
    if latest.published_at is None:
        result = publish_run(None, latest)
        console.print(f"DEMaD: gepubliceerd in Cijfers: {result}")
