"""What purchase invoicing registers: the inbox, rules and substitutes.

Invoices are created only by the receiving services (e-invoice, scan,
upload), so the generated add form is replaced by the upload screen;
archived files are append-only and travel in no import file.
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from cms.registry import ImportExport, Services, register, register_menu
from modules.core.scoping import scope_queryset
from modules.crm.cards import register_panel

from . import services
from .models import (
    AccountingRow,
    ApprovalRule,
    ApprovalStep,
    ArchivedFile,
    InvoiceLine,
    PurchaseInvoice,
    PurchaseSettings,
    Substitute,
)
from .viewsets import PurchaseInvoiceViewSet

SUPPLIER_PANEL_ROWS = 10

register_menu(
    "purchases",
    _("Purchase invoices"),
    icon="download",
    order=260,
    roles=("administrator", "accountant"),
)

register(
    PurchaseInvoice,
    menu="purchases",
    icon="download",
    menu_order=10,
    viewset_class=PurchaseInvoiceViewSet,
    list_display=[
        "__str__",
        "state",
        "invoice_date",
        "due_date",
        "total",
        "channel",
    ],
    list_filter=["state", "channel", "due_date", "supplier"],
    search_fields=[
        "invoice_number",
        "supplier_name",
        "supplier_business_id",
        "supplier__name",
        "reference",
    ],
    ordering=["-received_at"],
    form_fields=[
        "supplier",
        "supplier_name",
        "supplier_business_id",
        "invoice_number",
        "invoice_date",
        "due_date",
        "currency",
        "total",
        "vat_amount",
        "iban",
        "bic",
        "reference",
        "message",
        "order_reference",
        "cash_discount_date",
        "cash_discount_percent",
        "cash_discount_amount",
    ],
    services=Services(
        create=services.refuse_manual_create,
        update=services.update_purchase_invoice,
        delete=services.refuse_delete,
    ),
    import_export=ImportExport(
        key=("id",),
        fields=(
            "id",
            "state",
            "supplier_name",
            "supplier_business_id",
            "invoice_number",
            "invoice_date",
            "due_date",
            "currency",
            "total",
            "vat_amount",
            "iban",
            "reference",
        ),
    ),
)
register(
    InvoiceLine,
    menu="purchases",
    company_field="invoice__company",
    import_export=None,
    list_display=["invoice", "description", "net_amount", "vat_rate"],
    services=Services(
        create=services.refuse_line_write,
        update=services.refuse_line_write,
        delete=services.refuse_line_write,
    ),
)
register(
    AccountingRow,
    menu="purchases",
    company_field="invoice__company",
    list_display=["invoice", "account", "vat_code", "net_amount", "accrual_months"],
    form_fields=[
        "invoice",
        "account",
        "vat_code",
        "net_amount",
        "description",
        "cost_centre",
        "project",
        "accrual_months",
    ],
    services=Services(
        create=services.create_accounting_row,
        update=services.update_accounting_row,
        delete=services.delete_accounting_row,
    ),
    import_export=None,
)
register(
    ArchivedFile,
    menu="purchases",
    company_field="invoice__company",
    icon="doc-full",
    list_display=["invoice", "kind", "content_type", "size", "sha256", "keep_until"],
    list_filter=["kind"],
    services=Services(
        create=services.refuse_file_write,
        update=services.refuse_file_write,
        delete=services.refuse_file_write,
    ),
    import_export=None,
)
register(
    ApprovalStep,
    menu="purchases",
    company_field="invoice__company",
    list_display=["invoice", "position", "role", "assignee", "state", "acted_at"],
    list_filter=["state", "role"],
    services=Services(
        create=services.refuse_step_write,
        update=services.refuse_step_write,
        delete=services.refuse_step_write,
    ),
    import_export=None,
)
register(
    ApprovalRule,
    menu="purchases",
    icon="cogs",
    menu_order=50,
    list_display=["name", "priority", "supplier", "min_total", "max_total", "approver"],
    form_fields=[
        "name",
        "priority",
        "supplier",
        "min_total",
        "max_total",
        "account",
        "cost_centre",
        "project",
        "inspector",
        "approver",
        "skip_when_matched",
    ],
    import_export=None,
)
register(
    PurchaseSettings,
    menu="purchases",
    icon="cog",
    menu_order=70,
    list_display=[
        "company",
        "quantity_tolerance_percent",
        "price_tolerance_percent",
        "price_tolerance_amount",
        "einvoice_folder",
        "mailbox",
    ],
    form_fields=[
        "quantity_tolerance_percent",
        "price_tolerance_percent",
        "price_tolerance_amount",
        "einvoice_folder",
        "mailbox",
        "mailbox_host",
        "mailbox_user",
        "mailbox_folder",
    ],
    import_export=None,
)
register(
    Substitute,
    menu="purchases",
    icon="user",
    menu_order=60,
    list_display=["user", "substitute", "starts_on", "ends_on"],
    form_fields=["user", "substitute", "starts_on", "ends_on"],
    import_export=None,
)


def _supplier_invoices_panel(request, organisation):
    """The supplier's latest purchase invoices on its card, with their files."""
    if not request.user.has_perm("purchases.view_purchaseinvoice"):
        return None
    invoices = list(
        scope_queryset(
            organisation.purchase_invoices.prefetch_related("files"), request.user
        ).order_by("-received_at")[:SUPPLIER_PANEL_ROWS]
    )
    if not invoices:
        return None
    return render_to_string(
        "purchases/panels/supplier_invoices.html",
        {"invoices": invoices},
        request=request,
    )


register_panel(
    "purchase_invoices",
    title=_("Purchase invoices"),
    render=_supplier_invoices_panel,
    order=40,
)
