"""Reports as files: CSV and XLSX tables, and PDF documents by WeasyPrint.

A report view turns its report into a `Table` (a title, headers and rows
of plain values) for CSV and XLSX, and renders an HTML template for the
PDF. CSV follows the platform's exports: UTF-8 with a byte order mark and
semicolons, with decimal commas so that spreadsheets in Finnish read the
amounts as numbers.
"""

import csv
import datetime
import io
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

logger = logging.getLogger(__name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    """A report flattened into rows of plain values."""

    title: str
    subtitle: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    return str(value)


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def filename(title: str, subtitle: str, extension: str) -> str:
    """Return a download name made of the report's title and dates."""
    return f"{slugify(f'{title} {subtitle}')}.{extension}"


def csv_response(table: Table) -> HttpResponse:
    """Return the table as a CSV download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([table.title, table.subtitle])
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_csv_value(value) for value in row])
    response = HttpResponse(
        "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, filename(table.title, table.subtitle, "csv"))


def xlsx_bytes(table: Table) -> bytes:
    """Return the table as an XLSX workbook, amounts as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31]
    sheet.append([table.title, table.subtitle])
    sheet["A1"].font = Font(bold=True)
    sheet.append(table.headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "DD.MM.YYYY"
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(table: Table) -> HttpResponse:
    """Return the table as an XLSX download."""
    response = HttpResponse(xlsx_bytes(table), content_type=XLSX_TYPE)
    return _attachment(response, filename(table.title, table.subtitle, "xlsx"))


def pdf_bytes(template: str, context: dict, *, base_url: str | None = None) -> bytes:
    """Render an HTML template to PDF with WeasyPrint."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=base_url).write_pdf()


def pdf_response(template: str, context: dict, *, name: str, request=None):
    """Return a rendered PDF download."""
    base_url = request.build_absolute_uri("/") if request is not None else None
    response = HttpResponse(
        pdf_bytes(template, context, base_url=base_url), content_type="application/pdf"
    )
    logger.info("PDF %s rendered", name)
    return _attachment(response, name)
