"""The registry's create/update/delete signatures, mapped onto order services.

The generated admin forms, GraphQL mutations and imports hand a dict of
field values to `create(*, company, user, data)` and
`update(*, instance, user, data)`. Here those calls become the order
services, so a state change asked for over GraphQL confirms, cancels or
ships exactly as the buttons in the admin do.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cms.services import delete_object, update_object
from modules.orders import documents, purchasing, services
from modules.orders.models import (
    DeliveryState,
    PurchaseOrderState,
    QuotationState,
    SalesOrderState,
)


def _split_state(instance, data: dict):
    data = dict(data)
    state = data.pop("state", None)
    if state == instance.state:
        state = None
    return state, data


def _update_fields(instance, user, data):
    return update_object(instance=instance, user=user, data=data) if data else instance


def refuse_write(*, instance=None, user=None, company=None, data=None):
    """Refuse writes of rows that only their documents' services make."""
    raise ValidationError(
        _("These rows are written by receipts and deliveries, not edited."),
        code="read_only",
    )


def create_quotation(*, company, user, data):
    data = dict(data)
    data.pop("state", None)
    return services.create_quotation(company=company, user=user, **data)


def update_quotation(*, instance, user, data):
    state, data = _split_state(instance, data)
    if state == QuotationState.ORDERED:
        services.accept_quotation(quotation=instance, user=user)
    elif state == QuotationState.SENT:
        documents.send_quotation(quotation=instance, user=user)
    elif state is not None:
        services.transition_quotation(quotation=instance, user=user, state=state)
    instance.refresh_from_db()
    return _update_fields(instance, user, data)


def create_quotation_line(*, company, user, data):
    data = dict(data)
    return services.add_quotation_line(
        quotation=data.pop("quotation"), user=user, **data
    )


def create_sales_order(*, company, user, data):
    data = dict(data)
    confirm = data.pop("state", None) == SalesOrderState.CONFIRMED
    return services.create_sales_order(
        company=company, user=user, confirm=confirm, **data
    )


def update_sales_order(*, instance, user, data):
    state, data = _split_state(instance, data)
    instance = _update_fields(instance, user, data)
    if state == SalesOrderState.CONFIRMED:
        return services.confirm_sales_order(order=instance, user=user)
    if state == SalesOrderState.CANCELLED:
        return services.cancel_sales_order(order=instance, user=user)
    if state is not None:
        raise ValidationError(
            {"state": _("Orders are delivered through deliveries.")}, code="state"
        )
    return instance


def create_sales_order_line(*, company, user, data):
    data = dict(data)
    return services.add_sales_order_line(order=data.pop("order"), user=user, **data)


def _draft_only(order):
    if order.state not in (SalesOrderState.DRAFT, PurchaseOrderState.DRAFT):
        raise ValidationError(
            _("Lines of %(number)s are fixed: the order is no longer a draft.")
            % {"number": order.number},
            code="not_draft",
        )


def update_order_line(*, instance, user, data):
    _draft_only(instance.order)
    return update_object(instance=instance, user=user, data=data)


def delete_order_line(*, instance, user):
    _draft_only(instance.order)
    delete_object(instance=instance, user=user)


def create_purchase_order(*, company, user, data):
    data = dict(data)
    data.pop("state", None)
    return purchasing.create_purchase_order(company=company, user=user, **data)


def update_purchase_order(*, instance, user, data):
    state, data = _split_state(instance, data)
    instance = _update_fields(instance, user, data)
    if state == PurchaseOrderState.SENT:
        return purchasing.mark_purchase_order_sent(order=instance, user=user)
    if state is not None:
        raise ValidationError(
            {"state": _("Purchase orders are received through goods receipts.")},
            code="state",
        )
    return instance


def create_purchase_order_line(*, company, user, data):
    data = dict(data)
    order = data.pop("order")
    _draft_only(order)
    return purchasing.add_purchase_order_line(order=order, user=user, **data)


def create_delivery(*, company, user, data):
    delivery = services.propose_delivery(order=data["order"], user=user)
    if delivery is None:
        raise ValidationError(
            _("Nothing of the order is reserved and waiting for delivery."),
            code="nothing_reserved",
        )
    return delivery


def update_delivery(*, instance, user, data):
    state, data = _split_state(instance, data)
    tracking = data.pop("tracking_number", None)
    carrier = data.pop("carrier", "")
    if tracking is not None or carrier:
        instance = services.set_tracking_number(
            delivery=instance,
            user=user,
            tracking_number=tracking
            if tracking is not None
            else instance.tracking_number,
            carrier=carrier,
        )
    if state == DeliveryState.PACKED:
        instance = services.pack_delivery(
            delivery=instance,
            user=user,
            packages=data.pop("packages", instance.packages),
            gross_weight_kg=data.pop("gross_weight_kg", instance.gross_weight_kg),
        )
    elif state == DeliveryState.SHIPPED:
        instance = services.ship_delivery(delivery=instance, user=user)
    elif state is not None:
        raise ValidationError({"state": _("Not a step a delivery can take.")})
    return _update_fields(instance, user, data)
