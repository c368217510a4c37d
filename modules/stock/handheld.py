"""Handheld pages for warehouse staff: counting and transfers on a phone.

The pages are plain HTML with large touch targets. A barcode arrives from
a keyboard-wedge scanner (typed into the focused field, ending in Enter)
or from the camera where the browser has the BarcodeDetector API. Forms
are sent as JSON with an idempotency key that the page keeps until the
server confirms, so a lost connection is retried and never books twice.
Only users with the warehouse or administrator role in the current
company reach them.
"""

import json
import logging
import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from modules.core.current import current_company
from modules.core.models import Role
from modules.core.scoping import user_has_role
from modules.products.models import Product
from modules.products.selectors import find_by_barcode
from modules.stock import counting, services
from modules.stock.models import (
    Batch,
    CountState,
    Location,
    StockCount,
    Warehouse,
)

logger = logging.getLogger(__name__)

HANDHELD_ROLES = (Role.WAREHOUSE, Role.ADMINISTRATOR)


def _company(request):
    company = current_company(request)
    if company is None or not user_has_role(request.user, company, HANDHELD_ROLES):
        raise PermissionDenied
    return company


def _error(message, status=400) -> JsonResponse:
    return JsonResponse({"ok": False, "error": str(message)}, status=status)


def _body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        raise ValidationError(_("The form could not be read."), code="body")
    return body


def _key(body):
    try:
        return uuid.UUID(str(body.get("key")))
    except ValueError as error:
        raise ValidationError(
            _("The form has no valid idempotency key."), code="key"
        ) from error


def _get(model, pk, **scope):
    try:
        return model.objects.get(pk=int(pk), **scope)
    except (TypeError, ValueError, model.DoesNotExist) as error:
        raise ValidationError(
            _("%(what)s was not found.") % {"what": model._meta.verbose_name},
            code="not_found",
        ) from error


def _optional(model, pk, **scope):
    return None if pk in (None, "") else _get(model, pk, **scope)


def _batch(company, product, number):
    number = (number or "").strip()
    if not number:
        return None
    found = Batch.objects.filter(product=product, number=number).first()
    if found is None:
        raise ValidationError(
            _("Batch %(batch)s of %(product)s is not known.")
            % {"batch": number, "product": product},
            code="unknown_batch",
        )
    return found


@login_required
@require_GET
def home(request):
    """List the open counts and offer a transfer."""
    company = _company(request)
    counts = StockCount.objects.filter(
        company=company, state=CountState.OPEN
    ).select_related("warehouse")
    return render(request, "stock/handheld/home.html", {"counts": counts})


@login_required
@require_GET
def lookup(request):
    """Tell the page what a scanned code is: a location or a product."""
    company = _company(request)
    code = request.GET.get("code", "").strip()
    warehouse_id = request.GET.get("warehouse")
    if warehouse_id:
        location = Location.objects.filter(
            warehouse__company=company, warehouse_id=warehouse_id, code__iexact=code
        ).first()
        if location is not None:
            return JsonResponse(
                {"ok": True, "location": {"id": location.pk, "code": location.code}}
            )
    match = find_by_barcode(company=company, code=code)
    if match is None:
        return _error(_("Unknown barcode %(code)s.") % {"code": code}, status=404)
    product = match.product
    return JsonResponse(
        {
            "ok": True,
            "product": {
                "id": product.pk,
                "item_number": product.item_number,
                "name": product.name,
                "unit": product.unit.code,
                "batch_tracked": product.batch_tracked,
            },
            "factor": f"{match.factor.normalize():f}",
        }
    )


@login_required
@require_GET
def count_page(request, pk):
    """The counting page of one open count."""
    company = _company(request)
    count = get_object_or_404(StockCount, pk=pk, company=company)
    return render(request, "stock/handheld/count.html", {"count": count})


@login_required
@require_POST
def count_submit(request, pk):
    """Store one counted quantity sent by the counting page."""
    company = _company(request)
    count = get_object_or_404(StockCount, pk=pk, company=company)
    try:
        body = _body(request)
        product = _get(Product, body.get("product"), company=company)
        line = counting.record_count(
            count=count,
            product=product,
            quantity=str(body.get("quantity", "")).replace(",", "."),
            user=request.user,
            location=_optional(
                Location, body.get("location"), warehouse=count.warehouse
            ),
            batch=_batch(company, product, body.get("batch")),
            key=_key(body),
        )
    except ValidationError as error:
        return _error(" ".join(error.messages))
    return JsonResponse(
        {
            "ok": True,
            "message": _("%(product)s: %(quantity)s counted.")
            % {"product": line.product, "quantity": f"{line.counted.normalize():f}"},
        }
    )


@login_required
@require_GET
def transfer_page(request):
    """The page that moves stock between warehouses or locations."""
    company = _company(request)
    warehouses = Warehouse.objects.filter(company=company, is_active=True)
    return render(request, "stock/handheld/transfer.html", {"warehouses": warehouses})


@login_required
@require_POST
def transfer_submit(request):
    """Book one transfer sent by the transfer page."""
    company = _company(request)
    try:
        body = _body(request)
        product = _get(Product, body.get("product"), company=company)
        source = _get(Warehouse, body.get("from_warehouse"), company=company)
        target = _get(Warehouse, body.get("to_warehouse"), company=company)
        services.transfer_from_handheld(
            key=_key(body),
            user=request.user,
            company=company,
            product=product,
            from_warehouse=source,
            to_warehouse=target,
            from_location=_optional(
                Location, body.get("from_location"), warehouse=source
            ),
            to_location=_optional(Location, body.get("to_location"), warehouse=target),
            batch=_batch(company, product, body.get("batch")),
            quantity=str(body.get("quantity", "")).replace(",", "."),
        )
    except ValidationError as error:
        return _error(" ".join(error.messages))
    return JsonResponse(
        {"ok": True, "message": _("Moved %(product)s.") % {"product": product}}
    )
