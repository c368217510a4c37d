"""Admin URLs and the Bank menu of banking's own screens."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from modules.banking import views


@hooks.register("register_admin_urls")
def register_banking_urls():
    return [
        path("bank/import/", views.ImportBankFileView.as_view(), name="banking_import"),
        path(
            "bank/reconcile/",
            views.ReconciliationView.as_view(),
            name="banking_reconcile",
        ),
        path(
            "bank/batches/", views.PaymentBatchesView.as_view(), name="banking_batches"
        ),
        path(
            "bank/batches/<int:pk>/file/",
            views.payment_file_view,
            name="banking_payment_file",
        ),
        path("bank/forecast/", views.ForecastView.as_view(), name="banking_forecast"),
    ]


class _PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


_SCREENS = (
    (_("Import bank file"), "banking_import", "upload", views.IMPORT_PERMISSION),
    (_("Reconciliation"), "banking_reconcile", "list-ul", views.RECONCILE_PERMISSION),
    (_("Payment batches"), "banking_batches", "doc-full", views.PAYMENTS_PERMISSION),
    (_("Cash forecast"), "banking_forecast", "calendar", views.FORECAST_PERMISSION),
)


@hooks.register("register_admin_menu_item")
def register_bank_menu():
    items = [
        _PermissionMenuItem(
            label,
            reverse(url_name),
            name=url_name.replace("_", "-"),
            icon_name=icon,
            order=order,
            permission=permission,
        )
        for order, (label, url_name, icon, permission) in enumerate(_SCREENS)
    ]
    return SubmenuMenuItem(
        _("Bank"), Menu(items=items), name="bank", icon_name="cogs", order=310
    )
