"""The DEMaD use cases that change data: upload microdata, run the benchmark.

Each checks the actor's role, validates everything before writing, writes in
one transaction and records an audit row. `actor=None` stands for the
platform's own operator (command line, demo loader), who is trusted.
"""

import logging
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from stedenplatform.core.audit import record
from stedenplatform.core.errors import PlatformError
from stedenplatform.core.models import Organisation

from . import disclosure, storage
from .importers import file_checksum, validate
from .indicators import Parameters, compute, month_label
from .models import BenchmarkRun, Figure, Upload
from .permissions import is_ocmw, require_microdata, require_run_benchmark
from .schemas import SCHEMAS

logger = logging.getLogger(__name__)


class NoDataError(PlatformError):
    code = "geen_gegevens"


def upload_microdata(
    actor,
    organisation: Organisation,
    dataset: str,
    source: Path,
    filename: str,
    *,
    synthetic: bool = False,
) -> tuple[Upload, bool]:
    """Validate a file and make it the OCMW's current data set.

    Returns the upload and whether anything changed: the same file uploaded
    again leaves the current upload as it is.
    """
    if actor is not None:
        require_microdata(actor, organisation)
    if not is_ocmw(organisation):
        raise PlatformError(
            f"{organisation.name} is geen OCMW van een centrumstad; toegelaten: de 13 "
            "centrumsteden.",
            "geen_ocmw",
        )
    if dataset not in SCHEMAS:
        raise PlatformError(
            f"Onbekende dataset {dataset!r}; toegelaten: {', '.join(SCHEMAS)}.",
            "dataset_onbekend",
        )
    ocmw = organisation.area.code
    current = Upload.objects.filter(
        organisation=organisation, dataset=dataset, is_current=True
    ).first()
    if current and current.checksum == file_checksum(Path(source)):
        return current, False
    checked = validate(Path(source), filename, dataset, ocmw)

    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    storage_name = f"{stamp}-{checked.checksum[:12]}.parquet"
    storage.write_parquet(checked.table, ocmw, dataset, storage_name)
    try:
        with transaction.atomic():
            replaced = list(
                Upload.objects.select_for_update().filter(
                    organisation=organisation, dataset=dataset, is_current=True
                )
            )
            Upload.objects.filter(pk__in=[u.pk for u in replaced]).update(
                is_current=False
            )
            upload = Upload.objects.create(
                organisation=organisation,
                dataset=dataset,
                uploaded_by=actor
                if actor is not None and actor.is_authenticated
                else None,
                filename=Path(filename).name[:255],
                rows=checked.rows,
                persons=checked.persons,
                checksum=checked.checksum,
                storage_name=storage_name,
                first_month=checked.first_month,
                last_month=checked.last_month,
                is_current=True,
                is_synthetic=synthetic,
            )
            record(
                actor,
                "social.microdata_uploaded",
                upload,
                organisation=organisation,
                before={"upload": replaced[0].pk} if replaced else None,
                after={
                    "dataset": dataset,
                    "rows": checked.rows,
                    "checksum": checked.checksum,
                    "synthetic": synthetic,
                },
            )
            old_names = [u.storage_name for u in replaced]
            transaction.on_commit(lambda: _remove_files(ocmw, dataset, old_names))
    except Exception:
        storage.remove_file(ocmw, dataset, storage_name)
        raise
    logger.info(
        "microdata upload %s stored: organisation=%s dataset=%s rows=%s",
        upload.pk,
        organisation.pk,
        dataset,
        checked.rows,
    )
    return upload, True


def _remove_files(ocmw: str, dataset: str, names: list[str]) -> None:
    for name in names:
        storage.remove_file(ocmw, dataset, name)


def current_sources() -> tuple[dict[str, list[Path]], list[Upload]]:
    """The Parquet files of every OCMW's current uploads, per data set."""
    uploads = list(
        Upload.objects.filter(is_current=True).select_related("organisation__area")
    )
    sources: dict[str, list[Path]] = {name: [] for name in SCHEMAS}
    for upload in uploads:
        sources[upload.dataset].append(
            storage.file_path(
                upload.organisation.area.code, upload.dataset, upload.storage_name
            )
        )
    return sources, uploads


def run_benchmark(actor, parameters: Parameters | None = None) -> BenchmarkRun:
    """Compute every indicator for every city and keep the safe aggregates."""
    if actor is not None:
        require_run_benchmark(actor)
    p = parameters or Parameters()
    sources, uploads = current_sources()
    if not sources["leefloon"]:
        raise NoDataError(
            "Er zijn nog geen leefloongegevens opgeladen; de benchmark heeft minstens "
            "één OCMW met leefloongegevens nodig."
        )

    aggregates, windows = compute(sources, p)
    cells = disclosure.suppress(disclosure.cells_from_table(aggregates), p)
    rows = [disclosure.published(c, p) for c in cells]
    years = [r["year"] for r in rows] or [0]

    with transaction.atomic():
        run = BenchmarkRun.objects.create(
            created_by=actor if actor is not None and actor.is_authenticated else None,
            parameters=p.as_dict(),
            cities=sorted(windows),
            first_year=min(years),
            last_year=max(years),
            data_windows={
                nis: [month_label(start), month_label(end)]
                for nis, (start, end) in windows.items()
            },
            figure_count=len(rows),
            suppressed_count=sum(
                1
                for r in rows
                if r["suppression"] in (disclosure.PRIMARY, disclosure.SECONDARY)
            ),
            is_synthetic=any(u.is_synthetic for u in uploads),
        )
        Figure.objects.bulk_create(
            [Figure(run=run, **row) for row in rows], batch_size=2000
        )
        record(
            actor,
            "social.benchmark_computed",
            run,
            after={
                "parameters": p.as_dict(),
                "figures": len(rows),
                "cities": sorted(windows),
            },
        )
    logger.info(
        "benchmark run %s: %s figures, %s suppressed",
        run.pk,
        run.figure_count,
        run.suppressed_count,
    )
    return run
