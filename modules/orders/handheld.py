"""Handheld pages for warehouse staff: picking and goods receipt.

Made for phones and scanner browsers: large buttons, one barcode field
that a keyboard-wedge scanner types into (ending with Enter) and, where
the browser has `BarcodeDetector`, the camera. Every form carries a
submission key; the page keeps an unanswered submission and sends it
again when the connection returns, and `modules.stock.submissions
.submit_once` (shared with the stock pages) makes sure
the second arrival books nothing. Answers are JSON with a message the
user reads on the spot.
"""

import logging
import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from modules.core.current import current_company
from modules.core.models import Role
from modules.core.scoping import user_has_role
from modules.orders import purchasing, services
from modules.orders.models import (
    Delivery,
    DeliveryState,
    PurchaseOrder,
)
from modules.orders.purchasing import OPEN_PURCHASE_STATES
from modules.products.selectors import find_by_barcode
from modules.stock.submissions import submit_once

logger = logging.getLogger(__name__)

HANDHELD_ROLES = (Role.WAREHOUSE, Role.ADMINISTRATOR)
PICKABLE = (DeliveryState.PROPOSED, DeliveryState.PICKING)


class Refused(Exception):
    """A scan the page answers with a message and books nothing for."""


@method_decorator(login_required, name="dispatch")
class HandheldView(View):
    """A handheld page of the current company, for warehouse staff only."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.company = current_company(request)
        if self.company is None or not user_has_role(
            request.user, self.company, HANDHELD_ROLES
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def answer(self, *, ok: bool, message: str, lines=(), status=200):
        return JsonResponse(
            {
                "ok": ok,
                "message": message,
                "lines": list(lines),
                "next_key": str(uuid.uuid4()),
            },
            status=status,
        )

    def submit(self, key, book) -> str:
        """Book once per form key; a resend gets the first answer back."""
        result, _first = submit_once(
            company=self.company,
            user=self.request.user,
            key=key,
            action=type(self).__name__.removesuffix("View").lower(),
            book=lambda: {"message": str(book())},
        )
        return result["message"]

    def scanned_product(self, code: str):
        match = find_by_barcode(company=self.company, code=code)
        if match is None:
            raise Refused(
                _("Unknown barcode %(code)s: no product has it.")
                % {"code": code.strip() or "–"}
            )
        return match

    def submission_key(self, request) -> uuid.UUID:
        try:
            return uuid.UUID(request.POST.get("key", ""))
        except ValueError as error:
            raise Refused(_("The form is out of date: reload the page.")) from error


class MenuView(HandheldView):
    def get(self, request):
        return render(
            request,
            "orders/handheld/menu.html",
            {
                "deliveries": Delivery.objects.filter(
                    company=self.company, state__in=PICKABLE
                ).select_related("order__customer"),
                "purchase_orders": PurchaseOrder.objects.filter(
                    company=self.company, state__in=OPEN_PURCHASE_STATES
                )
                .exclude(state="draft")
                .select_related("supplier"),
            },
        )


def _pick_lines(delivery):
    return [
        {
            "id": line.pk,
            "done": f"{line.picked_quantity.normalize():f}",
            "total": f"{line.quantity.normalize():f}",
        }
        for line in delivery.lines.order_by("pk")
    ]


class PickView(HandheldView):
    """Pick the lines of a delivery by scanning their barcodes."""

    def delivery(self, pk):
        return get_object_or_404(
            Delivery.objects.select_related("order__customer"),
            pk=pk,
            company=self.company,
        )

    def get(self, request, pk):
        delivery = self.delivery(pk)
        return render(
            request,
            "orders/handheld/pick.html",
            {
                "delivery": delivery,
                "lines": delivery.lines.select_related("order_line__product"),
                "key": uuid.uuid4(),
            },
        )

    def post(self, request, pk):
        delivery = self.delivery(pk)
        try:
            key = self.submission_key(request)
            match = self.scanned_product(request.POST.get("code", ""))
            line = (
                delivery.lines.filter(order_line__product=match.product)
                .order_by("pk")
                .first()
            )
            if line is None:
                raise Refused(
                    _("%(product)s is not on this delivery.")
                    % {"product": match.product}
                )
            quantity = services.quantity_of(request.POST.get("quantity") or "1")

            def book():
                picked = services.record_pick(
                    line=line, quantity=quantity * match.factor, user=request.user
                )
                return _("Picked %(quantity)s × %(product)s (%(done)s/%(total)s).") % {
                    "quantity": f"{(quantity * match.factor).normalize():f}",
                    "product": match.product,
                    "done": f"{picked.picked_quantity.normalize():f}",
                    "total": f"{picked.quantity.normalize():f}",
                }

            message = self.submit(key, book)
        except Refused as refusal:
            return self.answer(ok=False, message=str(refusal), status=400)
        except ValidationError as error:
            return self.answer(ok=False, message=" ".join(error.messages), status=400)
        return self.answer(ok=True, message=message, lines=_pick_lines(delivery))


def _receipt_lines(order):
    return [
        {
            "id": line.pk,
            "done": f"{line.received_quantity.normalize():f}",
            "total": f"{line.quantity.normalize():f}",
        }
        for line in order.lines.order_by("pk")
    ]


class ReceiveView(HandheldView):
    """Receive a purchase order by scanning, with batch and expiry date."""

    def order(self, pk):
        return get_object_or_404(
            PurchaseOrder.objects.select_related("supplier"),
            pk=pk,
            company=self.company,
        )

    def get(self, request, pk):
        order = self.order(pk)
        return render(
            request,
            "orders/handheld/receive.html",
            {
                "order": order,
                "lines": order.lines.select_related("product"),
                "key": uuid.uuid4(),
            },
        )

    def post(self, request, pk):
        order = self.order(pk)
        try:
            key = self.submission_key(request)
            match = self.scanned_product(request.POST.get("code", ""))
            lines = list(order.lines.filter(product=match.product).order_by("pk"))
            if not lines:
                raise Refused(
                    _("%(product)s is not on this purchase order.")
                    % {"product": match.product}
                )
            line = next((x for x in lines if x.open_quantity > 0), lines[-1])
            quantity = services.quantity_of(request.POST.get("quantity") or "1")

            def book():
                receipt = purchasing.receive_goods(
                    order=order,
                    user=request.user,
                    lines=[
                        {
                            "order_line": line,
                            "quantity": quantity * match.factor,
                            "batch_number": request.POST.get("batch", ""),
                            "expiry_date": request.POST.get("expiry") or None,
                        }
                    ],
                    confirm_over_receipt=request.POST.get("confirm") == "1",
                )
                return _("Received %(quantity)s × %(product)s (%(number)s).") % {
                    "quantity": f"{(quantity * match.factor).normalize():f}",
                    "product": match.product,
                    "number": receipt.number,
                }

            message = self.submit(key, book)
        except Refused as refusal:
            return self.answer(ok=False, message=str(refusal), status=400)
        except ValidationError as error:
            response = self.answer(
                ok=False, message=" ".join(error.messages), status=400
            )
            if error.code == "over_receipt":
                response["X-Confirm"] = "over_receipt"
            return response
        return self.answer(ok=True, message=message, lines=_receipt_lines(order))
