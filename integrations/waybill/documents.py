"""The contents of a domestic waybill and of a CMR consignment note.

The CMR note follows the layout of the 1956 Geneva Convention form: boxes
1 to 24, each a field (or a small group of fields) of `ConsignmentNote`,
named after the box. A document that lacks a box the carrier cannot do
without raises `MissingBoxes` naming the boxes by number, so the caller
can say in the user's language what to fill in.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


class MissingBoxes(ValueError):
    """Required boxes of a waybill are empty; `boxes` lists their numbers."""

    def __init__(self, boxes: list[str]):
        super().__init__("Missing boxes: " + ", ".join(boxes))
        self.boxes = boxes


@dataclass(frozen=True)
class Party:
    """A sender, consignee, payer or carrier with a postal address."""

    name: str
    street_address: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = "FI"
    business_id: str = ""
    phone: str = ""

    @property
    def address_lines(self) -> list[str]:
        place = " ".join(part for part in (self.postal_code, self.city) if part)
        lines = [self.street_address, place]
        if self.country and self.country != "FI":
            lines.append(self.country)
        return [line for line in lines if line]


@dataclass(frozen=True)
class GoodsLine:
    """One kind of package on the note (CMR boxes 6 to 12)."""

    marks: str  # 6: marks and numbers
    packages: int  # 7: number of packages
    packing: str  # 8: method of packing (pallet, carton ...)
    description: str  # 9: nature of the goods
    gross_weight_kg: Decimal  # 11
    statistical_number: str = ""  # 10: customs tariff code
    volume_m3: Decimal | None = None  # 12
    adr: str = ""  # dangerous goods: class, UN number, packing group


@dataclass(frozen=True)
class Charges:
    """Box 20: carriage charges, to be paid by the sender or consignee."""

    currency: str = "EUR"
    carriage: Decimal | None = None
    supplementary: Decimal | None = None
    other: Decimal | None = None
    paid_by_sender: bool = True

    @property
    def total(self) -> Decimal | None:
        parts = [p for p in (self.carriage, self.supplementary, self.other) if p]
        return sum(parts, Decimal("0")) if parts else None


def _missing(checks: dict[str, object]) -> None:
    missing = [box for box, value in checks.items() if not value]
    if missing:
        raise MissingBoxes(missing)


@dataclass(frozen=True)
class DomesticWaybill:
    """A Finnish domestic waybill (rahtikirja) for one shipment."""

    number: str
    date: datetime.date
    sender: Party
    consignee: Party
    carrier: Party
    goods: list[GoodsLine]
    payer: Party | None = None
    delivery_address: Party | None = None
    order_reference: str = ""
    tracking_number: str = ""
    service: str = ""
    cash_on_delivery: Decimal | None = None
    instructions: str = ""

    def __post_init__(self):
        _missing(
            {
                "sender": self.sender and self.sender.name,
                "consignee": self.consignee and self.consignee.name,
                "carrier": self.carrier and self.carrier.name,
                "goods": self.goods,
            }
        )

    @property
    def total_packages(self) -> int:
        return sum(line.packages for line in self.goods)

    @property
    def total_weight_kg(self) -> Decimal:
        return sum((line.gross_weight_kg for line in self.goods), Decimal("0"))


@dataclass(frozen=True)
class ConsignmentNote:
    """An international CMR consignment note, boxes 1 to 24."""

    number: str
    sender: Party  # 1
    consignee: Party  # 2
    delivery_place: str  # 3: place of delivery of the goods
    delivery_country: str  # 3
    taking_over_place: str  # 4: place of taking over the goods
    taking_over_country: str  # 4
    taking_over_date: datetime.date  # 4
    goods: list[GoodsLine]  # 6-12
    carrier: Party  # 16
    established_place: str  # 21
    established_date: datetime.date  # 21
    documents_attached: str = ""  # 5
    sender_instructions: str = ""  # 13: customs and other formalities
    payment_instructions: str = ""  # 14: carriage paid / forward
    cash_on_delivery: Decimal | None = None  # 15
    cash_on_delivery_currency: str = "EUR"  # 15
    successive_carriers: str = ""  # 17
    carrier_reservations: str = ""  # 18
    special_agreements: str = ""  # 19
    charges: Charges = field(default_factory=Charges)  # 20
    # Boxes 22-24 are signed on paper; the note leaves room for them.
    vehicle_registration: str = ""

    def __post_init__(self):
        _missing(
            {
                "1": self.sender and self.sender.name,
                "2": self.consignee and self.consignee.name,
                "3": self.delivery_place and self.delivery_country,
                "4": self.taking_over_place and self.taking_over_date,
                "6-12": self.goods,
                "16": self.carrier and self.carrier.name,
                "21": self.established_place and self.established_date,
            }
        )

    @property
    def total_packages(self) -> int:
        return sum(line.packages for line in self.goods)

    @property
    def total_weight_kg(self) -> Decimal:
        return sum((line.gross_weight_kg for line in self.goods), Decimal("0"))
