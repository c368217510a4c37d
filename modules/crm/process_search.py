"""Finding processes across all customers, and the searches users save.

A search is the query string of the process finder's filter form, so a
saved search is simply that query string by name. Relative filters such as
"created in the last 30 days" keep a saved search current.
"""

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from modules.core.scoping import scope_queryset
from modules.crm.models import Process, SavedProcessSearch
from modules.crm.selectors import visible_classifications, visible_process_types

OPEN = "open"
CLOSED = "closed"


class ProcessFilterForm(forms.Form):
    """The filters of the process finder; every choice is what the user sees."""

    process_type = forms.ModelMultipleChoiceField(
        label=_("Process type"), queryset=None, required=False
    )
    state = forms.CharField(
        label=_("State code"),
        required=False,
        help_text=_("For example in_progress."),
    )
    status = forms.ChoiceField(
        label=_("Open or closed"),
        required=False,
        choices=[("", _("Any")), (OPEN, _("Open")), (CLOSED, _("Closed"))],
    )
    assignee = forms.ModelChoiceField(
        label=_("Assignee"), queryset=None, required=False
    )
    created_after = forms.DateField(
        label=_("Created on or after"), required=False, widget=AdminDateInput
    )
    created_before = forms.DateField(
        label=_("Created on or before"), required=False, widget=AdminDateInput
    )
    created_within_days = forms.IntegerField(
        label=_("Created in the last days"), required=False, min_value=1
    )
    closed_after = forms.DateField(
        label=_("Closed on or after"), required=False, widget=AdminDateInput
    )
    closed_before = forms.DateField(
        label=_("Closed on or before"), required=False, widget=AdminDateInput
    )
    classification = forms.ModelMultipleChoiceField(
        label=_("Organisation classification"), queryset=None, required=False
    )

    def __init__(self, *args, user, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.company = company
        self.fields["process_type"].queryset = visible_process_types(
            user, company=company
        )
        self.fields["assignee"].queryset = scope_queryset(
            get_user_model().objects.order_by("username"), user
        )
        self.fields["classification"].queryset = visible_classifications(
            user, company=company
        ).filter(scheme__for_organisations=True)


def _date_range(field: str, after, before) -> Q:
    query = Q()
    if after:
        query &= Q(**{f"{field}__date__gte": after})
    if before:
        query &= Q(**{f"{field}__date__lte": before})
    return query


def find_processes(*, user, company=None, filters: dict) -> QuerySet:
    """Return the processes `user` sees that match cleaned `filters`.

    Processes of types the user may not see, and of other companies, never
    match (the registry's row filter applies through `scope_queryset`).
    """
    processes = scope_queryset(Process.objects.all(), user, company=company)
    query = _date_range(
        "created_at", filters.get("created_after"), filters.get("created_before")
    ) & _date_range(
        "closed_at", filters.get("closed_after"), filters.get("closed_before")
    )
    if filters.get("process_type"):
        query &= Q(process_type__in=list(filters["process_type"]))
    if filters.get("state"):
        query &= Q(state=filters["state"])
    if filters.get("status") == OPEN:
        query &= Q(closed_at__isnull=True)
    elif filters.get("status") == CLOSED:
        query &= Q(closed_at__isnull=False)
    if filters.get("assignee"):
        query &= Q(assignee=filters["assignee"])
    if filters.get("created_within_days"):
        since = timezone.now() - timedelta(days=filters["created_within_days"])
        query &= Q(created_at__gte=since)
    if filters.get("classification"):
        tagged = Process.objects.filter(
            organisation__classifications__in=list(filters["classification"])
        ).values("pk")
        query &= Q(pk__in=tagged)
    return (
        processes.filter(query)
        .select_related("process_type", "organisation", "person", "assignee")
        .order_by("-created_at", "-pk")
    )


def saved_searches_for(user, *, company=None) -> QuerySet:
    """Return the user's own saved searches and those shared with their groups."""
    searches = scope_queryset(SavedProcessSearch.objects.all(), user, company=company)
    return searches.filter(
        Q(owner=user) | Q(shared_with__in=user.groups.all())
    ).select_related("owner", "shared_with")
