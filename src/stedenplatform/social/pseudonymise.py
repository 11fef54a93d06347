"""Pseudonymisation of INSZ numbers at the OCMW, before anything is uploaded.

The OCMW replaces the INSZ column of its csv or xlsx file by an HMAC-SHA256
of the number under a key that only the OCMW keeps. The same key gives the
same pseudonym in every file, so that the leefloon, employment, person and
youth-care files of one OCMW link up on the platform, while the platform can
neither reverse a pseudonym nor compute one: it never sees the key. Every
INSZ is checked first (check digits modulo 97, with the rule for people born
in 2000 or later); one invalid number refuses the whole file and nothing is
written. INSZ numbers are never logged, and the error names only the row.
"""

import csv
import hashlib
import hmac
import io
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from stedenplatform.core.errors import InputRefusedError, PlatformError, Problem

logger = logging.getLogger(__name__)

KEY_ENV_VAR = "STEDENPLATFORM_DEMAD_SLEUTEL"
MIN_KEY_BYTES = 16
PSEUDONYM_PREFIX = "p_"
DEFAULT_COLUMN = "insz"


class PseudonymKeyError(PlatformError):
    code = "sleutel_ongeldig"


def normalise_insz(value: object) -> str:
    """Return the 11 digits of an INSZ written with or without separators."""
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:011d}"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):011d}"
    return re.sub(r"[\s.\-]", "", str(value))


def is_valid_insz(value: object) -> bool:
    """Check the INSZ check digits (97 minus the number modulo 97).

    For people born in 2000 or later, the check is computed on the number
    prefixed with 2 (Rijksregister, technische instructies).

    >>> is_valid_insz("85.07.30-033.28")
    True
    >>> is_valid_insz("00.01.01-001.89")
    False
    >>> is_valid_insz("00010100105")
    True
    """
    digits = normalise_insz(value)
    if not re.fullmatch(r"\d{11}", digits):
        return False
    base, check = int(digits[:9]), int(digits[9:])
    if 97 - base % 97 == check:
        return True
    return 97 - int("2" + digits[:9]) % 97 == check


def load_key(key_file: str | Path | None = None) -> bytes:
    """Read the OCMW's key from a file or from the environment variable."""
    if key_file:
        path = Path(key_file)
        if not path.is_file():
            raise PseudonymKeyError(f"Sleutelbestand {path} bestaat niet.")
        key = path.read_bytes().strip()
    else:
        key = os.environ.get(KEY_ENV_VAR, "").strip().encode()
        if not key:
            raise PseudonymKeyError(
                f"Geen sleutel: geef --sleutelbestand of zet de omgevingsvariabele "
                f"{KEY_ENV_VAR}."
            )
    if len(key) < MIN_KEY_BYTES:
        raise PseudonymKeyError(
            f"De sleutel is te kort ({len(key)} bytes); toegelaten: minstens "
            f"{MIN_KEY_BYTES} bytes, liefst 32 willekeurige bytes."
        )
    return key


def pseudonym(key: bytes, insz: object) -> str:
    """Return the pseudonym of one valid INSZ under the key."""
    digest = hmac.new(key, normalise_insz(insz).encode(), hashlib.sha256)
    return PSEUDONYM_PREFIX + digest.hexdigest()


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[object]]


def read_table(path: Path) -> Table:
    """Read a csv (comma or semicolon) or xlsx file into a header and rows."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        values = list(workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
        if not values:
            return Table([], [])
        header = ["" if v is None else str(v).strip() for v in values[0]]
        rows = [list(r) for r in values[1:] if any(v not in (None, "") for v in r)]
        return Table(header, rows)
    if suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        values = [r for r in reader if any(v.strip() for v in r)]
        if not values:
            return Table([], [])
        return Table([h.strip() for h in values[0]], values[1:])
    raise InputRefusedError(
        source=path.name,
        problems=[
            Problem(
                "onbekend bestandstype",
                value=path.suffix,
                allowed=".csv of .xlsx",
                code="bestandstype",
            )
        ],
    )


def write_table(path: Path, table: Table, file_format: str) -> None:
    if file_format == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("gegevens")
        sheet.append(table.header)
        for row in table.rows:
            sheet.append(row)
        workbook.save(path)
        return
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.header)
        writer.writerows(table.rows)


def pseudonymise_table(
    table: Table, key: bytes, *, column: str = DEFAULT_COLUMN, source: str = "bestand"
) -> Table:
    """Return the table with the INSZ column replaced by a `pseudoniem` column.

    Raises InputRefusedError naming every row with an invalid INSZ; the value
    itself is never repeated in the message.
    """
    lowered = [h.lower() for h in table.header]
    if column.lower() not in lowered:
        raise InputRefusedError(
            source=source,
            problems=[
                Problem(
                    "de kolom met het INSZ ontbreekt",
                    column=column,
                    allowed="een kolom " + repr(column),
                    code="kolom_ontbreekt",
                )
            ],
        )
    index = lowered.index(column.lower())
    problems = []
    for number, row in enumerate(table.rows, start=2):
        value = row[index] if index < len(row) else None
        if not is_valid_insz(value):
            problems.append(
                Problem(
                    "geen geldig INSZ (11 cijfers met juiste controlegetal)",
                    row=number,
                    column=table.header[index],
                    allowed="een INSZ waarvan de laatste 2 cijfers 97 min de rest "
                    "bij deling door 97 zijn (met 2 ervoor voor wie na 1999 "
                    "geboren is)",
                    code="insz_ongeldig",
                )
            )
    if problems:
        raise InputRefusedError(source=source, problems=problems)

    header = list(table.header)
    header[index] = "pseudoniem"
    rows = []
    for row in table.rows:
        new_row = list(row)
        new_row[index] = pseudonym(key, row[index])
        rows.append(new_row)
    return Table(header, rows)


def pseudonymise_file(
    source: Path, target: Path, key: bytes, *, column: str = DEFAULT_COLUMN
) -> int:
    """Pseudonymise a csv or xlsx file into a new file; return the row count."""
    if target.resolve() == source.resolve():
        raise PlatformError(
            "Het doelbestand mag het bronbestand niet overschrijven.", "doel_is_bron"
        )
    if target.suffix.lower() not in (".csv", ".xlsx"):
        raise PlatformError(
            f"Onbekend bestandstype voor het doel: {target.suffix!r}; toegelaten: .csv "
            "of .xlsx.",
            "bestandstype",
        )
    table = pseudonymise_table(
        read_table(source), key, column=column, source=source.name
    )
    partial = target.with_name(target.name + ".deel")
    write_table(partial, table, target.suffix.lower())
    os.replace(partial, target)
    logger.info("pseudonymised %s rows", len(table.rows))
    return len(table.rows)
