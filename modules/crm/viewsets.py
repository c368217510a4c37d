"""Admin viewsets of the customer register, built on the generated ones.

Organisations and persons offer in their forms only the classifications
the user may set, and the organisation's inspect view is the customer
card: basic data, extra forms, classifications and the panels other
modules contribute through `modules.crm.cards`. A person's inspect view
shows their classifications, organisations and processes.
"""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList

from cms.definable.panels import with_extra_fields
from cms.viewsets import (
    CreateView,
    DeleteView,
    InspectView,
    RegisteredModelForm,
    RegisteredViewSet,
)
from modules.core.scoping import scope_queryset
from modules.crm.cards import RECENT_PROCESSES, render_panels
from modules.crm.models import Organisation, Person
from modules.crm.selectors import classifications_of, editable_classifications


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


def _new_process_url(request, name, pk) -> str | None:
    if not request.user.has_perm("crm.add_process"):
        return None
    return f"{reverse('crm_process:add')}?{urlencode({name: pk})}"


class CustomerCardView(InspectView):
    template_name = "crm/organisation_card.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["new_process_url"] = _new_process_url(
            self.request, "organisation", self.object.pk
        )
        context["classifications"] = classifications_of(self.object, self.request.user)
        context["card_panels"] = render_panels(self.request, self.object)
        return context


class PersonCardView(InspectView):
    template_name = "crm/person_card.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["new_process_url"] = _new_process_url(
            self.request, "person", self.object.pk
        )
        user = self.request.user
        context["card_panels"] = render_panels(self.request, self.object)
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
    """A registered viewset whose form is built from grouped panels."""

    delete_view_class = ArchiveView
    form_class = ClassifiedModelForm
    panel_groups = ()

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


class ProcessCreateView(CreateView):
    """Start a process already linked to the card it was logged from."""

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance()
        contact = None
        for name, model in (("organisation", Organisation), ("person", Person)):
            value = self.request.GET.get(name, "")
            if not value.isdigit():
                continue
            found = scope_queryset(
                model.objects.filter(pk=value),
                self.request.user,
                company=instance.company_id,
            ).first()
            setattr(instance, name, found)
            if name == "person" and found is not None:
                contact = found.contacts.select_related("organisation").first()
        if instance.organisation_id is None and contact is not None:
            instance.organisation = contact.organisation
        return instance


class ProcessViewSet(RegisteredViewSet):
    add_view_class = ProcessCreateView
