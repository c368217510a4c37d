"""GraphQL beyond the generated API: goods receipt against a purchase order.

`receiveGoods` calls `purchasing.receive_goods`, the service behind the
admin's receipt form and the handheld receiving page, so an integrator's
receipt is checked the same way: more than ordered needs
`confirmOverReceipt`, a batch-tracked product needs its batch number, and
a refused receipt books nothing. The purchase order is looked up among
the caller's companies only.
"""

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cms.api import access
from cms.api.errors import field_errors
from cms.api.mutations import FieldError
from modules.orders import purchasing
from modules.orders.models import Allocation, GoodsReceipt, PurchaseOrder


class ReceivedLineInput(graphene.InputObjectType):
    order_line = graphene.ID(required=True, description="Purchase order line id.")
    quantity = graphene.Decimal(required=True)
    batch_number = graphene.String(description="Needed for batch-tracked products.")
    expiry_date = graphene.Date()


class ReceivedLandedCostInput(graphene.InputObjectType):
    kind = graphene.String(required=True, description="Freight, customs, other.")
    amount = graphene.Decimal(required=True)
    allocation = graphene.String(
        description="Spread by value (default), weight or quantity."
    )


class ReceiveGoods(graphene.Mutation):
    """Receive goods against a purchase order and post them to stock."""

    class Arguments:
        purchase_order = graphene.ID(required=True)
        lines = graphene.List(graphene.NonNull(ReceivedLineInput), required=True)
        landed_costs = graphene.List(graphene.NonNull(ReceivedLandedCostInput))
        date = graphene.Date()
        confirm_over_receipt = graphene.Boolean(
            default_value=False,
            description="Receive more than ordered; refused without it.",
        )

    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    receipt_id = graphene.ID()
    number = graphene.String()

    @classmethod
    def mutate(cls, root, info, purchase_order, lines, **options):
        access.require(info.context, GoodsReceipt, "add")
        try:
            receipt = purchasing.receive_goods(
                order=_purchase_order(info, purchase_order),
                user=info.context.user,
                lines=[
                    {
                        "order_line": _pk(line.order_line),
                        "quantity": line.quantity,
                        "batch_number": line.get("batch_number") or "",
                        "expiry_date": line.get("expiry_date"),
                    }
                    for line in lines
                ],
                landed_costs=[
                    {
                        "kind": cost.kind,
                        "amount": cost.amount,
                        "allocation": _allocation(cost.get("allocation")),
                    }
                    for cost in options.get("landed_costs") or ()
                ],
                date=options.get("date"),
                confirm_over_receipt=options["confirm_over_receipt"],
            )
        except ValidationError as error:
            return cls(ok=False, errors=field_errors(error))
        return cls(ok=True, errors=[], receipt_id=receipt.pk, number=receipt.number)


def _purchase_order(info, pk) -> PurchaseOrder:
    found = access.scoped(PurchaseOrder.objects.filter(pk=pk), info.context).first()
    if found is None:
        raise ValidationError(
            _("Purchase order %(id)s is unknown.") % {"id": pk},
            code="unknown_purchase_order",
        )
    return found


def _pk(value) -> int | None:
    # An id that is not a number names no line; the service says so.
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _allocation(value):
    if not value:
        return Allocation.VALUE
    if value not in Allocation.values:
        raise ValidationError(
            _("Allocate landed costs by %(choices)s.")
            % {"choices": ", ".join(Allocation.values)},
            code="allocation",
        )
    return value


def build_fields():
    """Return the orders module's own (query fields, mutation fields)."""
    return {}, {"receive_goods": ReceiveGoods.Field()}
