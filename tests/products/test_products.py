"""The product register: EAN validation, item numbers and barcodes."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from modules.core.models import Unit
from modules.products.models import ProductUnit
from modules.products.selectors import find_by_barcode
from modules.products.validators import validate_ean
from tests.products.factories import make_product


@pytest.mark.parametrize("code", ["4006381333931", "96385074", "6 411200 107057"])
def test_valid_eans_pass(code):
    validate_ean(code)


@pytest.mark.parametrize("code", ["4006381333932", "12345", "ABCDEFGHIJKLM"])
def test_invalid_eans_are_refused_with_a_reason(code):
    with pytest.raises(ValidationError) as refused:
        validate_ean(code)

    assert "EAN" in refused.value.messages[0]


def test_item_number_is_unique_per_company_only(company_a, company_b):
    make_product(company_a, "X-1")
    make_product(company_b, "X-1")

    with pytest.raises(ValidationError) as refused:
        make_product(company_a, "X-1")

    assert "item number" in str(refused.value)


def test_package_barcode_finds_the_product_with_its_factor(company_a):
    product = make_product(company_a, "SCREW", ean="4006381333931")
    ProductUnit.objects.create(
        product=product,
        unit=Unit.objects.get(code="ltk"),
        factor=Decimal("12"),
        ean="96385074",
    )

    single = find_by_barcode(company=company_a, code="4006381333931")
    box = find_by_barcode(company=company_a, code="96385074")
    unknown = find_by_barcode(company=company_a, code="0000000000000")

    assert (single.product, single.factor) == (product, Decimal("1"))
    assert (box.product, box.factor) == (product, Decimal("12"))
    assert unknown is None
