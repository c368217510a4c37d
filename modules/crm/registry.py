"""What the customer register registers with the platform.

Organisations and persons accept extra forms and are imported by business
ID and email address with duplicate detection; classification schemes
(which groups see and set which classifications) are an administrator's
setting in a menu of their own.
"""

from django.utils.translation import gettext_lazy as _

from cms.definable.selectors import claim_forms
from cms.registry import ImportExport, Services, register, register_menu
from modules.crm import selectors, services
from modules.crm.importing import OrganisationResource, PersonResource
from modules.crm.models import (
    Classification,
    ClassificationScheme,
    Contact,
    Organisation,
    Person,
    Process,
    ProcessType,
    SiteCompany,
)
from modules.crm.viewsets import (
    FormReceiverViewSet,
    OrganisationViewSet,
    PersonViewSet,
    ProcessViewSet,
)


def _api_fields(viewset_class) -> list[str]:
    # Classifications are set in the admin only, where the form offers just
    # the schemes the user may set; the API has no per-group view of them.
    return [
        name
        for _heading, names in viewset_class.panel_groups
        for name in names
        if name != "classifications"
    ]


register_menu(
    "crm",
    _("Customers"),
    icon="group",
    order=200,
    roles=("administrator", "sales"),
    read_roles=("accountant",),
)
register_menu(
    "crm_settings",
    _("Customer classes"),
    icon="tag",
    order=210,
    roles=("administrator",),
    read_roles=("sales", "accountant"),
)

register(
    Organisation,
    menu="crm",
    icon="site",
    menu_order=10,
    list_display=["name", "business_id", "city", "owner", "is_customer"],
    list_filter=[
        "is_customer",
        "is_prospect",
        "is_supplier",
        "is_partner",
        "language",
        "owner",
        "is_archived",
        "classifications",
    ],
    search_fields=["name", "business_id", "vat_number", "city", "industry"],
    viewset_class=OrganisationViewSet,
    form_fields=_api_fields(OrganisationViewSet),
    services=Services(
        create=services.create_organisation,
        update=services.update_organisation,
        delete=services.archive_organisation,
    ),
    import_export=ImportExport(
        key=("business_id",), resource_class=OrganisationResource
    ),
    definable_forms=True,
)
register(
    Person,
    menu="crm",
    icon="user",
    menu_order=20,
    list_display=["__str__", "email", "phone", "marketing_consent"],
    list_filter=["marketing_consent", "language", "is_archived", "classifications"],
    search_fields=["first_name", "last_name", "email", "phone"],
    viewset_class=PersonViewSet,
    form_fields=_api_fields(PersonViewSet),
    services=Services(
        create=services.create_person,
        update=services.update_person,
        delete=services.archive_person,
    ),
    import_export=ImportExport(key=("email",), resource_class=PersonResource),
    definable_forms=True,
    on_detail=services.log_graphql_person_view,
)
register(
    Contact,
    menu="crm",
    icon="link",
    menu_order=30,
    list_display=["person", "organisation", "title", "is_primary"],
    list_filter=["is_primary"],
    search_fields=["person__last_name", "person__email", "organisation__name"],
    form_fields=["person", "organisation", "title", "is_primary"],
    services=Services(create=services.create_contact),
    import_export=None,
)
# Which groups see which classifications and process types is a row filter:
# lists, cards, searches, exports and GraphQL all go through it.
register(
    ClassificationScheme,
    menu="crm_settings",
    icon="list-ul",
    menu_order=10,
    list_display=["code", "name_fi", "name_sv", "name_en"],
    search_fields=["code", "name_fi", "name_sv", "name_en"],
    form_fields=[
        "code",
        "name_fi",
        "name_sv",
        "name_en",
        "for_organisations",
        "for_persons",
        "view_groups",
        "edit_groups",
    ],
    row_filter=selectors.scheme_rows,
    import_export=None,
)
register(
    Classification,
    menu="crm_settings",
    icon="tag",
    menu_order=20,
    list_display=["__str__", "parent"],
    list_filter=["scheme"],
    search_fields=["name_fi", "name_sv", "name_en"],
    form_fields=["scheme", "parent", "name_fi", "name_sv", "name_en"],
    services=Services(
        create=services.create_classification,
        update=services.update_classification,
    ),
    row_filter=selectors.classification_rows,
    import_export=None,
)
register(
    Process,
    menu="crm",
    icon="tasks",
    menu_order=40,
    viewset_class=ProcessViewSet,
    list_display=[
        "title",
        "process_type",
        "state",
        "organisation",
        "assignee",
        "due_date",
    ],
    list_filter=[
        "process_type",
        "state",
        "assignee",
        "due_date",
        "organisation__classifications",
    ],
    search_fields=["title", "description", "organisation__name", "person__email"],
    form_fields=[
        "process_type",
        "title",
        "organisation",
        "person",
        "state",
        "assignee",
        "due_date",
        "description",
    ],
    services=Services(
        create=services.create_process,
        update=services.update_process,
    ),
    # Processes are logged one by one; a register import brings only the
    # organisations and persons they are about.
    import_export=None,
    definable_forms=True,
    # The answers to the process type's own form, validated by the services.
    json_inputs=(services.TYPE_VALUES,),
    row_filter=selectors.process_rows,
)
# A process type's own form is asked on its processes only.
claim_forms(selectors.claimed_process_forms)
register(
    ProcessType,
    menu="crm_settings",
    icon="cogs",
    menu_order=30,
    list_display=["code", "name_fi", "name_sv", "name_en", "form"],
    list_filter=["receives_contact_forms", "extranet_request"],
    search_fields=["code", "name_fi", "name_sv", "name_en"],
    form_fields=[
        "code",
        "name_fi",
        "name_sv",
        "name_en",
        "form",
        "states",
        "transitions",
        "closed_states",
        "reminder_days",
        "view_groups",
        "edit_groups",
        "receives_contact_forms",
        "extranet_request",
    ],
    row_filter=selectors.process_type_rows,
    import_export=None,
)
# A company's administrators choose the sites and contact form pages whose
# messages land in their register; the services keep each to one company.
register(
    SiteCompany,
    menu="crm_settings",
    icon="globe",
    menu_order=40,
    viewset_class=FormReceiverViewSet,
    list_display=["__str__", "site", "page"],
    form_fields=["site", "page"],
    services=Services(
        create=services.create_form_receiver,
        update=services.update_form_receiver,
        delete=services.delete_form_receiver,
    ),
    graphql=False,
    import_export=None,
)
