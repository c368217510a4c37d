"""Reads of the books: the auditor's check and the trial balance."""

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from modules.ledger.models import Account, JournalLine, Voucher, VoucherAttachment
from modules.ledger.services import canonical_content, chain_hash, file_sha256

logger = logging.getLogger(__name__)


CHECK_LABELS = {
    "balance": pgettext_lazy("ledger check", "Balance"),
    "numbering": gettext_lazy("Numbering"),
    "chain": gettext_lazy("Hash chain"),
    "attachments": gettext_lazy("Attachments"),
}


@dataclass(frozen=True)
class Finding:
    """One thing the auditor's check found wrong."""

    check: str
    message: str
    voucher_id: int | None = None

    @property
    def check_label(self) -> str:
        return CHECK_LABELS[self.check]


@dataclass
class LedgerCheck:
    """The result of `verify_ledger` for one company."""

    vouchers: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def first(self, check: str) -> Finding | None:
        """Return the first finding of a check, or None when it passed."""
        return next((found for found in self.findings if found.check == check), None)


def _posted(company):
    return Voucher.objects.filter(company=company, state=Voucher.State.POSTED)


def _check_balances(company) -> list[Finding]:
    unbalanced = (
        _posted(company)
        .annotate(
            debit=Sum("lines__debit", default=Decimal(0)),
            credit=Sum("lines__credit", default=Decimal(0)),
            line_count=Count("lines"),
        )
        .filter(~Q(debit=F("credit")) | Q(line_count__lt=2))
        .select_related("series")
        .order_by("chain_position")
    )
    return [
        Finding(
            "balance",
            _(
                "Voucher %(voucher)s does not balance: debits %(debit)s, credits "
                "%(credit)s."
            )
            % {"voucher": voucher, "debit": voucher.debit, "credit": voucher.credit},
            voucher.pk,
        )
        for voucher in unbalanced
    ]


def _check_numbering(company) -> list[Finding]:
    findings = []
    numbers: dict[tuple, list[int]] = {}
    rows = (
        _posted(company)
        .order_by("series__code", "fiscal_year__start", "number")
        .values_list("series__code", "fiscal_year__start", "number")
    )
    for code, start, number in rows:
        numbers.setdefault((code, start), []).append(number)
    for (code, start), taken in numbers.items():
        for expected, number in enumerate(taken, start=1):
            if number != expected:
                findings.append(
                    Finding(
                        "numbering",
                        _(
                            "Series %(series)s of the fiscal year starting "
                            "%(start)s: number %(expected)s is missing."
                        )
                        % {
                            "series": code,
                            "start": f"{start:%d.%m.%Y}",
                            "expected": expected,
                        },
                    )
                )
                break
    return findings


def _check_chain(company) -> tuple[int, list[Finding]]:
    vouchers = (
        _posted(company)
        .select_related("series", "fiscal_year")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=JournalLine.objects.select_related("account").order_by("pk"),
            )
        )
        .order_by("chain_position")
    )
    previous_hash = ""
    count = 0
    for position, voucher in enumerate(vouchers.iterator(chunk_size=500), start=1):
        count += 1
        if voucher.chain_position != position:
            return count, [
                Finding(
                    "chain",
                    _(
                        "The hash chain is broken before voucher %(voucher)s: a "
                        "posted voucher is missing."
                    )
                    % {"voucher": voucher},
                    voucher.pk,
                )
            ]
        expected = chain_hash(
            previous_hash, canonical_content(voucher, voucher.lines.all())
        )
        if expected != voucher.hash:
            return count, [
                Finding(
                    "chain",
                    _(
                        "The hash chain is broken at voucher %(voucher)s: its "
                        "content or its predecessor has changed since posting."
                    )
                    % {"voucher": voucher},
                    voucher.pk,
                )
            ]
        previous_hash = voucher.hash
    return count, []


def _check_attachments(company) -> list[Finding]:
    findings = []
    attachments = VoucherAttachment.objects.filter(
        voucher__company=company
    ).select_related("voucher__series", "document")
    for attachment in attachments.order_by("pk").iterator(chunk_size=200):
        try:
            intact = file_sha256(attachment.document.file) == attachment.sha256
        except OSError:
            intact = False
        if not intact:
            findings.append(
                Finding(
                    "attachments",
                    _(
                        "Attachment %(document)s of voucher %(voucher)s is "
                        "missing or has changed since it was attached."
                    )
                    % {
                        "document": attachment.document,
                        "voucher": attachment.voucher,
                    },
                    attachment.voucher_id,
                )
            )
    return findings


def verify_ledger(*, company) -> LedgerCheck:
    """Check balances, numbering, the hash chain and attachment checksums."""
    result = LedgerCheck()

    result.findings.extend(_check_balances(company))
    result.findings.extend(_check_numbering(company))
    result.vouchers, chain = _check_chain(company)
    result.findings.extend(chain)
    result.findings.extend(_check_attachments(company))

    if result.ok:
        logger.info("Ledger of %s verified: %s vouchers", company.pk, result.vouchers)
    else:
        logger.warning("Ledger of %s: %s findings", company.pk, len(result.findings))
    return result


@dataclass(frozen=True)
class TrialBalanceRow:
    """Posted debits and credits of one account."""

    account: Account
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit


def trial_balance(*, company, start=None, end=None) -> list[TrialBalanceRow]:
    """Return posted debits and credits per account between two dates."""
    lines = JournalLine.objects.filter(
        voucher__company=company, voucher__state=Voucher.State.POSTED
    )
    if start is not None:
        lines = lines.filter(voucher__date__gte=start)
    if end is not None:
        lines = lines.filter(voucher__date__lte=end)
    totals = {
        row["account"]: row
        for row in lines.values("account").annotate(
            debit=Sum("debit"), credit=Sum("credit")
        )
    }
    accounts = Account.objects.filter(pk__in=totals).order_by("number")
    return [
        TrialBalanceRow(
            account=account,
            debit=totals[account.pk]["debit"],
            credit=totals[account.pk]["credit"],
        )
        for account in accounts
    ]
