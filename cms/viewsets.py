"""Wagtail admin viewsets generated from module registrations.

Each registered model gets list, create, edit, inspect, delete, history and
import/export views. Lists and objects are narrowed to the user's companies
(and the current company) through `modules.core.scoping`; saves go through
`cms.services`, so the admin validates, writes and logs exactly as GraphQL
and imports do.
"""

import logging

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.admin import messages as admin_messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView as BaseHistoryView
from wagtail.admin.views.generic.usage import UsageView as BaseUsageView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import log

from cms import importing, services
from cms.registry import (
    Registration,
    get_menu,
    get_registration,
    menus,
    registrations,
)
from modules.core.current import current_company
from modules.core.scoping import scope_queryset

logger = logging.getLogger(__name__)

HIDDEN_FIELDS = {"id", "company", "extra"}


def _definable():
    """Return the definable-forms API (an app of the platform)."""
    from cms.definable import api

    return api


class RegisteredModelForm(WagtailAdminModelForm):
    """Admin form that only offers the user's companies' rows in choices.

    It also carries the administrator-defined extra fields of the model.
    """

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and for_user is not None:
                field.queryset = scope_queryset(field.queryset, for_user)
            if isinstance(field, forms.DecimalField | forms.FloatField):
                _localize(field)

    def _get_validation_exclusions(self):
        # The company is set by the view, not the form, but uniqueness within
        # the company must still be checked while the user sees the form.
        exclusions = super()._get_validation_exclusions()
        if getattr(self.instance, "company_id", None) is not None:
            exclusions.discard("company")
        return exclusions

    def service_data(self) -> dict:
        """Return the cleaned model field values the services should write."""
        names = [
            name
            for name in self._meta.fields or []
            if name in self.cleaned_data and name not in HIDDEN_FIELDS
        ]
        data = {name: self.cleaned_data[name] for name in names}
        if "extra" in self.cleaned_data:
            # Validated and normalised by the definable-forms mixin.
            data["extra"] = self.cleaned_data["extra"]
        return data


def _localize(field) -> None:
    """Accept numbers as the user's language writes them (1 234,50 in Finnish)."""
    field.localize = True
    field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
    field.widget.is_localized = True


def _add_form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            if field not in form.fields and f"extra__{field}" in form.fields:
                target = f"extra__{field}"
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


class ScopedObjectMixin:
    """Find the object only among the rows of the user's companies."""

    def scoped_queryset(self):
        return scope_queryset(self.model._default_manager.all(), self.request.user)

    def get_object(self, queryset=None):
        pk = self.kwargs.get(self.pk_url_kwarg) or getattr(self, "pk", None)
        return get_object_or_404(self.scoped_queryset(), pk=unquote(str(pk)))

    def get_base_object_queryset(self):
        return self.scoped_queryset()


class ServiceFormMixin:
    """Save through the registered services and show their errors on the form."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            _add_form_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You may not do that."))
        self.produced_error_message = _("The record could not be saved.")
        return self.form_invalid(form)


class IndexView(generic.IndexView):
    @cached_property
    def filterset_class(self):
        if not get_registration(self.model).definable_forms:
            return super().filterset_class
        from cms.definable.filters import ExtraFieldsFilterSetMixin

        meta = type("Meta", (), {"model": self.model, "fields": self.list_filter or []})
        return type(
            f"{self.model.__name__}FilterSet",
            (ExtraFieldsFilterSetMixin, self.base_filterset_class),
            {"Meta": meta},
        )

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        query = Q()
        for field in self.search_fields or []:
            query |= Q(**{f"{field}__icontains": self.search_query})
        if get_registration(self.model).definable_forms:
            query |= _definable().search_q(
                self.model, self.search_query, company=current_company(self.request)
            )
        return queryset.filter(query)

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        return scope_queryset(
            queryset, self.request.user, company=self._company_filter()
        )

    def _company_filter(self):
        registration = get_registration(self.model)
        if registration.company_field is None or self.model._meta.model_name == (
            "company"
        ):
            return None
        return current_company(self.request)

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        registration = get_registration(self.model)
        if registration.import_export is None:
            return buttons
        url_prefix = self.index_url_name.rsplit(":", 1)[0]
        if self.permission_policy.user_has_permission(self.request.user, "add"):
            buttons.append(
                HeaderButton(
                    label=_("Import"),
                    url=reverse(f"{url_prefix}:import"),
                    icon_name="upload",
                )
            )
        buttons.append(
            HeaderButton(
                label=_("Export CSV"),
                url=reverse(f"{url_prefix}:export") + "?format=csv",
                icon_name="download",
            )
        )
        buttons.append(
            HeaderButton(
                label=_("Export XLSX"),
                url=reverse(f"{url_prefix}:export") + "?format=xlsx",
                icon_name="download",
            )
        )
        return buttons


class CreateView(ServiceFormMixin, generic.CreateView):
    def get_initial_form_instance(self):
        instance = self.model()
        if get_registration(self.model).company_field == "company":
            instance.company = current_company(self.request)
        return instance

    def save_instance(self):
        registration = get_registration(self.model)
        company = getattr(self.form.instance, "company", None)
        if registration.company_field not in (None, "company", "pk"):
            # Owned through a relation (a group through its companies): the
            # service links the new row to the current company.
            company = current_company(self.request)
        if company is None and registration.company_field == "company":
            raise ValidationError(
                _("You have no company to create this record in."), code="no_company"
            )
        instance = services.create(
            model=self.model,
            company=company,
            user=self.request.user,
            data=self.form.service_data(),
        )
        log(instance, "wagtail.create", user=self.request.user)
        return instance


class EditView(ServiceFormMixin, ScopedObjectMixin, generic.EditView):
    def save_instance(self):
        original = self.model._default_manager.get(pk=self.object.pk)
        instance = services.update(
            instance=original, user=self.request.user, data=self.form.service_data()
        )
        log(instance, "wagtail.edit", user=self.request.user)
        return instance


class DeleteView(ScopedObjectMixin, generic.DeleteView):
    def delete_action(self):
        log(self.object, "wagtail.delete", user=self.request.user)
        services.delete(instance=self.object, user=self.request.user)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            admin_messages.error(self.request, " ".join(messages))
            return self.get(self.request)


class InspectView(ScopedObjectMixin, generic.InspectView):
    template_name = "cms/inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if get_registration(self.model).definable_forms:
            context["extra_groups"] = _definable().display_groups(self.object)
        from modules.core.audit import audit_url

        context["audit_url"] = audit_url(self.object)
        return context


class HistoryView(ScopedObjectMixin, BaseHistoryView):
    pass


class UsageView(ScopedObjectMixin, BaseUsageView):
    pass


class CopyView(ScopedObjectMixin, generic.CopyView):
    pass


def _column(model, name):
    """Show yes/no fields as ticks and crosses; everything else as Wagtail does."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if isinstance(field, models.BooleanField):
        return BooleanColumn(name, label=capfirst(field.verbose_name), sort_key=name)
    return name


class RegisteredViewSet(ModelViewSet):
    """The generated admin for one registered model."""

    registration: Registration = None
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView
    inspect_view_class = InspectView
    history_view_class = HistoryView
    usage_view_class = UsageView
    copy_view_class = CopyView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_admin_menu = False
    export_formats = []

    def __init__(self, registration: Registration, **kwargs):
        self.registration = registration
        self.model = registration.model
        self.icon = registration.icon
        self.menu_order = registration.menu_order
        self.list_display = [
            _column(self.model, name) for name in registration.list_display
        ]
        self.list_filter = list(registration.list_filter)
        self.search_fields = list(registration.search_fields) or None
        self.ordering = list(registration.ordering) or None
        if registration.inspect_fields:
            self.inspect_view_fields = list(registration.inspect_fields)
        super().__init__(name=registration.name, **kwargs)

    @property
    def url_prefix(self):
        meta = self.model._meta
        return f"{meta.app_label}/{meta.model_name}"

    @property
    def url_namespace(self):
        meta = self.model._meta
        return f"{meta.app_label}_{meta.model_name}"

    def form_field_names(self) -> list[str]:
        if self.registration.form_fields is not None:
            return list(self.registration.form_fields)
        return [
            field.name
            for field in self.model._meta.get_fields()
            if getattr(field, "editable", False)
            and field.concrete
            and not field.auto_created
            and field.name not in HIDDEN_FIELDS
            and not isinstance(field, models.AutoField)
        ]

    def get_edit_handler(self):
        panels = self.registration.panels
        if panels is None:
            panels = [FieldPanel(name) for name in self.form_field_names()]
        handler = ObjectList(list(panels), base_form_class=RegisteredModelForm)
        if self.registration.definable_forms:
            from cms.definable.panels import with_extra_fields

            handler = with_extra_fields(handler)
        return handler.bind_to_model(self.model)

    def get_urlpatterns(self):
        urlpatterns = super().get_urlpatterns()
        if self.registration.import_export is not None:
            urlpatterns += [
                path(
                    "import/", importing.ImportView.as_view(viewset=self), name="import"
                ),
                path(
                    "export/", importing.ExportView.as_view(viewset=self), name="export"
                ),
            ]
        return urlpatterns


class MenuGroup(ModelViewSetGroup):
    """The admin menu group of one module."""

    def __init__(self, menu, items):
        self.menu_label = menu.label
        self.menu_icon = menu.icon
        self.menu_order = menu.order
        self.items = items
        self.menu_name = f"module-{menu.name}"
        super().__init__()


def build_viewsets() -> list:
    """Return the admin menu groups with a viewset for each registration."""
    grouped: dict[str, list] = {}
    for registration in registrations():
        viewset_class = registration.viewset_class or RegisteredViewSet
        grouped.setdefault(registration.menu, []).append(viewset_class(registration))
    groups = []
    known = {menu.name for menu in menus()}
    for name in grouped:
        if name not in known:
            get_menu(name)
    for menu in menus():
        if menu.name in grouped:
            items = sorted(grouped[menu.name], key=lambda viewset: viewset.menu_order)
            groups.append(MenuGroup(menu, items))
    return groups
