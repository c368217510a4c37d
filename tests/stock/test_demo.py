"""The demo products and stock load, and load again without changes."""

import datetime

from fixtures import demo
from modules.products.models import Product
from modules.products.pricing import price_for
from modules.stock.models import StockMove
from modules.stock.selectors import availability


def test_demo_products_and_stock_load_twice_without_duplicates(reference_data):
    loaded = demo.load()
    company = loaded["companies"]["main"]
    moves = StockMove.objects.filter(company=company).count()

    demo.load()

    products = Product.objects.filter(company=company)
    assert products.count() == 50
    assert StockMove.objects.filter(company=company).count() == moves
    hammer = products.get(item_number="TOO-001")
    assert availability(product=hammer).on_hand > 0
    assert (
        price_for(
            company=company, product=hammer, quantity=1, date=datetime.date.today()
        ).unit_price
        > 0
    )
