"""What the ledger registers: the chart, fiscal years, series and vouchers.

Vouchers are posted only by `modules.ledger.services.post_voucher` (which
other modules call too), so the generated screens refuse to create
vouchers without lines or to change or delete posted ones, and show
journal lines read-only. Vouchers, lines and periods travel in no import
file: a file must not be able to write the books past the posting
service.
"""

from django.utils.translation import gettext_lazy as _

from cms.registry import ImportExport, Services, register, register_menu
from modules.ledger import services
from modules.ledger.models import (
    Account,
    FiscalYear,
    JournalLine,
    Period,
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

# The reports add their GraphQL queries (statements, trial balance).
from modules.ledger.reports import graphql as _report_queries  # noqa: E402, F401
