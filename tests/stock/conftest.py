"""Fixtures of the stock tests: a warehouse with locations and a product."""

from decimal import Decimal

import pytest

from modules.stock import services
from modules.stock.models import MoveKind
from tests.browser.conftest import browser, new_page  # noqa: F401 (fixtures)
from tests.jobs.test_worker import broker, publish_to_broker, worker  # noqa: F401
from tests.products.conftest import english  # noqa: F401
from tests.products.factories import make_product, make_warehouse


@pytest.fixture
def warehouse(company_a):
    return make_warehouse(company_a, locations=["A-01", "A-02"])


@pytest.fixture
def product(company_a):
    return make_product(company_a, ean="4006381333931")


@pytest.fixture
def receive():
    """Return a function that receives stock at a unit cost."""

    def post(company, product, warehouse, quantity, cost="10", **extra):
        return services.post_stock_move(
            company=company,
            product=product,
            warehouse=warehouse,
            quantity=Decimal(quantity),
            unit_cost=Decimal(cost),
            kind=MoveKind.RECEIPT,
            user=None,
            **extra,
        )

    return post
