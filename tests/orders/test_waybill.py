"""Domestic waybills and CMR notes come out as PDFs with every box."""

import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from integrations.waybill.documents import (
    Charges,
    ConsignmentNote,
    DomesticWaybill,
    GoodsLine,
    MissingBoxes,
    Party,
)
from integrations.waybill.render import cmr_pdf, waybill_pdf

SENDER = Party("Alfa Oy", "Teollisuuskatu 1", "00510", "Helsinki", "FI")
CONSIGNEE = Party("Beta AB", "Storgatan 5", "11122", "Stockholm", "SE")
CARRIER = Party("Kiito Kuljetus Oy", "Satamatie 3", "20100", "Turku", "FI")
GOODS = [
    GoodsLine("ALFA 1-2", 2, "EUR pallet", "Hand tools", Decimal("412.5")),
    GoodsLine("ALFA 3", 1, "Carton", "Paint", Decimal("18"), adr="3, UN1263, III"),
]


BOX_LABELS = {
    1: "Sender",
    2: "Consignee",
    3: "Place of delivery of the goods",
    4: "Place and date of taking over the goods",
    5: "Documents attached",
    6: "Marks and Nos",
    7: "Number of packages",
    8: "Method of packing",
    9: "Nature of the goods",
    10: "Statistical number",
    11: "Gross weight kg",
    12: "Volume m³",
    13: "Sender's instructions",
    14: "Instructions as to payment for carriage",
    15: "Cash on delivery",
    16: "Carrier",
    17: "Successive carriers",
    18: "Carrier's reservations and observations",
    19: "Special agreements",
    20: "To be paid by",
    21: "Established in",
    22: "Signature and stamp of the sender",
    23: "Signature and stamp of the carrier",
    24: "Goods received",
}


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_domestic_waybill_shows_parties_goods_and_totals():
    waybill = DomesticWaybill(
        number="WB-2026-00001",
        date=datetime.date(2026, 3, 2),
        sender=SENDER,
        consignee=Party("Gamma Oy", "Kauppakatu 2", "33100", "Tampere"),
        carrier=CARRIER,
        goods=GOODS,
        tracking_number="JJFI6401234567890",
    )

    text = text_of(waybill_pdf(waybill))

    assert text.startswith("RAHTIKIRJA")
    for expected in ("WB-2026-00001", "Gamma Oy", "33100 Tampere", "JJFI6401234567890"):
        assert expected in text
    assert "430,5" in text  # total gross weight
    assert "02.03.2026" in text


def test_cmr_note_prints_all_24_boxes():
    note = ConsignmentNote(
        number="CMR-2026-00007",
        sender=SENDER,
        consignee=CONSIGNEE,
        delivery_place="Stockholm",
        delivery_country="SE",
        taking_over_place="Helsinki",
        taking_over_country="FI",
        taking_over_date=datetime.date(2026, 3, 2),
        goods=GOODS,
        carrier=CARRIER,
        established_place="Helsinki",
        established_date=datetime.date(2026, 3, 2),
        documents_attached="Invoice 1001",
        charges=Charges(carriage=Decimal("350"), other=Decimal("25")),
        cash_on_delivery=Decimal("1200.00"),
    )

    text = text_of(cmr_pdf(note))

    for box, label in BOX_LABELS.items():
        assert label in text, box
    for expected in (
        "CMR-2026-00007",
        "Beta AB",
        "Stockholm, SE",
        "Invoice 1001",
        "UN1263",
        "375",  # box 20 total
        "1200 EUR",  # box 15 cash on delivery
    ):
        assert expected in text


def test_a_note_without_carrier_or_goods_names_the_missing_boxes():
    with pytest.raises(MissingBoxes) as error:
        ConsignmentNote(
            number="CMR-1",
            sender=SENDER,
            consignee=CONSIGNEE,
            delivery_place="Stockholm",
            delivery_country="SE",
            taking_over_place="Helsinki",
            taking_over_country="FI",
            taking_over_date=datetime.date(2026, 3, 2),
            goods=[],
            carrier=Party(""),
            established_place="Helsinki",
            established_date=datetime.date(2026, 3, 2),
        )

    assert error.value.boxes == ["6-12", "16"]
