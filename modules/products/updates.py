"""Supplier price and product updates: receive, preview, apply.

An update arrives as rows (a GraphQL `createPriceUpdate` or the admin
form). Receiving it checks every row and stores the preview of what would
change; nothing else is written. Setting its state to "applied" writes
the supplier items and product details in one transaction, after checking
the rows again against the data as it is then.
"""

import logging
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.core.audit import record_change, snapshot
from modules.products.models import (
    PriceUpdate,
    PriceUpdateState,
    Product,
    SupplierItem,
)

logger = logging.getLogger(__name__)

ITEM_FIELDS = {
    "price": "decimal",
    "currency": "text",
    "lead_time_days": "int",
    "min_order_quantity": "decimal",
}
PRODUCT_FIELDS = {
    "name_fi": "text",
    "name_sv": "text",
    "name_en": "text",
    "ean": "text",
    "weight_kg": "decimal",
}
MAX_ROWS = 20_000


def _value(kind, raw, *, row, name):
    if kind == "text":
        return str(raw).strip()
    text = str(raw).strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
    try:
        return int(text) if kind == "int" else Decimal(text)
    except (ValueError, InvalidOperation) as error:
        raise ValidationError(
            _("Row %(row)s: %(name)s “%(value)s” is not a number.")
            % {"row": row, "name": name, "value": raw},
            code="number",
        ) from error


def _comparable(value):
    return f"{value:f}" if isinstance(value, Decimal) else value


def _diff(instance, wanted: dict) -> dict:
    changed = {}
    for name, new in wanted.items():
        old = getattr(instance, name) if instance is not None else None
        if instance is None or _comparable(old) != _comparable(new):
            changed[name] = [_comparable(old), _comparable(new)]
    return changed


def _plan_row(*, company, supplier, index, row) -> dict:
    """Return what one row changes, or raise ValidationError naming the row."""
    if not isinstance(row, dict):
        raise ValidationError(
            _("Row %(row)s is not an object.") % {"row": index}, code="row"
        )
    number = str(row.get("supplier_item_number") or "").strip()
    if not number:
        raise ValidationError(
            _("Row %(row)s has no supplier item number.") % {"row": index},
            code="supplier_item_number",
        )
    item = SupplierItem.objects.filter(
        company=company, supplier=supplier, supplier_item_number=number
    ).first()
    product_number = str(row.get("product") or "").strip()
    if product_number:
        product = Product.objects.filter(
            company=company, item_number=product_number
        ).first()
        if product is None:
            raise ValidationError(
                _("Row %(row)s: product %(product)s is not known.")
                % {"row": index, "product": product_number},
                code="unknown_product",
            )
    elif item is not None:
        product = item.product
    else:
        raise ValidationError(
            _("Row %(row)s: a new supplier item needs our item number (product).")
            % {"row": index},
            code="product_required",
        )
    if item is None and "price" not in row:
        raise ValidationError(
            _("Row %(row)s: a new supplier item needs a price.") % {"row": index},
            code="price_required",
        )
    item_values = {
        name: _value(kind, row[name], row=index, name=name)
        for name, kind in ITEM_FIELDS.items()
        if name in row
    }
    if item is None or item.product_id != product.pk:
        item_values["product"] = product.item_number
    product_values = {
        name: _value(kind, row[name], row=index, name=name)
        for name, kind in PRODUCT_FIELDS.items()
        if name in row
    }
    item_changes = _diff(item, item_values)
    if item is not None and "product" in item_changes:
        item_changes["product"] = [item.product.item_number, product.item_number]
    return {
        "row": index,
        "supplier_item_number": number,
        "product": product.item_number,
        "action": "new" if item is None else "update",
        "item": item_changes,
        "product_changes": _diff(product, product_values),
    }


def plan_update(*, company, supplier, rows) -> list[dict]:
    """Check every row and return the changes; raise listing all bad rows."""
    if not isinstance(rows, list) or not rows:
        raise ValidationError(
            {"rows": _("Give the rows as a list of objects.")}, code="rows"
        )
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            {"rows": _("At most %(count)s rows at a time.") % {"count": MAX_ROWS}},
            code="too_many_rows",
        )
    if supplier.company_id != company.pk:
        raise ValidationError(
            {"supplier": _("Choose a supplier of the same company.")}, code="company"
        )
    plans, problems = [], []
    for index, row in enumerate(rows, start=1):
        try:
            plans.append(
                _plan_row(company=company, supplier=supplier, index=index, row=row)
            )
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError({"rows": problems}, code="bad_rows")
    return plans


@transaction.atomic
def receive_price_update(*, company, user, data: dict) -> PriceUpdate:
    """Store an update and its preview; nothing else changes yet."""
    supplier = data.get("supplier")
    if supplier is None:
        raise ValidationError({"supplier": _("Choose the supplier.")}, code="supplier")
    rows = data.get("rows")
    changes = plan_update(company=company, supplier=supplier, rows=rows)
    update = PriceUpdate.objects.create(
        company=company,
        supplier=supplier,
        reference=data.get("reference") or "",
        rows=rows,
        changes=changes,
    )
    record_change(instance=update, user=user, action="create", after=snapshot(update))
    if data.get("state") == PriceUpdateState.APPLIED:
        return apply_price_update(update=update, user=user)
    return update


def _apply_plan(*, company, supplier, plan, row, user) -> None:
    product = Product.objects.select_for_update().get(
        company=company, item_number=plan["product"]
    )
    if plan["product_changes"]:
        before = snapshot(product)
        for name, (_old, new) in plan["product_changes"].items():
            setattr(product, name, Decimal(new) if name == "weight_kg" else new)
        product.full_clean()
        product.save()
        record_change(
            instance=product,
            user=user,
            action="update",
            before=before,
            after=snapshot(product),
        )
    item = (
        SupplierItem.objects.select_for_update()
        .filter(
            company=company,
            supplier=supplier,
            supplier_item_number=plan["supplier_item_number"],
        )
        .first()
    )
    action = "update"
    if item is None:
        item = SupplierItem(
            company=company,
            supplier=supplier,
            supplier_item_number=plan["supplier_item_number"],
        )
        action = "create"
    before = snapshot(item) if item.pk else None
    item.product = product
    for name, kind in ITEM_FIELDS.items():
        if name in row:
            setattr(item, name, _value(kind, row[name], row=plan["row"], name=name))
    item.full_clean()
    item.save()
    record_change(
        instance=item, user=user, action=action, before=before, after=snapshot(item)
    )


@transaction.atomic
def apply_price_update(*, update, user) -> PriceUpdate:
    """Write the update's supplier items and product details, all or none."""
    update = PriceUpdate.objects.select_for_update().get(pk=update.pk)
    if update.state == PriceUpdateState.APPLIED:
        raise ValidationError(
            _("This update has already been applied."), code="applied"
        )
    plans = plan_update(
        company=update.company, supplier=update.supplier, rows=update.rows
    )
    for plan, row in zip(plans, update.rows, strict=True):
        try:
            _apply_plan(
                company=update.company,
                supplier=update.supplier,
                plan=plan,
                row=row,
                user=user,
            )
        except ValidationError as error:
            raise ValidationError(
                {
                    "rows": [
                        _("Row %(row)s: %(problem)s")
                        % {"row": plan["row"], "problem": message}
                        for message in error.messages
                    ]
                },
                code="bad_rows",
            ) from error
    before = snapshot(update)
    update.changes = plans
    update.state = PriceUpdateState.APPLIED
    update.applied_at = timezone.now()
    update.save(update_fields=["changes", "state", "applied_at"])
    record_change(
        instance=update,
        user=user,
        action="update",
        before=before,
        after=snapshot(update),
    )
    logger.info("Price update %s applied: %s rows", update.pk, len(plans))
    return update


def change_price_update(*, instance, user, data: dict) -> PriceUpdate:
    """Apply an update when its state is set to applied; nothing else changes."""
    if data.get("state") == PriceUpdateState.APPLIED and set(data) <= {
        "state",
        "supplier",
        "rows",
        "reference",
    }:
        if data.get("rows") not in (None, instance.rows):
            raise ValidationError(
                {"rows": _("Send changed rows as a new update.")}, code="rows"
            )
        return apply_price_update(update=instance, user=user)
    raise ValidationError(
        _("A received update is only previewed or applied; send a new one."),
        code="price_update_read_only",
    )


def delete_price_update(*, instance, user) -> None:
    """Discard an update that has not been applied."""
    if instance.state == PriceUpdateState.APPLIED:
        raise ValidationError(_("An applied update stays as a record."), code="applied")
    record_change(
        instance=instance, user=user, action="delete", before=snapshot(instance)
    )
    instance.delete()
