"""Admin views of the customer register that are not generated."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from modules.core.current import current_company
from modules.crm.selectors import search_register

SEARCH_PERMISSIONS = ("crm.view_organisation", "crm.view_person", "crm.view_process")


def may_search(user) -> bool:
    """Return whether `user` may view some kind of record in the register."""
    return any(user.has_perm(permission) for permission in SEARCH_PERMISSIONS)


class RegisterSearchView(WagtailAdminTemplateMixin, TemplateView):
    """Search organisations, persons and processes at once, best match first."""

    template_name = "crm/search.html"
    header_icon = "search"
    page_title = gettext_lazy("Customer search")

    def dispatch(self, request, *args, **kwargs):
        if not may_search(request.user):
            raise PermissionDenied(_("You may not search the customer register."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        hits = search_register(
            user=self.request.user,
            query=query,
            company=current_company(self.request),
        )
        labels = {
            "organisation": _("Organisation"),
            "person": _("Person"),
            "process": _("Process"),
        }
        context["query"] = query
        context["results"] = [
            {
                "kind": labels[hit.kind],
                "title": str(hit.instance),
                "url": reverse(f"crm_{hit.kind}:inspect", args=[hit.instance.pk]),
            }
            for hit in hits
        ]
        return context
