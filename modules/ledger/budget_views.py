"""The budget comparison as a file and as an inline SVG chart."""

from decimal import Decimal

import tablib
from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

CHART_WIDTH, CHART_HEIGHT, BAR = 720, 220, 12


def budget_file(report, file_format: str) -> HttpResponse:
    """Return the report rows as a CSV or XLSX download."""
    data = tablib.Dataset(
        headers=[
            pgettext("budget row", "Item"),
            _("Budget"),
            _("Actual"),
            _("Difference"),
            "%",
        ]
    )
    for row in report.rows:
        data.append(
            [row.label, row.budget, row.actual, row.difference, row.percent or ""]
        )
    data.append(
        [_("Total"), report.budget, report.actual, report.actual - report.budget, ""]
    )
    if file_format == "xlsx":
        content = data.export("xlsx")
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = "\ufeff" + data.export("csv", delimiter=";")
        kind = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="budget.{file_format}"'
    return response


def budget_chart(report):
    """Return monthly budget and actual bars as inline SVG markup."""
    months = report.months
    if not months:
        return ""
    peak = max(
        [abs(value) for _month, budget, actual in months for value in (budget, actual)]
        + [Decimal(1)]
    )
    step = CHART_WIDTH / len(months)
    bars = []
    for index, (month, budget, actual) in enumerate(months):
        x = index * step + step / 2 - BAR
        for offset, value, css in ((0, budget, "budget"), (BAR, actual, "actual")):
            height = float(abs(value) / peak) * (CHART_HEIGHT - 30)
            bars.append(
                (
                    f"{x + offset:.1f}",
                    f"{CHART_HEIGHT - 20 - height:.1f}",
                    BAR,
                    f"{height:.1f}",
                    css,
                    f"{month:%m/%Y} {number_format(value, 2)}",
                )
            )
        bars.append((f"{x:.1f}", CHART_HEIGHT - 4, 0, 0, "label", f"{month:%m}"))
    shapes = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" class="{}"><title>{}</title>'
        "</rect>",
        (bar for bar in bars if bar[4] != "label"),
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="10">{}</text>',
        ((bar[0], bar[1], bar[5]) for bar in bars if bar[4] == "label"),
    )
    legend = format_html(
        '<text x="0" y="12" font-size="11" class="budget">{}</text>'
        '<text x="80" y="12" font-size="11" class="actual">{}</text>',
        _("Budget"),
        _("Actual"),
    )
    return format_html(
        '<svg role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" '
        'class="budget-chart"><style>.budget{{fill:#9fb4c7}}'
        ".actual{{fill:#2e6b5e}}</style>{}{}{}</svg>",
        _("Budget and actual by month"),
        CHART_WIDTH,
        CHART_HEIGHT,
        legend,
        shapes,
        labels,
    )
