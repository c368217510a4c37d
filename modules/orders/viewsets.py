"""Admin screens of order documents: the document card and its actions.

Each document's inspect view is its card: lines, stock, deliveries and the
buttons of the next steps. A button posts to an action URL of the same
viewset, which finds the document among the user's companies, checks the
change permission, calls the service and comes back to the card with the
service's message. PDF links are GET views that need the view permission.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages

from cms.viewsets import InspectView, RegisteredViewSet
from modules.core.scoping import scope_queryset
from modules.orders import documents, selectors, services
from modules.orders.models import DeliveryState, QuotationState

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Action:
    """A button on a document card: a service call or a PDF."""

    label: str
    run: Callable
    pdf: bool = False
    states: tuple = ()
    fields: tuple = ()


class ActionView(View):
    """Run one action of a document for a user allowed to change it."""

    viewset = None
    action_name = ""

    def _object(self, request, pk):
        queryset = scope_queryset(self.viewset.model.objects.all(), request.user)
        return get_object_or_404(queryset, pk=pk)

    def _allowed(self, request, action: Action) -> None:
        verb = "view" if action.pdf else "change"
        meta = self.viewset.model._meta
        if not request.user.has_perm(f"{meta.app_label}.{verb}_{meta.model_name}"):
            raise PermissionDenied

    def get(self, request, pk):
        action = self.viewset.actions[self.action_name]
        self._allowed(request, action)
        if not action.pdf:
            return redirect(self.viewset.get_url_name("inspect"), pk)
        obj = self._object(request, pk)
        try:
            pdf = action.run(request, obj)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.viewset.get_url_name("inspect"), pk)
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = f"{self.action_name}-{obj.number}.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response

    def post(self, request, pk):
        action = self.viewset.actions[self.action_name]
        self._allowed(request, action)
        obj = self._object(request, pk)
        try:
            result = action.run(request, obj)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, str(result))
        return redirect(self.viewset.get_url_name("inspect"), pk)


class DocumentInspectView(InspectView):
    """A document's card: its fields, lines and the buttons of next steps."""

    template_name = "orders/document_card.html"
    view_set = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        meta = self.model._meta
        may_change = user.has_perm(f"{meta.app_label}.change_{meta.model_name}")
        context["actions"] = [
            {"name": name, "action": action, "url": self.viewset_url(name)}
            for name, action in self.view_set.actions.items()
            if (action.pdf or may_change)
            and (not action.states or self.object.state in action.states)
        ]
        context.update(self.view_set.card(self.object, user))
        return context

    def viewset_url(self, name):
        return reverse(
            self.view_set.get_url_name(f"action_{name}"), args=[self.object.pk]
        )


class DocumentViewSet(RegisteredViewSet):
    """A registered viewset whose card offers the document's actions."""

    inspect_view_class = DocumentInspectView
    actions: dict[str, Action] = {}

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(view_set=self, **kwargs)

    def card(self, obj, user) -> dict:
        return {}

    def get_urlpatterns(self):
        urlpatterns = super().get_urlpatterns()
        for name in self.actions:
            urlpatterns.append(
                path(
                    f"<int:pk>/{name}/",
                    ActionView.as_view(viewset=self, action_name=name),
                    name=f"action_{name}",
                )
            )
        return urlpatterns


def _send_quotation(request, quotation):
    documents.send_quotation(quotation=quotation, user=request.user)
    return _("Quotation %(number)s sent.") % {"number": quotation.number}


def _accept_quotation(request, quotation):
    order = services.accept_quotation(quotation=quotation, user=request.user)
    return _("Order %(number)s created and stock reserved.") % {"number": order.number}


def _reject_quotation(request, quotation):
    services.transition_quotation(
        quotation=quotation, user=request.user, state=QuotationState.REJECTED
    )
    return _("Quotation %(number)s marked rejected.") % {"number": quotation.number}


class QuotationViewSet(DocumentViewSet):
    actions = {
        "pdf": Action(
            gettext_lazy("PDF"), lambda r, q: documents.quotation_pdf(q), True
        ),
        "send": Action(
            gettext_lazy("Email to customer"),
            _send_quotation,
            states=(QuotationState.DRAFT, QuotationState.SENT),
        ),
        "accept": Action(
            gettext_lazy("Accepted: make a sales order"),
            _accept_quotation,
            states=(QuotationState.DRAFT, QuotationState.SENT, QuotationState.ACCEPTED),
        ),
        "reject": Action(
            gettext_lazy("Rejected"),
            _reject_quotation,
            states=(QuotationState.DRAFT, QuotationState.SENT, QuotationState.ACCEPTED),
        ),
    }

    def card(self, obj, user):
        lines = list(obj.lines.select_related("product"))
        return {
            "lines": lines,
            "total": sum(line.line_total for line in lines),
            "order": getattr(obj, "sales_order", None),
        }


def _confirm_order(request, order):
    services.confirm_sales_order(order=order, user=request.user)
    return _("Order %(number)s confirmed; the stock there is was reserved.") % {
        "number": order.number
    }


def _propose_delivery(request, order):
    delivery = services.propose_delivery(order=order, user=request.user)
    if delivery is None:
        return _("Nothing reserved is waiting for delivery.")
    return _("Delivery %(number)s proposed.") % {"number": delivery.number}


def _cancel_order(request, order):
    services.cancel_sales_order(order=order, user=request.user)
    return _("Order %(number)s cancelled.") % {"number": order.number}


class SalesOrderViewSet(DocumentViewSet):
    actions = {
        "confirm": Action(
            gettext_lazy("Confirm and reserve"), _confirm_order, states=("draft",)
        ),
        "deliver": Action(
            gettext_lazy("Propose a delivery"),
            _propose_delivery,
            states=("confirmed", "partly_delivered"),
        ),
        "cancel": Action(
            gettext_lazy("Cancel order"),
            _cancel_order,
            states=("draft", "confirmed", "partly_delivered"),
        ),
    }

    def card(self, obj, user):
        return {
            "order_lines": selectors.order_lines_with_stock(order=obj),
            "deliveries": obj.deliveries.order_by("pk"),
        }


def _send_purchase_order(request, order):
    documents.send_purchase_order(order=order, user=request.user)
    return _("Purchase order %(number)s sent.") % {"number": order.number}


class PurchaseOrderViewSet(DocumentViewSet):
    actions = {
        "pdf": Action(
            gettext_lazy("PDF"), lambda r, o: documents.purchase_order_pdf(o), True
        ),
        "send": Action(
            gettext_lazy("Email to supplier"), _send_purchase_order, states=("draft",)
        ),
    }

    def card(self, obj, user):
        lines = list(obj.lines.select_related("product"))
        return {
            "lines": lines,
            "total": sum(line.line_total for line in lines),
            "receipts": obj.receipts.order_by("pk"),
            "receive_url": "orders_receive",
        }


def _pick_all(request, delivery):
    services.pick_delivery_in_full(delivery=delivery, user=request.user)
    return _("All lines marked picked.")


def _pack(request, delivery):
    services.pack_delivery(
        delivery=delivery,
        user=request.user,
        packages=request.POST.get("packages") or 0,
        gross_weight_kg=request.POST.get("gross_weight_kg") or "0",
    )
    return _("Delivery %(number)s packed.") % {"number": delivery.number}


def _ship(request, delivery):
    services.ship_delivery(
        delivery=delivery,
        user=request.user,
        carrier=request.POST.get("carrier", ""),
        tracking_number=request.POST.get("tracking_number", ""),
    )
    return _("Delivery %(number)s shipped.") % {"number": delivery.number}


class DeliveryViewSet(DocumentViewSet):
    actions = {
        "picklist": Action(
            gettext_lazy("Pick list"), lambda r, d: documents.pick_list_pdf(d), True
        ),
        "note": Action(
            gettext_lazy("Delivery note"),
            lambda r, d: documents.delivery_note_pdf(d),
            True,
        ),
        "waybill": Action(
            gettext_lazy("Waybill"),
            lambda r, d: documents.delivery_waybill_pdf(d),
            True,
        ),
        "cmr": Action(
            gettext_lazy("CMR note"), lambda r, d: documents.delivery_cmr_pdf(d), True
        ),
        "pick": Action(
            gettext_lazy("Mark all picked"),
            _pick_all,
            states=(DeliveryState.PROPOSED, DeliveryState.PICKING),
        ),
        "pack": Action(
            gettext_lazy("Packed"),
            _pack,
            states=(DeliveryState.PICKING, DeliveryState.PACKED),
            fields=(
                ("packages", gettext_lazy("Packages"), "number"),
                ("gross_weight_kg", gettext_lazy("Gross weight (kg)"), "text"),
            ),
        ),
        "ship": Action(
            gettext_lazy("Shipped"),
            _ship,
            states=(DeliveryState.PICKING, DeliveryState.PACKED),
            fields=(
                ("carrier", gettext_lazy("Carrier"), "text"),
                ("tracking_number", gettext_lazy("Tracking number"), "text"),
            ),
        ),
    }

    def card(self, obj, user):
        return {
            "delivery_lines": obj.lines.select_related("order_line__product"),
        }
