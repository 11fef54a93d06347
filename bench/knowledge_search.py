"""Time Kennisbank search over 50,000 documents on SQLite and on PostgreSQL.

    .venv/bin/python bench/knowledge_search.py              # both databases
    .venv/bin/python bench/knowledge_search.py --only sqlite

Each database is set up fresh in a child process (SQLite in a temporary
folder; PostgreSQL in the database `sp_bench_knowledge` on 127.0.0.1, which
is dropped and created again). The documents are made of sentences of the
Jaarplan 2026, about 180 words each, with random metadata. One query is the
whole search a page does: the match count, five facets, the ranked page of
20 and its highlighted snippets. Every query runs warm once, then is timed
five times with the result cache emptied ("koud"), each time followed by
page 2 of the same search, which reads the cached count and facets and
ranks its own page ("pagina 2"). The
mean, median and 95th percentile are printed, and beside them (timed twice)
the same query done the naive way (a case-insensitive
substring scan of title, summary and body with its count), which is the peer
here.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_URL = "postgres://postgres@127.0.0.1:5432/sp_bench_knowledge"
DOCUMENTS = 50_000
RUNS = 5
NAIVE_RUNS = 2
QUERIES = [
    "woning",
    "woningen",
    "klimaat",
    "stadsmonitor",
    "gegevens uitwisselen",
    "werkgroep of stuurgroep",
    "digitale transitie",
    '"sociale woningen"',
    "energie -fluvius",
    "leefloon",
    "cybersecurity",
    "indicatoren meerjarenplan",
    "jeugdzorgverlaters",
    "rechtenverkenner",
    "europese financiering",
    "data",
]
THEMES = [
    "wonen",
    "klimaat",
    "data",
    "armoede",
    "digitalisering",
    "Europa",
    "mobiliteit",
    "GDPR",
    "beleidsopvolging",
    "onderwijs",
]
KINDS = ["rapport", "gids", "standaarddocument", "sjabloon", "presentatie", "opname"]


def child(database: str, count: int) -> dict:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "stedenplatform.settings"
    django.setup()
    import datetime

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Q
    from django.utils import timezone

    from stedenplatform.core.demo_data import load_organisations
    from stedenplatform.core.geography import load_geography_2025
    from stedenplatform.core.models import Organisation
    from stedenplatform.knowledge import queries, search
    from stedenplatform.knowledge.models import Document

    call_command("migrate", verbosity=0)
    load_geography_2025()
    load_organisations()
    organisations = list(Organisation.objects.all())
    text = (ROOT / "src/stedenplatform/plans/demo/jaarplan-2026.txt").read_text("utf-8")
    sentences = [
        s.strip() + "."
        for s in text.replace("\n", " ").split(". ")
        if len(s.split()) >= 6
    ]
    rng = random.Random(2026)
    now = timezone.now()

    started = time.perf_counter()
    rows = []
    for number in range(count):
        body = " ".join(rng.choice(sentences) for _ in range(8))
        rows.append(
            Document(
                title=" ".join(rng.choice(sentences).split()[:7]),
                summary=rng.choice(sentences),
                kind=rng.choice(KINDS),
                theme=rng.choice(THEMES),
                year=rng.randint(2010, 2026),
                organisation=rng.choice(organisations),
                licence="CC-BY-4.0",
                visibility="publiek",
                body_text=body,
                fictief=True,
                published_at=now - datetime.timedelta(hours=number),
            )
        )
    with transaction.atomic():
        Document.objects.bulk_create(rows, batch_size=2000)
    loaded = time.perf_counter() - started
    ids = list(Document.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    with transaction.atomic():
        for start in range(0, len(ids), 2000):
            search.index_documents(ids[start : start + 2000])
    indexed = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE knowledge_document")

    def naive(query: str) -> int:
        condition = Q()
        for word in query.replace('"', " ").split():
            if word.startswith("-") or word in {"of", "or"}:
                continue
            condition &= (
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(body_text__icontains=word)
            )
        matching = Document.objects.filter(condition)
        total = matching.count()
        list(matching.order_by("-published_at").values_list("pk", "title")[:20])
        return total

    from django.core.cache import cache

    timings: dict[str, list[float]] = {}
    paging: dict[str, list[float]] = {}
    naive_timings: dict[str, list[float]] = {}
    totals = {}
    for query in QUERIES:
        totals[query] = queries.search_documents(None, query).total
        naive(query)
        timings[query] = []
        paging[query] = []
        naive_timings[query] = []
        for _ in range(RUNS):
            # Cold: the result cache is emptied, the search runs in full.
            cache.clear()
            t0 = time.perf_counter()
            queries.search_documents(None, query)
            timings[query].append((time.perf_counter() - t0) * 1000)
            # Paging on: page 2 reads the cached count and facets.
            t0 = time.perf_counter()
            queries.search_documents(None, query, page=2)
            paging[query].append((time.perf_counter() - t0) * 1000)
        for _ in range(NAIVE_RUNS):
            t0 = time.perf_counter()
            naive(query)
            naive_timings[query].append((time.perf_counter() - t0) * 1000)
    return {
        "database": database,
        "documents": count,
        "load_s": loaded,
        "index_s": indexed,
        "timings": timings,
        "paging": paging,
        "naive": naive_timings,
        "totals": totals,
    }


def summary(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.mean(ordered), statistics.median(ordered), p95


def run(database: str, count: int) -> dict:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="sp-bench-knowledge-") as tmp:
        env["STEDENPLATFORM_VAR"] = tmp
        if database == "postgresql":
            subprocess.run(
                [
                    "dropdb",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "--if-exists",
                    "sp_bench_knowledge",
                ],
                check=True,
            )
            subprocess.run(
                ["createdb", "-h", "127.0.0.1", "-U", "postgres", "sp_bench_knowledge"],
                check=True,
            )
            env["DATABASE_URL"] = PG_URL
        else:
            env.pop("DATABASE_URL", None)
        answer = subprocess.run(
            [sys.executable, __file__, "--child", database, "--documents", str(count)],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
    return json.loads(answer.stdout.strip().splitlines()[-1])


def report(results: list[dict]) -> None:
    for result in results:
        mean, median, p95 = summary(
            [t for ts in result["timings"].values() for t in ts]
        )
        _, p_median, p_p95 = summary(
            [t for ts in result["paging"].values() for t in ts]
        )
        _, n_median, n_p95 = summary([t for ts in result["naive"].values() for t in ts])
        print(
            f"\n{result['database']}: {result['documents']} documenten "
            f"(laden {result['load_s']:.1f} s, indexeren {result['index_s']:.1f} s)"
        )
        print(
            f"{'zoekvraag':28} {'treffers':>8} {'koud ms':>8} {'pagina 2 ms':>11} "
            f"{'naïef ms':>9}"
        )
        for query, times in result["timings"].items():
            print(
                f"{query:28} {result['totals'][query]:8d} "
                f"{statistics.median(times):8.1f} "
                f"{statistics.median(result['paging'][query]):11.1f} "
                f"{statistics.median(result['naive'][query]):9.1f}"
            )
        print(
            f"koud: gemiddeld {mean:.1f} ms, mediaan {median:.1f} ms, p95 {p95:.1f} ms; "
            f"pagina 2 (uit de cache): mediaan {p_median:.1f} ms, p95 {p_p95:.1f} ms; "
            f"naïeve substring-scan: mediaan {n_median:.1f} ms, p95 {n_p95:.1f} ms; "
            f"verhouding naïef/index koud (mediaan) {n_median / median:.1f}x"
        )
    if len(results) == 2:
        medians = {
            r["database"]: summary([t for ts in r["timings"].values() for t in ts])[1]
            for r in results
        }
        print(
            f"\nverhouding SQLite/PostgreSQL koud (mediaan): "
            f"{medians['sqlite'] / medians['postgresql']:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--documents", type=int, default=DOCUMENTS)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.documents)))
        return
    databases = [args.only] if args.only else ["sqlite", "postgresql"]
    report([run(database, args.documents) for database in databases])


if __name__ == "__main__":
    main()
