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


class PermittedMenuItem(MenuItem):
    """A menu item shown to the users `shown_to(user)` admits."""

    def __init__(self, *args, shown_to, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return self.shown_to(request.user)


@hooks.register("register_admin_menu_item")
def register_search_menu_item():
    return PermittedMenuItem(
        _("Customer search"),
        reverse("crm_search"),
        name="crm-search",
        icon_name="search",
        order=205,
        shown_to=views.may_search,
    )


@hooks.register("register_admin_menu_item")
def register_process_finder_menu_item():
    return PermittedMenuItem(
        _("Find processes"),
        reverse("crm_process_finder"),
        name="crm-process-finder",
        icon_name="tasks",
        order=206,
        shown_to=lambda user: user.has_perm("crm.view_process"),
    )
