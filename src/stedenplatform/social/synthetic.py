"""A generator of synthetic ("fictief") DEMaD microdata for the 13 cities.

People enter the leefloon, stay for months (with the odd month without
payment inside a spell), leave it, find work or not, keep it or not, and
come back; young people leave youth care and some of them take up leefloon
within the year. Each city's numbers follow its population on 1 January
(Statbel, shipped in `data/`), with its own fixed mix of rates so that the
cities differ in a benchmark. The generator works on whole arrays (NumPy),
writes the same columns as an upload stores, and uses a city-specific key
for the pseudonyms, as real OCMWs would. Every value it makes is invented.
"""

import csv
import datetime
import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

DATA_DIR = Path(__file__).parent / "data"
POPULATION_FILE = DATA_DIR / "population_centrumsteden_brussel_2017_2026.csv"

# Monthly amounts of 1 February 2025 (wet van 26 mei 2002, art. 14, geïndexeerd);
# earlier years are deflated by about 2.5% a year, which is close enough for
# invented data.
BRUSSELS = "21004"

AMOUNTS_2025 = {1: 876.13, 2: 1314.20, 3: 1776.07}


@dataclass(frozen=True)
class CityProfile:
    """The fixed, invented behaviour of one city's synthetic population."""

    stock_share: float  # share of the population on leefloon in a month
    work_share: float  # exits that find work
    lasting_share: float  # of those, work that lasts six months or more
    youth_share: float  # youth-care leavers who take up leefloon within a year


def load_population() -> dict[str, dict[int, int]]:
    """Population on 1 January per NIS code and year (TOTAL rows)."""
    result: dict[str, dict[int, int]] = {}
    with POPULATION_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["indicator"] == "TOTAL" and row["nis_2025"] != BRUSSELS:
                result.setdefault(row["nis_2025"], {})[int(row["jaar_1_januari"])] = (
                    int(row["waarde"])
                )
    return result


def city_profile(nis: str) -> CityProfile:
    rng = np.random.default_rng(int(nis))
    return CityProfile(
        stock_share=float(rng.uniform(0.010, 0.024)),
        work_share=float(rng.uniform(0.25, 0.45)),
        lasting_share=float(rng.uniform(0.45, 0.70)),
        youth_share=float(rng.uniform(0.15, 0.35)),
    )


def synthetic_key(nis: str) -> bytes:
    return ("fictief-demad-sleutel-" + nis).encode()


def _pseudonyms(nis: str, ids: np.ndarray) -> np.ndarray:
    key = synthetic_key(nis)
    return np.array(
        ["p_" + hmac.new(key, b"%d" % i, hashlib.sha256).hexdigest() for i in ids],
        dtype=object,
    )


def _dates(months: np.ndarray) -> pa.Array:
    """Month numbers (year * 12 + month - 1) as DATE of the first day."""
    years, months0 = np.divmod(months.astype(np.int64), 12)
    as_days = (
        (years - 1970).astype("datetime64[Y]").astype("datetime64[M]")
        + months0.astype("timedelta64[M]")
    ).astype("datetime64[D]")
    return pa.array(as_days, pa.date32())


def generate_city(
    nis: str, first_year: int, last_year: int, *, scale: float = 1.0, seed: int = 0
) -> dict[str, pa.Table]:
    """Return the four data sets of one city as typed tables."""
    rng = np.random.default_rng([int(nis), seed])
    profile = city_profile(nis)
    population = load_population()[nis]
    start, end = first_year * 12, last_year * 12 + 11
    months = end - start + 1
    mean_population = float(
        np.mean(
            [
                population.get(y, population[max(population)])
                for y in range(first_year, last_year + 1)
            ]
        )
    )

    # Spells per person: a short or a long kind, on average about 15 months.
    spells_per_person = 1.7
    mean_duration = 15.0
    persons = max(
        20,
        int(
            scale
            * profile.stock_share
            * mean_population
            * months
            / (spells_per_person * mean_duration)
        ),
    )
    ids = np.arange(persons)
    # Age at the start of the window: 16 plus a skewed spread (mean about 34),
    # at most 80.
    age = np.minimum(16 + rng.gamma(2.0, 9.0, persons), 80)
    birth = start - (12 * age).astype(int)
    sex = rng.choice(
        np.array(["M", "V", "X"], dtype=object), persons, p=[0.49, 0.505, 0.005]
    )
    category = rng.choice(np.array([1, 2, 3]), persons, p=[0.25, 0.50, 0.25])
    first_start = rng.integers(start - 24, end + 1, persons)
    # Nobody gets leefloon before 18 in this data.
    first_start = np.maximum(first_start, birth + 18 * 12)

    lf_person, lf_month, lf_category = [], [], []
    emp_person, emp_month = [], []
    current = first_start.copy()
    alive = np.ones(persons, dtype=bool)
    for _ in range(5):
        long_kind = rng.random(persons) < 0.45
        duration = np.where(
            long_kind,
            1 + rng.geometric(1 / 26, persons),
            1 + rng.geometric(1 / 6, persons),
        )
        active = alive & (current <= end)
        who = ids[active]
        spell_start, spell_length = current[active], duration[active]
        person_rows = np.repeat(who, spell_length)
        offsets = np.arange(person_rows.size) - np.repeat(
            np.cumsum(spell_length) - spell_length, spell_length
        )
        month_rows = np.repeat(spell_start, spell_length) + offsets
        # The odd month without payment inside a spell (not its first or last).
        inner = (offsets > 0) & (offsets < np.repeat(spell_length, spell_length) - 1)
        skipped = inner & (rng.random(person_rows.size) < 0.015)
        keep = ~skipped & (month_rows >= start) & (month_rows <= end)
        lf_person.append(person_rows[keep])
        lf_month.append(month_rows[keep])
        switched = rng.random(who.size) < 0.1
        spell_category = np.where(
            switched, rng.choice(np.array([1, 2, 3]), who.size), category[who]
        )
        lf_category.append(np.repeat(spell_category, spell_length)[keep])

        # Work after the spell: it starts within three months and lasts or not.
        exit_month = spell_start + spell_length
        works = rng.random(who.size) < profile.work_share
        lasting = works & (rng.random(who.size) < profile.lasting_share)
        job_start = exit_month + rng.choice(np.array([0, 0, 0, 1, 2]), who.size)
        job_length = np.where(
            lasting, 6 + rng.geometric(1 / 30, who.size), rng.integers(1, 6, who.size)
        )
        job_start = np.where(lasting, exit_month, job_start)
        worker, job_start, job_length = who[works], job_start[works], job_length[works]
        job_rows = np.repeat(worker, job_length)
        job_months = np.repeat(job_start, job_length) + (
            np.arange(job_rows.size)
            - np.repeat(np.cumsum(job_length) - job_length, job_length)
        )
        in_window = (job_months >= start) & (job_months <= end)
        emp_person.append(job_rows[in_window])
        emp_month.append(job_months[in_window])

        # Coming back: sooner and more often without lasting work.
        comes_back = rng.random(who.size) < np.where(lasting, 0.2, 0.55)
        gap = 2 + rng.geometric(np.where(lasting, 1 / 30, 1 / 8), who.size)
        next_start = np.full(persons, end + 1)
        next_start[who] = np.where(comes_back, exit_month + gap, end + 1)
        alive[who] = comes_back
        current = np.where(active, next_start, current)

    # Young people leaving youth care, about 18 years old.
    youth_count = max(
        10, int(scale * 0.0009 * mean_population * (last_year - first_year + 1))
    )
    youth_ids = persons + np.arange(youth_count)
    care_end = rng.integers(start, end + 1, youth_count)
    youth_birth = care_end - 18 * 12 - rng.integers(0, 12, youth_count)
    youth_sex = rng.choice(np.array(["M", "V"], dtype=object), youth_count)
    takes_up = rng.random(youth_count) < profile.youth_share
    late = ~takes_up & (rng.random(youth_count) < 0.1)
    youth_start = np.where(
        takes_up,
        care_end + rng.integers(1, 13, youth_count),
        care_end + rng.integers(13, 30, youth_count),
    )
    starts_spell = takes_up | late
    youth_length = 1 + rng.geometric(1 / 10, youth_count)
    y_who, y_start, y_len = (
        youth_ids[starts_spell],
        youth_start[starts_spell],
        youth_length[starts_spell],
    )
    y_rows = np.repeat(y_who, y_len)
    y_months = np.repeat(y_start, y_len) + (
        np.arange(y_rows.size) - np.repeat(np.cumsum(y_len) - y_len, y_len)
    )
    y_keep = y_months <= end
    lf_person.append(y_rows[y_keep])
    lf_month.append(y_months[y_keep])
    lf_category.append(np.full(int(y_keep.sum()), 2))

    all_ids = np.concatenate([ids, youth_ids])
    names = _pseudonyms(nis, all_ids)
    lf_p = np.concatenate(lf_person)
    lf_m = np.concatenate(lf_month)
    lf_c = np.concatenate(lf_category).astype(np.uint8)
    amount = np.round(
        np.array([AMOUNTS_2025[c] for c in (1, 2, 3)])[lf_c - 1]
        * (1 - 0.025 * (2025 - lf_m // 12)),
        2,
    )
    em_p = np.concatenate(emp_person)
    em_m = np.concatenate(emp_month)
    order = np.lexsort((em_m, em_p))
    em_p, em_m = em_p[order], em_m[order]
    unique = np.ones(em_p.size, dtype=bool)
    unique[1:] = (em_p[1:] != em_p[:-1]) | (em_m[1:] != em_m[:-1])
    em_p, em_m = em_p[unique], em_m[unique]

    return {
        "leefloon": pa.table(
            {
                "ocmw": pa.array([nis] * lf_p.size, pa.string()),
                "pseudoniem": pa.array(names[lf_p], pa.string()),
                "maand": _dates(lf_m),
                "categorie": pa.array(lf_c, pa.uint8()),
                "bedrag": pa.array(amount).cast(pa.decimal128(12, 2)),
            }
        ),
        "tewerkstelling": pa.table(
            {
                "ocmw": pa.array([nis] * em_p.size, pa.string()),
                "pseudoniem": pa.array(names[em_p], pa.string()),
                "maand": _dates(em_m),
                "werk": pa.array(np.ones(em_p.size, dtype=bool)),
            }
        ),
        "personen": pa.table(
            {
                "ocmw": pa.array([nis] * all_ids.size, pa.string()),
                "pseudoniem": pa.array(names, pa.string()),
                "geboortemaand": _dates(np.concatenate([birth, youth_birth])),
                "geslacht": pa.array(np.concatenate([sex, youth_sex]), pa.string()),
            }
        ),
        "jeugdhulp": pa.table(
            {
                "ocmw": pa.array([nis] * youth_count, pa.string()),
                "pseudoniem": pa.array(names[persons:], pa.string()),
                "maand_einde": _dates(care_end),
            }
        ),
    }


def default_years(today: datetime.date | None = None) -> tuple[int, int]:
    """Ten full years ending with the last complete year."""
    last = (today or datetime.date.today()).year - 1
    return last - 9, last


def generate_all(
    first_year: int,
    last_year: int,
    *,
    scale: float = 1.0,
    seed: int = 0,
    cities: list[str] | None = None,
) -> dict[str, dict[str, pa.Table]]:
    """The four data sets of every city (all 13 unless `cities` is given)."""
    codes = cities or sorted(load_population())
    return {
        nis: generate_city(nis, first_year, last_year, scale=scale, seed=seed)
        for nis in codes
    }


def write_csv(table: pa.Table, dataset: str, path: Path) -> None:
    """Write a data set as the csv file an OCMW would upload."""
    import duckdb

    columns = {
        "leefloon": "pseudoniem, ocmw, strftime(maand, '%Y-%m') AS maand, categorie, "
        "CAST(bedrag AS VARCHAR) AS bedrag",
        "tewerkstelling": "pseudoniem, strftime(maand, '%Y-%m') AS maand, "
        "CASE WHEN werk THEN 'ja' ELSE 'nee' END AS werk",
        "personen": "pseudoniem, strftime(geboortemaand, '%Y-%m') AS geboortemaand, "
        "geslacht",
        "jeugdhulp": "pseudoniem, strftime(maand_einde, '%Y-%m') AS maand_einde",
    }[dataset]
    connection = duckdb.connect()
    connection.register("data", table)
    target = str(path).replace("'", "''")
    connection.execute(
        f"COPY (SELECT {columns} FROM data ORDER BY ALL) TO '{target}' "
        "(HEADER, DELIMITER ',')"
    )
    connection.close()
