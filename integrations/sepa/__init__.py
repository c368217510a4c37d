"""SEPA credit transfers out (pain.001) and their status reports in (pain.002).

`build_pain001` writes a customer credit transfer initiation in version
pain.001.001.03 (what Finnish banks have long taken) or pain.001.001.09
(the newer one: BICFI, date wrapped in Dt) and validates it against the
official XML schema before returning it; the schemas are the ones the
`sepaxml` package ships, so nothing is downloaded at run time. Finnish
national references and RF references go into structured remittance
(CdtrRefInf, type SCOR; issuer ISO for RF), free text into Ustrd.

`parse_pain002` reads a payment status report back (any version; no
schema ships for it, so it is read structurally after safe parsing).
"""

from __future__ import annotations

import datetime
import functools
import importlib.resources
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from lxml import etree

from integrations.xmlsafe import parse_xml

PAIN001_VERSIONS = ("pain.001.001.03", "pain.001.001.09")
_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:"


class SepaError(ValidationError):
    """A payment file cannot be written or a status report not read."""


@dataclass(frozen=True)
class CreditTransfer:
    """One payment to one creditor account."""

    end_to_end_id: str
    creditor_name: str
    creditor_iban: str
    amount: Decimal
    creditor_bic: str = ""
    currency: str = "EUR"
    reference: str = ""
    message: str = ""


@dataclass(frozen=True)
class PaymentOrder:
    """A payment file: one debtor account, one execution date."""

    message_id: str
    payment_info_id: str
    created_at: datetime.datetime
    requested_date: datetime.date
    debtor_name: str
    debtor_iban: str
    debtor_bic: str
    transfers: list[CreditTransfer]
    debtor_business_id: str = ""
    batch_booking: bool = True


@functools.cache
def _schema(version: str) -> etree.XMLSchema:
    resource = importlib.resources.files("sepaxml").joinpath(
        "schemas", f"{version}.xsd"
    )
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(resource.open("rb"), parser))


def _text(parent, tag: str, value: str):
    child = etree.SubElement(parent, tag)
    child.text = value
    return child


def _path(parent, path: str, value: str | None = None):
    """Create the chain of elements "A/B/C" under `parent`; return the last."""
    node = parent
    for tag in path.split("/"):
        node = etree.SubElement(node, tag)
    if value is not None:
        node.text = value
    return node


def _agent(parent, tag: str, bic: str, version: str) -> None:
    institution = _path(parent, f"{tag}/FinInstnId")
    if bic:
        _text(institution, "BIC" if version.endswith("03") else "BICFI", bic)
    else:
        _path(institution, "Othr/Id", "NOTPROVIDED")


def _amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):.2f}"


def _remittance(parent, transfer: CreditTransfer) -> None:
    if not (transfer.reference or transfer.message):
        return
    info = etree.SubElement(parent, "RmtInf")
    if transfer.reference:
        reference = _path(info, "Strd/CdtrRefInf")
        kind = _path(reference, "Tp")
        _path(kind, "CdOrPrtry/Cd", "SCOR")
        if transfer.reference.startswith("RF"):
            _text(kind, "Issr", "ISO")
        _text(reference, "Ref", transfer.reference)
    else:
        _text(info, "Ustrd", transfer.message[:140])


def _transfer(parent, transfer: CreditTransfer, version: str) -> None:
    node = etree.SubElement(parent, "CdtTrfTxInf")
    _path(node, "PmtId/EndToEndId", transfer.end_to_end_id)
    amount = _path(node, "Amt/InstdAmt", _amount(transfer.amount))
    amount.set("Ccy", transfer.currency)
    if transfer.creditor_bic:
        _agent(node, "CdtrAgt", transfer.creditor_bic, version)
    _path(node, "Cdtr/Nm", transfer.creditor_name[:70])
    _path(node, "CdtrAcct/Id/IBAN", transfer.creditor_iban)
    _remittance(node, transfer)


def build_pain001(order: PaymentOrder, *, version: str = "pain.001.001.03") -> bytes:
    """Return the pain.001 XML of `order`, validated against its schema."""
    if version not in PAIN001_VERSIONS:
        raise SepaError(
            _("%(version)s is not a supported payment file version."),
            code="sepa_version",
            params={"version": version},
        )
    if not order.transfers:
        raise SepaError(_("The payment file has no payments."), code="sepa_empty")
    count = str(len(order.transfers))
    total = _amount(sum((t.amount for t in order.transfers), Decimal("0")))

    namespace = _NAMESPACE + version
    document = etree.Element(f"{{{namespace}}}Document", nsmap={None: namespace})
    initiation = etree.SubElement(document, "CstmrCdtTrfInitn")
    header = etree.SubElement(initiation, "GrpHdr")
    _text(header, "MsgId", order.message_id)
    _text(header, "CreDtTm", order.created_at.replace(microsecond=0).isoformat())
    _text(header, "NbOfTxs", count)
    _text(header, "CtrlSum", total)
    party = etree.SubElement(header, "InitgPty")
    _text(party, "Nm", order.debtor_name[:70])
    if order.debtor_business_id:
        _path(party, "Id/OrgId/Othr/Id", order.debtor_business_id.replace("-", ""))

    payment = etree.SubElement(initiation, "PmtInf")
    _text(payment, "PmtInfId", order.payment_info_id)
    _text(payment, "PmtMtd", "TRF")
    _text(payment, "BtchBookg", "true" if order.batch_booking else "false")
    _text(payment, "NbOfTxs", count)
    _text(payment, "CtrlSum", total)
    _path(payment, "PmtTpInf/SvcLvl/Cd", "SEPA")
    date = order.requested_date.isoformat()
    if version.endswith("03"):
        _text(payment, "ReqdExctnDt", date)
    else:
        _path(payment, "ReqdExctnDt/Dt", date)
    _path(payment, "Dbtr/Nm", order.debtor_name[:70])
    _path(payment, "DbtrAcct/Id/IBAN", order.debtor_iban)
    _agent(payment, "DbtrAgt", order.debtor_bic, version)
    _text(payment, "ChrgBr", "SLEV")
    for transfer in order.transfers:
        _transfer(payment, transfer, version)

    # Built with plain tags for legibility; every element is in the namespace.
    for node in document.iter():
        if not node.tag.startswith("{"):
            node.tag = f"{{{namespace}}}{node.tag}"
    schema = _schema(version)
    if not schema.validate(document):
        error = schema.error_log.last_error
        raise SepaError(
            _("The payment file does not pass the %(version)s schema: %(detail)s"),
            code="sepa_schema",
            params={"version": version, "detail": error.message if error else ""},
        )
    return etree.tostring(
        document, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


@dataclass(frozen=True)
class TransactionStatus:
    """The bank's word on one payment of a file."""

    end_to_end_id: str
    status: str
    reason: str = ""


@dataclass(frozen=True)
class StatusReport:
    """A parsed pain.002 payment status report."""

    message_id: str
    original_message_id: str
    group_status: str
    group_reason: str
    payment_info_statuses: dict[str, str] = field(default_factory=dict)
    transactions: list[TransactionStatus] = field(default_factory=list)


def _reason(reader, node) -> str:
    code = reader(node, "StsRsnInf/Rsn/Cd") or reader(node, "StsRsnInf/Rsn/Prtry")
    extra = reader(node, "StsRsnInf/AddtlInf")
    return " ".join(part for part in (code, extra) if part)


def parse_pain002(data: bytes) -> StatusReport:
    """Parse a pain.002 status report; raise SepaError or UnsafeXMLError."""
    root = parse_xml(data)
    namespace = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    if not namespace.startswith(_NAMESPACE + "pain.002.") or len(root) != 1:
        raise SepaError(
            _("This is not a pain.002 payment status report."), code="sepa_not_pain002"
        )

    def path(steps: str) -> str:
        return "/".join(f"{{{namespace}}}{step}" for step in steps.split("/"))

    def reader(node, steps: str) -> str:
        return (node.findtext(path(steps)) or "").strip()

    report = root[0]
    group = report.find(path("OrgnlGrpInfAndSts"))
    if group is None:
        raise SepaError(
            _("The status report does not say which payment file it answers."),
            code="sepa_no_original",
        )
    payment_infos = {}
    transactions = []
    for info in report.findall(path("OrgnlPmtInfAndSts")):
        info_id = reader(info, "OrgnlPmtInfId")
        if reader(info, "PmtInfSts"):
            payment_infos[info_id] = reader(info, "PmtInfSts")
        for transaction in info.findall(path("TxInfAndSts")):
            transactions.append(
                TransactionStatus(
                    end_to_end_id=reader(transaction, "OrgnlEndToEndId"),
                    status=reader(transaction, "TxSts"),
                    reason=_reason(reader, transaction),
                )
            )
    return StatusReport(
        message_id=reader(report, "GrpHdr/MsgId"),
        original_message_id=reader(group, "OrgnlMsgId"),
        group_status=reader(group, "GrpSts"),
        group_reason=_reason(reader, group),
        payment_info_statuses=payment_infos,
        transactions=transactions,
    )
