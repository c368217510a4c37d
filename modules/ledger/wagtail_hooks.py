"""Admin URLs and menu item of the ledger's own screens."""

import functools

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from modules.ledger import views
from modules.ledger.reports import admin_hooks  # noqa: F401 (registers the reports)


@hooks.register("register_admin_urls")
def register_ledger_urls():
    return [
        path("ledger/verify/", views.VerifyLedgerView.as_view(), name="ledger_verify"),
        path("ledger/vat/", views.VatReturnView.as_view(), name="ledger_vat_return"),
        path(
            "ledger/vat/lines/", views.VatLinesView.as_view(), name="ledger_vat_lines"
        ),
        path("ledger/budget/", views.BudgetReportView.as_view(), name="ledger_budget"),
        path(
            "ledger/period-end/",
            views.PeriodEndView.as_view(),
            name="ledger_period_end",
        ),
    ]


class VerifyLedgerMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.VERIFY_PERMISSION)


# The ledger's own screens in the admin menu: label, URL name, icon.
_SCREENS = [
    (_("Ledger check"), "ledger_verify", "tick-inverse"),
    (_("VAT return"), "ledger_vat_return", "percent"),
    (_("Budget vs actual"), "ledger_budget", "table"),
    (_("Period end"), "ledger_period_end", "date"),
]


def _menu_item(label, url_name, icon, order):
    return VerifyLedgerMenuItem(
        label,
        reverse(url_name),
        name=url_name.replace("_", "-"),
        icon_name=icon,
        order=order,
    )


for _order, (_label, _url_name, _icon) in enumerate(_SCREENS, start=210):
    hooks.register(
        "register_admin_menu_item",
        functools.partial(_menu_item, _label, _url_name, _icon, _order),
    )
