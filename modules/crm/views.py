"""Admin views of the customer register that are not generated."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from modules.core.current import current_company
from modules.core.scoping import scope_queryset
from modules.crm.models import Person
from modules.crm.selectors import personal_data, search_register
from modules.crm.services import anonymise_person

logger = logging.getLogger(__name__)

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


def _person_for(request, pk, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied(_("You may not do that."))
    people = scope_queryset(Person.objects.all(), request.user)
    return get_object_or_404(people, pk=pk)


class PersonalDataView(View):
    """Download what the register holds about a person, as JSON."""

    def get(self, request, pk):
        person = _person_for(request, pk, "crm.view_person")
        response = JsonResponse(
            personal_data(person), json_dumps_params={"ensure_ascii": False}
        )
        response["Content-Disposition"] = (
            f'attachment; filename="person-{person.pk}.json"'
        )
        logger.info(
            "Personal data of person %s exported by %s", person.pk, request.user
        )
        return response


class AnonymisePersonView(WagtailAdminTemplateMixin, TemplateView):
    """Ask for confirmation, then erase a person's personal data."""

    template_name = "crm/anonymise_person.html"
    header_icon = "warning"
    page_title = gettext_lazy("Anonymise person")

    def dispatch(self, request, *args, **kwargs):
        self.person = _person_for(request, kwargs["pk"], "crm.change_person")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = self.person
        return context

    def post(self, request, pk):
        anonymise_person(instance=self.person, user=request.user)
        messages.success(request, _("The person's personal data has been erased."))
        return redirect("crm_person:inspect", self.person.pk)
