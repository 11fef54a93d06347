"""Benchmark: all DEMaD indicators from about ten million monthly leefloon
records, with the DuckDB pipeline and with a straightforward pandas
implementation of the same definitions, in one run.

It generates synthetic ("fictief") microdata for the 13 cities (cached as
Parquet under var/bench/demad), times a plain DuckDB scan of the same files,
the pipeline (best of three) and pandas (once), checks that both give the
same aggregates, and prints the times and the ratio.

    .venv/bin/python bench/social_demad.py [--records 10000000] [--threads N]

pandas is needed for this benchmark only: `pip install pandas`.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from stedenplatform.social.indicators import Parameters, compute  # noqa: E402
from stedenplatform.social.synthetic import generate_city, load_population  # noqa: E402

DATASETS = ("leefloon", "tewerkstelling", "personen", "jeugdhulp")
RECORDS_AT_SCALE_ONE = 3_074_000
YEARS = (2016, 2025)


def build(records: int, folder: Path) -> dict[str, list[Path]]:
    scale = records / RECORDS_AT_SCALE_ONE
    marker = folder / f"scale-{scale:.4f}.done"
    sources = {
        d: [folder / f"{nis}-{d}.parquet" for nis in sorted(load_population())]
        for d in DATASETS
    }
    if marker.exists():
        return sources
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*"):
        old.unlink()
    started = time.perf_counter()
    for nis in sorted(load_population()):
        for name, table in generate_city(nis, *YEARS, scale=scale).items():
            pq.write_table(table, folder / f"{nis}-{name}.parquet", compression="zstd")
    marker.touch()
    print(f"generated in {time.perf_counter() - started:.1f} s")
    return sources


def scan(sources: dict[str, list[Path]], threads: int | None) -> float:
    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    if threads:
        connection.execute(f"SET threads = {threads}")
    started = time.perf_counter()
    for paths in sources.values():
        listed = ", ".join(f"'{p}'" for p in paths)
        columns = pq.read_schema(paths[0]).names
        aggregates = ", ".join(f"count({c})" for c in columns)
        connection.execute(
            f"SELECT {aggregates} FROM read_parquet([{listed}])"
        ).fetchall()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def pandas_aggregates(sources: dict[str, list[Path]], p: Parameters):
    """The same definitions, written the straightforward pandas way."""
    import numpy as np
    import pandas as pd

    def read(name):
        return pd.concat(
            [pd.read_parquet(path) for path in sources[name]], ignore_index=True
        )

    def month(series):
        series = pd.to_datetime(series)
        return series.dt.year * 12 + series.dt.month - 1

    lf = read("leefloon")
    lf["m"] = month(lf["maand"])
    lf = lf.sort_values(["ocmw", "pseudoniem", "m"], ignore_index=True)
    previous = lf.groupby(["ocmw", "pseudoniem"])["m"].shift()
    lf["spell"] = (
        previous.isna() | (lf["m"] - previous - 1 > p.max_gap_months)
    ).cumsum()
    spells = (
        lf.groupby("spell")
        .agg(
            ocmw=("ocmw", "first"),
            pseudoniem=("pseudoniem", "first"),
            start_m=("m", "min"),
            end_m=("m", "max"),
            categorie=("categorie", "first"),
        )
        .reset_index()
    )
    window = lf.groupby("ocmw")["m"].agg(lf_start="min", lf_end="max").reset_index()

    emp = read("tewerkstelling")
    emp["m"] = month(emp["maand"])
    emp_window = (
        emp.groupby("ocmw")["m"].agg(emp_start="min", emp_end="max").reset_index()
    )
    emp = emp[emp["werk"]]

    persons = read("personen")
    persons["birth_m"] = month(persons["geboortemaand"])
    persons = persons[["ocmw", "pseudoniem", "birth_m", "geslacht"]]

    spells = spells.sort_values(["ocmw", "pseudoniem", "start_m"], ignore_index=True)
    spells["next_start"] = spells.groupby(["ocmw", "pseudoniem"])["start_m"].shift(-1)
    spells = spells.merge(window, on="ocmw").merge(emp_window, on="ocmw", how="left")
    spells = spells.merge(persons, on=["ocmw", "pseudoniem"], how="left")
    spells["geslacht"] = spells["geslacht"].fillna("onbekend")
    spells["duration"] = spells["end_m"] - spells["start_m"] + 1
    spells["left_censored"] = spells["start_m"] == spells["lf_start"]
    gap_after = spells["next_start"] - spells["end_m"] - 1
    spells["is_exit"] = np.where(
        spells["next_start"].notna(),
        gap_after >= p.exit_months,
        spells["end_m"] + p.exit_months <= spells["lf_end"],
    )
    age = (spells["start_m"] - spells["birth_m"]) // 12
    labels = p.age_groups()
    bounds = list(p.age_bounds)
    edges = ([-np.inf] if bounds[0] > 0 else []) + bounds + [np.inf]
    spells["leeftijd"] = pd.cut(age, bins=edges, right=False, labels=labels).astype(
        object
    )
    spells.loc[spells["birth_m"].isna(), "leeftijd"] = "onbekend"
    spells["categorie"] = spells["categorie"].astype(str)
    spells["year_start"] = spells["start_m"] // 12
    spells["year_exit"] = (spells["end_m"] + 1) // 12

    exits = spells[spells["is_exit"]].copy()
    follow = max(p.work_window, p.lasting_window)
    joined = exits[["spell", "ocmw", "pseudoniem", "end_m"]].merge(
        emp[["ocmw", "pseudoniem", "m"]], on=["ocmw", "pseudoniem"]
    )
    joined = joined[
        (joined["m"] >= joined["end_m"] + 1) & (joined["m"] <= joined["end_m"] + follow)
    ]
    short = (
        joined[joined["m"] <= joined["end_m"] + p.work_window].groupby("spell").size()
    )
    lasting = (
        joined[joined["m"] <= joined["end_m"] + p.lasting_window]
        .groupby("spell")
        .size()
    )
    exits["short"] = exits["spell"].map(short).fillna(0)
    exits["lasting"] = exits["spell"].map(lasting).fillna(0)

    youth = read("jeugdhulp")
    youth["c"] = month(youth["maand_einde"])
    youth = youth.merge(
        persons[["ocmw", "pseudoniem", "geslacht"]],
        on=["ocmw", "pseudoniem"],
        how="left",
    )
    youth["geslacht"] = youth["geslacht"].fillna("onbekend")
    youth = youth.merge(window[["ocmw", "lf_end"]], on="ocmw", how="left")
    hits = youth[["ocmw", "pseudoniem", "c"]].merge(
        lf[["ocmw", "pseudoniem", "m"]], on=["ocmw", "pseudoniem"]
    )
    hits = hits[
        (hits["m"] >= hits["c"] + 1) & (hits["m"] <= hits["c"] + p.youth_window)
    ]
    taken = set(zip(hits["ocmw"], hits["pseudoniem"], hits["c"], strict=True))
    youth["took_up"] = [
        k in taken
        for k in zip(youth["ocmw"], youth["pseudoniem"], youth["c"], strict=True)
    ]
    youth["complete"] = (youth["c"] + p.youth_window <= youth["lf_end"]).fillna(False)

    keep = ["ocmw", "pseudoniem", "categorie", "leeftijd", "geslacht"]
    excluded = spells["left_censored"] if p.exclude_left_censored else False
    included = spells[~excluded] if p.exclude_left_censored else spells
    closed = exits[~exits["left_censored"]] if p.exclude_left_censored else exits
    units = []

    def add(code, frame, year, den, num, cens, v=None):
        unit = frame[keep].copy()
        unit["ind"], unit["year"] = code, year.values
        unit["den"], unit["num"], unit["cens"] = den.values, num.values, cens.values
        unit["v"] = np.nan if v is None else v.values.astype(float)
        units.append(unit)

    false = pd.Series(False, index=spells.index)
    true = pd.Series(True, index=spells.index)
    add(
        "demad_instroom",
        included,
        included["year_start"],
        true[included.index],
        true[included.index],
        false[included.index],
    )
    add(
        "demad_duur_mediaan",
        closed,
        closed["year_exit"],
        true[closed.index],
        false[closed.index],
        false[closed.index],
        closed["duration"],
    )
    for code, limit in (
        ("demad_duur_lang_1", p.long_duration_1),
        ("demad_duur_lang_2", p.long_duration_2),
    ):
        add(
            code,
            closed,
            closed["year_exit"],
            true[closed.index],
            closed["duration"] > limit,
            false[closed.index],
        )
    for code, window_size, hit in (
        ("demad_uitstroom_werk", p.work_window, exits["short"] >= 1),
        (
            "demad_uitstroom_duurzaam",
            p.lasting_window,
            exits["lasting"] == p.lasting_window,
        ),
    ):
        complete = (
            (exits["end_m"] + 1 >= exits["emp_start"])
            & (exits["end_m"] + window_size <= exits["emp_end"])
        ).fillna(False)
        add(code, exits, exits["year_exit"], complete, complete & hit, ~complete)
    complete = exits["end_m"] + p.reinflow_window <= exits["lf_end"]
    back = (exits["next_start"] - exits["end_m"] <= p.reinflow_window).fillna(False)
    add(
        "demad_herinstroom",
        exits,
        exits["year_exit"],
        complete,
        complete & back,
        ~complete,
    )
    youth_units = youth.assign(categorie=None, leeftijd=None)
    add(
        "demad_jeugdhulp_leefloon",
        youth_units,
        youth["c"] // 12,
        youth["complete"],
        youth["complete"] & youth["took_up"],
        ~youth["complete"],
    )
    unit = pd.concat(units, ignore_index=True)
    unit["who"] = unit["ocmw"] + unit["pseudoniem"]
    unit["all"] = "centrumsteden"

    results = []
    for place in ("ocmw", "all"):
        for breakdown in ("totaal", "categorie", "leeftijd", "geslacht"):
            keys = ["ind", place, "year"] + (
                [] if breakdown == "totaal" else [breakdown]
            )
            frame = unit if breakdown == "totaal" else unit[unit[breakdown].notna()]
            grouped = frame.groupby(keys)
            out = pd.DataFrame(
                {
                    "numerator": grouped["num"].sum(),
                    "denominator": grouped["den"].sum(),
                    "censored": grouped["cens"].sum(),
                }
            )
            out["num_persons"] = frame[frame["num"]].groupby(keys)["who"].nunique()
            out["den_persons"] = frame[frame["den"]].groupby(keys)["who"].nunique()
            out["rest_persons"] = (
                frame[frame["den"] & ~frame["num"]].groupby(keys)["who"].nunique()
            )
            out["median_value"] = frame[frame["den"]].groupby(keys)["v"].median()
            out = out.reset_index().rename(columns={"ind": "indicator", place: "ocmw"})
            out["breakdown"] = breakdown
            out["group"] = "totaal" if breakdown == "totaal" else out[breakdown]
            results.append(out)
    result = pd.concat(results, ignore_index=True)
    for column in ("num_persons", "den_persons", "rest_persons"):
        result[column] = result[column].fillna(0).astype("int64")
    columns = [
        "indicator",
        "ocmw",
        "year",
        "breakdown",
        "group",
        "numerator",
        "denominator",
        "num_persons",
        "den_persons",
        "rest_persons",
        "censored",
        "median_value",
    ]
    return result[columns]


def compare(duck, pandas_frame) -> int:
    """Return the number of differing rows (0 when both agree)."""
    connection = duckdb.connect()
    connection.register("d", duck)
    connection.register("p", pandas_frame)
    differences = connection.execute("""
        SELECT count(*) FROM d FULL OUTER JOIN p
          ON d.indicator = p.indicator AND d.ocmw = p.ocmw AND d.year = p.year
         AND d.breakdown = p.breakdown AND d."group" = p."group"
        WHERE d.indicator IS NULL OR p.indicator IS NULL
           OR d.numerator <> p.numerator OR d.denominator <> p.denominator
           OR d.num_persons <> p.num_persons OR d.den_persons <> p.den_persons
           OR d.rest_persons <> p.rest_persons OR d.censored <> p.censored
           OR abs(coalesce(d.median_value, -1) - coalesce(p.median_value, -1)) > 1e-9
    """).fetchone()[0]
    connection.close()
    return differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--folder", default=str(ROOT / "var" / "bench" / "demad"))
    args = parser.parse_args()

    sources = build(args.records, Path(args.folder))
    rows = duckdb.sql(
        "SELECT count(*) FROM read_parquet(["
        + ", ".join(f"'{p}'" for p in sources["leefloon"])
        + "])"
    ).fetchall()[0][0]
    print(
        f"leefloon records: {rows:,}; cores: {os.cpu_count()}; "
        f"load average before: {os.getloadavg()[0]:.1f}"
    )

    scan_seconds = scan(sources, args.threads)
    p = Parameters()
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        duck, _ = compute(sources, p, threads=args.threads)
        timings.append(time.perf_counter() - started)
    pipeline_seconds = min(timings)

    started = time.perf_counter()
    frame = pandas_aggregates(sources, p)
    pandas_seconds = time.perf_counter() - started

    differences = compare(duck, frame)
    print(f"DuckDB scan only:       {scan_seconds:7.2f} s")
    print(
        f"DuckDB pipeline:        {pipeline_seconds:7.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in timings)})"
    )
    print(f"pandas:                 {pandas_seconds:7.2f} s")
    print(f"ratio pandas/pipeline:  {pandas_seconds / pipeline_seconds:7.1f}x")
    print(
        f"aggregates: {duck.num_rows:,} rows; differences: {differences}; "
        f"load average after: {os.getloadavg()[0]:.1f}"
    )
    if differences:
        sys.exit("pipeline and pandas disagree")


if __name__ == "__main__":
    main()
