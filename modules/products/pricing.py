"""One answer to "what does this customer pay for this quantity today".

Sales orders, quotations, the webshop and the point of sale all ask
`price_for`. The rules, in order:

1. The base price is the best quantity break of the active base price
   lists valid on the date and in the channel.
2. A customer price list of the customer overrides it; failing that, the
   best price of the lists of the customer's groups (classifications).
3. A campaign valid on the date applies when it is lower than the price
   found so far.

A list item holds a unit price or, without one, a discount percentage
off the base price. Of several lists of one kind the lowest price wins;
among a list's quantity breaks the one with the highest "from quantity"
not above the quantity bought.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from modules.core.money import round_decimal, to_decimal
from modules.products.models import (
    Channel,
    PriceList,
    PriceListItem,
    PriceListKind,
)

PRICE_PLACES = 4
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class PriceQuote:
    """A unit price without VAT, its discount off the base and its origin.

    `discount` is the percentage off the base price (0 when none);
    `source` is the kind of list that gave the price (a PriceListKind
    value); `price_list` is that list.
    """

    unit_price: Decimal
    discount: Decimal
    source: str
    base_price: Decimal
    price_list: PriceList | None
    currency: str = "EUR"


class NoPrice(ValidationError):
    """The product has no base price valid on the date."""


def _lists(*, company, date, channel):
    return PriceList.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=date),
        Q(valid_until__isnull=True) | Q(valid_until__gte=date),
        Q(channel="") | Q(channel=channel),
        company=company,
        is_active=True,
    )


def _best_breaks(items) -> dict[int, PriceListItem]:
    """Keep each list's item with the highest quantity break."""
    best: dict[int, PriceListItem] = {}
    for item in items:
        kept = best.get(item.price_list_id)
        if kept is None or item.min_quantity > kept.min_quantity:
            best[item.price_list_id] = item
    return best


def _price_of(item, base_price) -> Decimal:
    if item.unit_price is not None:
        return item.unit_price
    return base_price * (HUNDRED - item.discount_percent) / HUNDRED


def _cheapest(items, base_price):
    candidates = [(_price_of(item, base_price), item) for item in items]
    return min(candidates, key=lambda pair: (pair[0], pair[1].pk), default=None)


def price_for(
    *, company, product, quantity, date, customer=None, channel=Channel.SALES
) -> PriceQuote:
    """Return what `customer` pays for `quantity` of `product` on `date`.

    Raises NoPrice when no base price list prices the product then.
    """
    quantity = to_decimal(quantity)
    if channel not in Channel.values:
        raise ValidationError(
            _("%(channel)s is not a sales channel.") % {"channel": channel},
            code="channel",
        )
    items = list(
        PriceListItem.objects.filter(
            price_list__in=_lists(company=company, date=date, channel=channel),
            product=product,
            min_quantity__lte=abs(quantity),
        ).select_related("price_list")
    )
    by_kind: dict[str, list[PriceListItem]] = {}
    group_ids = (
        set(customer.classifications.values_list("pk", flat=True))
        if customer is not None
        else set()
    )
    for item in _best_breaks(items).values():
        price_list = item.price_list
        if price_list.kind == PriceListKind.CUSTOMER and (
            customer is None or price_list.customer_id != customer.pk
        ):
            continue
        if (
            price_list.kind == PriceListKind.CUSTOMER_GROUP
            and price_list.customer_group_id not in group_ids
        ):
            continue
        by_kind.setdefault(price_list.kind, []).append(item)

    base = _cheapest(by_kind.get(PriceListKind.BASE, []), Decimal("0"))
    if base is None:
        raise NoPrice(
            _("%(product)s has no price on %(date)s.")
            % {"product": product, "date": f"{date:%d.%m.%Y}"},
            code="no_price",
        )
    base_price = base[0]
    chosen = base
    for kind in (PriceListKind.CUSTOMER, PriceListKind.CUSTOMER_GROUP):
        found = _cheapest(by_kind.get(kind, []), base_price)
        if found is not None:
            chosen = found
            break
    campaign = _cheapest(by_kind.get(PriceListKind.CAMPAIGN, []), base_price)
    if campaign is not None and campaign[0] < chosen[0]:
        chosen = campaign

    unit_price = round_decimal(chosen[0], PRICE_PLACES)
    discount = (
        round_decimal((base_price - unit_price) * HUNDRED / base_price, 2)
        if base_price
        else Decimal("0")
    )
    price_list = chosen[1].price_list
    return PriceQuote(
        unit_price=unit_price,
        discount=max(discount, Decimal("0")),
        source=price_list.kind,
        base_price=round_decimal(base_price, PRICE_PLACES),
        price_list=price_list,
        currency=price_list.currency,
    )
