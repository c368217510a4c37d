"""Admin pages of orders beyond the document cards.

Goods receipt against a purchase order, purchase order suggestions,
delivery distribution of scarce stock, and the sales order file import.
Each page works on the current company and needs the permission named on
its class.
"""

import logging
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from cms.importing import ImportFileError, read_table
from cms.jobs.services import start_job
from modules.core.current import current_company
from modules.core.scoping import scope_queryset
from modules.crm.models import Classification
from modules.orders import purchasing, selectors, services
from modules.orders.importing import import_sales_orders
from modules.orders.models import Allocation, LandedCostKind, PurchaseOrder
from modules.products.models import Product
from modules.stock.models import Warehouse

logger = logging.getLogger(__name__)


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


class OrdersPage(WagtailAdminTemplateMixin, TemplateView):
    """An admin page of the current company that needs one permission."""

    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.company = current_company(request)
        if self.company is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReceiveGoodsView(OrdersPage):
    """Receive goods against a purchase order, with batches and landed costs."""

    permission = "orders.add_goodsreceipt"
    page_title = gettext_lazy("Receive goods")
    header_icon = "download"
    template_name = "orders/receive.html"

    def _order(self):
        queryset = scope_queryset(PurchaseOrder.objects.all(), self.request.user)
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self._order()
        context.update(
            order=order,
            lines=order.lines.select_related("product"),
            cost_kinds=LandedCostKind.choices,
            allocations=Allocation.choices,
            cost_rows=range(3),
            ask_confirmation=kwargs.get("ask_confirmation", False),
            posted=self.request.POST,
        )
        return context

    def post(self, request, pk):
        order = self._order()
        lines = []
        for line in order.lines.all():
            quantity = request.POST.get(f"quantity_{line.pk}", "").strip()
            if quantity:
                lines.append(
                    {
                        "order_line": line,
                        "quantity": quantity.replace(",", "."),
                        "batch_number": request.POST.get(f"batch_{line.pk}", ""),
                        "expiry_date": request.POST.get(f"expiry_{line.pk}") or None,
                    }
                )
        costs = []
        for index in range(3):
            amount = request.POST.get(f"cost_amount_{index}", "").strip()
            if amount:
                costs.append(
                    {
                        "kind": request.POST.get(f"cost_kind_{index}"),
                        "amount": amount.replace(",", "."),
                        "allocation": request.POST.get(f"cost_allocation_{index}"),
                    }
                )
        try:
            receipt = purchasing.receive_goods(
                order=order,
                user=request.user,
                lines=lines,
                landed_costs=costs,
                confirm_over_receipt=bool(request.POST.get("confirm_over_receipt")),
            )
        except (ValidationError, ValueError, TypeError) as error:
            if isinstance(error, ValidationError):
                _errors(request, error)
            else:
                messages.error(request, _("Check the numbers and dates entered."))
            over = isinstance(error, ValidationError) and error.code == "over_receipt"
            return self.render_to_response(self.get_context_data(ask_confirmation=over))
        messages.success(
            request, _("Goods receipt %(number)s posted.") % {"number": receipt.number}
        )
        return redirect("orders_purchaseorder:inspect", order.pk)


class PurchaseSuggestionsView(OrdersPage):
    """Purchase order suggestions per supplier, ordered in one step."""

    permission = "orders.add_purchaseorder"
    page_title = gettext_lazy("Purchase suggestions")
    header_icon = "repeat"
    template_name = "orders/suggestions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = purchasing.purchase_suggestions(company=self.company)
        context["groups"] = sorted(
            groups.items(), key=lambda item: (item[0] is None, str(item[0] or ""))
        )
        return context

    def post(self, request):
        chosen = []
        groups = purchasing.purchase_suggestions(company=self.company)
        for suggestion in (s for group in groups.values() for s in group):
            if request.POST.get(f"take_{suggestion.rule.pk}"):
                quantity = request.POST.get(f"quantity_{suggestion.rule.pk}", "")
                try:
                    suggestion.quantity = Decimal(quantity.replace(",", "."))
                except ArithmeticError:
                    messages.error(request, _("Check the quantities entered."))
                    return redirect("orders_suggestions")
                chosen.append(suggestion)
        try:
            orders = purchasing.order_suggestions(
                company=self.company, user=request.user, suggestions=chosen
            )
        except ValidationError as error:
            _errors(request, error)
            return redirect("orders_suggestions")
        messages.success(
            request,
            _("Purchase orders created: %(numbers)s")
            % {"numbers": ", ".join(order.number for order in orders) or "–"},
        )
        if orders and request.POST.get("send"):
            job = start_job(
                company=self.company,
                user=request.user,
                kind="orders.send_purchase_orders",
                title=_("Send purchase orders"),
                params={"order_ids": [order.pk for order in orders]},
            )
            return redirect("jobs:inspect", job.pk)
        return redirect("orders_suggestions")


class DistributionView(OrdersPage):
    """Share scarce stock among waiting orders; the user accepts or adjusts."""

    permission = "orders.change_salesorder"
    page_title = gettext_lazy("Delivery distribution")
    header_icon = "resubmit"
    template_name = "orders/distribution.html"

    def _choices(self):
        products = Product.objects.filter(company=self.company).order_by("item_number")
        warehouses = Warehouse.objects.filter(company=self.company).order_by("code")
        params = self.request.GET if self.request.method == "GET" else self.request.POST
        product = products.filter(pk=params.get("product") or 0).first()
        warehouse = warehouses.filter(pk=params.get("warehouse") or 0).first()
        warehouse = warehouse or warehouses.first()
        classes = Classification.objects.filter(company=self.company)
        preferred = classes.filter(pk=params.get("preferred_class") or 0).first()
        rule = params.get("rule") if params.get("rule") in selectors.RULES else "date"
        return products, warehouses, classes, product, warehouse, preferred, rule

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        products, warehouses, classes, product, warehouse, preferred, rule = (
            self._choices()
        )
        context.update(
            products=products,
            warehouses=warehouses,
            classes=classes,
            product=product,
            warehouse=warehouse,
            preferred=preferred,
            rule=rule,
            rules=[
                ("date", _("Order date")),
                ("priority", _("Priority")),
                ("customer_class", _("Customer class")),
            ],
        )
        if product is not None and warehouse is not None:
            available, shares = selectors.distribution_proposal(
                company=self.company,
                product=product,
                warehouse=warehouse,
                rule=rule,
                preferred_class=preferred,
            )
            context.update(available=available, shares=shares)
        return context

    def post(self, request):
        _products, _w, _c, product, warehouse, _preferred, _rule = self._choices()
        if product is None or warehouse is None:
            return redirect("orders_distribution")
        _available, shares = selectors.distribution_proposal(
            company=self.company, product=product, warehouse=warehouse
        )
        allocations = {}
        for share in shares:
            value = request.POST.get(f"share_{share.line.pk}", "").replace(",", ".")
            allocations[share.line] = value.strip() or "0"
        try:
            count = services.apply_distribution(
                company=self.company, user=request.user, allocations=allocations
            )
            for order in {share.line.order for share in shares}:
                services.propose_delivery(order=order, user=request.user)
        except (ValidationError, ValueError) as error:
            if isinstance(error, ValidationError):
                _errors(request, error)
            else:
                messages.error(request, _("Check the quantities entered."))
        else:
            messages.success(
                request, _("Stock reserved for %(count)s lines.") % {"count": count}
            )
        url = reverse("orders_distribution")
        return redirect(f"{url}?product={product.pk}&warehouse={warehouse.pk}")


class ImportOrdersView(OrdersPage):
    """Sales orders from a CSV or XLSX file, confirmed on import."""

    permission = "orders.add_salesorder"
    page_title = gettext_lazy("Import sales orders")
    header_icon = "upload"
    template_name = "orders/import_orders.html"

    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a file."))
            return redirect("orders_import")
        try:
            dataset = read_table(upload.read(), upload.name)
            orders = import_sales_orders(
                company=self.company, user=request.user, dataset=dataset
            )
        except ImportFileError as error:
            messages.error(request, str(error))
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(
                request,
                _("Orders imported: %(numbers)s")
                % {"numbers": ", ".join(order.number for order in orders)},
            )
        return redirect("orders_import")
