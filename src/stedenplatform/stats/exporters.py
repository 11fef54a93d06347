"""Downloads: the table a page shows, as csv or xlsx, with its sources and
the meaning of its marks, so that a download holds exactly what was shown."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils.text import slugify

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def filename(self, extension: str) -> str:
        return f"{slugify(self.title)[:80] or 'cijfers'}.{extension}"


def _plain(value):
    if isinstance(value, Decimal):
        return (
            format(value.normalize(), "f")
            if value == value.to_integral()
            else str(value)
        )
    return "" if value is None else value


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_plain(v) for v in row])
    if table.notes:
        writer.writerow([])
        for note in table.notes:
            writer.writerow([note])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "cijfers"
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True)
    sheet.append(table.columns)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    if table.notes:
        sheet.append([])
        for note in table.notes:
            sheet.append([note])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download(table: Table, file_format: str) -> HttpResponse:
    if file_format == "xlsx":
        response = HttpResponse(to_xlsx(table), content_type=XLSX_TYPE)
        name = table.filename("xlsx")
    else:
        response = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
        name = table.filename("csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
