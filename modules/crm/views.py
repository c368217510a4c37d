"""Admin views of the customer register that are not generated."""

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.models import Group
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
from modules.crm.models import Person, PersonViewEntry
from modules.crm.process_search import (
    ProcessFilterForm,
    find_processes,
    saved_searches_for,
)
from modules.crm.selectors import personal_data, search_register
from modules.crm.services import (
    anonymise_person,
    delete_process_search,
    log_person_view,
    save_process_search,
)

FINDER_LIMIT = 200

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
        log_person_view(
            person=person, user=request.user, channel=PersonViewEntry.Channel.EXPORT
        )
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


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the search"), max_length=100)
    shared_with = forms.ModelChoiceField(
        label=gettext_lazy("Share with group"),
        queryset=Group.objects.none(),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].queryset = user.groups.order_by("name")


class ProcessFinderView(WagtailAdminTemplateMixin, TemplateView):
    """Find processes across all customers; save and share the filters."""

    template_name = "crm/process_finder.html"
    header_icon = "tasks"
    page_title = gettext_lazy("Find processes")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("crm.view_process"):
            raise PermissionDenied(_("You may not view processes."))
        self.company = current_company(request)
        return super().dispatch(request, *args, **kwargs)

    def _searches(self):
        return saved_searches_for(self.request.user, company=self.company)

    def get_context_data(self, save_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = ProcessFilterForm(
            self.request.GET or None, user=user, company=self.company
        )
        processes = None
        if form.is_bound and form.is_valid():
            processes = find_processes(
                user=user, company=self.company, filters=form.cleaned_data
            )[:FINDER_LIMIT]
        context.update(
            form=form,
            processes=processes,
            query=self.request.GET.urlencode(),
            save_form=save_form or SaveSearchForm(user=user),
            saved_searches=self._searches(),
        )
        return context

    def post(self, request):
        if "delete" in request.POST:
            search = get_object_or_404(self._searches(), pk=request.POST["delete"])
            delete_process_search(instance=search, user=request.user)
            messages.success(request, _("The saved search has been deleted."))
            return redirect("crm_process_finder")
        form = SaveSearchForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(save_form=form))
        save_process_search(
            company=self.company,
            user=request.user,
            name=form.cleaned_data["name"],
            query=request.GET.urlencode(),
            shared_with=form.cleaned_data["shared_with"],
        )
        messages.success(request, _("The search has been saved."))
        return redirect(f"{reverse('crm_process_finder')}?{request.GET.urlencode()}")
