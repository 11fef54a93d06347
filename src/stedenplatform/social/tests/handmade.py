"""Small hand-made microdata whose indicators are worked out by hand.

The data window of the OCMW (44021) runs from 2020-01 to 2022-12: E has
leefloon in the first month and F in the last. Employment data runs over the
same months (G has work in both). Persons, by name:

- A: 2020-03..06 and 2020-08..10: one gap month (July), so one spell of 8
  months; exit in 2020-11; works in 2020-12 (work, not lasting).
- B: 2020-03..04 and 2020-07..09: a two-month gap, so two spells (2 and 3
  months); works 2020-05..10: the first exit lasts, the second only works
  in its first month; the first spell is followed by re-inflow after 3
  months.
- C: 2022-10..11: one month of data after it, so censored, no exit.
- D: 2022-09..10: exit in 2022-11, but the follow-up for work and re-inflow
  runs past the data: censored in those rates.
- E: 2020-01..05: starts in the first month (left-censored: not in inflow
  or duration), exit in 2020-06, no work.
- F: 2022-12: censored.
- H, I, K: youth care ended 2021-02, 2021-06, 2021-01; leefloon in 2021-05
  (within 12 months), 2022-07 (13 months: too late), 2022-01 (exactly 12
  months: in time). J: care ended 2022-03, follow-up beyond the data.
"""

import hashlib
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

OCMW = "44021"


def pseudonym(name: str) -> str:
    return "p_" + hashlib.sha256(name.encode()).hexdigest()


def months(first: str, last: str) -> list[str]:
    y, m = map(int, first.split("-"))
    ly, lm = map(int, last.split("-"))
    result = []
    while (y, m) <= (ly, lm):
        result.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return result


LEEFLOON = {
    "A": months("2020-03", "2020-06") + months("2020-08", "2020-10"),
    "B": months("2020-03", "2020-04") + months("2020-07", "2020-09"),
    "C": months("2022-10", "2022-11"),
    "D": months("2022-09", "2022-10"),
    "E": months("2020-01", "2020-05"),
    "F": ["2022-12"],
    "H": ["2021-05"],
    "I": ["2022-07"],
    "K": ["2022-01"],
}
CATEGORY = {"A": 2, "B": 1, "C": 3, "D": 2, "E": 2, "F": 2, "H": 2, "I": 2, "K": 2}
EMPLOYMENT = {
    "A": ["2020-12"],
    "B": months("2020-05", "2020-10"),
    "G": ["2020-01", "2022-12"],
}
PERSONS = {
    "A": ("2000-01", "V"),
    "B": ("1970-06", "M"),
    "C": ("1990-01", "V"),
    "D": ("1955-05", "M"),
    "E": ("1985-02", "V"),
    "F": ("2001-12", "X"),
    "H": ("2003-01", "V"),
    "I": ("2003-05", "M"),
    "K": ("2002-12", "V"),
    "J": ("2004-02", "M"),
}
YOUTH = {"H": "2021-02", "I": "2021-06", "K": "2021-01", "J": "2022-03"}


def _date(month: str):
    import datetime

    y, m = map(int, month.split("-"))
    return datetime.date(y, m, 1)


def tables(ocmw: str = OCMW, salt: str = "") -> dict[str, pa.Table]:
    """The data sets; `salt` makes the pseudonyms differ between OCMWs."""

    def pseudonym(name: str) -> str:
        return globals()["pseudonym"](salt + name)

    lf = [(n, m) for n, ms in LEEFLOON.items() for m in ms]
    emp = [(n, m) for n, ms in EMPLOYMENT.items() for m in ms]
    return {
        "leefloon": pa.table(
            {
                "ocmw": [ocmw] * len(lf),
                "pseudoniem": [pseudonym(n) for n, _ in lf],
                "maand": pa.array([_date(m) for _, m in lf], pa.date32()),
                "categorie": pa.array([CATEGORY[n] for n, _ in lf], pa.uint8()),
                "bedrag": pa.array(
                    [Decimal("1000.00")] * len(lf), pa.decimal128(12, 2)
                ),
            }
        ),
        "tewerkstelling": pa.table(
            {
                "ocmw": [ocmw] * len(emp),
                "pseudoniem": [pseudonym(n) for n, _ in emp],
                "maand": pa.array([_date(m) for _, m in emp], pa.date32()),
                "werk": [True] * len(emp),
            }
        ),
        "personen": pa.table(
            {
                "ocmw": [ocmw] * len(PERSONS),
                "pseudoniem": [pseudonym(n) for n in PERSONS],
                "geboortemaand": pa.array(
                    [_date(b) for b, _ in PERSONS.values()], pa.date32()
                ),
                "geslacht": [s for _, s in PERSONS.values()],
            }
        ),
        "jeugdhulp": pa.table(
            {
                "ocmw": [ocmw] * len(YOUTH),
                "pseudoniem": [pseudonym(n) for n in YOUTH],
                "maand_einde": pa.array(
                    [_date(m) for m in YOUTH.values()], pa.date32()
                ),
            }
        ),
    }


def write(directory: Path, ocmw: str = OCMW) -> dict[str, list[Path]]:
    sources = {}
    for name, table in tables(ocmw).items():
        path = directory / f"{ocmw}-{name}.parquet"
        pq.write_table(table, path)
        sources[name] = [path]
    return sources


def write_csv(directory: Path, ocmw: str = OCMW, salt: str = "") -> dict[str, Path]:
    """The same data as the csv files an OCMW would upload."""
    import csv

    paths = {}
    for name, table in tables(ocmw, salt).items():
        path = directory / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            columns = [
                c
                for c in table.column_names
                if not (c == "ocmw" and name != "leefloon")
            ]
            writer.writerow(columns)
            for row in table.to_pylist():
                values = []
                for c in columns:
                    v = row[c]
                    if hasattr(v, "year"):
                        v = f"{v.year:04d}-{v.month:02d}"
                    elif v is True:
                        v = "ja"
                    values.append(v)
                writer.writerow(values)
        paths[name] = path
    return paths
