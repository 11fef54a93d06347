"""Time the import of one million observations against a plain bulk insert
of the same rows into the same database, in one run, and print the ratio.

    .venv/bin/python bench/stats_import.py                 # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sp_bench_stats \\
        .venv/bin/python bench/stats_import.py             # PostgreSQL

The file is a long-format Parquet file: 329 indicators (two thirds counts,
one third percentages with numerator and denominator) for the 304
municipalities of Flanders and Brussels over ten years, 1,000,160 rows, with
small random counts so that primary and secondary suppression both occur.
The import is the whole path a user gets: reading and validating every row,
writing, aggregation to the provinces, gewesten and Belgium, and disclosure
control. The peer inserts exactly the loaded rows (no aggregates) with
Django's `bulk_create` (multi-row INSERT, 500 rows a statement; the model
instances are built before the clock starts), after the table was emptied;
a row-by-row `executemany` of the same rows is the second peer, and the
ratio is given against the faster of the two. A first import grows the
database file, so that the peers and the timed import all start from an
emptied table in a grown file.
"""

import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
if "DATABASE_URL" not in os.environ:
    os.environ["STEDENPLATFORM_VAR"] = tempfile.mkdtemp(prefix="sp-bench-stats-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stedenplatform.settings")

INDICATORS = int(os.environ.get("BENCH_INDICATORS", "329"))
YEARS = range(2015, 2025)


def main() -> None:
    import django

    django.setup()
    import pyarrow as pa
    import pyarrow.parquet as pq
    from django.core.management import call_command
    from django.db import connection, transaction

    from stedenplatform.core.geography import FLEMISH_REGION, load_geography_2025
    from stedenplatform.core.models import Area, AreaLevel
    from stedenplatform.stats.catalogue import upsert_indicators
    from stedenplatform.stats.models import Indicator, Observation
    from stedenplatform.stats.services import import_indicator_file
    from stedenplatform.stats.store import FIELDS

    call_command("migrate", verbosity=0)
    load_geography_2025()
    Observation.objects.all().delete()
    municipalities = list(
        Area.current()
        .filter(level=AreaLevel.GEMEENTE)
        .filter(parent__parent__code=FLEMISH_REGION)
        .values_list("code", flat=True)
    ) + list(
        Area.current()
        .filter(level=AreaLevel.GEMEENTE, parent__code="04000")
        .values_list("code", flat=True)
    )
    definitions = []
    for n in range(INDICATORS):
        kind = "percentage" if n % 3 == 2 else "count"
        definitions.append(
            {
                "code": f"bench_{n:03d}",
                "name": f"Benchmarkindicator {n}",
                "unit": "procent" if kind == "percentage" else "persoon",
                "kind": kind,
                "theme": f"Benchmark/Groep {n % 10}",
                "decimals": 1,
                "threshold": 5,
            }
        )
    upsert_indicators(definitions)

    rng = random.Random(2026)
    columns = {
        k: []
        for k in ("indicator", "area", "period", "value", "numerator", "denominator")
    }
    for d in definitions:
        for code in municipalities:
            for year in YEARS:
                columns["indicator"].append(d["code"])
                columns["area"].append(code)
                columns["period"].append(str(year))
                if d["kind"] == "count":
                    value = (
                        rng.choice([0, 1, 3, 7, 12])
                        if rng.random() < 0.05
                        else (rng.randint(10, 50_000))
                    )
                    columns["value"].append(float(value))
                    columns["numerator"].append(None)
                    columns["denominator"].append(None)
                else:
                    denominator = rng.randint(50, 40_000)
                    numerator = rng.randint(0, denominator // 4)
                    columns["value"].append(round(numerator / denominator * 100, 4))
                    columns["numerator"].append(float(numerator))
                    columns["denominator"].append(float(denominator))
    buffer = io.BytesIO()
    pq.write_table(pa.table(columns), buffer)
    content = buffer.getvalue()
    rows = len(columns["indicator"])
    print(
        f"database: {connection.vendor}; rows: {rows:,}; file: {len(content):,} bytes"
    )

    def timed_import():
        started = time.perf_counter()
        result = import_indicator_file("bench.parquet", content)
        return time.perf_counter() - started, result.written

    # A first import grows the database file; both timed runs below then
    # write into a table in the same state (emptied, file already grown).
    warm_seconds, _ = timed_import()
    print(f"first import into the empty database (warm-up): {warm_seconds:.1f} s")
    loaded = list(
        Observation.objects.filter(origin="geladen").values_list(
            "indicator_id", "area_id", "period_id", *FIELDS
        )
    )
    table = Observation._meta.db_table
    names = ["indicator_id", "area_id", "period_id", *FIELDS]
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) "
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )

    Observation.objects.all().delete()
    objects = [Observation(**dict(zip(names, row, strict=True))) for row in loaded]
    started = time.perf_counter()
    with transaction.atomic():
        Observation.objects.bulk_create(objects, batch_size=500)
    bulk_seconds = time.perf_counter() - started
    print(
        f"plain bulk insert (bulk_create) of the same {len(loaded):,} rows: "
        f"{bulk_seconds:.1f} s"
    )
    del objects

    Observation.objects.all().delete()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(loaded), 2000):
            cursor.executemany(sql, loaded[start : start + 2000])
    executemany_seconds = time.perf_counter() - started
    print(f"row-by-row executemany of the same rows: {executemany_seconds:.1f} s")

    Observation.objects.all().delete()
    import_seconds, w = timed_import()
    print(
        f"import (read, validate, write, aggregate, suppress): {import_seconds:.1f} s "
        f"({w.created:,} loaded, {w.aggregated:,} aggregated, "
        f"{w.suppressed:,} suppressed)"
    )
    reimport_seconds, again = timed_import()
    print(
        f"re-import of the same file: {reimport_seconds:.1f} s "
        f"({again.unchanged:,} unchanged, {again.updated} updated)"
    )
    print(f"ratio import / bulk_create: {import_seconds / bulk_seconds:.2f}")
    print(f"ratio import / executemany: {import_seconds / executemany_seconds:.2f}")
    fastest = min(bulk_seconds, executemany_seconds)
    print(f"ratio import / fastest plain bulk insert: {import_seconds / fastest:.2f}")
    Observation.objects.all().delete()
    Indicator.objects.filter(code__startswith="bench_").delete()


if __name__ == "__main__":
    main()
