"""Receivables: penal interest, interest invoices, credit limits.

Penal interest (viivästyskorko) is the reference rate valid on the first
day of each half-year plus seven percentage points (Interest Act 633/1982,
4 § and 12 §), counted per day on the overdue amount, actual days / 365.
"""

import datetime
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from modules.core.money import round_money
from modules.invoicing.models import (
    ZERO,
    InvoiceKind,
    InvoiceState,
    ReferenceRate,
    SalesInvoice,
)
from modules.invoicing.selectors import customer_open_total
from modules.invoicing.services import (
    billing_of,
    create_and_issue_invoice,
    ensure_invoicing_settings,
)

logger = logging.getLogger(__name__)

PENAL_MARGIN = Decimal("7.00")
DAYS_IN_YEAR = Decimal(365)


def penal_interest_rate(on_date: datetime.date) -> Decimal:
    """Return the penal interest rate (percent) in force on `on_date`."""
    row = ReferenceRate.objects.filter(valid_from__lte=on_date).first()
    if row is None:
        raise ValidationError(
            _("No reference rate is known for %(date)s."),
            code="no_reference_rate",
            params={"date": f"{on_date:%d.%m.%Y}"},
        )
    return row.rate + PENAL_MARGIN


def _half_year_starts(start: datetime.date, end: datetime.date):
    """Yield the periods [from, to) between start and end, split at 1.1./1.7."""
    current = start
    while current < end:
        if current.month < 7:
            boundary = datetime.date(current.year, 7, 1)
        else:
            boundary = datetime.date(current.year + 1, 1, 1)
        stop = min(boundary, end)
        yield current, stop
        current = stop


def penal_interest(
    *, amount: Decimal, due_date: datetime.date, paid_on: datetime.date, currency="EUR"
) -> Decimal:
    """Return the penal interest of `amount` paid late, day by day.

    Interest runs from the day after the due date up to and including the
    day of payment, at the rate of each half-year.
    """
    if paid_on <= due_date or amount <= 0:
        return ZERO
    total = Decimal(0)
    first_day = due_date + datetime.timedelta(days=1)
    for start, stop in _half_year_starts(first_day, paid_on + datetime.timedelta(1)):
        days = Decimal((stop - start).days)
        total += amount * penal_interest_rate(start) / 100 * days / DAYS_IN_YEAR
    return round_money(total, currency)


@transaction.atomic
def create_interest_invoice(*, invoice, user, on_date: datetime.date):
    """Invoice the penal interest of a late invoice up to `on_date`.

    Interest is counted on what is still open, or for a paid invoice on
    each late payment up to the day it was paid.
    """
    invoice = SalesInvoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.kind == InvoiceKind.CREDIT_NOTE or invoice.state == InvoiceState.DRAFT:
        raise ValidationError(
            _("Interest is charged on issued invoices only."), code="not_issued"
        )
    if invoice.credit_notes.filter(kind=InvoiceKind.INTEREST).exists():
        raise ValidationError(
            _("Interest of %(number)s has already been invoiced."),
            code="interest_invoiced",
            params={"number": invoice.number},
        )
    interest = penal_interest(
        amount=invoice.open_amount,
        due_date=invoice.due_date,
        paid_on=on_date,
        currency=invoice.currency,
    )
    for payment in invoice.payments.all():
        interest += penal_interest(
            amount=payment.applied,
            due_date=invoice.due_date,
            paid_on=payment.paid_on,
            currency=invoice.currency,
        )
    if interest <= 0:
        raise ValidationError(
            _("%(number)s was not paid late; there is no interest to charge."),
            code="no_interest",
            params={"number": invoice.number},
        )
    settings = ensure_invoicing_settings(company=invoice.company, user=user)

    return create_and_issue_invoice(
        company=invoice.company,
        user=user,
        customer=invoice.customer,
        kind=InvoiceKind.INTEREST,
        invoice_date=on_date,
        credited_invoice=invoice,
        lines=[
            {
                "description": _("Penal interest on invoice %(number)s, due %(due)s")
                % {"number": invoice.number, "due": f"{invoice.due_date:%d.%m.%Y}"},
                "unit_price": interest,
                "vat_code": "no_vat",
                "account": settings.interest_account,
            }
        ],
    )


def credit_limit_warning(*, company, customer, extra=ZERO) -> str | None:
    """Return a warning when the customer would go over their credit limit.

    Other modules (orders, the webshop) call this before accepting an
    order of `extra` euros; None means there is no limit or it holds.
    """
    billing = billing_of(customer)
    if billing is None or billing.credit_limit is None:
        return None
    owed = customer_open_total(company=company, customer=customer)
    if owed + Decimal(extra) <= billing.credit_limit:
        return None
    return _(
        "%(customer)s owes %(owed)s and the credit limit is %(limit)s; this "
        "order of %(extra)s goes over it."
    ) % {
        "customer": customer,
        "owed": owed,
        "limit": billing.credit_limit,
        "extra": round_money(extra, "EUR"),
    }


# Payment reminders


def _reminder_due(invoice, settings, on_date) -> bool:
    if invoice.reminder_level >= settings.max_reminders:
        return False
    if invoice.last_reminded_on is None:
        wait = datetime.timedelta(days=settings.reminder_after_days)
        return invoice.due_date + wait <= on_date
    wait = datetime.timedelta(days=settings.reminder_interval_days)
    return invoice.last_reminded_on + wait <= on_date


def invoices_to_remind(*, company, on_date: datetime.date) -> list:
    """Return the overdue invoices the reminder rules pick on `on_date`.

    Rules (invoicing settings): the first reminder some days after the due
    date, the next ones at an interval, at most so many; customers whose
    billing details say no reminders are left out.
    """
    settings = ensure_invoicing_settings(company=company)
    overdue = (
        SalesInvoice.objects.filter(
            company=company,
            state=InvoiceState.ISSUED,
            kind__in=[InvoiceKind.INVOICE, InvoiceKind.INTEREST],
            open_amount__gt=0,
            due_date__lt=on_date,
        )
        .exclude(organisation__billing__send_reminders=False)
        .exclude(person__billing__send_reminders=False)
        .select_related("organisation", "person")
        .order_by("due_date", "pk")
    )
    return [item for item in overdue if _reminder_due(item, settings, on_date)]


@transaction.atomic
def send_reminder(*, invoice, user, on_date: datetime.date):
    """Record the next reminder of an overdue invoice, with its fee.

    The fee, when the settings have one, is invoiced on a fee invoice of
    its own (outside the scope of VAT), so the original stays unchanged.
    Reminding twice on one level is refused.
    """
    from modules.invoicing.models import PaymentReminder

    invoice = SalesInvoice.objects.select_for_update().get(pk=invoice.pk)
    settings = ensure_invoicing_settings(company=invoice.company, user=user)
    if invoice.state != InvoiceState.ISSUED or invoice.due_date >= on_date:
        raise ValidationError(
            _("%(number)s is not overdue."),
            code="not_overdue",
            params={"number": invoice.number},
        )
    level = invoice.reminder_level + 1
    fee_invoice = None
    if settings.reminder_fee > 0:
        fee_invoice = create_and_issue_invoice(
            company=invoice.company,
            user=user,
            customer=invoice.customer,
            kind=InvoiceKind.INTEREST,
            invoice_date=on_date,
            source=f"reminder:{invoice.pk}:{level}",
            lines=[
                {
                    "description": _("Reminder fee, invoice %(number)s")
                    % {"number": invoice.number},
                    "unit_price": settings.reminder_fee,
                    "vat_code": "no_vat",
                    "account": settings.fees_account,
                }
            ],
        )
    reminder = PaymentReminder.objects.create(
        company=invoice.company,
        invoice=invoice,
        level=level,
        sent_on=on_date,
        overdue_amount=invoice.open_amount,
        fee=settings.reminder_fee,
        penal_interest=penal_interest(
            amount=invoice.open_amount,
            due_date=invoice.due_date,
            paid_on=on_date,
            currency=invoice.currency,
        ),
        fee_invoice=fee_invoice,
    )
    invoice.reminder_level = level
    invoice.last_reminded_on = on_date
    invoice.save(update_fields=["reminder_level", "last_reminded_on"])
    logger.info("Reminder %s of invoice %s", level, invoice.number)
    return reminder


def render_reminder_pdf(reminder) -> bytes:
    """Return the reminder letter as a PDF, in the customer's language."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from modules.invoicing.documents import invoice_context, render_html_pdf

    invoice = reminder.invoice
    language = getattr(invoice.customer, "language", "") or "fi"
    with translation.override(language):
        context = invoice_context(invoice)
        context.update(language=language, reminder=reminder)
        html = render_to_string("invoicing/pdf/reminder.html", context)
    return render_html_pdf(html)


def render_statement_pdf(*, company, customer, on_date: datetime.date) -> bytes:
    """Return a customer's statement of open items on `on_date` as a PDF."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from modules.invoicing.documents import render_html_pdf
    from modules.invoicing.selectors import ageing_bucket, open_items

    field = "organisation" if customer._meta.model_name == "organisation" else "person"
    items = list(open_items(company=company, **{field: customer}))
    language = getattr(customer, "language", "") or "fi"
    with translation.override(language):
        html = render_to_string(
            "invoicing/pdf/statement.html",
            {
                "company": company,
                "customer": customer,
                "on_date": on_date,
                "language": language,
                "items": [
                    (item, ageing_bucket(due_date=item.due_date, on_date=on_date))
                    for item in items
                ],
                "total": sum((item.open_amount for item in items), ZERO),
            },
        )
    return render_html_pdf(html)
