"""ISO 20022 bank-to-customer cash management messages: camt.053 and camt.054.

`parse_camt` reads an account statement (camt.053, BkToCstmrStmt) or a
debit/credit notification (camt.054, BkToCstmrDbtCdtNtfctn) of any
version from 001.02 on into plain dataclasses. Element paths are the same
across versions except where noted, so the parser follows the document's
own namespace. The XML goes through `integrations.xmlsafe` first.

Each entry (Ntry) may batch several transactions (TxDtls), as Finnish
banks do for reference payments; every transaction becomes one
`CamtTransaction` with a `key` that identifies it for good: the bank's
archive id (AcctSvcrRef) when given, else one derived from the entry and
the transaction's position, so importing the same file twice yields the
same keys.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from lxml import etree

from integrations.refpayments.references import reference_or_blank
from integrations.xmlsafe import parse_xml

NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:"
# Message element -> (message kind, element of one account's report).
_ROOTS = {
    "BkToCstmrStmt": ("camt.053", "Stmt"),
    "BkToCstmrDbtCdtNtfctn": ("camt.054", "Ntfctn"),
}


class CamtError(ValidationError):
    """The camt document cannot be read; the message says why."""


@dataclass(frozen=True)
class CamtTransaction:
    """One booked payment in or out of the account."""

    key: str
    entry_reference: str
    booking_date: datetime.date
    value_date: datetime.date | None
    amount: Decimal
    currency: str
    is_credit: bool
    is_reversal: bool
    reference: str
    raw_reference: str
    message: str
    counterparty_name: str
    counterparty_iban: str
    end_to_end_id: str
    # The payment batch (pain.001 PmtInfId) an outgoing payment came from.
    payment_info_id: str = ""


@dataclass(frozen=True)
class CamtReport:
    """One statement or notification of one account."""

    kind: str
    report_id: str
    created_at: datetime.datetime | None
    account_iban: str
    currency: str
    from_date: datetime.date | None
    to_date: datetime.date | None
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    transactions: list[CamtTransaction] = field(default_factory=list)


@dataclass(frozen=True)
class CamtDocument:
    """A parsed camt file: its message id and reports."""

    kind: str
    version: str
    message_id: str
    reports: list[CamtReport]
    sha256: str


class _Reader:
    """Namespaced element paths of one document, written as "A/B/C".

    Paths are compiled once per document; a statement of ten thousand
    entries reads the same few dozen paths over and over.
    """

    def __init__(self, namespace: str):
        self.namespace = namespace
        self._paths: dict[str, str] = {}
        self._texts: dict[str, etree.XPath] = {}

    def path(self, path: str) -> str:
        if path not in self._paths:
            self._paths[path] = "/".join(
                f"{{{self.namespace}}}{step}" for step in path.split("/")
            )
        return self._paths[path]

    def find(self, element, path):
        return element.find(self.path(path))

    def findall(self, element, path):
        return element.findall(self.path(path))

    def _text_of(self, path: str) -> etree.XPath:
        if path not in self._texts:
            steps = "/".join(f"c:{step}" for step in path.split("/"))
            self._texts[path] = etree.XPath(
                f"{steps}/text()", namespaces={"c": self.namespace}
            )
        return self._texts[path]

    def text(self, element, *paths) -> str:
        """Return the stripped text of the first of `paths` that is present."""
        for path in paths:
            for found in self._text_of(path)(element):
                if found.strip():
                    return found.strip()
        return ""


class _Where:
    """Names an entry in a message; translated only if a message is shown."""

    def __init__(self, reference):
        self.reference = reference

    def __str__(self):
        return str(_("entry %(ref)s") % {"ref": self.reference})


class _Values:
    """The texts of an element's subtree by relative path, read in one walk.

    An entry is read through a dozen paths; one pass over its few dozen
    nodes is much cheaper than a search per path. Repeated elements
    (several Ustrd lines) keep all their texts, in order; "Amt@Ccy" holds
    the currency attribute of an amount.
    """

    def __init__(self, element, *, skip: str = ""):
        texts: dict[str, list[str]] = {}
        # Each element's path, so a child's is its parent's plus its name;
        # lxml's iterator is much cheaper than walking the tree by hand.
        paths = {element: ""}
        for node in element.iterdescendants(etree.Element):
            prefix = paths.get(node.getparent())
            name = node.tag.rpartition("}")[2]
            if prefix is None or name == skip:
                continue
            path = f"{prefix}/{name}" if prefix else name
            paths[node] = path
            text = (node.text or "").strip()
            if text:
                texts.setdefault(path, []).append(text)
            currency = node.get("Ccy")
            if currency:
                texts.setdefault(f"{path}@Ccy", []).append(currency)
        self._texts = texts

    def text(self, *paths) -> str:
        """Return the first text of the first of `paths` that is present."""
        for path in paths:
            found = self._texts.get(path)
            if found:
                return found[0]
        return ""

    def texts(self, path) -> list[str]:
        return self._texts.get(path, [])


def _not_camt() -> CamtError:
    return CamtError(
        _("This is not an ISO 20022 camt.053 or camt.054 bank file."),
        code="camt_not_camt",
    )


def _date(text: str) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError as error:
        raise CamtError(
            _("%(value)s is not a date."), code="camt_date", params={"value": text}
        ) from error


def _datetime(text: str) -> datetime.datetime | None:
    if not text:
        return None
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError as error:
        raise CamtError(
            _("%(value)s is not a date and time."),
            code="camt_datetime",
            params={"value": text},
        ) from error


def _amount(text: str, *, where) -> Decimal:
    try:
        amount = Decimal(text)
    except InvalidOperation as error:
        raise CamtError(
            _("%(where)s: the amount %(value)s is not a number."),
            code="camt_amount",
            params={"where": where, "value": text},
        ) from error
    if not amount.is_finite() or amount < 0:
        raise CamtError(
            _("%(where)s: the amount %(value)s is not a valid amount."),
            code="camt_amount",
            params={"where": where, "value": text},
        )
    return amount


def _document_kind(root) -> tuple[str, str, object]:
    namespace = etree_namespace(root)
    if not namespace.startswith(NAMESPACE_PREFIX) or len(root) != 1:
        raise _not_camt()
    message = root[0]
    local = message.tag.rpartition("}")[2]
    if local not in _ROOTS:
        raise _not_camt()
    kind = _ROOTS[local][0]
    version = namespace[len(NAMESPACE_PREFIX) :]
    if not version.startswith(kind):
        raise CamtError(
            _("The file's namespace %(namespace)s does not fit a %(kind)s message."),
            code="camt_namespace",
            params={"namespace": namespace, "kind": kind},
        )
    return kind, version, message


def _balance(reader, report, code: str) -> Decimal | None:
    for balance in reader.findall(report, "Bal"):
        kind = reader.text(balance, "Tp/CdOrPrtry/Cd", "Tp/CdOrPrtry/Prtry")
        if kind != code:
            continue
        amount = _amount(reader.text(balance, "Amt"), where=code)
        if reader.text(balance, "CdtDbtInd") == "DBIT":
            amount = -amount
        return amount
    return None


def _transaction(details, *, position, entry_info) -> CamtTransaction:
    """Read one transaction; `details` are the values of its TxDtls or entry."""
    where = _Where(entry_info["reference"] or position)
    amount_text = details.text("Amt", "AmtDtls/TxAmt/Amt", "AmtDtls/InstdAmt/Amt")
    direction = details.text("CdtDbtInd") or entry_info["direction"]
    amount = _amount(amount_text, where=where) if amount_text else entry_info["amount"]
    is_credit = direction == "CRDT"
    party = "Dbtr" if is_credit else "Cdtr"
    raw_reference = details.text("RmtInf/Strd/CdtrRefInf/Ref")
    message = " ".join(details.texts("RmtInf/Ustrd"))
    archive_id = details.text("Refs/AcctSvcrRef") if entry_info["batched"] else ""
    key = archive_id or (
        f"{entry_info['archive_id']}/{position}"
        if entry_info["archive_id"]
        else entry_info["fallback"] + f"/{position}"
    )
    return CamtTransaction(
        key=key[:100],
        entry_reference=entry_info["reference"],
        booking_date=entry_info["booking_date"],
        value_date=entry_info["value_date"],
        amount=amount,
        currency=entry_info["currency"],
        is_credit=is_credit,
        is_reversal=entry_info["reversal"],
        reference=reference_or_blank(raw_reference),
        raw_reference=raw_reference,
        message=message[:500],
        counterparty_name=details.text(
            f"RltdPties/{party}/Nm", f"RltdPties/{party}/Pty/Nm"
        )[:140],
        counterparty_iban=details.text(f"RltdPties/{party}Acct/Id/IBAN"),
        end_to_end_id=details.text("Refs/EndToEndId"),
        payment_info_id=details.text("Refs/PmtInfId", "NtryDtls/Btch/PmtInfId"),
    )


def _entry_info(entry: _Values, *, report_id, position, batched) -> dict:
    reference = entry.text("NtryRef")
    currency = entry.text("Amt@Ccy")
    amount_text = entry.text("Amt")
    where = _Where(reference or position)
    if not currency or not amount_text:
        raise CamtError(
            _("%(where)s has no amount."),
            code="camt_no_amount",
            params={"where": where},
        )
    direction = entry.text("CdtDbtInd")
    if direction not in ("CRDT", "DBIT"):
        raise CamtError(
            _("%(where)s is neither a credit nor a debit."),
            code="camt_direction",
            params={"where": where},
        )
    booking = _date(entry.text("BookgDt/Dt", "BookgDt/DtTm"))
    if booking is None:
        raise CamtError(
            _("%(where)s has no booking date."),
            code="camt_no_booking_date",
            params={"where": where},
        )
    fallback = hashlib.sha256(
        f"{report_id}|{position}|{booking}|{amount_text}|{direction}".encode()
    ).hexdigest()[:32]
    return {
        "reference": reference,
        "amount": _amount(amount_text, where=where),
        "currency": currency,
        "direction": direction,
        "reversal": entry.text("RvslInd").lower() == "true",
        "booking_date": booking,
        "value_date": _date(entry.text("ValDt/Dt", "ValDt/DtTm")),
        "archive_id": entry.text("AcctSvcrRef"),
        "fallback": fallback,
        "batched": batched,
    }


def _report(reader, report, kind) -> CamtReport:
    report_id = reader.text(report, "Id")
    iban = reader.text(report, "Acct/Id/IBAN")
    if not iban:
        raise CamtError(
            _("The report %(id)s does not name the account's IBAN."),
            code="camt_no_iban",
            params={"id": report_id},
        )
    transactions = []
    for position, entry in enumerate(reader.findall(report, "Ntry"), start=1):
        values = _Values(entry, skip="NtryDtls")
        status = values.text("Sts/Cd", "Sts")
        if status and status != "BOOK":
            # Pending and informational entries are not money on the account.
            continue
        details = reader.findall(entry, "NtryDtls/TxDtls")
        info = _entry_info(
            values, report_id=report_id, position=position, batched=bool(details)
        )
        if not details:
            whole = _Values(entry)
            transactions.append(_transaction(whole, position=position, entry_info=info))
        for index, detail in enumerate(details, start=1):
            transactions.append(
                _transaction(
                    _Values(detail), position=f"{position}.{index}", entry_info=info
                )
            )
    return CamtReport(
        kind=kind,
        report_id=report_id,
        created_at=_datetime(reader.text(report, "CreDtTm")),
        account_iban="".join(iban.split()).upper(),
        currency=reader.text(report, "Acct/Ccy"),
        from_date=_date(reader.text(report, "FrToDt/FrDtTm", "FrToDt/FrDt")),
        to_date=_date(reader.text(report, "FrToDt/ToDtTm", "FrToDt/ToDt")),
        opening_balance=_balance(reader, report, "OPBD"),
        closing_balance=_balance(reader, report, "CLBD"),
        transactions=transactions,
    )


def looks_like_camt(data: bytes) -> bool:
    """Tell whether `data` is probably a camt document (without parsing it)."""
    return b"camt.05" in data[:4096]


def parse_camt(data: bytes) -> CamtDocument:
    """Parse a camt.053 or camt.054 file; raise CamtError or UnsafeXMLError."""
    root = parse_xml(data)
    if root.tag.rpartition("}")[2] != "Document":
        raise _not_camt()
    kind, version, message = _document_kind(root)
    reader = _Reader(etree_namespace(root))
    report_tag = _ROOTS[message.tag.rpartition("}")[2]][1]
    reports = [
        _report(reader, report, kind) for report in reader.findall(message, report_tag)
    ]
    if not reports:
        raise CamtError(
            _("The file contains no statement or notification."),
            code="camt_empty",
        )
    return CamtDocument(
        kind=kind,
        version=version,
        message_id=reader.text(message, "GrpHdr/MsgId"),
        reports=reports,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def etree_namespace(root) -> str:
    """Return the namespace of the document's root element."""
    return root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
