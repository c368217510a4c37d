"""Printed documents of orders: PDFs made by WeasyPrint, and their email.

Quotations, purchase orders, pick lists and delivery notes are Django
templates under `orders/pdf/`, rendered in the recipient's language.
Waybills and CMR notes come from `integrations.waybill`, filled in here
from a delivery.
"""

import logging

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from weasyprint import HTML

from integrations.waybill.documents import (
    ConsignmentNote,
    DomesticWaybill,
    GoodsLine,
    MissingBoxes,
    Party,
)
from integrations.waybill.render import cmr_pdf, waybill_pdf
from modules.orders import purchasing, services
from modules.orders.models import Delivery, PurchaseOrder, Quotation, QuotationState

logger = logging.getLogger(__name__)


def _pdf(template: str, context: dict, language: str) -> bytes:
    with translation.override(language or "fi"):
        html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def _company_party(company) -> Party:
    return Party(
        name=company.name,
        street_address=company.street_address,
        postal_code=company.postal_code,
        city=company.city,
        country=company.country or "FI",
        business_id=company.business_id,
        phone=company.phone,
    )


def quotation_pdf(quotation: Quotation) -> bytes:
    """Return the quotation as PDF, in the customer's language."""
    lines = list(quotation.lines.select_related("product"))
    return _pdf(
        "orders/pdf/quotation.html",
        {
            "doc": quotation,
            "company": quotation.company,
            "party": quotation.customer,
            "lines": lines,
            "total": sum(line.line_total for line in lines),
        },
        quotation.customer.language,
    )


def purchase_order_pdf(order: PurchaseOrder) -> bytes:
    """Return the purchase order as PDF, in the supplier's language."""
    lines = list(order.lines.select_related("product"))
    return _pdf(
        "orders/pdf/purchase_order.html",
        {
            "doc": order,
            "company": order.company,
            "party": order.supplier,
            "lines": lines,
            "total": sum(line.line_total for line in lines),
        },
        order.supplier.language,
    )


def _delivery_context(delivery: Delivery) -> dict:
    return {
        "doc": delivery,
        "order": delivery.order,
        "company": delivery.company,
        "party": delivery.order.customer,
        "lines": list(
            delivery.lines.select_related("order_line__product").order_by(
                "order_line__position", "pk"
            )
        ),
    }


def pick_list_pdf(delivery: Delivery) -> bytes:
    """Return the pick list of a delivery, in the company's language."""
    return _pdf(
        "orders/pdf/pick_list.html",
        _delivery_context(delivery),
        delivery.company.language,
    )


def delivery_note_pdf(delivery: Delivery) -> bytes:
    """Return the delivery note of a delivery, in the customer's language."""
    return _pdf(
        "orders/pdf/delivery_note.html",
        _delivery_context(delivery),
        delivery.order.customer.language,
    )


def _consignee(order) -> Party:
    return Party(
        name=order.delivery_name or order.customer.name,
        street_address=order.delivery_address,
        postal_code=order.delivery_postal_code,
        city=order.delivery_city,
        country=order.delivery_country,
        phone=order.customer.phone,
    )


def _goods(delivery) -> list[GoodsLine]:
    packages = max(delivery.packages, 1)
    contents = ", ".join(
        str(line.order_line.product.name)
        for line in delivery.lines.select_related("order_line__product")
    )
    return [
        GoodsLine(
            marks=delivery.number,
            packages=packages,
            packing=_("Package"),
            description=contents[:200],
            gross_weight_kg=delivery.gross_weight_kg,
        )
    ]


BOX_NAMES = {
    "sender": gettext_lazy("the sender"),
    "consignee": gettext_lazy("the consignee"),
    "carrier": gettext_lazy("the carrier"),
    "goods": gettext_lazy("the goods"),
    "1": gettext_lazy("1 sender"),
    "2": gettext_lazy("2 consignee"),
    "3": gettext_lazy("3 place of delivery (the order's delivery city)"),
    "4": gettext_lazy("4 place of taking over (the warehouse's or company's city)"),
    "6-12": gettext_lazy("6-12 goods"),
    "16": gettext_lazy("16 carrier"),
    "21": gettext_lazy("21 place of issue (the company's city)"),
}


def _missing_boxes(error: MissingBoxes) -> ValidationError:
    return ValidationError(
        _("The waybill lacks: %(boxes)s.")
        % {"boxes": ", ".join(str(BOX_NAMES[box]) for box in error.boxes)},
        code="waybill",
    )


def delivery_waybill_pdf(delivery: Delivery) -> bytes:
    """Return the domestic waybill of a packed or shipped delivery."""
    try:
        waybill = DomesticWaybill(
            number=delivery.number,
            date=delivery.date,
            sender=_company_party(delivery.company),
            consignee=_consignee(delivery.order),
            carrier=Party(delivery.carrier),
            goods=_goods(delivery),
            order_reference=delivery.order.customer_reference or delivery.order.number,
            tracking_number=delivery.tracking_number,
        )
    except MissingBoxes as error:
        raise _missing_boxes(error) from error
    return waybill_pdf(waybill)


def delivery_cmr_pdf(delivery: Delivery) -> bytes:
    """Return the CMR consignment note of an international delivery."""
    company = delivery.company
    order = delivery.order
    warehouse = order.warehouse
    try:
        note = ConsignmentNote(
            number=delivery.number,
            sender=_company_party(company),
            consignee=_consignee(order),
            delivery_place=order.delivery_city,
            delivery_country=order.delivery_country,
            taking_over_place=warehouse.city or company.city,
            taking_over_country=company.country or "FI",
            taking_over_date=delivery.date,
            goods=_goods(delivery),
            carrier=Party(delivery.carrier),
            established_place=company.city,
            established_date=timezone.localdate(),
            documents_attached=_("Delivery note %(number)s")
            % {"number": delivery.number},
        )
    except MissingBoxes as error:
        raise _missing_boxes(error) from error
    return cmr_pdf(note)


def _send(*, subject, body, to, filename, pdf) -> None:
    if not to:
        raise ValidationError(_("The recipient has no email address."), code="no_email")
    message = EmailMessage(subject=subject, body=body, to=[to])
    message.attach(filename, pdf, "application/pdf")
    message.send()


def send_quotation(*, quotation, user, to=None) -> Quotation:
    """Email the quotation PDF to the customer and mark it sent."""
    to = to or (quotation.contact.email if quotation.contact else "")
    to = to or quotation.customer.email
    with translation.override(quotation.customer.language or "fi"):
        subject = _("Quotation %(number)s") % {"number": quotation.number}
        body = _("Please find our quotation attached.")
    if quotation.state == QuotationState.DRAFT:
        quotation = services.transition_quotation(
            quotation=quotation, user=user, state=QuotationState.SENT
        )
    _send(
        subject=subject,
        body=body,
        to=to,
        filename=f"{quotation.number}.pdf",
        pdf=quotation_pdf(quotation),
    )
    logger.info("Quotation %s sent to %s", quotation.number, to)
    return quotation


def send_purchase_order(*, order, user, to=None) -> PurchaseOrder:
    """Email the purchase order PDF to the supplier and mark it sent."""
    to = to or order.supplier.email
    with translation.override(order.supplier.language or "fi"):
        subject = _("Purchase order %(number)s") % {"number": order.number}
        body = _("Please find our order attached.")
    order = purchasing.mark_purchase_order_sent(order=order, user=user)
    _send(
        subject=subject,
        body=body,
        to=to,
        filename=f"{order.number}.pdf",
        pdf=purchase_order_pdf(order),
    )
    logger.info("Purchase order %s sent to %s", order.number, to)
    return order
