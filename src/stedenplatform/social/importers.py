"""Read and validate an OCMW's microdata file, then write it as Parquet.

The file (csv with comma or semicolon, or xlsx) is read as text, checked
set-based in DuckDB against its schema (every problem with its row, column,
value and what is allowed) and only when nothing is wrong converted to typed
columns and written to a Parquet file. A value that looks like an INSZ in the
pseudonym column is refused without repeating it, so that a clear national
number never ends up in an error message or a log.
"""

import datetime
import decimal
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from stedenplatform.core.errors import InputRefusedError, Problem

from .schemas import (
    CATEGORIES,
    MONTH_PATTERN,
    PSEUDONYM_PATTERN,
    SCHEMAS,
    SEXES,
    Schema,
)

logger = logging.getLogger(__name__)

MAX_PROBLEMS_PER_CHECK = 200
ROW = "_rij"


@dataclass(frozen=True)
class Validated:
    """A checked file, ready to be stored."""

    table: pa.Table
    rows: int
    persons: int
    first_month: datetime.date | None
    last_month: datetime.date | None
    checksum: str


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value).strip()


def file_checksum(path: Path) -> str:
    """The SHA-256 of the file as uploaded."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_as_text(path: Path, filename: str) -> pa.Table:
    """Read csv or xlsx into a table of text columns plus the row number."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
        if not rows:
            return pa.table({ROW: pa.array([], pa.int64())})
        header = [_text(h) or "" for h in rows[0]]
        numbers: list[int] = []
        columns: dict[str, list[str | None]] = {h: [] for h in header}
        for number, row in enumerate(rows[1:], start=2):
            if all(v in (None, "") for v in row):
                continue
            numbers.append(number)
            for index, name in enumerate(header):
                columns[name].append(_text(row[index]) if index < len(row) else None)
        data = {ROW: pa.array(numbers, pa.int64())}
        data.update({k: pa.array(v, pa.string()) for k, v in columns.items()})
        return pa.table(data)
    if suffix == ".csv":
        with path.open("rb") as handle:
            first = handle.readline().decode("utf-8-sig", errors="replace")
        delimiter = ";" if first.count(";") > first.count(",") else ","
        names = [h.strip() for h in first.strip().split(delimiter)]
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=True,
            ),
        )
        return table.add_column(
            0, ROW, pa.array(range(2, table.num_rows + 2), pa.int64())
        )
    raise InputRefusedError(
        source=filename,
        problems=[
            Problem(
                "onbekend bestandstype",
                value=suffix or filename,
                allowed=".csv of .xlsx",
                code="bestandstype",
            )
        ],
    )


def read_readable(path: Path, filename: str) -> pa.Table:
    """Read the file, turning an unreadable one into a refusal that says why."""
    import zipfile

    try:
        return read_as_text(path, filename)
    except UnicodeDecodeError as error:
        reason, allowed = "het bestand is geen tekst in UTF-8", "csv in UTF-8"
        detail = error.reason
    except pa.ArrowInvalid as error:
        reason, allowed = (
            "het bestand is geen geldige csv",
            ("csv met een kopregel en op elke rij evenveel kolommen"),
        )
        detail = str(error).split("\n")[0]
    except (zipfile.BadZipFile, OSError, KeyError) as error:
        reason, allowed = "het bestand is geen leesbaar xlsx-bestand", "xlsx of csv"
        detail = type(error).__name__
    raise InputRefusedError(
        source=filename,
        problems=[Problem(reason, value=detail, allowed=allowed, code="onleesbaar")],
    )


def _checks(schema: Schema, ocmw: str, last_year: int) -> list[tuple]:
    """(column, SQL condition for a bad value, message, allowed, code)."""
    checks = []
    for column in schema.columns:
        col = f'"{column.name}"'
        empty = f"({col} IS NULL OR trim({col}) = '')"
        checks.append(
            (column.name, empty, "waarde ontbreekt", column.description, "leeg")
        )
        present = f"NOT {empty} AND "
        if column.kind == "pseudonym":
            checks.append(
                (
                    column.name,
                    present + f"regexp_full_match(trim({col}), '[0-9 .\\-]{{11,15}}')",
                    "lijkt op een INSZ in klare tekst; pseudonimiseer het bestand "
                    "eerst met `stedenplatform pseudonimiseer` (de waarde wordt niet "
                    "herhaald)",
                    "een pseudoniem 'p_' + 64 hexadecimale tekens",
                    "insz_in_klare_tekst",
                )
            )
            checks.append(
                (
                    column.name,
                    present
                    + f"NOT regexp_full_match(trim({col}), '{PSEUDONYM_PATTERN}') "
                    f"AND NOT regexp_full_match(trim({col}), '[0-9 .\\-]{{11,15}}')",
                    "geen geldig pseudoniem",
                    "'p_' gevolgd door 64 hexadecimale tekens (0-9, a-f)",
                    "pseudoniem_ongeldig",
                )
            )
        elif column.kind == "ocmw":
            checks.append(
                (
                    column.name,
                    present + f"trim({col}) <> '{ocmw}'",
                    "het bestand hoort niet bij dit OCMW",
                    f"alleen de NIS-code van het eigen OCMW: {ocmw}",
                    "ander_ocmw",
                )
            )
        elif column.kind == "month":
            checks.append(
                (
                    column.name,
                    present + f"(NOT regexp_full_match(trim({col}), '{MONTH_PATTERN}') "
                    f"OR TRY_CAST(left(trim({col}), 4) AS INTEGER) NOT BETWEEN "
                    f"{column.earliest_year} AND {last_year})",
                    "geen geldige maand",
                    f"JJJJ-MM tussen {column.earliest_year}-01 en {last_year}-12",
                    "maand_ongeldig",
                )
            )
        elif column.kind == "category":
            allowed = ", ".join(f"{k} ({v})" for k, v in CATEGORIES.items())
            keys = ", ".join(f"'{k}'" for k in CATEGORIES)
            checks.append(
                (
                    column.name,
                    present + f"trim({col}) NOT IN ({keys})",
                    "onbekende categorie",
                    allowed,
                    "categorie_ongeldig",
                )
            )
        elif column.kind == "amount":
            checks.append(
                (
                    column.name,
                    present + f"coalesce(TRY_CAST(replace(trim({col}), ',', '.') AS "
                    f"DECIMAL(12, 2)) NOT BETWEEN 0 AND 100000, true)",
                    "geen geldig bedrag",
                    "een bedrag in euro tussen 0 en 100000, bv. 1314.20",
                    "bedrag_ongeldig",
                )
            )
        elif column.kind == "yes_no":
            checks.append(
                (
                    column.name,
                    present + f"lower(trim({col})) NOT IN ('ja', 'nee')",
                    "geen ja of nee",
                    "ja of nee",
                    "ja_nee_ongeldig",
                )
            )
        elif column.kind == "sex":
            keys = ", ".join(f"'{k}'" for k in SEXES)
            checks.append(
                (
                    column.name,
                    present + f"upper(trim({col})) NOT IN ({keys})",
                    "onbekend geslacht",
                    "M, V of X",
                    "geslacht_ongeldig",
                )
            )
    return checks


def _month_sql(column: str) -> str:
    return f"CAST(strptime(trim(\"{column}\") || '-01', '%Y-%m-%d') AS DATE)"


def _typed_select(schema: Schema, ocmw: str) -> str:
    parts = []
    for column in schema.columns:
        col = f'"{column.name}"'
        if column.kind == "pseudonym":
            parts.append(f"trim({col}) AS pseudoniem")
        elif column.kind == "ocmw":
            continue
        elif column.kind == "month":
            parts.append(f"{_month_sql(column.name)} AS {column.name}")
        elif column.kind == "category":
            parts.append(f"CAST(trim({col}) AS UTINYINT) AS categorie")
        elif column.kind == "amount":
            parts.append(
                f"CAST(replace(trim({col}), ',', '.') AS DECIMAL(12, 2)) AS bedrag"
            )
        elif column.kind == "yes_no":
            parts.append(f"lower(trim({col})) = 'ja' AS werk")
        elif column.kind == "sex":
            parts.append(f"upper(trim({col})) AS geslacht")
    return f"SELECT '{ocmw}' AS ocmw, " + ", ".join(parts) + " FROM src"


def validate(path: Path, filename: str, dataset: str, ocmw: str) -> Validated:
    """Check the whole file; return it typed, or raise with every problem."""
    schema = SCHEMAS[dataset]
    data = read_readable(path, filename)
    problems: list[Problem] = []
    present = [n for n in data.column_names if n != ROW]
    for name in schema.column_names:
        if name not in present:
            problems.append(
                Problem(
                    "kolom ontbreekt",
                    column=name,
                    allowed="de kolommen " + ", ".join(schema.column_names),
                    code="kolom_ontbreekt",
                )
            )
    for name in present:
        if name not in schema.column_names:
            problems.append(
                Problem(
                    "onbekende kolom; het platform neemt alleen de beschreven "
                    "kolommen aan",
                    column=name or "(zonder naam)",
                    allowed=", ".join(schema.column_names),
                    code="kolom_onbekend",
                )
            )
    if problems:
        raise InputRefusedError(source=filename, problems=problems)
    if data.num_rows == 0:
        raise InputRefusedError(
            source=filename,
            problems=[Problem("het bestand bevat geen rijen", code="leeg_bestand")],
        )

    connection = duckdb.connect()
    connection.register("src", data)
    last_year = datetime.date.today().year
    for column, condition, message, allowed, code in _checks(schema, ocmw, last_year):
        show_value = code not in ("insz_in_klare_tekst", "leeg")
        rows = connection.execute(
            f'SELECT {ROW}, "{column}" FROM src WHERE {condition} ORDER BY {ROW} '
            f"LIMIT {MAX_PROBLEMS_PER_CHECK}"
        ).fetchall()
        for number, value in rows:
            problems.append(
                Problem(
                    message,
                    row=number,
                    column=column,
                    value=value if show_value else None,
                    allowed=allowed,
                    code=code,
                )
            )
    if not problems:
        key = ", ".join(f'trim("{k}")' for k in schema.key)
        duplicates = connection.execute(
            f"SELECT list(_rij ORDER BY _rij), {key} FROM src GROUP BY {key} "
            f"HAVING count(*) > 1 ORDER BY min(_rij) LIMIT {MAX_PROBLEMS_PER_CHECK}"
        ).fetchall()
        for numbers, *_ in duplicates:
            problems.append(
                Problem(
                    "dubbele rij: dezelfde "
                    + " en ".join(schema.key)
                    + " komt al voor op "
                    "rij " + ", ".join(str(n) for n in numbers[:-1]),
                    row=numbers[-1],
                    column=schema.key[-1],
                    allowed="één rij per " + " en ".join(schema.key),
                    code="dubbel",
                )
            )
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise InputRefusedError(source=filename, problems=problems)

    table = connection.sql(_typed_select(schema, ocmw)).to_arrow_table()
    month_column = next(
        (
            c.name
            for c in schema.columns
            if c.kind == "month" and c.name != "geboortemaand"
        ),
        None,
    )
    connection.register("typed", table)
    first_month = last_month = None
    if month_column:
        first_month, last_month = connection.execute(
            f"SELECT min({month_column}), max({month_column}) FROM typed"
        ).fetchall()[0]
    persons = connection.execute(
        "SELECT count(DISTINCT pseudoniem) FROM typed"
    ).fetchall()[0][0]
    connection.close()
    logger.info("validated %s file with %s rows", dataset, table.num_rows)
    return Validated(
        table=table,
        rows=table.num_rows,
        persons=persons,
        first_month=first_month,
        last_month=last_month,
        checksum=file_checksum(path),
    )
