"""Services behind the generated admin, GraphQL and import of drafts.

A draft invoice is written header first and then row by row; every
change of a row recomputes the invoice's totals. Issued invoices,
payments, deliveries and reminders are changed by no form at all.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from modules.core.audit import record_change, snapshot
from modules.invoicing.models import SalesInvoice, SalesInvoiceLine
from modules.invoicing.services import (
    build_line,
    compute_line,
    new_draft,
    register_payment,
    set_totals,
)

DRAFT_FIELDS = (
    "invoice_date",
    "delivery_date",
    "payment_terms_days",
    "your_reference",
    "notes",
    "channel",
)
LINE_FIELDS = (
    "product_code",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "discount_percent",
    "vat_code",
    "account",
)


def _customer(data):
    return data.get("organisation") or data.get("person")


def _locked_draft(pk) -> SalesInvoice:
    invoice = SalesInvoice.objects.select_for_update().get(pk=pk)
    if invoice.is_issued:
        raise ValidationError(
            _("%(invoice)s is issued and cannot change; make a credit note."),
            code="issued",
            params={"invoice": invoice},
        )
    return invoice


def _recompute(invoice) -> None:
    lines = list(invoice.lines.all())
    for line in lines:
        line.invoice = invoice
        compute_line(line)
    SalesInvoiceLine.objects.bulk_update(lines, ["vat_rate", "net", "vat", "gross"])
    set_totals(invoice, lines)
    invoice.save()


@transaction.atomic
def create_draft(*, company, user, data: dict) -> SalesInvoice:
    """Start a draft invoice from form data; rows are added afterwards."""
    fields = {name: data[name] for name in DRAFT_FIELDS if data.get(name)}
    invoice = new_draft(company=company, customer=_customer(data), **fields)
    invoice.full_clean(exclude=["number"])
    invoice.save()
    record_change(instance=invoice, user=user, action="create", after=snapshot(invoice))
    return invoice


@transaction.atomic
def update_draft(*, instance, user, data: dict) -> SalesInvoice:
    """Change a draft's header; VAT of its rows follows a new delivery date."""
    invoice = _locked_draft(instance.pk)
    before = snapshot(invoice)
    for name in DRAFT_FIELDS:
        if name in data:
            setattr(invoice, name, data[name])
    invoice.full_clean(exclude=["number"])
    _recompute(invoice)
    record_change(
        instance=invoice,
        user=user,
        action="update",
        before=before,
        after=snapshot(invoice),
    )
    return invoice


@transaction.atomic
def add_line(*, company, user, data: dict) -> SalesInvoiceLine:
    """Add a row to a draft invoice of `company`."""
    invoice = data.get("invoice")
    if invoice is None or invoice.company_id != company.pk:
        raise ValidationError({"invoice": _("Choose a draft invoice.")})
    invoice = _locked_draft(invoice.pk)
    position = invoice.lines.count() + 1
    values = {name: data[name] for name in LINE_FIELDS if data.get(name) is not None}
    line = build_line(invoice=invoice, value=values, position=position)
    line.save()
    _recompute(invoice)
    record_change(instance=line, user=user, action="create", after=snapshot(line))
    return line


@transaction.atomic
def change_line(*, instance, user, data: dict) -> SalesInvoiceLine:
    """Change a row of a draft invoice."""
    invoice = _locked_draft(instance.invoice_id)
    line = SalesInvoiceLine.objects.get(pk=instance.pk)
    before = snapshot(line)
    values = {name: getattr(line, name) for name in LINE_FIELDS}
    values.update({name: data[name] for name in LINE_FIELDS if name in data})
    rebuilt = build_line(invoice=invoice, value=values, position=line.position)
    rebuilt.pk = line.pk
    rebuilt.save()
    _recompute(invoice)
    record_change(
        instance=rebuilt,
        user=user,
        action="update",
        before=before,
        after=snapshot(rebuilt),
    )
    return rebuilt


@transaction.atomic
def remove_line(*, instance, user) -> None:
    """Remove a row of a draft invoice."""
    invoice = _locked_draft(instance.invoice_id)
    record_change(
        instance=instance, user=user, action="delete", before=snapshot(instance)
    )
    SalesInvoiceLine.objects.filter(pk=instance.pk).delete()
    _recompute(invoice)


def register_payment_from_form(*, company, user, data: dict):
    """Register a payment typed in by a clerk (the admin's add form)."""
    invoice = data.get("invoice")
    if invoice is None or invoice.company_id != company.pk:
        raise ValidationError({"invoice": _("Choose an invoice.")})
    return register_payment(
        invoice=invoice,
        amount=data.get("amount"),
        paid_on=data.get("paid_on"),
        bank_account=data.get("bank_account"),
        user=user,
        source=data.get("source"),
    )


def refuse_change(*, instance=None, user, company=None, data=None):
    """Refuse a write of records that only their services make."""
    raise ValidationError(
        _("These records are made by invoicing itself and cannot be edited."),
        code="read_only",
    )
