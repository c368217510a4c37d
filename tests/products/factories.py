"""Products, warehouses and stock for tests of the materials modules."""

from decimal import Decimal

from modules.core.models import Unit
from modules.products.models import PriceList, PriceListItem, Product
from modules.stock.models import Location, Warehouse


def make_product(company, item_number="P-1", **values) -> Product:
    values.setdefault("unit", Unit.objects.get(code="kpl"))
    values.setdefault("name_fi", f"Tuote {item_number}")
    product = Product(company=company, item_number=item_number, **values)
    product.full_clean()
    product.save()
    return product


def make_warehouse(company, code="MAIN", locations=()) -> Warehouse:
    warehouse = Warehouse.objects.create(company=company, code=code, name=code)
    for location in locations:
        Location.objects.create(warehouse=warehouse, code=location)
    return warehouse


def base_price(company, product, price, *, min_quantity="0") -> PriceListItem:
    price_list, _ = PriceList.objects.get_or_create(
        company=company, name="Base", defaults={"kind": "base"}
    )
    return PriceListItem.objects.create(
        price_list=price_list,
        product=product,
        unit_price=Decimal(price),
        min_quantity=Decimal(min_quantity),
    )
