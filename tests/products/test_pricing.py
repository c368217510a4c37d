"""One pricing answer for every channel: base, customer, group, campaign."""

import datetime
from decimal import Decimal

import pytest

from modules.crm.models import Classification, ClassificationScheme, Organisation
from modules.products.models import PriceList, PriceListItem
from modules.products.pricing import NoPrice, price_for
from tests.products.factories import base_price, make_product

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def product(company_a):
    item = make_product(company_a, "HAMMER")
    base_price(company_a, item, "20.00")
    base_price(company_a, item, "18.00", min_quantity="10")
    return item


@pytest.fixture
def customer(company_a):
    return Organisation.objects.create(company=company_a, name="Rauta Oy")


def _list(company, name, kind, **values):
    return PriceList.objects.create(company=company, name=name, kind=kind, **values)


def _item(price_list, product, **values):
    return PriceListItem.objects.create(
        price_list=price_list, product=product, **values
    )


def test_base_price_uses_the_best_quantity_break(company_a, product):
    one = price_for(company=company_a, product=product, quantity=1, date=TODAY)
    twelve = price_for(company=company_a, product=product, quantity=12, date=TODAY)

    assert (one.unit_price, one.source) == (Decimal("20.0000"), "base")
    assert twelve.unit_price == Decimal("18.0000")
    assert twelve.discount == Decimal("0.00")


def test_customer_price_overrides_group_and_base(company_a, product, customer):
    scheme = ClassificationScheme.objects.create(
        company=company_a, code="class", name_fi="Luokka"
    )
    group = Classification.objects.create(
        company=company_a, scheme=scheme, name_fi="Jälleenmyyjä"
    )
    customer.classifications.add(group)
    _item(
        _list(company_a, "Resellers", "customer_group", customer_group=group),
        product,
        discount_percent=Decimal("10"),
    )
    group_quote = price_for(
        company=company_a, product=product, quantity=1, date=TODAY, customer=customer
    )
    _item(
        _list(company_a, "Rauta", "customer", customer=customer),
        product,
        unit_price=Decimal("17.50"),
    )

    quote = price_for(
        company=company_a, product=product, quantity=1, date=TODAY, customer=customer
    )
    anonymous = price_for(company=company_a, product=product, quantity=1, date=TODAY)

    assert (group_quote.unit_price, group_quote.discount) == (
        Decimal("18.0000"),
        Decimal("10.00"),
    )
    assert (quote.unit_price, quote.source) == (Decimal("17.5000"), "customer")
    assert anonymous.unit_price == Decimal("20.0000")


def test_campaign_applies_only_in_its_period_and_channel(company_a, product):
    campaign = _list(
        company_a,
        "Summer",
        "campaign",
        channel="webshop",
        valid_from=datetime.date(2026, 6, 1),
        valid_until=datetime.date(2026, 6, 30),
    )
    _item(campaign, product, unit_price=Decimal("15.00"))

    web = price_for(
        company=company_a, product=product, quantity=1, date=TODAY, channel="webshop"
    )
    pos = price_for(
        company=company_a, product=product, quantity=1, date=TODAY, channel="pos"
    )
    july = price_for(
        company=company_a,
        product=product,
        quantity=1,
        date=datetime.date(2026, 7, 1),
        channel="webshop",
    )

    assert (web.unit_price, web.source, web.discount) == (
        Decimal("15.0000"),
        "campaign",
        Decimal("25.00"),
    )
    assert pos.unit_price == Decimal("20.0000")
    assert july.unit_price == Decimal("20.0000")


def test_product_without_a_base_price_gets_a_clear_error(company_a):
    item = make_product(company_a, "NOPRICE")

    with pytest.raises(NoPrice) as refused:
        price_for(company=company_a, product=item, quantity=1, date=TODAY)

    assert "no price" in refused.value.messages[0]
