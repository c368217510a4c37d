"""What group accounts register: the group chart, mappings and notes.

Group accounts belong to a group and are seen through its member
companies; mappings through the member company of the mapped account.
Statement notes are a company's own and sit in the Bookkeeping menu.
"""

from django.utils.translation import gettext_lazy as _

from cms.registry import ImportExport, Services, register, register_menu
from modules.consolidation import services
from modules.consolidation.models import AccountMapping, GroupAccount, StatementNote
from modules.consolidation.resources import AccountMappingResource

register_menu(
    "consolidation",
    _("Group accounts"),
    icon="group",
    order=210,
    roles=("administrator", "accountant"),
)

register(
    GroupAccount,
    menu="consolidation",
    icon="list-ul",
    menu_order=10,
    company_field="group__companies",
    list_display=["number", "name_fi", "type", "statement_line"],
    list_filter=["type", "statement_line"],
    search_fields=["number", "name_fi", "name_sv", "name_en"],
    ordering=["number"],
    form_fields=["number", "name_fi", "name_sv", "name_en", "type", "statement_line"],
    services=Services(
        create=services.create_group_account,
        update=services.update_group_account,
        delete=services.delete_group_account,
    ),
    import_export=None,
)
AccountMappingResource.registration = register(
    AccountMapping,
    menu="consolidation",
    icon="link",
    menu_order=20,
    company_field="account__company",
    list_display=[
        "account",
        "group_account",
        "intra_group",
        "ownership",
        "counterparty",
    ],
    list_filter=["intra_group", "ownership"],
    search_fields=["account__number", "group_account__number"],
    form_fields=[
        "account",
        "group_account",
        "intra_group",
        "ownership",
        "counterparty",
    ],
    import_export=ImportExport(key=("account",), resource_class=AccountMappingResource),
)
register(
    StatementNote,
    menu="ledger",
    icon="doc-empty",
    menu_order=90,
    list_display=["fiscal_year", "signing_place", "signing_date"],
    form_fields=[
        "fiscal_year",
        "principles",
        "personnel",
        "other_notes",
        "board",
        "signing_place",
        "signing_date",
        "auditor_note",
    ],
    import_export=None,
)
