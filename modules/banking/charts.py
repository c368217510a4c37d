"""The cash forecast drawn as SVG and laid out as a downloadable table.

The chart is plain SVG built on the server: weekly cash in and out as
bars (the budgeted part of the outflow in a lighter colour, with a
legend), the day-by-day balance as a line, and a zero line when the balance
goes below it. No script runs in the admin for it.
"""

from decimal import Decimal

import tablib
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

WIDTH, HEIGHT, MARGIN = 760, 260, 40


def _scale(values, low, high):
    span = (high - low) or Decimal("1")
    usable = HEIGHT - 2 * MARGIN
    return [HEIGHT - MARGIN - float((value - low) / span) * usable for value in values]


def forecast_chart(forecast) -> str:
    """Return an SVG chart of the forecast (safe HTML)."""
    days = forecast.days
    weeks = forecast.weeks()
    if not days:
        return ""
    amounts = [d.balance for d in days] + [w.cash_in for w in weeks]
    amounts += [-w.cash_out for w in weeks] + [Decimal("0")]
    low, high = min(amounts), max(amounts)
    step = (WIDTH - 2 * MARGIN) / max(len(days) - 1, 1)
    balance_y = _scale([d.balance for d in days], low, high)
    points = " ".join(
        f"{MARGIN + index * step:.1f},{y:.1f}" for index, y in enumerate(balance_y)
    )
    zero = _scale([Decimal("0")], low, high)[0]
    bar_width = max(step * 7 * 0.35, 2)
    bars = []
    for week in weeks:
        offset = (week.day - days[0].day).days
        x = MARGIN + max(offset, 0) * step
        top_in = _scale([week.cash_in], low, high)[0]
        bottom_out = _scale([-week.cash_out], low, high)[0]
        budget_bottom = _scale([-week.budgeted_out], low, high)[0]
        bars.append(("in", x, top_in, zero - top_in))
        bars.append(("out", x + bar_width, zero, bottom_out - zero))
        # The budgeted part of the outflow, drawn over the bar's end.
        bars.append(
            (
                "budget",
                x + bar_width,
                bottom_out - (budget_bottom - zero),
                budget_bottom - zero,
            )
        )
    bar_html = format_html_join(
        "",
        '<rect class="cash-{}" x="{}" y="{}" width="{}" height="{}"/>',
        (
            (kind, f"{x:.1f}", f"{y:.1f}", f"{bar_width:.1f}", f"{max(height, 0):.1f}")
            for kind, x, y, height in bars
        ),
    )
    return format_html(
        '<svg class="cash-forecast" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        '<line class="cash-zero" x1="{}" x2="{}" y1="{}" y2="{}"/>{}'
        '<polyline class="cash-balance" fill="none" points="{}"/>'
        '<text x="{}" y="20">{}: {}</text>'
        '<rect class="cash-budget" x="{}" y="28" width="10" height="10"/>'
        '<text x="{}" y="37">{}</text></svg>',
        WIDTH,
        HEIGHT,
        _("Cash forecast"),
        MARGIN,
        WIDTH - MARGIN,
        f"{zero:.1f}",
        f"{zero:.1f}",
        bar_html,
        points,
        MARGIN,
        _("Lowest balance"),
        min(d.balance for d in days),
        MARGIN,
        MARGIN + 14,
        _("Budgeted, not yet invoiced"),
    )


def forecast_table(forecast) -> tablib.Dataset:
    """Return the forecast by day as a dataset for CSV or XLSX."""
    dataset = tablib.Dataset(
        headers=[
            _("Date"),
            _("Cash in"),
            _("Cash out"),
            _("Of which budgeted"),
            _("Balance"),
        ],
        title=_("Cash forecast")[:31],
    )
    for day in forecast.days:
        dataset.append(
            [
                day.day.isoformat(),
                day.cash_in,
                day.cash_out,
                day.budgeted_out,
                day.balance,
            ]
        )
    return dataset
