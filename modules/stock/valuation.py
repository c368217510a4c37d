"""Stock value in the books: vouchers for the value of stock moves.

When a company's `StockSettings.post_to_ledger` is on, every service call
that moves stock posts one voucher through `modules.ledger.services
.post_voucher` in the same transaction, so a move without its voucher (or
the other way round) cannot exist. Transfers keep the value in stock and
post nothing.
"""

import logging
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from modules.core.money import round_money
from modules.stock.models import MoveKind, StockSettings

logger = logging.getLogger(__name__)


def _accounts_for(move, settings) -> tuple:
    """Return (debit account, credit account) for an incoming move's value."""
    counterpart = {
        MoveKind.RECEIPT: settings.receipt_account,
        MoveKind.ISSUE: settings.cost_account,
    }.get(move.kind, settings.adjustment_account)
    return settings.inventory_account, counterpart


def voucher_lines(moves, settings) -> list:
    """Return the ledger lines for the value of `moves`, netted per account."""
    from modules.ledger.services import LineInput

    net: dict = defaultdict(Decimal)
    for move in moves:
        if move.kind == MoveKind.TRANSFER:
            continue
        value = round_money(move.quantity * move.unit_cost, "EUR")
        stock_account, counterpart = _accounts_for(move, settings)
        net[stock_account] += value
        net[counterpart] -= value
    lines = []
    for account, amount in sorted(net.items(), key=lambda item: item[0].number):
        if amount > 0:
            lines.append(LineInput(account=account, debit=amount))
        elif amount < 0:
            lines.append(LineInput(account=account, credit=-amount))
    return lines


def post_move_values(*, moves, user):
    """Post the value of `moves` to the ledger if the company wants it.

    Returns the voucher, or None when nothing is posted.
    """
    if not moves:
        return None
    settings = (
        StockSettings.objects.filter(
            company_id=moves[0].company_id, post_to_ledger=True
        )
        .select_related(
            "company",
            "voucher_series",
            "inventory_account",
            "receipt_account",
            "cost_account",
            "adjustment_account",
        )
        .first()
    )
    if settings is None:
        return None
    lines = voucher_lines(moves, settings)
    if len(lines) < 2:
        return None

    from modules.ledger.services import post_voucher

    first = moves[0]
    description = _("Stock %(kind)s %(product)s") % {
        "kind": first.get_kind_display().lower(),
        "product": first.product.item_number,
    }
    if first.reference:
        description += f" ({first.reference})"
    voucher = post_voucher(
        company=settings.company,
        user=user,
        series=settings.voucher_series,
        date=first.date,
        description=description[:200],
        lines=lines,
        source=first,
    )
    logger.info("Stock value voucher %s for move %s", voucher.pk, first.pk)
    return voucher
