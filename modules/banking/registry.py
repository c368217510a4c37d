"""What banking registers: statements, transactions, payments and settings.

Statements and transactions enter only through `import_bank_file` and
change only through the reconciliation services, so the generated
screens, API and import files may read and export them but not write
them; the same holds for allocations and outgoing payments, whose rows
are the record of what was booked or sent to the bank.
"""

from django.utils.translation import gettext_lazy as _

from cms.registry import ImportExport, Services, register, register_menu
from modules.banking import payments, services
from modules.banking.models import (
    BankConnection,
    BankStatement,
    BankTransaction,
    OutgoingPayment,
    PaymentAllocation,
    PaymentBatch,
    RecurringCashItem,
)

register_menu(
    "banking",
    _("Banking"),
    icon="cogs",
    order=300,
    roles=("administrator", "accountant"),
)

_from_files = services.refusal(
    _("Bank statements and transactions come from bank files: use Import bank file.")
)
_booked = services.refusal(
    _("This record is kept as it was booked or sent; it cannot be changed.")
)

register(
    BankStatement,
    menu="banking",
    icon="doc-full",
    menu_order=10,
    list_display=[
        "__str__",
        "kind",
        "bank_account",
        "transaction_count",
        "imported_at",
    ],
    list_filter=["kind", "bank_account", "source"],
    search_fields=["file_name", "report_id", "message_id"],
    ordering=["-imported_at"],
    services=Services(
        create=_from_files, update=_from_files, delete=services.delete_statement
    ),
    import_export=ImportExport(
        fields=(
            "id",
            "kind",
            "file_name",
            "report_id",
            "from_date",
            "to_date",
            "opening_balance",
            "closing_balance",
            "currency",
            "transaction_count",
        )
    ),
)
register(
    BankTransaction,
    menu="banking",
    icon="list-ul",
    menu_order=20,
    list_display=[
        "booking_date",
        "direction",
        "amount",
        "counterparty_name",
        "reference",
        "state",
    ],
    list_filter=["state", "direction", "bank_account"],
    search_fields=["counterparty_name", "reference", "message", "key"],
    ordering=["-booking_date", "-pk"],
    services=Services(create=_from_files, update=_from_files, delete=_from_files),
    import_export=ImportExport(
        fields=(
            "id",
            "key",
            "booking_date",
            "direction",
            "amount",
            "currency",
            "counterparty_name",
            "counterparty_iban",
            "reference",
            "message",
            "state",
            "allocated_amount",
        )
    ),
)
register(
    PaymentAllocation,
    menu="banking",
    icon="link",
    menu_order=30,
    list_display=["transaction", "kind", "document_label", "amount", "posted_at"],
    list_filter=["kind", "method"],
    search_fields=["document_label", "customer_name"],
    ordering=["-created_at"],
    services=Services(create=_booked, update=_booked, delete=_booked),
    import_export=None,
)
register(
    PaymentBatch,
    menu="banking",
    icon="upload",
    menu_order=40,
    list_display=["number", "requested_date", "bank_account", "total", "state"],
    list_filter=["state", "bank_account"],
    search_fields=["number", "message_id"],
    ordering=["-requested_date", "-pk"],
    services=Services(
        create=_booked,
        update=_booked,
        delete=payments.delete_payment_batch,
    ),
    import_export=ImportExport(
        fields=("id", "number", "requested_date", "state", "total", "status_message")
    ),
)
register(
    OutgoingPayment,
    menu="banking",
    icon="arrow-right",
    menu_order=50,
    list_display=["batch", "creditor_name", "amount", "reference", "state"],
    list_filter=["state"],
    search_fields=["creditor_name", "reference", "message", "source_label"],
    ordering=["-batch", "pk"],
    services=Services(create=_booked, update=_booked, delete=_booked),
    import_export=ImportExport(
        fields=(
            "id",
            "creditor_name",
            "creditor_iban",
            "amount",
            "reference",
            "message",
            "state",
            "status_reason",
        )
    ),
)
register(
    BankConnection,
    menu="banking",
    icon="cog",
    menu_order=60,
    list_display=["bank_account", "ledger_account", "channel", "last_polled_at"],
    list_filter=["channel", "is_active"],
    ordering=["bank_account"],
    form_fields=[
        "bank_account",
        "ledger_account",
        "voucher_series",
        "channel",
        "folder",
        "is_active",
    ],
    import_export=None,
)
register(
    RecurringCashItem,
    menu="banking",
    icon="repeat",
    menu_order=70,
    list_display=["name", "direction", "amount", "frequency", "start_date"],
    list_filter=["direction", "frequency", "is_active"],
    search_fields=["name"],
    ordering=["name"],
    form_fields=[
        "name",
        "direction",
        "amount",
        "frequency",
        "start_date",
        "end_date",
        "is_active",
    ],
    import_export=ImportExport(
        key=("name",),
        fields=(
            "name",
            "direction",
            "amount",
            "frequency",
            "start_date",
            "end_date",
            "is_active",
        ),
    ),
)
