"""Sales orders from a CSV or XLSX file: one row per order line.

Columns: `external_id` (the order's id in the sending system), `customer`
(business ID or exact name), `item_number`, `quantity`, and optionally
`unit_price`, `order_date` (31.12.2026 or 2026-12-31) and
`customer_reference`. Rows with the same external id make one order. The
file is taken whole or not at all; each refused row is named.

Reorder rules come through the registry's import with preview, keyed on
the product's item number and the warehouse code (`ReorderRuleResource`).
"""

import datetime
import logging
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields

from modules.crm.models import Organisation
from modules.orders.models import ReorderRule, SalesOrder
from modules.orders.services import create_sales_order
from modules.products.importing import CompanyKeyedResource, CompanyKeyWidget
from modules.products.models import Product
from modules.stock.models import Warehouse

logger = logging.getLogger(__name__)

REQUIRED = ("external_id", "customer", "item_number", "quantity")


def _date(text) -> datetime.date | None:
    if isinstance(text, datetime.datetime):
        return text.date()
    if isinstance(text, datetime.date):
        return text
    text = str(text or "").strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    if text:
        raise ValidationError(_("“%(value)s” is not a date.") % {"value": text})
    return None


def _customer(company, text):
    text = str(text or "").strip()
    found = Organisation.objects.filter(company=company, business_id=text).first()
    found = found or Organisation.objects.filter(company=company, name=text).first()
    if found is None:
        raise ValidationError(_("No customer “%(value)s”.") % {"value": text})
    return found


def _product(company, text):
    text = str(text or "").strip()
    found = Product.objects.filter(company=company, item_number=text).first()
    if found is None:
        raise ValidationError(_("No product “%(value)s”.") % {"value": text})
    return found


@transaction.atomic
def import_sales_orders(*, company, user, dataset, confirm=True) -> list[SalesOrder]:
    """Create (and confirm) the orders of a table; raise naming bad rows.

    Orders whose external id the company already has are skipped, so a
    file may be sent again.
    """
    headers = [str(header or "").strip().lower() for header in dataset.headers or []]
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        raise ValidationError(
            _("The file lacks the columns: %(columns)s.")
            % {"columns": ", ".join(missing)},
            code="columns",
        )

    orders: dict[str, dict] = defaultdict(lambda: {"lines": []})
    errors = []
    for number, values in enumerate(dataset, start=2):
        row = dict(zip(headers, values, strict=False))
        try:
            key = str(row["external_id"] or "").strip()
            if not key:
                raise ValidationError(_("The external id is empty."))
            order = orders[key]
            order.setdefault("customer", _customer(company, row["customer"]))
            order.setdefault("order_date", _date(row.get("order_date")))
            order.setdefault(
                "customer_reference", str(row.get("customer_reference") or "")
            )
            order["lines"].append(
                {
                    "product": _product(company, row["item_number"]),
                    "quantity": str(row["quantity"]).replace(",", "."),
                    "unit_price": (
                        str(row["unit_price"]).replace(",", ".")
                        if row.get("unit_price") not in (None, "")
                        else None
                    ),
                }
            )
        except ValidationError as error:
            errors.append(
                _("Row %(row)s: %(message)s")
                % {"row": number, "message": " ".join(error.messages)}
            )
    if errors:
        raise ValidationError(errors, code="rows")

    created = []
    for key, order in orders.items():
        try:
            created.append(
                create_sales_order(
                    company=company,
                    user=user,
                    external_id=key,
                    confirm=confirm,
                    **order,
                )
            )
        except ValidationError as error:
            raise ValidationError(
                _("Order %(key)s: %(message)s")
                % {"key": key, "message": " ".join(error.messages)},
                code="order",
            ) from error
    logger.info("%s orders imported for %s", len(created), company)
    return created


class ReorderRuleResource(CompanyKeyedResource):
    """Reorder rules by our item number and the warehouse code."""

    product = fields.Field(
        attribute="product",
        column_name="product",
        widget=CompanyKeyWidget(Product, field="item_number"),
    )
    warehouse = fields.Field(
        attribute="warehouse",
        column_name="warehouse",
        widget=CompanyKeyWidget(Warehouse, field="code"),
    )

    class Meta:
        model = ReorderRule
        fields = (
            "product",
            "warehouse",
            "reorder_point",
            "min_quantity",
            "max_quantity",
            "note",
        )
        import_id_fields = ("product", "warehouse")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
