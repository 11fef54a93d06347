"""Read indicator files: the wide format the cities use today (PERIOD,
GEOLEVEL, GEOITEM, then one column per indicator) and a long format (one
observation per row), from csv, xlsx or Parquet.

Reading and checking are separate from writing: `parse_file` returns the
validated rows or raises `InputRefusedError` with every problem found (row,
column, value, what is allowed). Rows are numbered as a spreadsheet shows
them: the header is row 1.

Wide format, optional extra columns per indicator code: ``<code>:teller``,
``<code>:noemer``, ``<code>:n`` (unweighted respondents), ``<code>:ci_laag``
and ``<code>:ci_hoog``.

Long format columns: ``indicator``, ``area`` (or ``geoitem``), ``period``,
``value``, optional ``level`` (default gemeente), ``numerator``,
``denominator``, ``respondents``, ``ci_low``, ``ci_high``, ``missing``,
``unit``.
"""

import csv
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from stedenplatform.core.errors import InputRefusedError, Problem
from stedenplatform.core.models import AreaLevel

from . import catalogue, periods
from .models import Indicator, Kind, Missing

MAX_PROBLEMS = 1000
LEVEL_ALIASES = {
    "gemeente": AreaLevel.GEMEENTE,
    "gem": AreaLevel.GEMEENTE,
    "wijk": AreaLevel.WIJK,
    "sector": AreaLevel.SECTOR,
    "statsec": AreaLevel.SECTOR,
    "statistische sector": AreaLevel.SECTOR,
    "provincie": AreaLevel.PROVINCIE,
    "gewest": AreaLevel.GEWEST,
    "arrondissement": AreaLevel.ARRONDISSEMENT,
    "land": AreaLevel.LAND,
    "gemeente2024": "gemeente2024",
    "gemeente2019": "gemeente2024",
}
# GEOLEVEL 'gemeente2024' reads a code as the municipality of 2019-2024,
# which is needed for a code that also exists today (Antwerpen 11002).
OLD_MUNICIPALITY = "gemeente2024"
LEVELS_ALLOWED = (
    "gemeente, gemeente2024, wijk, sector, provincie, gewest, arrondissement, land"
)
WIDE_FIXED = ("period", "geolevel", "geoitem")
WIDE_EXTRA = {
    "teller": "numerator",
    "noemer": "denominator",
    "n": "respondents",
    "ci_laag": "ci_low",
    "ci_hoog": "ci_high",
}
LONG_REQUIRED = ("indicator", "area", "period", "value")
LONG_OPTIONAL = (
    "level",
    "numerator",
    "denominator",
    "respondents",
    "ci_low",
    "ci_high",
    "missing",
    "unit",
)
MISSING_VALUES = frozenset(Missing.values)
FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".parquet": "parquet"}


@dataclass
class ParsedFile:
    name: str
    sha256: str
    file_format: str
    layout: str
    rows: list[tuple] = field(default_factory=list)
    indicator_ids: set[int] = field(default_factory=set)
    mapped_municipalities: int = 0


def read_table(name: str, content: bytes) -> tuple[str, list[str], list[list]]:
    """Return (format, header, data rows) of a csv, xlsx or Parquet file."""
    suffix = Path(name).suffix.lower()
    file_format = FORMATS.get(suffix)
    if file_format is None:
        raise InputRefusedError(
            name,
            [
                Problem(
                    "onbekend bestandstype",
                    value=suffix or name,
                    allowed="csv, xlsx of parquet",
                    code="onbekend_bestandstype",
                )
            ],
        )
    try:
        if file_format == "csv":
            header, data = _read_csv(content)
        elif file_format == "xlsx":
            header, data = _read_xlsx(content)
        else:
            header, data = _read_parquet(content)
    except InputRefusedError:
        raise
    except Exception as exc:
        raise InputRefusedError(
            name,
            [
                Problem(
                    f"het bestand kan niet gelezen worden als {file_format}",
                    value=type(exc).__name__,
                    code="onleesbaar_bestand",
                )
            ],
        ) from exc
    return file_format, [str(h or "").strip() for h in header], data


def _read_csv(content: bytes):
    text = content.decode("utf-8-sig")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    if sample.count("\t") > max(sample.count(";"), sample.count(",")):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, [])
    return header, [row for row in reader if any(cell.strip() for cell in row)]


def _read_xlsx(content: bytes):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = list(next(rows, []))
    data = [list(r) for r in rows if any(c not in (None, "") for c in r)]
    workbook.close()
    return header, data


def _read_parquet(content: bytes):
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(content))
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    return table.column_names, [list(r) for r in zip(*columns, strict=True)]


def parse_file(name: str, content: bytes) -> ParsedFile:
    """Read and validate a whole file; raise InputRefusedError on any problem."""
    file_format, header, data = read_table(name, content)
    lowered = [h.lower() for h in header]
    parsed = ParsedFile(
        name=name,
        sha256=hashlib.sha256(content).hexdigest(),
        file_format=file_format,
        layout="",
    )
    if all(c in lowered for c in WIDE_FIXED):
        parsed.layout = "wide"
        cells = _wide_cells(name, header, lowered, data)
    elif all(c in lowered for c in LONG_REQUIRED) or (
        "geoitem" in lowered
        and all(c in lowered for c in ("indicator", "period", "value"))
    ):
        parsed.layout = "long"
        cells = _long_cells(name, lowered, data)
    else:
        raise InputRefusedError(
            name,
            [
                Problem(
                    "de kolommen passen bij geen enkel formaat",
                    row=1,
                    value=", ".join(header[:12]),
                    allowed="breed: PERIOD, GEOLEVEL, GEOITEM en een kolom per "
                    "indicator; "
                    "lang: indicator, area, period, value",
                    code="onbekend_formaat",
                )
            ],
        )
    _validate(parsed, cells)
    return parsed


@dataclass
class RawCell:
    row: int
    indicator: str
    level: str
    area: str
    period: object
    value: object
    extra: dict
    column: str


def _wide_cells(name, header, lowered, data):
    fixed = {c: lowered.index(c) for c in WIDE_FIXED}
    indicator_columns: dict[str, int] = {}
    extra_columns: dict[tuple[str, str], int] = {}
    problems = []
    for index, column in enumerate(header):
        if lowered[index] in WIDE_FIXED or not column:
            continue
        code, _, suffix = column.partition(":")
        if suffix:
            if suffix.lower() not in WIDE_EXTRA:
                problems.append(
                    Problem(
                        "onbekend achtervoegsel in kolomnaam",
                        row=1,
                        column=column,
                        value=suffix,
                        allowed=", ".join(WIDE_EXTRA),
                        code="onbekende_kolom",
                    )
                )
                continue
            extra_columns[(code, WIDE_EXTRA[suffix.lower()])] = index
        else:
            indicator_columns[code] = index
    for code, _ in extra_columns:
        if code not in indicator_columns:
            problems.append(
                Problem(
                    "extra kolom zonder indicatorkolom",
                    row=1,
                    column=code,
                    code="onbekende_kolom",
                )
            )
    if problems:
        raise InputRefusedError(name, problems)
    cells = []
    width = len(header)
    for offset, row in enumerate(data):
        row = list(row) + [None] * (width - len(row))
        number = offset + 2
        for code, index in indicator_columns.items():
            value = row[index]
            extra = {key: row[i] for (c, key), i in extra_columns.items() if c == code}
            if _blank(value) and all(_blank(v) for v in extra.values()):
                continue
            cells.append(
                RawCell(
                    number,
                    code,
                    row[fixed["geolevel"]],
                    row[fixed["geoitem"]],
                    row[fixed["period"]],
                    value,
                    extra,
                    header[index],
                )
            )
    return cells


def _long_cells(name, lowered, data):
    position = {c: i for i, c in enumerate(lowered)}
    if "area" not in position:
        position["area"] = position["geoitem"]
    if "level" not in position and "geolevel" in position:
        position["level"] = position["geolevel"]
    width = len(lowered)
    cells = []
    for offset, row in enumerate(data):
        row = list(row) + [None] * (width - len(row))
        extra = {c: row[position[c]] for c in LONG_OPTIONAL[1:] if c in position}
        level = row[position["level"]] if "level" in position else "gemeente"
        cells.append(
            RawCell(
                offset + 2,
                str(row[position["indicator"]] or "").strip(),
                level,
                row[position["area"]],
                row[position["period"]],
                row[position["value"]],
                extra,
                "value",
            )
        )
    return cells


def _blank(value) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, float) and value != value)
    )


def _validate(parsed: ParsedFile, cells: list[RawCell]) -> None:
    problems: list[Problem] = []

    def add(problem):
        if len(problems) < MAX_PROBLEMS:
            problems.append(problem)

    codes = {c.indicator for c in cells}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    indicator_ids = {code: i.pk for code, i in indicators.items()}
    resolver = catalogue.AreaResolver()
    period_cache: dict[object, tuple | None] = {}
    level_cache: dict[object, str | None] = {}
    seen: dict[tuple, int] = {}
    mapped_rows: dict[tuple, list] = {}
    reported_codes = set()
    code_cache: dict[object, str] = {}
    area_cache: dict[tuple, tuple] = {}

    for cell in cells:
        before = len(problems)
        indicator = indicators.get(cell.indicator)
        if indicator is None:
            if cell.indicator not in reported_codes:
                reported_codes.add(cell.indicator)
                add(
                    Problem(
                        "onbekende indicator",
                        row=cell.row,
                        column=cell.column if parsed.layout == "wide" else "indicator",
                        value=cell.indicator,
                        allowed="een bestaande indicatorcode",
                        code="onbekende_indicator",
                    )
                )
            continue
        if indicator.formula:
            add(
                Problem(
                    "een formule-indicator wordt berekend, niet ingelezen",
                    row=cell.row,
                    column=cell.column,
                    value=cell.indicator,
                    code="formule_indicator",
                )
            )
            continue
        if cell.level not in level_cache:
            level_cache[cell.level] = LEVEL_ALIASES.get(
                str(cell.level or "").strip().lower()
            )
        level = level_cache[cell.level]
        if level is None:
            add(
                Problem(
                    "onbekend gebiedsniveau",
                    row=cell.row,
                    column="GEOLEVEL",
                    value=cell.level,
                    allowed=LEVELS_ALLOWED,
                    code="onbekend_niveau",
                )
            )
            continue
        area_code = code_cache.get(cell.area)
        if area_code is None:
            area_code = code_cache[cell.area] = _code_text(cell.area)
        if cell.period not in period_cache:
            try:
                period_cache[cell.period] = periods.parse_period(cell.period)
            except ValueError:
                period_cache[cell.period] = None
        period_key = period_cache[cell.period]
        if period_key is None:
            add(
                Problem(
                    "ongeldige periode",
                    row=cell.row,
                    column="PERIOD",
                    value=cell.period,
                    allowed=periods.PERIOD_ALLOWED,
                    code="ongeldige_periode",
                )
            )
        old_level = level == OLD_MUNICIPALITY
        area_key = (level, area_code)
        resolved = area_cache.get(area_key)
        if resolved is None:
            resolved = area_cache[area_key] = resolver.resolve(
                AreaLevel.GEMEENTE if old_level else level, area_code, old_level
            )
        area_id, mapped = resolved
        if area_id is None:
            add(
                Problem(
                    f"onbekend gebied op niveau {level}",
                    row=cell.row,
                    column="GEOITEM",
                    value=cell.area,
                    allowed="een NIS-code of sectorcode van een bestaand gebied",
                    code="onbekend_gebied",
                )
            )
        value, missing = _number(cell.value, cell.row, cell.column, add)
        extra = {}
        for key in ("numerator", "denominator", "ci_low", "ci_high"):
            extra[key], _ = _number(cell.extra.get(key), cell.row, key, add)
        respondents, _ = _number(
            cell.extra.get("respondents"), cell.row, "respondents", add
        )
        if respondents is not None and (respondents < 0 or respondents % 1):
            add(
                Problem(
                    "aantal respondenten moet een positief geheel getal zijn",
                    row=cell.row,
                    column="respondents",
                    value=cell.extra["respondents"],
                    code="ongeldig_getal",
                )
            )
        missing_text = str(cell.extra.get("missing") or "").strip()
        if missing_text:
            if missing_text not in MISSING_VALUES:
                add(
                    Problem(
                        "onbekende code voor ontbrekende waarde",
                        row=cell.row,
                        column="missing",
                        value=missing_text,
                        allowed=", ".join(Missing.values),
                        code="ongeldige_code",
                    )
                )
            elif value is not None:
                add(
                    Problem(
                        "een ontbrekende waarde kan geen waarde hebben",
                        row=cell.row,
                        column="value",
                        value=cell.value,
                        code="tegenstrijdig",
                    )
                )
            missing = missing_text
        unit = str(cell.extra.get("unit") or "").strip()
        if unit and unit != indicator.unit:
            add(
                Problem(
                    f"eenheid past niet bij indicator {indicator.code}",
                    row=cell.row,
                    column="unit",
                    value=unit,
                    allowed=repr(indicator.unit),
                    code="verkeerde_eenheid",
                )
            )
        if value is not None:
            _check_range(indicator, value, cell, add)
        if value is None and not missing:
            missing = Missing.UNKNOWN
        if len(problems) > before:
            continue
        indicator_id = indicator_ids[indicator.code]
        key = (indicator_id, area_id, period_key)
        given_key = (indicator_id, level, area_code, period_key)
        if given_key in seen:
            add(
                Problem(
                    "dubbele observatie (zelfde indicator, gebied en periode)",
                    row=cell.row,
                    column=cell.column,
                    value=f"{indicator.code} {area_code} {periods.label(period_key)}",
                    allowed=f"één keer; eerst in rij {seen[given_key]}",
                    code="dubbele_observatie",
                )
            )
            continue
        seen[given_key] = cell.row
        row = [
            value,
            extra["numerator"],
            extra["denominator"],
            int(respondents) if respondents is not None else None,
            extra["ci_low"],
            extra["ci_high"],
            missing,
        ]
        if mapped:
            mapped_rows.setdefault(key, []).append(
                (row, indicator, area_code, cell.row, old_level)
            )
        else:
            parsed.rows.append((indicator_id, area_id, period_key, *row))
        parsed.indicator_ids.add(indicator_id)

    direct = {(r[0], r[1], r[2]) for r in parsed.rows}
    for key, parts in mapped_rows.items():
        expected = resolver.predecessors.get(key[1], set())
        if not any(p[4] for p in parts):
            expected = {
                c for c in expected if (AreaLevel.GEMEENTE, c) not in resolver.current
            }
        given = {p[2] for p in parts}
        if key in direct:
            add(
                Problem(
                    "een oude gemeente en haar opvolger staan allebei in het "
                    "bestand voor dezelfde indicator en periode",
                    column="GEOITEM",
                    value=", ".join(sorted(given)),
                    code="dubbele_observatie",
                    allowed="GEOLEVEL 'gemeente2024' voor cijfers op de "
                    "gemeenten van 2019-2024",
                )
            )
            continue
        if given != expected:
            add(
                Problem(
                    "niet alle gemeenten van een fusie staan in het bestand",
                    row=parts[0][3],
                    column="GEOITEM",
                    value=", ".join(sorted(given)),
                    allowed="alle fusiegemeenten: " + ", ".join(sorted(expected)),
                    code="fusie_onvolledig",
                )
            )
            continue
        merged = _merge_predecessors(key, parts, add)
        if merged is not None:
            parsed.rows.append(merged)
            parsed.mapped_municipalities += len(parts)
    if problems:
        raise InputRefusedError(parsed.name, problems)
    ids = periods.ensure_periods({r[2] for r in parsed.rows}) if parsed.rows else {}
    parsed.rows = [(r[0], r[1], ids[r[2]], *r[3:]) for r in parsed.rows]


def _merge_predecessors(key, parts, add):
    """Add up the 2019-2024 municipalities that merged into one of 2025."""
    indicator = parts[0][1]
    if indicator.kind != Kind.COUNT and any(
        p[0][1] is None or p[0][2] is None for p in parts
    ):
        add(
            Problem(
                "een oude gemeente kan alleen met teller en noemer op de nieuwe "
                "gemeente worden overgezet",
                column="GEOITEM",
                value=indicator.code,
                allowed="teller- en noemerkolommen",
                code="fusie_zonder_teller",
            )
        )
        return None
    if any(p[0][6] for p in parts):
        return (*key, None, None, None, None, None, None, Missing.UNKNOWN)
    if indicator.kind == Kind.COUNT:
        return (*key, sum(p[0][0] for p in parts), None, None, None, None, None, "")
    numerator = sum(p[0][1] for p in parts)
    denominator = sum(p[0][2] for p in parts)
    value = numerator / denominator * indicator.factor if denominator else None
    return (
        *key,
        value,
        numerator,
        denominator,
        None,
        None,
        None,
        "" if value is not None else Missing.NOT_APPLICABLE,
    )


def _code_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value or "").strip()
    return text.zfill(5) if text.isdigit() and len(text) < 5 else text


def _number(raw, row, column, add):
    if raw is None:
        return None, ""
    try:
        return catalogue.parse_number(raw)
    except ValueError:
        add(
            Problem(
                "geen getal",
                row=row,
                column=column,
                value=raw,
                allowed="een getal (komma of punt als decimaalteken), leeg, of een "
                "code voor ontbrekend (-99999, -99997, -99998, -99996, x, -, ?)",
                code="geen_getal",
            )
        )
        return None, ""


def _check_range(indicator, value: Decimal, cell, add) -> None:
    if indicator.kind == Kind.COUNT and value < 0:
        add(
            Problem(
                "een aantal kan niet negatief zijn",
                row=cell.row,
                column=cell.column,
                value=cell.value,
                allowed="0 of meer",
                code="buiten_bereik",
            )
        )
    elif (
        indicator.kind == Kind.PERCENTAGE
        and indicator.factor == 100
        and not (0 <= value <= 100)
    ):
        add(
            Problem(
                "een percentage ligt tussen 0 en 100",
                row=cell.row,
                column=cell.column,
                value=cell.value,
                allowed="0 tot 100",
                code="buiten_bereik",
            )
        )
