"""Admin URLs and menu items of the stock screens beyond the generated ones."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from modules.stock import views


@hooks.register("register_admin_urls")
def register_stock_urls():
    return [
        path("stock/valuation/", views.ValuationView.as_view(), name="stock_valuation"),
        path("stock/abc/", views.AbcView.as_view(), name="stock_abc"),
        path(
            "stock/batch-trace/",
            views.BatchTraceView.as_view(),
            name="stock_batch_trace",
        ),
        path(
            "stock/counts/<int:pk>/review/",
            views.CountReviewView.as_view(),
            name="stock_count_review",
        ),
    ]


class PermissionMenuItem(MenuItem):
    """A menu item shown to users with one permission."""

    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_valuation_menu_item():
    return PermissionMenuItem(
        _("Stock valuation"),
        reverse("stock_valuation"),
        name="stock-valuation",
        icon_name="table",
        order=311,
        permission=views.StockAdminView.permission,
    )


@hooks.register("register_admin_menu_item")
def register_abc_menu_item():
    return PermissionMenuItem(
        _("ABC analysis"),
        reverse("stock_abc"),
        name="stock-abc",
        icon_name="order",
        order=312,
        permission=views.StockAdminView.permission,
    )


@hooks.register("register_admin_menu_item")
def register_batch_trace_menu_item():
    return PermissionMenuItem(
        _("Batch trace"),
        reverse("stock_batch_trace"),
        name="stock-batch-trace",
        icon_name="search",
        order=313,
        permission=views.StockAdminView.permission,
    )
