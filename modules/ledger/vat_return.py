"""The periodic VAT return (kausiveroilmoitus) and the VAT settlement.

The return is worked out from the posted lines that carry a VAT role:
taxable amounts (`base`), tax payable and deductible tax, each tied to a
VAT code whose kind says which return line it feeds. Every figure can be
opened as the list of journal lines behind it (`box_lines`).

`settle_vat` posts, in one step, the voucher that moves the period's tax
payable and deductible tax to the VAT liability account, and records the
settlement so the period is not settled twice.
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from modules.ledger.closing import system_series
from modules.ledger.models import (
    KIND_BOXES,
    SALES_KINDS,
    Account,
    JournalLine,
    VatBox,
    VatCode,
    VatRole,
    VatSettlement,
    Voucher,
)
from modules.ledger.services import LineInput, _ledger_lock, post_voucher

logger = logging.getLogger(__name__)

ZERO = Decimal(0)
SETTLEMENT_ACCOUNT = "2871"
TAX_BOXES = [
    VatBox.SALES_TAX,
    VatBox.EU_GOODS_TAX,
    VatBox.EU_SERVICES_TAX,
    VatBox.IMPORT_TAX,
    VatBox.REVERSE_CHARGE_TAX,
]
BASE_BOXES = [
    VatBox.ZERO_RATED_TURNOVER,
    VatBox.EU_GOODS_SALES,
    VatBox.EU_SERVICES_SALES,
    VatBox.EU_GOODS_PURCHASES,
    VatBox.EU_SERVICES_PURCHASES,
    VatBox.IMPORTS,
    VatBox.REVERSE_CHARGE_SALES,
    VatBox.REVERSE_CHARGE_PURCHASES,
]


@dataclass(frozen=True)
class VatReturnRow:
    """One line of the return; `rate` only on tax on domestic sales."""

    box: str
    amount: Decimal
    rate: Decimal | None = None

    @property
    def label(self) -> str:
        text = VatBox(self.box).label
        if self.rate is None:
            return str(text)
        return f"{text} {self.rate.normalize():f} %"


@dataclass
class VatReturn:
    """The figures of a VAT period."""

    start: object
    end: object
    rows: list[VatReturnRow] = field(default_factory=list)

    @property
    def payable(self) -> Decimal:
        return next(row.amount for row in self.rows if row.box == VatBox.PAYABLE)

    @property
    def tax_rows(self) -> list[VatReturnRow]:
        return [row for row in self.rows if row.box in TAX_BOXES]

    @property
    def other_rows(self) -> list[VatReturnRow]:
        return [row for row in self.rows if row.box not in TAX_BOXES]


def _vat_lines(*, company, start, end):
    return JournalLine.objects.filter(
        voucher__company=company,
        voucher__state=Voucher.State.POSTED,
        voucher__date__gte=start,
        voucher__date__lte=end,
    ).exclude(vat_role="")


def _kinds(company) -> dict[str, str]:
    return dict(VatCode.objects.filter(company=company).values_list("code", "kind"))


def vat_return(*, company, start, end) -> VatReturn:
    """Return the lines of the periodic tax return between two dates."""
    kinds = _kinds(company)
    totals: dict[tuple, Decimal] = {}
    grouped = (
        _vat_lines(company=company, start=start, end=end)
        .values("vat_code", "vat_role", "vat_rate")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    for group in grouped:
        kind = kinds.get(group["vat_code"])
        if kind is None:
            continue
        tax_box, base_box = KIND_BOXES[kind]
        credit_minus_debit = group["credit"] - group["debit"]
        if group["vat_role"] == VatRole.TAX_PAYABLE and tax_box is not None:
            rate = group["vat_rate"] if tax_box == VatBox.SALES_TAX else None
            key, amount = (tax_box, rate), credit_minus_debit
        elif group["vat_role"] == VatRole.TAX_DEDUCTIBLE:
            key, amount = (VatBox.DEDUCTIBLE_TAX, None), -credit_minus_debit
        elif group["vat_role"] == VatRole.BASE and base_box is not None:
            sign = 1 if kind in SALES_KINDS else -1
            key, amount = (base_box, None), sign * credit_minus_debit
        else:
            continue
        totals[key] = totals.get(key, ZERO) + amount

    rows = [
        VatReturnRow(box, totals[(box, rate)], rate)
        for box, rate in sorted(
            (key for key in totals if key[0] == VatBox.SALES_TAX),
            key=lambda key: -key[1],
        )
    ]
    rows += [
        VatReturnRow(box, totals.get((box, None), ZERO))
        for box in TAX_BOXES[1:] + [VatBox.DEDUCTIBLE_TAX]
    ]
    payable = sum(
        (row.amount for row in rows if row.box in TAX_BOXES), ZERO
    ) - totals.get((VatBox.DEDUCTIBLE_TAX, None), ZERO)
    rows.append(VatReturnRow(VatBox.PAYABLE, payable))
    rows += [VatReturnRow(box, totals.get((box, None), ZERO)) for box in BASE_BOXES]
    return VatReturn(start=start, end=end, rows=rows)


def box_lines(*, company, start, end, box, rate=None):
    """Return the journal lines behind one figure of the return."""
    kinds = _kinds(company)
    if box == VatBox.DEDUCTIBLE_TAX:
        wanted = Q(vat_role=VatRole.TAX_DEDUCTIBLE)
    elif box == VatBox.PAYABLE:
        wanted = Q(vat_role__in=[VatRole.TAX_PAYABLE, VatRole.TAX_DEDUCTIBLE])
    else:
        position, role = (
            (0, VatRole.TAX_PAYABLE) if box in TAX_BOXES else (1, VatRole.BASE)
        )
        codes = [
            code for code, kind in kinds.items() if KIND_BOXES[kind][position] == box
        ]
        wanted = Q(vat_role=role, vat_code__in=codes)
        if rate is not None:
            wanted &= Q(vat_rate=rate)
    return (
        _vat_lines(company=company, start=start, end=end)
        .filter(wanted)
        .select_related("voucher__series", "account")
        .order_by("voucher__date", "voucher__number", "pk")
    )


@transaction.atomic
def settle_vat(*, company, user, start, end, account=None) -> VatSettlement:
    """Post the VAT settlement voucher of a period on its last day.

    The period's tax payable and deductible tax are cleared to the VAT
    liability account (2871 unless `account` is given); a period is
    settled once.
    """
    _ledger_lock(company.pk)
    if VatSettlement.objects.filter(
        company=company, start__lte=end, end__gte=start
    ).exists():
        raise ValidationError(
            _("The VAT period is already settled."), code="already_settled"
        )
    account = (
        account
        or Account.objects.filter(company=company, number=SETTLEMENT_ACCOUNT).first()
    )
    if account is None or account.company_id != company.pk:
        raise ValidationError(
            _("Choose the VAT liability account of the company."),
            code="no_settlement_account",
        )
    balances = (
        _vat_lines(company=company, start=start, end=end)
        .filter(vat_role__in=[VatRole.TAX_PAYABLE, VatRole.TAX_DEDUCTIBLE])
        .values("account")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .order_by("account")
    )
    accounts = Account.objects.in_bulk([row["account"] for row in balances])
    label = _("VAT settlement")
    lines, payable = [], ZERO
    for row in balances:
        balance = row["debit"] - row["credit"]
        if not balance:
            continue
        payable -= balance
        side = {"credit": balance} if balance > 0 else {"debit": -balance}
        lines.append(
            LineInput(account=accounts[row["account"]], description=label, **side)
        )
    if not lines:
        raise ValidationError(
            _("There is no VAT to settle in the period."), code="nothing_to_settle"
        )
    if payable:
        side = {"credit": payable} if payable > 0 else {"debit": -payable}
        lines.append(LineInput(account=account, description=label, **side))

    voucher = post_voucher(
        company=company,
        user=user,
        series=system_series(company, "VAT", _("VAT settlements")),
        date=end,
        description=_("VAT settlement %(start)s-%(end)s")
        % {"start": f"{start:%d.%m.%Y}", "end": f"{end:%d.%m.%Y}"},
        lines=lines,
    )
    settlement = VatSettlement.objects.create(
        company=company, start=start, end=end, voucher=voucher, payable=payable
    )
    logger.info("VAT %s settled for %s: %s", settlement, company.pk, payable)
    return settlement
