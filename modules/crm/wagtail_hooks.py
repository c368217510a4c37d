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
            "crm/processes/find/",
            views.ProcessFinderView.as_view(),
            name="crm_process_finder",
        ),
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


class ProcessFinderMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("crm.view_process")


@hooks.register("register_admin_menu_item")
def register_process_finder_menu_item():
    return ProcessFinderMenuItem(
        _("Find processes"),
        reverse("crm_process_finder"),
        name="crm-process-finder",
        icon_name="tasks",
        order=206,
    )
