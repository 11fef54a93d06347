"""Proactive screening: find households that are likely entitled to leefloon
but do not receive it, from a population file with one row per person.

The file (csv or Parquet) has the columns of `COLUMNS`; `huishouden_id` ties
persons into households and each household has exactly one `aanvrager` (the
person whose right is examined, normally the reference person). Facts the
file cannot hold (willingness to work, other benefits claimed) are assumed
favourable, so the result is a list of households to contact, not a
decision. Everything runs vectorised in chunks of households.
"""

from __future__ import annotations

import datetime
import io
import logging
from pathlib import Path

import numpy as np
import polars as pl

from stedenplatform.core.errors import InputRefusedError, Problem

from .engine import Population, Simulation
from .leefloon import RESIDENCE, ROLES, check_date, get_system

logger = logging.getLogger(__name__)

MONEY_COLUMNS = [
    "beroepsinkomen",
    "vervangingsinkomen",
    "onderhoudsgeld",
    "andere_inkomsten",
    "vrijgestelde_inkomsten",
    "roerend_kapitaal",
    "ki_eigen_woning",
    "ki_onbebouwd",
    "kinderbijslag_voor_aanvrager",
]
# column: (required, description)
COLUMNS = {
    "huishouden_id": (True, "id van het huishouden (tekst of getal)"),
    "gemeente": (True, "NIS-code van de gemeente van het huishouden"),
    "rol": (True, "rol: " + ", ".join(ROLES)),
    "leeftijd": (True, "leeftijd in jaren"),
    "ontvangt_leefloon": (False, "ontvangt nu leefloon (true/false)"),
    "verblijfsstatus": (
        False,
        "alleen op de rij van de aanvrager: " + ", ".join(RESIDENCE),
    ),
    **{name: (False, "euro per jaar, netto") for name in MONEY_COLUMNS},
}
CHUNK_HOUSEHOLDS = 200_000


def read_population(path: Path) -> pl.DataFrame:
    if path.suffix.lower() == ".parquet":
        return pl.read_parquet(path)
    if path.suffix.lower() == ".csv":
        return pl.read_csv(path, infer_schema_length=10000)
    raise InputRefusedError(
        path.name,
        [
            Problem(
                "onbekend bestandsformaat",
                value=path.suffix,
                allowed=".csv of .parquet",
                code="formaat_onbekend",
            )
        ],
    )


def check_population(
    frame: pl.DataFrame, source: str, known_municipalities: set[str] | None = None
) -> pl.DataFrame:
    """Validate the whole file and return it with every column filled in."""
    problems: list[Problem] = []
    missing = [
        c for c, (required, _) in COLUMNS.items() if required and c not in frame.columns
    ]
    for column in missing:
        problems.append(
            Problem(
                "verplichte kolom ontbreekt",
                column=column,
                allowed=COLUMNS[column][1],
                code="kolom_ontbreekt",
            )
        )
    if problems:
        raise InputRefusedError(source, problems)
    frame = frame.with_row_index("rij", offset=2)
    for column in MONEY_COLUMNS:
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(0.0).alias(column))
    if "ontvangt_leefloon" not in frame.columns:
        frame = frame.with_columns(pl.lit(False).alias("ontvangt_leefloon"))
    if "verblijfsstatus" not in frame.columns:
        frame = frame.with_columns(pl.lit("belg").alias("verblijfsstatus"))
    frame = frame.with_columns(
        pl.col("huishouden_id").cast(pl.Utf8),
        pl.col("gemeente").cast(pl.Utf8).str.zfill(5),
        pl.col("rol").cast(pl.Utf8),
        pl.col("verblijfsstatus").cast(pl.Utf8).fill_null("belg"),
        pl.col("ontvangt_leefloon")
        .cast(pl.Utf8)
        .str.to_lowercase()
        .is_in(["true", "1", "ja"]),
        *[pl.col(c).cast(pl.Float64, strict=False) for c in MONEY_COLUMNS],
        pl.col("leeftijd").cast(pl.Int64, strict=False),
    )

    def report(mask: pl.Expr, column: str, message: str, allowed: str, code: str):
        for row in frame.filter(mask).head(50).iter_rows(named=True):
            problems.append(
                Problem(
                    message,
                    row=row["rij"],
                    column=column,
                    value=row[column],
                    allowed=allowed,
                    code=code,
                )
            )

    report(
        ~pl.col("rol").is_in(list(ROLES)),
        "rol",
        "onbekende rol",
        ", ".join(ROLES),
        "rol_onbekend",
    )
    report(
        ~pl.col("verblijfsstatus").is_in(list(RESIDENCE)),
        "verblijfsstatus",
        "onbekende verblijfsstatus",
        ", ".join(RESIDENCE),
        "waarde_onbekend",
    )
    report(
        pl.col("leeftijd").is_null()
        | (pl.col("leeftijd") < 0)
        | (pl.col("leeftijd") > 130),
        "leeftijd",
        "ongeldige leeftijd",
        "een geheel getal van 0 tot 130",
        "leeftijd_ongeldig",
    )
    for column in MONEY_COLUMNS:
        report(
            pl.col(column).is_null(),
            column,
            "geen bedrag",
            "een bedrag van 0 of meer",
            "geen_bedrag",
        )
        report(
            pl.col(column) < 0,
            column,
            "een bedrag kan niet negatief zijn",
            "een bedrag van 0 of meer",
            "bedrag_negatief",
        )
    if known_municipalities is not None:
        report(
            ~pl.col("gemeente").is_in(sorted(known_municipalities)),
            "gemeente",
            "onbekende NIS-code",
            "een NIS-code van een gemeente van 2025",
            "gemeente_onbekend",
        )
    applicants = frame.group_by("huishouden_id").agg(
        (pl.col("rol") == "aanvrager").sum().alias("n"), pl.col("rij").min()
    )
    for row in (
        applicants.filter(pl.col("n") != 1).sort("rij").head(50).iter_rows(named=True)
    ):
        problems.append(
            Problem(
                f"huishouden heeft {row['n']} aanvragers",
                row=row["rij"],
                column="huishouden_id",
                value=row["huishouden_id"],
                allowed="precies één rij met rol 'aanvrager' per huishouden",
                code="aanvrager_aantal",
            )
        )
    if problems:
        raise InputRefusedError(source, problems)
    return frame


def population_from_frame(frame: pl.DataFrame) -> tuple[Population, pl.DataFrame]:
    """A fast population from checked person rows, with its household table."""
    system = get_system()
    frame = frame.sort("huishouden_id")
    households = frame.filter(pl.col("rol") == "aanvrager").select(
        "huishouden_id",
        "gemeente",
        "verblijfsstatus",
        pl.col("ontvangt_leefloon").alias("ontvangt_nu"),
    )
    index = frame.select(pl.col("huishouden_id").rank("dense").cast(pl.Int64) - 1)
    person_household = index.to_series().to_numpy()
    role_codes = {r: i for i, r in enumerate(ROLES)}
    residence_codes = {r: i for i, r in enumerate(RESIDENCE)}
    inputs = {
        "rol": frame["rol"]
        .replace_strict(role_codes, return_dtype=pl.Int64)
        .to_numpy(),
        "leeftijd": frame["leeftijd"].to_numpy(),
        "ontvangt_leefloon": frame["ontvangt_leefloon"].to_numpy(),
        "verblijfsstatus": households["verblijfsstatus"]
        .replace_strict(residence_codes, return_dtype=pl.Int64)
        .to_numpy(),
    }
    for column in MONEY_COLUMNS:
        inputs[column] = (frame[column] * 100).round(0).cast(pl.Int64).to_numpy()
    n = households.height
    for variable in system.inputs(system["dakloos"].entity):
        if variable.name not in inputs:
            inputs[variable.name] = np.full(n, bool(variable.default))
    population = Population(
        system,
        exact=False,
        n_households=n,
        person_household=person_household,
        inputs=inputs,
    )
    return population, households


def screen(
    frame: pl.DataFrame,
    date: datetime.date,
    *,
    choices: dict | None = None,
    advance=lambda n: None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Households likely entitled but not receiving, and counts per municipality."""
    check_date(date)
    ids = frame.select("huishouden_id").unique().sort("huishouden_id")["huishouden_id"]
    found = []
    for start in range(0, len(ids), CHUNK_HOUSEHOLDS):
        chunk_ids = ids.slice(start, CHUNK_HOUSEHOLDS)
        chunk = frame.filter(pl.col("huishouden_id").is_in(chunk_ids.implode()))
        population, households = population_from_frame(chunk)
        simulation = Simulation(get_system(), population, date, choices=choices)
        result = households.with_columns(
            pl.Series("recht", simulation("recht_op_leefloon")),
            pl.Series("categorie", simulation("categorie")),
            pl.Series("maand_cent", simulation("leefloon_maandbedrag")),
        ).with_columns(
            pl.format(
                "{}.{}",
                pl.col("maand_cent") // 100,
                (pl.col("maand_cent") % 100).cast(pl.Utf8).str.zfill(2),
            ).alias("bedrag_per_maand"),
        )
        found.append(result)
        advance(households.height)
    results = pl.concat(found) if found else pl.DataFrame()
    missed = results.filter(pl.col("recht") & ~pl.col("ontvangt_nu")).select(
        "huishouden_id", "gemeente", "categorie", "bedrag_per_maand"
    )
    counts = (
        results.group_by("gemeente")
        .agg(
            pl.len().alias("huishoudens"),
            pl.col("recht").sum().alias("waarschijnlijk_gerechtigd"),
            (pl.col("recht") & pl.col("ontvangt_nu")).sum().alias("ontvangt_al"),
            (pl.col("recht") & ~pl.col("ontvangt_nu")).sum().alias("niet_ontvangen"),
        )
        .sort("gemeente")
    )
    logger.info(
        "screening done: households=%s missed=%s", results.height, missed.height
    )
    return missed, counts


def run_screening(
    upload, date: datetime.date, choices: dict | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Screen an uploaded file (Django UploadedFile) in memory."""
    from stedenplatform.core.models import Area

    name = Path(upload.name).name
    content = upload.read()
    suffix = Path(name).suffix.lower()
    try:
        if suffix == ".parquet":
            frame = pl.read_parquet(io.BytesIO(content))
        elif suffix == ".csv":
            frame = pl.read_csv(io.BytesIO(content), infer_schema_length=10000)
        else:
            raise InputRefusedError(
                name,
                [
                    Problem(
                        "onbekend bestandsformaat",
                        value=suffix,
                        allowed=".csv of .parquet",
                        code="formaat_onbekend",
                    )
                ],
            )
    except (pl.exceptions.PolarsError, OSError) as error:
        raise InputRefusedError(
            name,
            [
                Problem(
                    f"het bestand kan niet gelezen worden ({type(error).__name__})",
                    code="bestand_onleesbaar",
                )
            ],
        ) from None
    known = set(
        Area.objects.filter(level="gemeente", valid_to__isnull=True).values_list(
            "code", flat=True
        )
    )
    return screen(check_population(frame, name, known), date, choices=choices)


def screening_context(
    missed: pl.DataFrame, counts: pl.DataFrame, date: datetime.date
) -> dict:
    """Counts per municipality with names, a chart, a map and the totals."""
    from stedenplatform.core.charts import bar_chart
    from stedenplatform.core.models import Area

    from .maps import screening_map

    names = dict(
        Area.objects.filter(
            code__in=counts["gemeente"].to_list(),
            level="gemeente",
            valid_to__isnull=True,
        ).values_list("code", "name")
    )
    rows = [
        {**row, "naam": names.get(row["gemeente"], row["gemeente"])}
        for row in counts.iter_rows(named=True)
    ]
    chart = bar_chart(
        [{"gemeente": r["naam"], "huishoudens": r["niet_ontvangen"]} for r in rows],
        category="gemeente",
        value="huishoudens",
        title="Huishoudens met waarschijnlijk recht die geen leefloon ontvangen",
        value_title="huishoudens",
        whole_numbers=True,
    )
    map_svg = screening_map(
        {r["gemeente"]: r["niet_ontvangen"] for r in rows},
        title="Kaart: huishoudens met waarschijnlijk recht zonder leefloon per gemeente",
    )
    return {
        "rows": rows,
        "chart": chart,
        "map": map_svg,
        "missed": missed.height,
        "screened_on": date,
        "households": int(counts["huishoudens"].sum()),
    }
