"""Foreign currencies in the books: importing rates and revaluing balances.

Rates are read from the European Central Bank's reference rate files, as
CSV (`eurofxref.csv`, `eurofxref-hist.csv`) or XML (`eurofxref-daily.xml`,
`eurofxref-hist.xml`), and stored as `modules.core.models.ExchangeRate`
rows: units of the currency for one euro. XML is parsed with entities,
DTDs and network access off.

At the end of a period the open foreign-currency balances of balance
sheet accounts are revalued at the rate of that day; the revaluation is
reversed on the first day of the next period, so each period's figures
rest on the historical rates.
"""

import csv
import datetime
import io
import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from lxml import etree

from modules.core.models import Currency, ExchangeRate
from modules.core.money import round_decimal
from modules.core.selectors import rate_on
from modules.ledger.closing import system_series
from modules.ledger.models import (
    BALANCE_SHEET_TYPES,
    Account,
    JournalLine,
    Voucher,
)
from modules.ledger.services import LineInput, post_voucher, reverse_voucher

logger = logging.getLogger(__name__)

MAX_RATES_FILE = 10 * 1024 * 1024
GAIN_ACCOUNT, LOSS_ACCOUNT = "8120", "8220"
ZERO = Decimal(0)


def _bad_file(message) -> ValidationError:
    return ValidationError(message, code="rates_file")


def _rate(value: str, *, where: str) -> Decimal | None:
    value = value.strip()
    if value in {"", "N/A"}:
        return None
    try:
        rate = Decimal(value)
    except InvalidOperation as error:
        raise _bad_file(
            _("%(where)s: %(value)s is not a rate.") % {"where": where, "value": value}
        ) from error
    if not rate.is_finite() or rate <= 0:
        raise _bad_file(
            _("%(where)s: %(value)s is not a rate.") % {"where": where, "value": value}
        )
    return rate


def _date(value: str, *, where: str) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d %B %Y"):
        try:
            return datetime.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise _bad_file(
        _("%(where)s: %(value)s is not a date.") % {"where": where, "value": value}
    )


def _parse_xml(content: bytes) -> list[tuple[datetime.date, str, Decimal]]:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise _bad_file(_("The file is not well-formed XML.")) from error
    rates = []
    for day in root.iter("{*}Cube"):
        if day.get("time") is None:
            continue
        date = _date(day.get("time"), where=day.get("time"))
        for cube in day.iter("{*}Cube"):
            code = cube.get("currency")
            if code:
                rate = _rate(cube.get("rate", ""), where=f"{date} {code}")
                if rate is not None:
                    rates.append((date, code.upper(), rate))
    return rates


def _parse_csv(content: bytes) -> list[tuple[datetime.date, str, Decimal]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _bad_file(_("The file is not UTF-8 text.")) from error
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or rows[0][0].strip() != "Date":
        raise _bad_file(_("The first column of the header must be Date."))
    codes = [code.strip().upper() for code in rows[0][1:]]
    rates = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = _("Row %(row)s") % {"row": number}
        date = _date(row[0], where=where)
        for code, value in zip(codes, row[1:], strict=False):
            if not code:
                continue
            rate = _rate(value, where=f"{where} {code}")
            if rate is not None:
                rates.append((date, code, rate))
    return rates


@dataclass
class RatesImport:
    """What an exchange-rate import stored and what it left out."""

    stored: int = 0
    unknown_currencies: list[str] = field(default_factory=list)


@transaction.atomic
def import_exchange_rates(*, user, content: bytes, source: str = "ECB") -> RatesImport:
    """Store the rates of an ECB reference-rate file (CSV or XML).

    Rates of currencies the product does not know are not stored; their
    codes are returned so the user sees them. A rate already stored for
    the same currency and day is replaced.
    """
    if len(content) > MAX_RATES_FILE:
        raise _bad_file(_("The file is larger than 10 MB."))
    parse = _parse_xml if content.lstrip()[:1] == b"<" else _parse_csv
    rates = parse(content)
    if not rates:
        raise _bad_file(_("The file has no exchange rates."))

    currencies = {
        currency.code: currency
        for currency in Currency.objects.exclude(code="EUR").filter(
            code__in={code for _date, code, _rate in rates}
        )
    }
    rows = [
        ExchangeRate(
            currency=currencies[code],
            date=date,
            rate=round_decimal(rate, 8),
            source=source,
        )
        for date, code, rate in rates
        if code in currencies
    ]
    ExchangeRate.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["currency", "date"],
        update_fields=["rate", "source"],
    )

    result = RatesImport(
        stored=len(rows),
        unknown_currencies=sorted({code for _d, code, _r in rates} - set(currencies)),
    )
    logger.info(
        "%s exchange rates imported by %s; unknown currencies: %s",
        result.stored,
        getattr(user, "pk", None),
        result.unknown_currencies,
    )
    return result


def open_currency_balances(*, company, date) -> list[dict]:
    """Return the foreign-currency balances of balance sheet accounts on a
    date, within the fiscal year of that date: account, currency, euros
    and amount in currency (debit positive)."""
    rows = (
        JournalLine.objects.filter(
            voucher__company=company,
            voucher__state=Voucher.State.POSTED,
            voucher__fiscal_year__start__lte=date,
            voucher__fiscal_year__end__gte=date,
            voucher__date__lte=date,
            account__type__in=BALANCE_SHEET_TYPES,
        )
        .exclude(currency="EUR")
        .values("account", "currency")
        .annotate(
            debit=Sum("debit"),
            credit=Sum("credit"),
            in_currency=Sum("amount_in_currency"),
        )
        .order_by("account", "currency")
    )
    return [
        {
            "account": row["account"],
            "currency": row["currency"],
            "euros": row["debit"] - row["credit"],
            "in_currency": row["in_currency"] or ZERO,
        }
        for row in rows
    ]


@transaction.atomic
def revalue_currencies(*, company, user, date) -> tuple[Voucher, Voucher] | None:
    """Revalue open foreign-currency balances at the rate of `date`.

    Post the revaluation on `date` (the last day of a period) and its
    reversal on the next day. Return both vouchers, or None when nothing
    needed revaluing. A currency without a rate for the day stops the
    whole revaluation with a message naming it.
    """
    accounts = {
        account.number: account
        for account in Account.objects.filter(
            company=company, number__in=[GAIN_ACCOUNT, LOSS_ACCOUNT]
        )
    }
    if len(accounts) != 2:
        raise ValidationError(
            _(
                "The chart needs the accounts %(gain)s and %(loss)s for exchange "
                "differences."
            )
            % {"gain": GAIN_ACCOUNT, "loss": LOSS_ACCOUNT},
            code="no_exchange_accounts",
        )
    balances = open_currency_balances(company=company, date=date)
    by_pk = Account.objects.in_bulk([row["account"] for row in balances])

    lines = []
    for row in balances:
        rate = rate_on(row["currency"], date)
        difference = round_decimal(row["in_currency"] / rate, 2) - row["euros"]
        if not difference:
            continue
        label = _("Revaluation of %(currency)s at %(rate)s") % {
            "currency": row["currency"],
            "rate": rate,
        }
        side = {"debit": difference} if difference > 0 else {"credit": -difference}
        lines.append(
            LineInput(
                account=by_pk[row["account"]],
                description=label,
                currency=row["currency"],
                amount_in_currency=ZERO,
                rate=rate,
                **side,
            )
        )
        counter = accounts[GAIN_ACCOUNT if difference > 0 else LOSS_ACCOUNT]
        opposite = {"credit": difference} if difference > 0 else {"debit": -difference}
        lines.append(LineInput(account=counter, description=label, **opposite))
    if not lines:
        return None

    revaluation = post_voucher(
        company=company,
        user=user,
        series=system_series(company, "RV", _("Currency revaluations")),
        date=date,
        description=_("Revaluation of foreign-currency balances on %(date)s")
        % {"date": f"{date:%d.%m.%Y}"},
        lines=lines,
    )
    reversal = reverse_voucher(
        voucher=revaluation, user=user, date=date + datetime.timedelta(days=1)
    )
    logger.info("Currency balances of %s revalued on %s", company.pk, date)
    return revaluation, reversal
