"""Admin hooks of the core app: the company switch, the audit log, history."""

from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import ActionMenuItem
from wagtail.admin.ui.sidebar import SubMenuItem as SubMenuItemComponent

from modules.core import views
from modules.core.current import current_company
from modules.core.scoping import companies_for


@hooks.register("register_admin_urls")
def register_core_urls():
    return [
        path(
            "company/switch/",
            views.SwitchCompanyView.as_view(),
            name="core_switch_company",
        ),
        path("audit/", views.AuditLogView.as_view(), name="core_audit_index"),
        path(
            "audit/results/",
            views.AuditLogView.as_view(results_only=True),
            name="core_audit_index_results",
        ),
        path(
            "audit/<str:app_label>/<str:model_name>/<str:pk>/",
            views.ObjectHistoryView.as_view(),
            name="core_audit_history",
        ),
    ]


class CompanySwitchMenuItem(MenuItem):
    """The current company at the top of the menu, the user's others below.

    Each company is a small POST form (with the CSRF token) to the switch
    view; the menu is built per request because it depends on the user.
    """

    def is_shown(self, request):
        return companies_for(request.user).exists()

    def render_component(self, request):
        current = current_company(request)
        switch_url = reverse("core_switch_company")
        here = request.get_full_path()
        items = [
            ActionMenuItem(
                f"company-{company.pk}",
                company.name,
                f"{switch_url}?{urlencode({'company': company.pk, 'next': here})}",
                icon_name="check" if company == current else "home",
            )
            for company in companies_for(request.user).order_by("name")
        ]
        return SubMenuItemComponent(
            self.name,
            current.name if current else str(self.label),
            items,
            icon_name=self.icon_name,
            footer_text=str(_("Switch company")),
        )


@hooks.register("register_admin_menu_item")
def register_company_switch_menu_item():
    return CompanySwitchMenuItem(
        _("Company"), "#", name="current-company", icon_name="home", order=1
    )


class AuditLogMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.AUDITOR_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_audit_log_menu_item():
    return AuditLogMenuItem(
        _("Audit log"),
        reverse("core_audit_index"),
        name="audit-log",
        icon_name="history",
        order=100,
    )


class CurrentCompanyPanel(Component):
    name = "current_company"
    template_name = "core/current_company_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return {
            "request": request,
            "csrf_token": parent_context.get("csrf_token"),
            "current": current_company(request),
            "companies": list(companies_for(request.user).order_by("name")),
        }


@hooks.register("construct_homepage_panels")
def add_current_company_panel(request, panels):
    panels.append(CurrentCompanyPanel())
