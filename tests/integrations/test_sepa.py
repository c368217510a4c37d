"""SEPA credit transfer files (pain.001) and status reports (pain.002)."""

import datetime
from decimal import Decimal

import pytest
from lxml import etree

from fixtures.bank_files import pain002
from integrations.sepa import (
    PAIN001_VERSIONS,
    CreditTransfer,
    PaymentOrder,
    SepaError,
    build_pain001,
    parse_pain002,
)


def _order(**changes):
    values = {
        "message_id": "MSG-1",
        "payment_info_id": "PI-1",
        "created_at": datetime.datetime(2026, 12, 4, 10, 0, tzinfo=datetime.UTC),
        "requested_date": datetime.date(2026, 12, 7),
        "debtor_name": "Alfa Oy",
        "debtor_iban": "FI2112345600000785",
        "debtor_bic": "HANDFIHH",
        "debtor_business_id": "2077474-0",
        "transfers": [
            CreditTransfer(
                end_to_end_id="E1",
                creditor_name="Supplier Oy",
                creditor_iban="FI3715903000000776",
                creditor_bic="NDEAFIHH",
                amount=Decimal("120.00"),
                reference="1232",
            ),
            CreditTransfer(
                end_to_end_id="E2",
                creditor_name="Other Ab",
                creditor_iban="FI4950009420028730",
                amount=Decimal("0.50"),
                reference="RF111232",
            ),
            CreditTransfer(
                end_to_end_id="E3",
                creditor_name="Customer",
                creditor_iban="FI4950009420028730",
                amount=Decimal("3.00"),
                message="Refund",
            ),
        ],
    }
    values.update(changes)
    return PaymentOrder(**values)


def _ns(version):
    return {"p": f"urn:iso:std:iso:20022:tech:xsd:{version}"}


@pytest.mark.parametrize("version", PAIN001_VERSIONS)
def test_payment_file_passes_the_schema_and_carries_structured_references(version):
    xml = build_pain001(_order(), version=version)

    root = etree.fromstring(xml)
    ns = _ns(version)
    assert root.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=ns) == "3"
    assert root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=ns) == "123.50"
    refs = root.findall(".//p:CdtrRefInf", namespaces=ns)
    assert [r.findtext("p:Ref", namespaces=ns) for r in refs] == ["1232", "RF111232"]
    assert [r.findtext("p:Tp/p:Issr", namespaces=ns) for r in refs] == [None, "ISO"]
    assert root.findtext(".//p:Ustrd", namespaces=ns) == "Refund"


def test_version_09_wraps_the_date_and_uses_bicfi():
    root = etree.fromstring(build_pain001(_order(), version="pain.001.001.09"))
    ns = _ns("pain.001.001.09")

    assert root.findtext(".//p:ReqdExctnDt/p:Dt", namespaces=ns) == "2026-12-07"
    assert root.findtext(".//p:DbtrAgt/p:FinInstnId/p:BICFI", namespaces=ns)


def test_a_file_the_schema_refuses_is_not_returned():
    bad = _order(message_id="X" * 40)

    with pytest.raises(SepaError) as refused:
        build_pain001(bad)

    assert "does not pass the pain.001.001.03 schema" in refused.value.messages[0]


def test_status_report_is_read():
    report = parse_pain002(pain002("MSG-1", {"E1": "ACCP", "E2": "RJCT"}))

    assert report.original_message_id == "MSG-1"
    assert report.group_status == "PART"
    assert [(t.end_to_end_id, t.status) for t in report.transactions] == [
        ("E1", "ACCP"),
        ("E2", "RJCT"),
    ]
    assert report.transactions[1].reason == "AC04 Account closed"


def test_a_statement_is_not_a_status_report():
    with pytest.raises(SepaError):
        parse_pain002(
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"/>'
        )
