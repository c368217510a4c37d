"""Reads of the product register: barcode look-ups and supplier items."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from modules.products.models import Product, ProductUnit, SupplierItem
from modules.products.validators import normalize_ean


@dataclass(frozen=True)
class BarcodeMatch:
    """The product a barcode names and how many base units it stands for."""

    product: Product
    factor: Decimal


def find_by_barcode(*, company, code: str) -> BarcodeMatch | None:
    """Return the product with this EAN (or item number), or None.

    A package EAN gives its factor (a box of 12 gives 12); the product's
    own EAN and its item number give 1.
    """
    code = normalize_ean(code)
    if not code:
        return None
    product = (
        Product.objects.filter(company=company, is_active=True)
        .filter(Q(ean=code) | Q(item_number=code))
        .order_by("-ean")
        .first()
    )
    if product is not None:
        return BarcodeMatch(product, Decimal("1"))
    package = (
        ProductUnit.objects.filter(
            product__company=company, product__is_active=True, ean=code
        )
        .select_related("product")
        .first()
    )
    if package is not None:
        return BarcodeMatch(package.product, package.factor)
    return None


def preferred_supplier_item(*, product) -> SupplierItem | None:
    """Return the preferred supplier item, else the cheapest one."""
    return (
        SupplierItem.objects.filter(product=product)
        .select_related("supplier")
        .order_by("-is_preferred", "price", "pk")
        .first()
    )
