"""Bank files for tests and benchmarks, written from parts.

The layouts follow ISO 20022 camt.053/camt.054 (versions 001.02 and
001.08) and Finance Finland's reference payment file; the payers,
accounts and references are made up, with check digits that hold
(FINLAND.md vectors: references 1232, 1326, RF111232).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

IBAN = "FI2112345600000785"
OTHER_IBAN = "FI3715903000000776"


@dataclass(frozen=True)
class Payment:
    amount: Decimal
    reference: str = ""
    name: str = "Maksaja Oy"
    archive_id: str = ""
    message: str = ""
    credit: bool = True
    payer_iban: str = "FI4950009420028730"
    booked: datetime.date = datetime.date(2026, 12, 1)


def _party(payment: Payment, version: str) -> str:
    role = "Dbtr" if payment.credit else "Cdtr"
    name = f"<Nm>{escape(payment.name)}</Nm>"
    if version >= "08":
        name = f"<Pty>{name}</Pty>"
    return (
        f"<RltdPties><{role}>{name}</{role}>"
        f"<{role}Acct><Id><IBAN>{payment.payer_iban}</IBAN></Id></{role}Acct>"
        f"</RltdPties>"
    )


def _remittance(payment: Payment) -> str:
    if payment.reference:
        issuer = "<Issr>ISO</Issr>" if payment.reference.startswith("RF") else ""
        return (
            "<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry>"
            f"{issuer}</Tp><Ref>{payment.reference}</Ref></CdtrRefInf></Strd></RmtInf>"
        )
    if payment.message:
        return f"<RmtInf><Ustrd>{escape(payment.message)}</Ustrd></RmtInf>"
    return ""


def _details(payment: Payment, version: str) -> str:
    refs = (
        f"<Refs><AcctSvcrRef>{payment.archive_id}</AcctSvcrRef></Refs>"
        if payment.archive_id
        else ""
    )
    if version >= "08":
        amount = f'<Amt Ccy="EUR">{payment.amount}</Amt>'
    else:
        amount = (
            f'<AmtDtls><TxAmt><Amt Ccy="EUR">{payment.amount}</Amt></TxAmt></AmtDtls>'
        )
    return (
        f"<TxDtls>{refs}{amount}{_party(payment, version)}{_remittance(payment)}"
        "</TxDtls>"
    )


def _entry(payments, version: str, number: int) -> str:
    first = payments[0]
    total = sum((p.amount for p in payments), Decimal("0"))
    status = "<Sts><Cd>BOOK</Cd></Sts>" if version >= "08" else "<Sts>BOOK</Sts>"
    details = "".join(_details(p, version) for p in payments)
    return (
        f"<Ntry><NtryRef>{number}</NtryRef>"
        f'<Amt Ccy="EUR">{total}</Amt>'
        f"<CdtDbtInd>{'CRDT' if first.credit else 'DBIT'}</CdtDbtInd>{status}"
        f"<BookgDt><Dt>{first.booked}</Dt></BookgDt>"
        f"<ValDt><Dt>{first.booked}</Dt></ValDt>"
        f"<AcctSvcrRef>E{number:06d}</AcctSvcrRef>"
        "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>VCOM</SubFmlyCd>"
        "</Fmly></Domn></BkTxCd>"
        f"<NtryDtls>{details}</NtryDtls></Ntry>"
    )


def camt054(
    payments,
    *,
    iban=IBAN,
    version="02",
    message_id="MSG-054-1",
    batch=True,
) -> bytes:
    """Return a camt.054 notification; `batch` puts all payments in one entry."""
    payments = list(payments)
    if batch:
        # Banks batch payments of one direction into one entry.
        groups = [
            group
            for group in (
                [p for p in payments if p.credit],
                [p for p in payments if not p.credit],
            )
            if group
        ]
    else:
        groups = [[p] for p in payments]
    entries = "".join(_entry(g, version, n) for n, g in enumerate(groups, start=1))
    namespace = f"urn:iso:std:iso:20022:tech:xsd:camt.054.001.{version}"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{namespace}">'
        "<BkToCstmrDbtCdtNtfctn>"
        f"<GrpHdr><MsgId>{message_id}</MsgId>"
        "<CreDtTm>2026-12-01T18:00:00+02:00</CreDtTm></GrpHdr>"
        f"<Ntfctn><Id>{message_id}-N1</Id><CreDtTm>2026-12-01T18:00:00+02:00</CreDtTm>"
        f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        f"{entries}</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>"
    ).encode()


def camt053(
    payments,
    *,
    iban=IBAN,
    version="02",
    opening=Decimal("1000.00"),
    statement_id="STMT-2026-12-01",
) -> bytes:
    """Return a camt.053 statement with one entry per payment and balances."""
    closing = opening + sum(
        (p.amount if p.credit else -p.amount for p in payments), Decimal("0")
    )
    entries = "".join(_entry([p], version, n) for n, p in enumerate(payments, 1))

    def balance(code, amount):
        sign = "CRDT" if amount >= 0 else "DBIT"
        return (
            f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
            f'<Amt Ccy="EUR">{abs(amount)}</Amt><CdtDbtInd>{sign}</CdtDbtInd>'
            "<Dt><Dt>2026-12-01</Dt></Dt></Bal>"
        )

    namespace = f"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{namespace}">'
        "<BkToCstmrStmt><GrpHdr><MsgId>MSG-053-1</MsgId>"
        "<CreDtTm>2026-12-02T06:00:00+02:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{statement_id}</Id><CreDtTm>2026-12-02T06:00:00+02:00</CreDtTm>"
        "<FrToDt><FrDtTm>2026-12-01T00:00:00+02:00</FrDtTm>"
        "<ToDtTm>2026-12-01T23:59:59+02:00</ToDtTm></FrToDt>"
        f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        f"{balance('OPBD', opening)}{balance('CLBD', closing)}"
        f"{entries}</Stmt></BkToCstmrStmt></Document>"
    ).encode()


def reference_file(payments, *, iban=IBAN, corrupt_totals=False) -> bytes:
    """Return a legacy reference payment file (90-character records)."""
    account = iban[4:]
    lines = [("0261201" + "1800" + "12" + "123456789" + "1").ljust(90)]
    total = Decimal("0")
    for number, payment in enumerate(payments, start=1):
        cents = int(payment.amount * 100)
        total += payment.amount
        archive = payment.archive_id or f"2612011234{number:06d}"
        lines.append(
            (
                "3"
                + account
                + payment.booked.strftime("%y%m%d")
                + payment.booked.strftime("%y%m%d")
                + archive.ljust(16)[:16]
                + payment.reference.rjust(20, "0")
                + payment.name.upper().ljust(12)[:12]
                + "1"
                + "A"
                + f"{cents:010d}"
                + "0"
                + "A"
                + " "
            ).ljust(90)
        )
    count = len(payments) + (1 if corrupt_totals else 0)
    lines.append(
        ("9" + f"{count:06d}" + f"{int(total * 100):011d}" + "0" * 6 + "0" * 11).ljust(
            90
        )
    )
    return ("\r\n".join(lines) + "\r\n").encode("latin-1")


def pain002(original_message_id, statuses, *, group_status="PART") -> bytes:
    """Return a pain.002.001.03 report: statuses maps end-to-end id -> code."""
    transactions = "".join(
        f"<TxInfAndSts><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>{code}</TxSts>"
        + (
            "<StsRsnInf><Rsn><Cd>AC04</Cd></Rsn><AddtlInf>Account closed</AddtlInf>"
            "</StsRsnInf>"
            if code == "RJCT"
            else ""
        )
        + "</TxInfAndSts>"
        for e2e, code in statuses.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Document '
        'xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>'
        "<GrpHdr><MsgId>STS-1</MsgId><CreDtTm>2026-12-05T09:00:00</CreDtTm></GrpHdr>"
        f"<OrgnlGrpInfAndSts><OrgnlMsgId>{original_message_id}</OrgnlMsgId>"
        f"<OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId><GrpSts>{group_status}</GrpSts>"
        "</OrgnlGrpInfAndSts><OrgnlPmtInfAndSts><OrgnlPmtInfId>P1</OrgnlPmtInfId>"
        f"{transactions}</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>"
    ).encode()
