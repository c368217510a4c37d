"""Admin URLs and menu item of invoicing's own screens."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from modules.invoicing import factoring_views, views


@hooks.register("register_admin_urls")
def register_invoicing_urls():
    return [
        path(
            "invoicing/receivables/",
            views.ReceivablesView.as_view(),
            name="invoicing_receivables",
        ),
        path(
            "invoicing/invoice/<int:pk>/pdf/",
            views.InvoiceActionView.as_view(),
            name="invoicing_invoice_pdf",
        ),
        path(
            "invoicing/invoice/<int:pk>/<slug:action>/",
            views.InvoiceActionView.as_view(),
            name="invoicing_invoice_action",
        ),
        path(
            "invoicing/factoring/",
            factoring_views.FactoringTransfersView.as_view(),
            name="invoicing_factoring",
        ),
        path(
            "invoicing/factoring/<int:pk>/<slug:kind>/",
            factoring_views.FactoringFileView.as_view(),
            name="invoicing_factoring_file",
        ),
        path(
            "invoicing/statement/<int:pk>/",
            views.StatementView.as_view(),
            name="invoicing_statement",
        ),
    ]


class ReceivablesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.VIEW)


@hooks.register("register_admin_menu_item")
def register_receivables_menu_item():
    return ReceivablesMenuItem(
        _("Receivables"),
        reverse("invoicing_receivables"),
        name="invoicing-receivables",
        icon_name="doc-full",
        order=255,
    )


class FactoringMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(factoring_views.VIEW)


@hooks.register("register_admin_menu_item")
def register_factoring_menu_item():
    return FactoringMenuItem(
        _("Factoring transfers"),
        reverse("invoicing_factoring"),
        name="invoicing-factoring",
        icon_name="doc-full",
        order=256,
    )
