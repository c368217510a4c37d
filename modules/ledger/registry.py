"""What the ledger registers: the chart, fiscal years, series and vouchers.

Vouchers are posted only by `modules.ledger.services.post_voucher` (which
other modules call too), so the generated screens refuse to create
vouchers without lines or to change or delete posted ones, and show
journal lines read-only. Vouchers, lines and periods travel in no import
file: a file must not be able to write the books past the posting
service.
"""

from django.utils.translation import gettext_lazy as _

from cms.registry import (
    ImportExport,
    Services,
    register,
    register_graphql_fields,
    register_menu,
)
from modules.ledger import graphql, services
from modules.ledger.budgets import BudgetEntryResource
from modules.ledger.models import (
    Account,
    BudgetEntry,
    CostCentre,
    FiscalYear,
    JournalLine,
    Period,
    Project,
    VatCode,
    VatRate,
    VatSettlement,
    Voucher,
    VoucherSeries,
)

register_menu(
    "ledger",
    _("Bookkeeping"),
    icon="calculator",
    order=200,
    roles=("administrator", "accountant"),
)

register(
    Account,
    menu="ledger",
    icon="list-ul",
    menu_order=10,
    list_display=["number", "name_fi", "type", "statement_line", "is_active"],
    list_filter=["type", "statement_line", "is_active"],
    search_fields=["number", "name_fi", "name_sv", "name_en"],
    ordering=["number"],
    form_fields=[
        "number",
        "name_fi",
        "name_sv",
        "name_en",
        "type",
        "statement_line",
        "default_vat_code",
        "is_active",
    ],
    import_export=ImportExport(
        key=("number",),
        fields=(
            "number",
            "name_fi",
            "name_sv",
            "name_en",
            "type",
            "statement_line",
            "default_vat_code",
            "is_active",
        ),
    ),
)
register(
    FiscalYear,
    menu="ledger",
    icon="date",
    menu_order=20,
    list_display=["__str__", "start", "end", "state"],
    list_filter=["state"],
    ordering=["-start"],
    form_fields=["start", "end"],
    services=Services(
        create=services.create_fiscal_year,
        update=services.update_fiscal_year,
        delete=services.delete_fiscal_year,
    ),
    import_export=None,
)
register(
    Period,
    menu="ledger",
    icon="calendar",
    menu_order=30,
    company_field="fiscal_year__company",
    list_display=["__str__", "fiscal_year", "start", "end", "state"],
    list_filter=["state", "fiscal_year"],
    ordering=["-start"],
    form_fields=["state"],
    services=Services(
        create=services.refuse_period_create,
        update=services.update_period,
        delete=services.refuse_period_delete,
    ),
    import_export=None,
)
register(
    VoucherSeries,
    menu="ledger",
    icon="order",
    menu_order=40,
    list_display=["code", "name"],
    search_fields=["code", "name"],
    ordering=["code"],
    form_fields=["code", "name"],
    import_export=ImportExport(key=("code",), fields=("code", "name")),
)
register(
    Voucher,
    menu="ledger",
    icon="doc-full-inverse",
    menu_order=50,
    list_display=["number", "date", "description", "total", "state", "series"],
    list_filter=["state", "series", "fiscal_year"],
    search_fields=["description"],
    ordering=["-date", "-number"],
    form_fields=["series", "fiscal_year", "date", "description"],
    services=Services(
        create=services.refuse_voucher_create,
        update=services.update_voucher,
        delete=services.delete_voucher,
    ),
    import_export=None,
)
register(
    JournalLine,
    menu="ledger",
    icon="list-ol",
    menu_order=60,
    company_field="voucher__company",
    list_display=["voucher", "account", "debit", "credit", "description", "vat_code"],
    list_filter=["account"],
    search_fields=["description", "account__number"],
    ordering=["-voucher__date", "voucher", "pk"],
    services=Services(
        create=services.refuse_line_write,
        update=services.refuse_line_write,
        delete=services.refuse_line_write,
    ),
    import_export=None,
)
register(
    VatCode,
    menu="ledger",
    icon="percent",
    menu_order=70,
    list_display=["code", "name_fi", "kind", "payable_account", "deductible_account"],
    list_filter=["kind", "is_active"],
    search_fields=["code", "name_fi", "name_sv", "name_en"],
    ordering=["code"],
    form_fields=[
        "code",
        "name_fi",
        "name_sv",
        "name_en",
        "kind",
        "payable_account",
        "deductible_account",
        "is_active",
    ],
    import_export=ImportExport(
        key=("code",),
        fields=("code", "name_fi", "name_sv", "name_en", "kind", "is_active"),
    ),
)
register(
    VatRate,
    menu="ledger",
    icon="percent",
    menu_order=71,
    company_field="vat_code__company",
    list_display=["vat_code", "rate", "valid_from", "valid_to"],
    list_filter=["vat_code"],
    ordering=["vat_code__code", "valid_from"],
    form_fields=["vat_code", "rate", "valid_from", "valid_to"],
    import_export=None,
)
register(
    VatSettlement,
    menu="ledger",
    icon="tick",
    menu_order=72,
    list_display=["__str__", "payable", "voucher"],
    ordering=["-start"],
    services=Services(
        create=services.refuse_line_write,
        update=services.refuse_line_write,
        delete=services.refuse_line_write,
    ),
    import_export=None,
)
register(
    CostCentre,
    menu="ledger",
    icon="site",
    menu_order=80,
    list_display=["code", "name", "parent", "is_active"],
    list_filter=["is_active"],
    search_fields=["code", "name"],
    ordering=["code"],
    form_fields=["code", "name", "parent", "is_active"],
    import_export=ImportExport(key=("code",), fields=("code", "name", "is_active")),
)
register(
    Project,
    menu="ledger",
    icon="folder-open-inverse",
    menu_order=81,
    list_display=["code", "name", "start", "end", "is_active"],
    list_filter=["is_active"],
    search_fields=["code", "name"],
    ordering=["code"],
    form_fields=["code", "name", "start", "end", "is_active"],
    import_export=ImportExport(
        key=("code",), fields=("code", "name", "start", "end", "is_active")
    ),
)
BudgetEntryResource.registration = register(
    BudgetEntry,
    menu="ledger",
    icon="table",
    menu_order=82,
    list_display=["month", "account", "cost_centre", "project", "amount"],
    list_filter=["account", "cost_centre", "project"],
    search_fields=["account__number"],
    ordering=["month", "account__number"],
    form_fields=["account", "cost_centre", "project", "month", "amount", "note"],
    import_export=ImportExport(
        key=("account", "cost_centre", "month"), resource_class=BudgetEntryResource
    ),
)
register_graphql_fields(graphql.build_fields)

# The reports add their GraphQL queries (statements, trial balance).
from modules.ledger.reports import graphql as _report_queries  # noqa: E402, F401
