"""The purchase invoice admin: the inbox list and the invoice card."""

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import HeaderButton

from cms.viewsets import IndexView, InspectView, RegisteredViewSet

from . import circulation, matching, services
from .models import ApprovalStep, InvoiceState


class InboxView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("purchases.change_purchaseinvoice"):
            buttons.insert(
                0,
                HeaderButton(
                    label=_("Receive invoices"),
                    url=reverse("purchases_upload"),
                    icon_name="upload",
                ),
            )
        return buttons


class InvoiceCardView(InspectView):
    """The invoice with its files, rows, route and the actions due now."""

    template_name = "purchases/invoice_card.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invoice = self.object
        user = self.request.user
        step = circulation.current_step(invoice)
        context.update(
            files=invoice.files.select_related("document"),
            lines=invoice.lines.select_related("order_line__order"),
            rows=invoice.accounting_rows.select_related("account"),
            steps=invoice.steps.select_related("assignee", "acted_by"),
            current_step=step,
            my_turn=step is not None
            and circulation.may_act_for(
                user=user,
                assignee=step.assignee,
                company=invoice.company,
                day=timezone.localdate(),
            ),
            can_manage=user.has_perm("purchases.change_purchaseinvoice"),
            can_circulate=invoice.state == InvoiceState.RECEIVED,
            can_post=invoice.state == InvoiceState.APPROVED,
            can_match=invoice.state in services.EDITABLE_STATES,
            orders=matching.open_orders(invoice=invoice),
            step_roles=ApprovalStep.Role,
        )
        return context


class PurchaseInvoiceViewSet(RegisteredViewSet):
    index_view_class = InboxView
    inspect_view_class = InvoiceCardView
