"""Time the benchmark table page of Stad in Cijfers with 400 indicators over
300 municipalities and ten years (1.2 million observations).

    .venv/bin/python bench/stats_benchmark_page.py            # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sp_bench_stats \\
        .venv/bin/python bench/stats_benchmark_page.py        # PostgreSQL

The observations are inserted directly (the import is timed by
bench/stats_import.py). The page is requested through Django's test client,
so the figure is the server time of the whole view with its template: the
latest year of 400 indicators for the 13 centrumsteden with ranks and the
Flemish value (a 400-row table), and the same page for one theme of 40
indicators. Each page is requested once warm, then 20 times; mean, median
and 95th percentile are printed. The peer is the naive way: one query per
indicator and city (as an ORM loop would do), timed once.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
if "DATABASE_URL" not in os.environ:
    os.environ["STEDENPLATFORM_VAR"] = tempfile.mkdtemp(prefix="sp-bench-page-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stedenplatform.settings")

INDICATORS = 400
MUNICIPALITIES = 300
YEARS = range(2015, 2025)


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from stedenplatform.core.geography import CENTRUMSTEDEN, load_geography_2025
    from stedenplatform.core.models import Area, AreaLevel
    from stedenplatform.stats import queries
    from stedenplatform.stats.catalogue import upsert_indicators
    from stedenplatform.stats.models import Indicator, Observation
    from stedenplatform.stats.periods import ensure_periods, parse_period
    from stedenplatform.stats.store import FIELDS

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    load_geography_2025()
    Observation.objects.all().delete()
    upsert_indicators(
        [
            {
                "code": f"page_{n:03d}",
                "name": f"Paginaindicator {n}",
                "unit": "persoon",
                "kind": "count",
                "theme": f"Paginatest/Groep {n % 10}",
            }
            for n in range(INDICATORS)
        ]
    )
    indicators = list(
        Indicator.objects.filter(code__startswith="page_").order_by("code")
    )
    cities = list(
        Area.current().filter(level=AreaLevel.GEMEENTE, code__in=CENTRUMSTEDEN)
    )
    others = list(
        Area.current()
        .filter(level=AreaLevel.GEMEENTE)
        .exclude(code__in=CENTRUMSTEDEN)
        .order_by("code")[: MUNICIPALITIES - len(cities)]
    )
    region = queries.flemish_region()
    areas = [*cities, *others, region]
    period_ids = ensure_periods({parse_period(str(y)) for y in YEARS})
    rng = random.Random(7)
    rows = [
        (
            i.pk,
            a.pk,
            period_ids[parse_period(str(y))],
            rng.randint(10, 90_000),
            None,
            None,
            None,
            None,
            None,
            "",
            "geladen",
            "",
        )
        for i in indicators
        for a in areas
        for y in YEARS
    ]
    table = Observation._meta.db_table
    names = ["indicator_id", "area_id", "period_id", *FIELDS]
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) "
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    print(f"database: {connection.vendor}; observations: {len(rows):,}")

    client = Client()
    for label, url in [
        ("400 indicators", "/cijfers/benchmark/?thema=Paginatest"),
        ("40 indicators", "/cijfers/benchmark/?thema=Paginatest/Groep+3"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        times = []
        for _ in range(20):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        print(
            f"benchmark page, {label}: mean {statistics.mean(times):.0f} ms, "
            f"median {statistics.median(times):.0f} ms, "
            f"p95 {times[int(len(times) * 0.95) - 1]:.0f} ms, "
            f"{len(response.content):,} bytes"
        )

    started = time.perf_counter()
    for indicator in indicators:
        for city in cities:
            Observation.objects.filter(indicator=indicator, area=city).order_by(
                "-period__start"
            ).first()
    naive = (time.perf_counter() - started) * 1000
    print(
        f"naive peer (one query per indicator and city, 400 indicators): {naive:.0f} ms"
    )
    Observation.objects.all().delete()
    Indicator.objects.filter(code__startswith="page_").delete()


if __name__ == "__main__":
    main()
