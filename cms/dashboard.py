"""The back-office dashboard panel: the user's modules and their records."""

from django.urls import NoReverseMatch, reverse
from wagtail.admin.ui.components import Component

from cms.registry import get_menu, registrations
from modules.core.current import current_company
from modules.core.scoping import scope_queryset


class ModulesPanel(Component):
    """Lists each module the user may open, with record counts."""

    name = "modules"
    order = 50
    template_name = "cms/dashboard/modules.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        company = current_company(self.request)
        modules: dict[str, dict] = {}
        for registration in registrations():
            meta = registration.model._meta
            if not user.has_perm(f"{meta.app_label}.view_{meta.model_name}") and not (
                user.has_perm(f"{meta.app_label}.change_{meta.model_name}")
            ):
                continue
            try:
                url = reverse(f"{meta.app_label}_{meta.model_name}:index")
            except NoReverseMatch:
                continue
            scoped = scope_queryset(
                registration.model._default_manager.all(),
                user,
                company=company if registration.company_field == "company" else None,
            )
            menu = get_menu(registration.menu)
            entry = modules.setdefault(
                menu.name, {"label": menu.label, "order": menu.order, "items": []}
            )
            entry["items"].append(
                {"label": meta.verbose_name_plural, "url": url, "count": scoped.count()}
            )
        return {
            "company": company,
            "modules": sorted(modules.values(), key=lambda module: module["order"]),
        }
