"""Admin viewsets of the customer register, built on the generated ones.

Organisations and persons offer in their forms only the classifications
the user may set, and the organisation's inspect view is the customer
card: basic data, extra forms, classifications and the panels other
modules contribute through `modules.crm.cards`. A person's inspect view
shows their classifications, organisations and processes.
"""

from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList

from cms.definable.api import FORM_PREFIX, display_groups, form_fields
from cms.definable.panels import (
    ExtraFieldsObjectList,
    ExtraFieldsPanel,
    render_unclaimed,
    with_extra_fields,
)
from cms.viewsets import (
    CreateView,
    DeleteView,
    InspectView,
    RegisteredModelForm,
    RegisteredViewSet,
)
from modules.core.scoping import scope_queryset
from modules.crm.cards import RECENT_PROCESSES, render_panels
from modules.crm.models import Organisation, Person, PersonViewEntry, ProcessType
from modules.crm.selectors import (
    changed_log,
    classifications_of,
    editable_classifications,
    editable_process_types,
    process_type_fields,
    viewed_log,
)
from modules.crm.services import TYPE_VALUES, log_person_view

TYPE_PREFIX = "process__"


class ClassifiedModelForm(RegisteredModelForm):
    """Offer only the classifications of schemes the user may set."""

    scheme_flag = None

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        field = self.fields.get("classifications")
        if field is not None and for_user is not None:
            choices = editable_classifications(
                for_user, company=self.instance.company_id
            )
            if self.scheme_flag:
                choices = choices.filter(**{f"scheme__{self.scheme_flag}": True})
            field.queryset = choices


class OrganisationForm(ClassifiedModelForm):
    scheme_flag = "for_organisations"


class PersonForm(ClassifiedModelForm):
    scheme_flag = "for_persons"


def new_process_links(request, record) -> list[tuple[ProcessType, str]]:
    """Return (type, add URL) for each type the user may log on `record`."""
    if not request.user.has_perm("crm.add_process"):
        return []
    name = record._meta.model_name
    types = editable_process_types(request.user, company=record.company_id)
    url = reverse("crm_process:add")
    return [
        (process_type, f"{url}?{urlencode({name: record.pk, 'type': process_type.pk})}")
        for process_type in types.order_by("code")
    ]


class CustomerCardView(InspectView):
    template_name = "crm/organisation_card.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["new_process_links"] = new_process_links(self.request, self.object)
        context["classifications"] = classifications_of(self.object, self.request.user)
        context["card_panels"] = render_panels(self.request, self.object)
        return context


class PersonCardView(InspectView):
    template_name = "crm/person_card.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["new_process_links"] = new_process_links(self.request, self.object)
        user = self.request.user
        context["card_panels"] = render_panels(self.request, self.object)
        log_person_view(
            person=self.object, user=user, channel=PersonViewEntry.Channel.ADMIN
        )
        context["viewed_log"] = viewed_log(self.object, limit=10)
        context["changed_log"] = changed_log(self.object, limit=10)
        context["classifications"] = classifications_of(self.object, user)
        if user.has_perm("crm.view_contact"):
            context["contacts"] = scope_queryset(
                self.object.contacts.select_related("organisation"), user
            )
        if user.has_perm("crm.view_process"):
            context["processes"] = scope_queryset(
                self.object.processes.select_related("process_type"), user
            )[:RECENT_PROCESSES]
        return context


class ArchiveView(DeleteView):
    """The delete view of records whose delete service archives them."""

    template_name = "crm/confirm_archive.html"
    page_title = _("Archive")
    success_message = _("%(model_name)s '%(object)s' archived.")

    @property
    def confirmation_message(self):
        return _(
            "Archive this %(model_name)s? It stays in the register, marked "
            "archived, and the documents that refer to it keep working."
        ) % {"model_name": self.object._meta.verbose_name}


class ClassifiedViewSet(RegisteredViewSet):
    """A registered viewset whose form is built from grouped panels.

    Its import lets the user choose whether rows matching registered
    records update them or are skipped.
    """

    delete_view_class = ArchiveView
    form_class = ClassifiedModelForm
    panel_groups = ()

    def get_urlpatterns(self):
        from modules.crm.importing import RegisterImportView

        patterns = [
            pattern
            for pattern in super().get_urlpatterns()
            if getattr(pattern, "name", None) != "import"
        ]
        return [
            *patterns,
            path("import/", RegisterImportView.as_view(viewset=self), name="import"),
        ]

    def get_edit_handler(self):
        panels = [
            MultiFieldPanel([FieldPanel(name) for name in names], heading=heading)
            for heading, names in self.panel_groups
        ]
        handler = ObjectList(panels, base_form_class=self.form_class)
        return with_extra_fields(handler).bind_to_model(self.model)


class OrganisationViewSet(ClassifiedViewSet):
    form_class = OrganisationForm
    inspect_view_class = CustomerCardView
    panel_groups = (
        (
            _("Basic data"),
            (
                "name",
                "business_id",
                "vat_number",
                "is_customer",
                "is_prospect",
                "is_supplier",
                "is_partner",
                "industry",
                "parent",
                "owner",
                "language",
                "email",
                "phone",
                "website",
            ),
        ),
        (
            _("Addresses"),
            (
                "visiting_address",
                "visiting_postal_code",
                "visiting_city",
                "postal_address",
                "postal_code",
                "city",
                "country",
                "billing_address",
                "billing_postal_code",
                "billing_city",
            ),
        ),
        (_("E-invoicing"), ("einvoice_address", "einvoice_operator")),
        (_("Classifications"), ("classifications", "is_archived")),
    )


class PersonViewSet(ClassifiedViewSet):
    form_class = PersonForm
    inspect_view_class = PersonCardView
    panel_groups = (
        (
            _("Basic data"),
            ("first_name", "last_name", "email", "phone", "language"),
        ),
        (
            _("Marketing consent"),
            ("marketing_consent", "consent_date", "consent_source"),
        ),
        (_("Classifications"), ("classifications", "is_archived")),
    )


class ProcessForm(RegisteredModelForm):
    """A process form that also asks the fields of the process type's form."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        field = self.fields.get("process_type")
        if field is not None and for_user is not None:
            field.queryset = editable_process_types(
                for_user, company=self.instance.company_id
            )
        process_type = (
            self.instance.process_type if self.instance.process_type_id else None
        )
        chosen = str(self.data.get(self.add_prefix("process_type"), ""))
        if field is not None and self.is_bound and chosen.isdigit():
            # The posted form does not carry the card's ?type=; ask the
            # chosen type's fields so that their answers are read.
            process_type = field.queryset.filter(pk=chosen).first()
        self.type_fields = process_type_fields(process_type)
        extra = form_fields(
            type(self.instance),
            company=self.instance.company_id,
            user=for_user,
            instance=self.instance,
            fields=self.type_fields,
        )
        for name, form_field in extra.items():
            self.fields[TYPE_PREFIX + name.removeprefix(FORM_PREFIX)] = form_field

    def service_data(self) -> dict:
        data = super().service_data()
        if self.type_fields:
            data[TYPE_VALUES] = {
                definable.key: self.cleaned_data.get(TYPE_PREFIX + definable.key)
                for definable in self.type_fields
            }
        return data


class ProcessTypeFieldsPanel(ExtraFieldsPanel):
    """Render the fields of the process type's own form."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Process type form"))
        super().__init__(*args, **kwargs)

    class BoundPanel(ExtraFieldsPanel.BoundPanel):
        def groups(self):
            rows = [
                self.form[name]
                for name in self.form.fields
                if name.startswith(TYPE_PREFIX)
            ]
            if not rows:
                return []
            return [(rows[0].field.definable_field.form.name, rows)]


def _render_own_fields(bound_panel):
    return render_unclaimed(bound_panel, prefixes=(FORM_PREFIX, TYPE_PREFIX))


class ProcessObjectList(ExtraFieldsObjectList):
    class BoundPanel(ExtraFieldsObjectList.BoundPanel):
        render_missing_fields = _render_own_fields


class ProcessCreateView(CreateView):
    """Start a process already linked to the card it was logged from.

    `?organisation=`, `?person=` and `?type=` prefill the organisation, the
    person (and their organisation) and the process type with its form.
    """

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance()
        user = self.request.user
        value = self.request.GET.get("type", "")
        if value.isdigit():
            instance.process_type = (
                editable_process_types(user, company=instance.company_id)
                .filter(pk=value)
                .first()
            )
        contact = None
        for name, model in (("organisation", Organisation), ("person", Person)):
            value = self.request.GET.get(name, "")
            if not value.isdigit():
                continue
            found = scope_queryset(
                model.objects.filter(pk=value), user, company=instance.company_id
            ).first()
            setattr(instance, name, found)
            if name == "person" and found is not None:
                contact = found.contacts.select_related("organisation").first()
        if instance.organisation_id is None and contact is not None:
            instance.organisation = contact.organisation
        return instance


class ProcessInspectView(InspectView):
    template_name = "crm/process_card.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["type_groups"] = display_groups(
            self.object, fields=process_type_fields(self.object.process_type)
        )
        return context


class ProcessViewSet(RegisteredViewSet):
    add_view_class = ProcessCreateView
    inspect_view_class = ProcessInspectView

    def get_edit_handler(self):
        panels = [FieldPanel(name) for name in self.form_field_names()]
        handler = ProcessObjectList(
            [*panels, ExtraFieldsPanel(), ProcessTypeFieldsPanel()],
            base_form_class=ProcessForm,
        )
        return handler.bind_to_model(self.model)


class FormReceiverForm(RegisteredModelForm):
    """Offer the installation's sites and contact form pages.

    Sites and pages belong to the whole installation, not to a company, so
    the company scoping of the generated form (which needs a company on
    every choice) is left out; the services refuse a site or page whose
    forms another company receives.
    """

    def __init__(self, *args, for_user=None, **kwargs):
        from django import forms
        from wagtail.models import Page, Site

        from pages.models import ContactFormPage

        WagtailAdminModelForm.__init__(self, *args, for_user=for_user, **kwargs)
        self.fields["site"].queryset = Site.objects.order_by("hostname", "port")
        page = self.fields["page"]
        page.widget = forms.Select()
        page.queryset = Page.objects.type(ContactFormPage).order_by("path")

    def _get_validation_exclusions(self):
        # The services say whose the site or page is, in words of their own.
        return {*super()._get_validation_exclusions(), "site", "page"}


class FormReceiverViewSet(RegisteredViewSet):
    def get_edit_handler(self):
        panels = [FieldPanel(name) for name in self.form_field_names()]
        handler = ObjectList(panels, base_form_class=FormReceiverForm)
        return handler.bind_to_model(self.model)
