"""Admin URLs and menu items of the order pages beyond the generated ones."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from modules.orders import views


@hooks.register("register_admin_urls")
def register_order_urls():
    return [
        path(
            "orders/receive/<int:pk>/",
            views.ReceiveGoodsView.as_view(),
            name="orders_receive",
        ),
        path(
            "orders/suggestions/",
            views.PurchaseSuggestionsView.as_view(),
            name="orders_suggestions",
        ),
        path(
            "orders/distribution/",
            views.DistributionView.as_view(),
            name="orders_distribution",
        ),
        path("orders/import/", views.ImportOrdersView.as_view(), name="orders_import"),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


def _item(label, url_name, view, icon, order):
    return PermissionMenuItem(
        label,
        reverse(url_name),
        name=url_name.replace("_", "-"),
        icon_name=icon,
        order=order,
        permission=view.permission,
    )


@hooks.register("register_admin_menu_item")
def register_suggestions_menu_item():
    return _item(
        _("Purchase suggestions"),
        "orders_suggestions",
        views.PurchaseSuggestionsView,
        "repeat",
        335,
    )


@hooks.register("register_admin_menu_item")
def register_distribution_menu_item():
    return _item(
        _("Delivery distribution"),
        "orders_distribution",
        views.DistributionView,
        "resubmit",
        325,
    )


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return _item(
        _("Import sales orders"),
        "orders_import",
        views.ImportOrdersView,
        "upload",
        326,
    )
