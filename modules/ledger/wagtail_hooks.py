"""Admin URLs and menu item of the ledger's own screens."""

import functools

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from modules.ledger import views, voucher_entry
from modules.ledger.reports import admin_hooks  # noqa: F401 (registers the reports)


@hooks.register("register_admin_urls")
def register_ledger_urls():
    return [
        path("ledger/verify/", views.VerifyLedgerView.as_view(), name="ledger_verify"),
        path("ledger/vat/", views.VatReturnView.as_view(), name="ledger_vat_return"),
        path(
            "ledger/vat/lines/", views.VatLinesView.as_view(), name="ledger_vat_lines"
        ),
        path(
            "ledger/vouchers/new/",
            voucher_entry.VoucherEntryView.as_view(),
            name="ledger_voucher_entry",
        ),
        path(
            "ledger/vouchers/new/preview/",
            voucher_entry.VoucherPreviewView.as_view(),
            name="ledger_voucher_preview",
        ),
        path(
            "ledger/vouchers/<int:pk>/reverse/",
            voucher_entry.ReverseVoucherView.as_view(),
            name="ledger_voucher_reverse",
        ),
        path("ledger/budget/", views.BudgetReportView.as_view(), name="ledger_budget"),
        path(
            "ledger/period-end/",
            views.PeriodEndView.as_view(),
            name="ledger_period_end",
        ),
    ]


class LedgerMenuItem(MenuItem):
    """A menu item shown to users with the screen's permission."""

    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


# The ledger's own screens in the admin menu: label, URL name, icon, and
# the permission that shows them.
_SCREENS = [
    (
        _("Enter a voucher"),
        "ledger_voucher_entry",
        "doc-full-inverse",
        voucher_entry.ENTRY_PERMISSION,
    ),
    (_("Ledger check"), "ledger_verify", "tick-inverse", views.VERIFY_PERMISSION),
    (_("VAT return"), "ledger_vat_return", "percent", views.VERIFY_PERMISSION),
    (_("Budget vs actual"), "ledger_budget", "table", views.VERIFY_PERMISSION),
    (_("Period end"), "ledger_period_end", "date", views.VERIFY_PERMISSION),
]


def _menu_item(label, url_name, icon, permission, order):
    return LedgerMenuItem(
        label,
        reverse(url_name),
        name=url_name.replace("_", "-"),
        icon_name=icon,
        order=order,
        permission=permission,
    )


for _order, (_label, _url_name, _icon, _permission) in enumerate(_SCREENS, start=209):
    hooks.register(
        "register_admin_menu_item",
        functools.partial(_menu_item, _label, _url_name, _icon, _permission, _order),
    )
