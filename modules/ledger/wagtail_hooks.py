"""Admin URLs and menu item of the ledger's own screens."""

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


@hooks.register("register_admin_menu_item")
def register_verify_ledger_menu_item():
    return VerifyLedgerMenuItem(
        _("Ledger check"),
        reverse("ledger_verify"),
        name="ledger-verify",
        icon_name="tick-inverse",
        order=210,
    )


@hooks.register("register_admin_menu_item")
def register_vat_return_menu_item():
    return VerifyLedgerMenuItem(
        _("VAT return"),
        reverse("ledger_vat_return"),
        name="ledger-vat-return",
        icon_name="percent",
        order=211,
    )


@hooks.register("register_admin_menu_item")
def register_budget_menu_item():
    return VerifyLedgerMenuItem(
        _("Budget vs actual"),
        reverse("ledger_budget"),
        name="ledger-budget",
        icon_name="table",
        order=212,
    )


@hooks.register("register_admin_menu_item")
def register_period_end_menu_item():
    return VerifyLedgerMenuItem(
        _("Period end"),
        reverse("ledger_period_end"),
        name="ledger-period-end",
        icon_name="date",
        order=213,
    )
