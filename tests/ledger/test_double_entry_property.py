"""R3: random posts (with VAT codes), reversals, locks and a year-end close
keep the books balanced and nothing lands in a locked or closed period."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modules.ledger.closing import close_fiscal_year
from modules.ledger.models import FiscalYear, Period, Voucher
from modules.ledger.selectors import trial_balance, verify_ledger
from modules.ledger.services import (
    LineInput,
    lock_period,
    post_voucher,
    reverse_voucher,
)

NUMBERS = ["1700", "1910", "2800", "3000", "4000", "7100"]
VAT_CODES = ["", "", "purchase_general", "eu_goods_purchase"]

amounts = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2
)
post = st.tuples(
    st.just("post"),
    st.integers(min_value=1, max_value=12),
    st.lists(
        st.tuples(st.sampled_from(NUMBERS), amounts, st.sampled_from(VAT_CODES)),
        min_size=1,
        max_size=4,
    ),
)
reverse = st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50))
lock = st.tuples(st.just("lock"), st.integers(min_value=1, max_value=12))
close = st.tuples(st.just("close"))
steps = st.lists(st.one_of(post, post, reverse, lock, close), min_size=1, max_size=12)


class _Rollback(Exception):
    pass


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=steps)
def test_r3_random_posts_and_reversals_keep_the_trial_balance_at_zero(
    books, accountant, series, account, steps
):
    try:
        with transaction.atomic():
            _run(books, accountant, series, account, steps)
            raise _Rollback
    except _Rollback:
        pass


def _run(books, accountant, series, account, steps):
    posted = []
    before_lock = {}
    for step in steps:
        try:
            if step[0] == "post":
                _, month, pairs = step
                debits = [
                    LineInput(account=account(number), debit=amount, vat_code=code)
                    for number, amount, code in pairs
                ]
                total = sum(amount for _, amount, _code in pairs)
                lines = [*debits, LineInput(account=account("1910"), credit=total)]
                posted.append(
                    post_voucher(
                        company=books,
                        user=accountant,
                        series=series,
                        date=datetime.date(2026, month, 15),
                        description="Random",
                        lines=lines,
                    )
                )
            elif step[0] == "reverse" and posted:
                original = posted[step[1] % len(posted)]
                posted.append(
                    reverse_voucher(
                        voucher=original,
                        user=accountant,
                        date=datetime.date(2026, 12, 31),
                    )
                )
            elif step[0] == "lock":
                period = Period.objects.get(
                    fiscal_year__company=books, start__year=2026, start__month=step[1]
                )
                lock_period(period=period, user=accountant)
                before_lock.setdefault(step[1], set(_voucher_ids(books, step[1])))
            elif step[0] == "close":
                year = FiscalYear.objects.get(company=books, start__year=2026)
                close_fiscal_year(fiscal_year=year, user=accountant)
                for month in range(1, 13):
                    before_lock.setdefault(month, set(_voucher_ids(books, month)))
        except ValidationError:
            continue

    rows = trial_balance(company=books)
    assert sum(row.balance for row in rows) == 0
    opening = trial_balance(company=books, start=datetime.date(2027, 1, 1))
    assert sum(row.balance for row in opening) == 0
    for voucher in Voucher.objects.filter(company=books):
        totals = voucher.lines.aggregate(d=Sum("debit"), c=Sum("credit"))
        assert totals["d"] == totals["c"]
    for month, earlier in before_lock.items():
        assert set(_voucher_ids(books, month)) <= earlier
    assert verify_ledger(company=books).ok


def _voucher_ids(company, month):
    return Voucher.objects.filter(
        company=company, date__year=2026, date__month=month
    ).values_list("pk", flat=True)
