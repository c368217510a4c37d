"""Supplier price files and product files through the import with preview."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.models import ImportFile
from modules.crm.models import Organisation
from modules.products.models import Product, SupplierItem
from tests.products.factories import make_product

SUPPLIER_ITEMS = "/admin/products/supplieritem/import/"
PRODUCTS = "/admin/products/product/import/"


@pytest.fixture
def buyer(make_user, company_a):
    user = make_user("buyer", company_a)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="products")
    )
    return user


def _upload(client, url, text):
    upload = SimpleUploadedFile("file.csv", text.encode(), content_type="text/csv")
    return client.post(url, {"file": upload})


def _confirm(client, url):
    stored = ImportFile.objects.latest("pk")
    return client.post(url, {"confirm": "1", "import_file": stored.pk})


def test_supplier_price_file_is_previewed_then_applied(client, buyer, company_a):
    supplier = Organisation.objects.create(
        company=company_a, name="Tukku Oy", business_id="1572860-0", is_supplier=True
    )
    hammer = make_product(company_a, "HAMMER")
    SupplierItem.objects.create(
        company=company_a,
        product=hammer,
        supplier=supplier,
        supplier_item_number="T-1",
        price=Decimal("8"),
    )
    make_product(company_a, "SAW")
    client.force_login(buyer)
    text = (
        "supplier;supplier_item_number;product;price\n"
        "1572860-0;T-1;HAMMER;8,40\n"
        "1572860-0;T-2;SAW;11,00\n"
    )

    preview = _upload(client, SUPPLIER_ITEMS, text)
    before = SupplierItem.objects.get(supplier_item_number="T-1").price
    _confirm(client, SUPPLIER_ITEMS)

    assert "1 new row, 1 changed row" in preview.content.decode()
    assert before == Decimal("8")
    assert SupplierItem.objects.get(supplier_item_number="T-1").price == Decimal("8.4")
    assert SupplierItem.objects.get(supplier_item_number="T-2").product.item_number == (
        "SAW"
    )


def test_product_file_with_a_bad_ean_is_refused_whole(client, buyer, company_a):
    client.force_login(buyer)
    text = (
        "item_number;name_fi;unit;ean\n"
        "N-1;Uusi;kpl;4006381333931\n"
        "N-2;Toinen;kpl;4006381333932\n"
    )

    preview = _upload(client, PRODUCTS, text)

    assert "4006381333932" in preview.content.decode()
    assert not Product.objects.filter(company=company_a).exists()
