"""Customers, suppliers, products and stock for the order tests."""

from decimal import Decimal

import pytest

from modules.crm.models import Organisation
from modules.products.models import SupplierItem
from modules.stock import services as stock
from modules.stock.models import MoveKind
from tests.products.factories import base_price, make_product, make_warehouse


@pytest.fixture
def warehouse(company_a):
    return make_warehouse(company_a)


@pytest.fixture
def customer(company_a):
    return Organisation.objects.create(
        company=company_a,
        name="Asiakas Oy",
        is_customer=True,
        postal_address="Kauppakatu 2",
        postal_code="33100",
        city="Tampere",
    )


@pytest.fixture
def supplier(company_a):
    return Organisation.objects.create(
        company=company_a, name="Toimittaja Oy", is_supplier=True
    )


@pytest.fixture
def product(company_a, supplier):
    product = make_product(
        company_a, "HAM-1", name_fi="Vasara", weight_kg=Decimal("1.2")
    )
    base_price(company_a, product, "20.00")
    SupplierItem.objects.create(
        company=company_a,
        product=product,
        supplier=supplier,
        supplier_item_number="S-HAM",
        price=Decimal("8.00"),
        lead_time_days=10,
    )
    return product


@pytest.fixture
def receive(company_a, warehouse):
    """Return a function that puts stock of a product into the warehouse."""

    def put(product, quantity, cost="8"):
        return stock.post_stock_move(
            company=company_a,
            product=product,
            warehouse=warehouse,
            quantity=Decimal(quantity),
            unit_cost=Decimal(cost),
            kind=MoveKind.RECEIPT,
            user=None,
        )

    return put


@pytest.fixture
def roles_synced(db):
    from cms.roles import sync_role_permissions

    sync_role_permissions()


@pytest.fixture
def role_user(make_user, company_a, roles_synced):
    """Return a factory of users holding a role (and its group) in company A."""
    from django.contrib.auth.models import Group

    from modules.core.models import role_group_name

    def make(username, role):
        user = make_user(username, company_a, role=role, perms=())
        user.groups.add(Group.objects.get(name=role_group_name(role)))
        return user

    return make
