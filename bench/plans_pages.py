"""Time the plan dashboard and tree for a plan of 5,000 items and 50,000
updates, on SQLite and on PostgreSQL.

    .venv/bin/python bench/plans_pages.py            # both databases
    .venv/bin/python bench/plans_pages.py --only sqlite

Each database is set up fresh in a child process (SQLite in a temporary
folder; PostgreSQL in the database `sp_bench_plans` on 127.0.0.1, which is
dropped and created again). Pages are requested through Django's test client
(the whole request: middleware, queries, template), warmed up once, then
timed; the median and the slowest of the runs are printed.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_URL = "postgres://postgres@127.0.0.1:5432/sp_bench_plans"
RUNS = 15


def child(database: str) -> None:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "stedenplatform.settings"
    django.setup()
    import datetime
    import random

    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from stedenplatform.core.demo_data import load_organisations
    from stedenplatform.core.geography import load_geography_2025
    from stedenplatform.core.models import Organisation
    from stedenplatform.plans.models import Item, Kwestie, Level, Plan, ProgressUpdate
    from stedenplatform.plans.services import recompute_rollups

    call_command("migrate", verbosity=0)
    load_geography_2025()
    load_organisations()
    random.seed(7)
    started = time.perf_counter()
    plan = Plan.objects.create(
        organisation=Organisation.objects.get(code="KVS"), code="bench", title="Benchmarkplan",
        start=datetime.date(2026, 1, 1), end=datetime.date(2031, 12, 31), published=True,
    )
    levels = [Level.objects.create(plan=plan, depth=d, key=k, label=k.capitalize())
              for d, k in enumerate(["programma", "werkspoor", "doelstelling", "actie"])]
    statuses = ["niet_gestart", "lopend", "op_schema", "vertraagd", "gerealiseerd", "stopgezet"]
    fan_out = [5, 10, 20, 4]  # 5 + 50 + 1,000 + 4,000 = 5,055 items
    parents = [None]
    for depth, width in enumerate(fan_out):
        batch = []
        for parent in parents:
            prefix = parent.code + "." if parent else "P"
            for n in range(width):
                batch.append(Item(
                    plan=plan, level=levels[depth], parent=parent, code=f"{prefix}{n + 1}",
                    title=f"{levels[depth].label} {prefix}{n + 1} met een titel van gewone lengte",
                    position=n, status=random.choice(statuses), progress=random.randint(0, 100),
                    priority=depth == 3 and random.random() < 0.05,
                    end=datetime.date(2026, 1, 1) + datetime.timedelta(days=random.randint(0, 900)),
                ))
        parents = Item.objects.bulk_create(batch, batch_size=1000)
    leaves = parents
    now = timezone.now()
    updates = []
    for i in range(50_000):
        item = leaves[i % len(leaves)]
        updates.append(ProgressUpdate(
            item=item, created_at=now - datetime.timedelta(days=random.randint(0, 400)),
            date=datetime.date(2026, 1, 1), status=item.status, progress=item.progress,
            text="Stand van zaken " + str(i),
        ))
    ProgressUpdate.objects.bulk_create(updates, batch_size=5000)
    for item in leaves:
        item.last_update_at = now - datetime.timedelta(days=random.randint(0, 400))
    Item.objects.bulk_update(leaves, ["last_update_at"], batch_size=2000)
    Kwestie.objects.bulk_create([Kwestie(item=leaves[i * 7], title=f"Knelpunt {i}",
                                         severity=random.choice(["laag", "middel", "hoog"]))
                                 for i in range(500)])
    recompute_rollups(plan)
    build = time.perf_counter() - started
    count = Item.objects.filter(plan=plan).count()

    client = Client()
    pages = {
        "dashboard": "/plannen/bench/",
        "boom (standaard, tot doelstelling)": "/plannen/bench/boom/",
        "boom (alle 5.055 items)": "/plannen/bench/boom/?diepte=alle",
        "boom gefilterd (vertraagd)": "/plannen/bench/boom/?status=vertraagd",
        "API items": f"/api/plans/{plan.pk}/items",
    }
    print(f"[{database}] plan met {count} items en {ProgressUpdate.objects.count()} updates "
          f"opgebouwd in {build:.1f} s")
    for name, url in pages.items():
        assert client.get(url).status_code == 200
        times = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        print(f"[{database}] {name:<36} mediaan {statistics.median(times):7.1f} ms   "
              f"traagste {max(times):7.1f} ms   ({len(response.content) // 1024} kB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    for database in ["sqlite", "postgres"]:
        if args.only and args.only != database:
            continue
        env = dict(os.environ, STEDENPLATFORM_LOG_LEVEL="ERROR")
        with tempfile.TemporaryDirectory() as folder:
            env["STEDENPLATFORM_VAR"] = folder
            if database == "postgres":
                subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists",
                                "sp_bench_plans"], check=True)
                subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "sp_bench_plans"],
                               check=True)
                env["DATABASE_URL"] = PG_URL
            else:
                env.pop("DATABASE_URL", None)
            subprocess.run([sys.executable, __file__, "--child", database], env=env, check=True,
                           cwd=ROOT)


if __name__ == "__main__":
    main()
