"""Admin hooks of the customer register: search and personal-data requests."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from modules.crm import views


@hooks.register("register_admin_urls")
def register_crm_urls():
    return [
        path("crm/search/", views.RegisterSearchView.as_view(), name="crm_search"),
        path(
            "crm/personal-data/<int:pk>/",
            views.PersonalDataView.as_view(),
            name="crm_personal_data",
        ),
        path(
            "crm/anonymise/<int:pk>/",
            views.AnonymisePersonView.as_view(),
            name="crm_anonymise_person",
        ),
    ]


class RegisterSearchMenuItem(MenuItem):
    def is_shown(self, request):
        return views.may_search(request.user)


@hooks.register("register_admin_menu_item")
def register_search_menu_item():
    return RegisterSearchMenuItem(
        _("Customer search"),
        reverse("crm_search"),
        name="crm-search",
        icon_name="search",
        order=205,
    )
