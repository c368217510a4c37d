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
        path("ledger/verify/", views.VerifyLedgerView.as_view(), name="ledger_verify")
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
