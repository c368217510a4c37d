"""Admin views of the core app: audit history and the current company switch."""

import django_filters
from django.apps import apps
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.filters import (
    ContentTypeFilter,
    DateRangePickerWidget,
    WagtailFilterSet,
)
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn, UserColumn
from wagtail.admin.views.generic.base import (
    BaseListingView,
    WagtailAdminTemplateMixin,
)

from modules.core.audit import entries_visible_to, field_changes
from modules.core.current import current_company, set_current_company
from modules.core.models import AuditEntry
from modules.core.scoping import companies_for, scope_queryset

AUDITOR_PERMISSION = "core.view_auditentry"


def _may_read_history(user, model) -> bool:
    meta = model._meta
    return user.has_perm(AUDITOR_PERMISSION) or any(
        user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}")
        for action in ("view", "change")
    )


class ObjectHistoryView(WagtailAdminTemplateMixin, TemplateView):
    """Who changed one object, when, and from what to what."""

    template_name = "core/object_history.html"
    header_icon = "history"
    page_title = gettext_lazy("History")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        try:
            self.model = apps.get_model(kwargs["app_label"], kwargs["model_name"])
        except LookupError as exc:
            raise Http404(_("No such kind of record.")) from exc
        self.object_id = unquote(kwargs["pk"])

    def get_page_subtitle(self):
        if self.live_object is not None:
            return str(self.live_object)
        return self.entries[0].object_repr

    @cached_property
    def live_object(self):
        """Return the object if it still exists and the user may see it."""
        live = self.model._default_manager.filter(pk=self.object_id)
        if not live.exists():
            return None
        # The record itself decides: its history is readable exactly when
        # the record is.
        found = scope_queryset(live, self.request.user).first()
        if found is None:
            raise Http404(_("No history found."))
        return found

    @cached_property
    def entries(self) -> list[AuditEntry]:
        content_type = ContentType.objects.get_for_model(self.model)
        if self.live_object is not None:
            entries = AuditEntry.objects.select_related("user")
        else:
            entries = entries_visible_to(self.request.user)
        found = list(
            entries.filter(content_type=content_type, object_id=self.object_id)
        )
        if not found and self.live_object is None:
            raise Http404(_("No history found."))
        return found

    def get(self, request, *args, **kwargs):
        if not _may_read_history(request.user, self.model):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if self.request.user.has_perm(AUDITOR_PERMISSION):
            items.append({"url": reverse("core_audit_index"), "label": _("Audit log")})
        items.append({"url": "", "label": self.get_header_title()})
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["model_name"] = capfirst(self.model._meta.verbose_name)
        context["rows"] = [(entry, field_changes(entry)) for entry in self.entries]
        return context


class AuditEntryFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(
        label=gettext_lazy("Action"), choices=AuditEntry.Action.choices
    )
    content_type = ContentTypeFilter(
        label=gettext_lazy("Kind of record"), queryset=ContentType.objects.none()
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Date"), widget=DateRangePickerWidget
    )

    class Meta:
        model = AuditEntry
        fields = ["action", "content_type", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        used = self.queryset.values("content_type")
        self.filters["content_type"].queryset = ContentType.objects.filter(
            pk__in=used
        ).order_by("model")


def _entry_history_url(entry: AuditEntry) -> str:
    return reverse(
        "core_audit_history",
        args=[entry.content_type.app_label, entry.content_type.model, entry.object_id],
    )


class AuditLogView(BaseListingView):
    """Every audit entry the user may read, newest first, for auditors."""

    page_title = gettext_lazy("Audit log")
    header_icon = "history"
    paginate_by = 50
    index_url_name = "core_audit_index"
    index_results_url_name = "core_audit_index_results"
    filterset_class = AuditEntryFilterSet
    is_searchable = True
    search_fields = ["object_repr"]
    default_ordering = "-created_at"
    verbose_name = gettext_lazy("audit entry")
    verbose_name_plural = gettext_lazy("audit entries")
    columns = [
        TitleColumn(
            "object_repr",
            label=gettext_lazy("Object"),
            get_url=_entry_history_url,
        ),
        Column("action", label=gettext_lazy("Action"), accessor="get_action_display"),
        Column("company", label=gettext_lazy("Company")),
        UserColumn("user", label=gettext_lazy("User")),
        DateColumn("created_at", label=gettext_lazy("Time"), sort_key="created_at"),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(AUDITOR_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return entries_visible_to(self.request.user)

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        kwargs["queryset"] = self.get_base_queryset()
        return kwargs


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


class SwitchCompanyView(WagtailAdminTemplateMixin, TemplateView):
    """List the user's companies (GET) and make one the current one (POST)."""

    template_name = "core/switch_company.html"
    header_icon = "site"
    page_title = gettext_lazy("Switch company")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["companies"] = companies_for(self.request.user).order_by("name")
        context["current"] = current_company(self.request)
        context["next"] = _next_url(self.request)
        return context

    def post(self, request, *args, **kwargs):
        company = (
            companies_for(request.user)
            .filter(
                pk=_company_id(request.POST.get("company", request.GET.get("company")))
            )
            .first()
        )
        if company is None:
            messages.error(
                request, _("You can only switch to a company you are a member of.")
            )
            return redirect(reverse("core_switch_company"))
        set_current_company(request, company)
        messages.success(request, _("Current company: %(name)s") % {"name": company})
        return redirect(_next_url(request))


def _company_id(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
