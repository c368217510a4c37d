"""What invoicing registers: invoices, their rows, payments and settings.

Drafts are written through `modules.invoicing.editing`; issued invoices,
payments, deliveries and reminders change only through the invoicing
services, so their generated screens and mutations refuse edits.
"""

from django.utils.translation import gettext_lazy as _

from cms.registry import ImportExport, Services, register, register_menu
from modules.crm.cards import register_panel
from modules.invoicing import editing
from modules.invoicing.models import (
    CustomerBilling,
    FactoringCompany,
    FactoringTransfer,
    InvoiceDelivery,
    InvoicePayment,
    InvoicingSettings,
    PaymentReminder,
    RecurringContract,
    ReferenceRate,
    SalesInvoice,
    SalesInvoiceLine,
)
from modules.invoicing.services import delete_draft

register_menu(
    "invoicing",
    _("Invoicing"),
    icon="doc-full",
    order=250,
    roles=("administrator", "accountant", "sales"),
)
register_menu(
    "invoicing_settings",
    _("Invoicing settings"),
    icon="cog",
    order=260,
    roles=("administrator", "accountant"),
    read_roles=("sales",),
)

READ_ONLY = Services(
    create=editing.refuse_change,
    update=editing.refuse_change,
    delete=editing.refuse_change,
)

register(
    SalesInvoice,
    menu="invoicing",
    icon="doc-full",
    menu_order=10,
    list_display=[
        "number",
        "customer_name",
        "invoice_date",
        "due_date",
        "total",
        "open_amount",
        "state",
        "kind",
    ],
    list_filter=["state", "kind", "channel", "invoice_date"],
    search_fields=["number", "reference", "customer_name"],
    ordering=["-invoice_date", "-number"],
    form_fields=[
        "organisation",
        "person",
        *editing.DRAFT_FIELDS,
    ],
    services=Services(
        create=editing.create_draft,
        update=editing.update_draft,
        delete=delete_draft,
    ),
    import_export=ImportExport(
        key=("number",),
        fields=(
            "number",
            "kind",
            "state",
            "customer_name",
            "organisation",
            "person",
            "invoice_date",
            "delivery_date",
            "due_date",
            "reference",
            "currency",
            "total_net",
            "total_vat",
            "total",
            "open_amount",
            "your_reference",
            "notes",
        ),
    ),
)
register(
    SalesInvoiceLine,
    menu="invoicing",
    icon="list-ol",
    menu_order=20,
    company_field="invoice__company",
    list_display=["invoice", "description", "quantity", "unit_price", "vat_code"],
    search_fields=["description", "product_code", "invoice__number"],
    ordering=["-invoice", "position"],
    form_fields=["invoice", *editing.LINE_FIELDS],
    services=Services(
        create=editing.add_line,
        update=editing.change_line,
        delete=editing.remove_line,
    ),
    import_export=None,
)
register(
    InvoicePayment,
    menu="invoicing",
    icon="success",
    menu_order=30,
    list_display=["invoice", "paid_on", "amount", "overpaid", "source"],
    list_filter=["paid_on"],
    search_fields=["invoice__number", "source"],
    ordering=["-paid_on"],
    form_fields=["invoice", "amount", "paid_on", "bank_account", "source"],
    services=Services(
        create=editing.register_payment_from_form,
        update=editing.refuse_change,
        delete=editing.refuse_change,
    ),
    import_export=ImportExport(
        key=("source",),
        fields=("invoice", "amount", "applied", "overpaid", "paid_on", "source"),
    ),
)
register(
    RecurringContract,
    menu="invoicing",
    icon="repeat",
    menu_order=40,
    list_display=["name", "next_invoice_date", "interval_months", "is_active"],
    list_filter=["is_active"],
    search_fields=["name"],
    ordering=["next_invoice_date"],
    form_fields=[
        "name",
        "organisation",
        "person",
        "interval_months",
        "next_invoice_date",
        "end_date",
        "lines",
        "is_active",
    ],
    import_export=None,
)
register(
    PaymentReminder,
    menu="invoicing",
    icon="warning",
    menu_order=50,
    list_display=["invoice", "level", "sent_on", "overdue_amount", "fee"],
    list_filter=["level", "sent_on"],
    search_fields=["invoice__number"],
    ordering=["-sent_on"],
    services=READ_ONLY,
    import_export=None,
)
register(
    InvoiceDelivery,
    menu="invoicing",
    icon="mail",
    menu_order=60,
    list_display=["invoice", "channel", "status", "recipient", "created_at"],
    list_filter=["channel", "status"],
    search_fields=["invoice__number", "recipient", "message_id"],
    ordering=["-created_at"],
    services=READ_ONLY,
    import_export=None,
)
register(
    CustomerBilling,
    menu="invoicing_settings",
    icon="user",
    menu_order=10,
    list_display=["__str__", "channel", "reference_kind", "credit_limit"],
    list_filter=["channel", "factoring_company"],
    search_fields=["organisation__name", "person__last_name", "email"],
    form_fields=[
        "organisation",
        "person",
        "channel",
        "email",
        "einvoice_address",
        "einvoice_operator",
        "peppol_id",
        "direct_payment_mandate",
        "reference_kind",
        "payment_terms_days",
        "credit_limit",
        "factoring_company",
        "send_reminders",
    ],
    import_export=None,
)
register(
    FactoringCompany,
    menu="invoicing_settings",
    icon="group",
    menu_order=20,
    list_display=["name", "agreement_number", "iban"],
    search_fields=["name", "agreement_number"],
    form_fields=[
        "name",
        "business_id",
        "agreement_number",
        "iban",
        "bic",
        "assignment_clause",
    ],
    import_export=None,
)
register(
    InvoicingSettings,
    menu="invoicing_settings",
    icon="cog",
    menu_order=30,
    list_display=["__str__", "number_series", "payment_terms_days"],
    form_fields=[
        "number_series",
        "voucher_series",
        "receivables_account",
        "revenue_account",
        "vat_account",
        "bank_ledger_account",
        "advances_account",
        "fees_account",
        "interest_account",
        "credit_loss_account",
        "bank_account",
        "payment_terms_days",
        "reference_kind",
        "einvoice_address",
        "einvoice_operator",
        "reminder_fee",
        "reminder_after_days",
        "reminder_interval_days",
        "max_reminders",
    ],
    import_export=None,
)
register(
    ReferenceRate,
    menu="invoicing_settings",
    icon="calendar",
    menu_order=40,
    company_field=None,
    list_display=["valid_from", "rate"],
    ordering=["-valid_from"],
    form_fields=["valid_from", "rate"],
    import_export=ImportExport(key=("valid_from",), fields=("valid_from", "rate")),
)


def _open_invoices_panel(request, organisation):
    from django.template.loader import render_to_string
    from django.utils import timezone

    from modules.core.scoping import user_can_access_company
    from modules.invoicing.receivables import credit_limit_warning
    from modules.invoicing.selectors import open_items

    if not request.user.has_perm("invoicing.view_salesinvoice"):
        return None
    if not user_can_access_company(request.user, organisation.company):
        return None
    items = list(open_items(company=organisation.company, organisation=organisation))
    return render_to_string(
        "invoicing/panels/open_invoices.html",
        {
            "items": items,
            "total": sum(item.open_amount for item in items),
            "today": timezone.localdate(),
            "organisation": organisation,
            "warning": credit_limit_warning(
                company=organisation.company, customer=organisation
            ),
        },
        request=request,
    )


register_panel(
    "open_invoices",
    title=_("Open invoices"),
    render=_open_invoices_panel,
    order=30,
)
register(
    FactoringTransfer,
    menu="invoicing",
    icon="doc-full",
    menu_order=90,
    list_display=[
        "number",
        "factoring_company",
        "invoice_count",
        "total",
        "created_at",
    ],
    search_fields=["number"],
    form_fields=["number"],
    services=READ_ONLY,
    import_export=None,
)
