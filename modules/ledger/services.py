"""Writes to the books: charts, fiscal years, periods and vouchers.

Posting takes its locks in one fixed order: the company's ledger (a
no-key row lock on the company, which serialises the hash chain), the
period, the number series, then the accounts by primary key. A single
voucher is written as a draft first, without locks (`prepare_voucher`),
and numbered under them (`seal_voucher`), with share locks on its period
and accounts so that neither is locked or closed under it. Every
service raises `ValidationError` with a translatable message and leaves
nothing half-written.
"""

import calendar
import dataclasses
import datetime
import hashlib
import json
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cms.services import delete_object, update_object
from fixtures.chart_of_accounts import template_accounts
from modules.core.audit import record_change, snapshot
from modules.core.database import require_atomic, run_together
from modules.core.models import Company
from modules.core.money import get_currency, round_decimal
from modules.core.numbering import number_statement, reserve_numbers
from modules.core.selectors import BASE_CURRENCY, rate_on
from modules.ledger.models import (
    Account,
    CostCentre,
    FiscalYear,
    JournalLine,
    Period,
    PostedError,
    Project,
    Voucher,
    VoucherAttachment,
)
from modules.ledger.vat import VatTable, create_vat_codes_from_template, expand_vat

logger = logging.getLogger(__name__)

MAX_FISCAL_YEAR_MONTHS = 18
CENT = Decimal("0.01")


# Chart of accounts


@transaction.atomic
def create_chart_from_template(*, company, user) -> list[Account]:
    """Load the Finnish chart of accounts template into an empty chart.

    The company also gets the Finnish VAT codes with their rates.
    """

    if Account.objects.filter(company=company).exists():
        raise ValidationError(
            _("The company already has a chart of accounts."), code="chart_exists"
        )

    accounts = [
        Account(
            company=company,
            number=row.number,
            name_fi=row.name_fi,
            name_sv=row.name_sv,
            name_en=row.name_en,
            type=row.type,
            statement_line=row.statement_line,
            default_vat_code=row.default_vat_code,
        )
        for row in template_accounts()
    ]
    for account in accounts:
        account.full_clean(validate_unique=False)
    created = Account.objects.bulk_create(accounts)

    record_change(
        instance=company,
        user=user,
        action="update",
        after={"chart_of_accounts": len(created)},
    )
    create_vat_codes_from_template(company=company, user=user)
    logger.info("Chart of %s accounts created for %s", len(created), company.pk)
    return created


# Fiscal years and periods


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=1)


def _month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _check_fiscal_year(*, company, start, end, exclude_pk=None) -> None:
    if start is None or end is None:
        raise ValidationError(_("Give the start and end dates."), code="dates")
    if end <= start:
        raise ValidationError(
            {"end": _("The year must end after it starts.")}, code="end_before_start"
        )
    if start.day != 1 or end != _month_end(end):
        raise ValidationError(
            _("A fiscal year starts on the first and ends on the last day of a month."),
            code="whole_months",
        )
    if end > _month_end(_add_months(start, MAX_FISCAL_YEAR_MONTHS - 1)):
        raise ValidationError(
            {"end": _("A fiscal year can be at most 18 months long.")},
            code="too_long",
        )
    overlapping = FiscalYear.objects.filter(
        company=company, start__lte=end, end__gte=start
    ).exclude(pk=exclude_pk)
    if overlapping.exists():
        raise ValidationError(
            _("The dates overlap the fiscal year %(year)s.")
            % {"year": overlapping.first()},
            code="overlap",
        )


def _create_periods(fiscal_year) -> None:
    periods = []
    month = fiscal_year.start
    while month <= fiscal_year.end:
        periods.append(
            Period(fiscal_year=fiscal_year, start=month, end=_month_end(month))
        )
        month = _add_months(month, 1)
    Period.objects.bulk_create(periods)


@transaction.atomic
def open_fiscal_year(*, company, user, start, end) -> FiscalYear:
    """Open a fiscal year of whole months with one open period per month."""
    Company.objects.select_for_update(no_key=True).get(pk=company.pk)

    _check_fiscal_year(company=company, start=start, end=end)

    fiscal_year = FiscalYear.objects.create(company=company, start=start, end=end)
    _create_periods(fiscal_year)

    record_change(
        instance=fiscal_year, user=user, action="create", after=snapshot(fiscal_year)
    )
    logger.info("Fiscal year %s opened for %s", fiscal_year, company.pk)
    return fiscal_year


def create_fiscal_year(*, company, user, data: dict) -> FiscalYear:
    """Open a fiscal year from admin, API or import data."""
    if company is None:
        raise ValidationError(_("Choose a company first."), code="no_company")
    return open_fiscal_year(
        company=company, user=user, start=data.get("start"), end=data.get("end")
    )


@transaction.atomic
def update_fiscal_year(*, instance, user, data: dict) -> FiscalYear:
    """Change the dates of a fiscal year that has no vouchers yet."""
    locked = FiscalYear.objects.select_for_update().get(pk=instance.pk)
    start, end = data.get("start", locked.start), data.get("end", locked.end)

    if locked.vouchers.exists():
        raise ValidationError(
            _("The fiscal year has vouchers; its dates cannot change."),
            code="has_vouchers",
        )
    if locked.state == FiscalYear.State.CLOSED:
        raise ValidationError(_("The fiscal year is closed."), code="closed")
    _check_fiscal_year(
        company=locked.company, start=start, end=end, exclude_pk=locked.pk
    )

    locked.periods.all().delete()
    updated = update_object(
        instance=locked, user=user, data={"start": start, "end": end}
    )
    _create_periods(updated)
    return updated


@transaction.atomic
def delete_fiscal_year(*, instance, user) -> None:
    """Delete a fiscal year that has no vouchers."""
    if instance.vouchers.exists():
        raise ValidationError(
            _("The fiscal year has vouchers and cannot be deleted."),
            code="has_vouchers",
        )
    delete_object(instance=instance, user=user)


def _set_period_state(*, period, user, state) -> Period:
    locked = (
        Period.objects.select_for_update()
        .select_related("fiscal_year")
        .get(pk=period.pk)
    )
    if locked.fiscal_year.state == FiscalYear.State.CLOSED:
        raise ValidationError(
            _("The fiscal year is closed; its periods cannot change."),
            code="year_closed",
        )
    if locked.state == state:
        return locked
    before = snapshot(locked)
    locked.state = state
    locked.save(update_fields=["state"])
    record_change(
        instance=locked,
        user=user,
        action="update",
        before=before,
        after=snapshot(locked),
    )
    logger.info("Period %s of %s set %s", locked, locked.fiscal_year_id, state)
    return locked


@transaction.atomic
def lock_period(*, period, user) -> Period:
    """Lock a period so that nothing more can be posted into it."""
    return _set_period_state(period=period, user=user, state=Period.State.LOCKED)


@transaction.atomic
def unlock_period(*, period, user) -> Period:
    """Open a locked period again, unless its fiscal year is closed."""
    return _set_period_state(period=period, user=user, state=Period.State.OPEN)


def update_period(*, instance, user, data: dict) -> Period:
    """Lock or unlock a period from admin or API data."""
    state = data.get("state", instance.state)
    if state == Period.State.LOCKED:
        return lock_period(period=instance, user=user)
    if state == Period.State.OPEN:
        return unlock_period(period=instance, user=user)
    raise ValidationError(
        {"state": _("A period is closed by closing its fiscal year.")},
        code="close_period",
    )


def refuse_period_create(*, company, user, data: dict):
    """Refuse to create a period by hand; fiscal years make their own."""
    raise ValidationError(
        _("Periods are created when the fiscal year is opened."), code="period_create"
    )


def refuse_period_delete(*, instance, user) -> None:
    """Refuse to delete a single period of a fiscal year."""
    raise ValidationError(
        _("Periods are removed only with their fiscal year."), code="period_delete"
    )


# Vouchers


@dataclass(frozen=True)
class LineInput:
    """One line given to `post_voucher`; exactly one of debit and credit.

    A line in a foreign currency gives `currency` and the signed
    `amount_in_currency` (positive for a debit) and may leave debit and
    credit at zero: the euro amount is worked out with the rate of the
    voucher date (`modules.core.selectors.rate_on`) unless `rate` is given.
    A line with a `vat_code` gets its tax lines added (see
    `modules.ledger.vat`).
    """

    account: Account
    debit: Decimal = Decimal("0.00")
    credit: Decimal = Decimal("0.00")
    description: str = ""
    vat_code: str = ""
    currency: str = "EUR"
    amount_in_currency: Decimal | None = None
    rate: Decimal | None = None
    cost_centre: CostCentre | None = None
    project: Project | None = None
    # The tax when the caller has worked it out; the line is then the net.
    vat_amount: Decimal | None = None
    # Set on tax lines and on lines already split (reversals); see vat.py.
    vat_role: str = ""
    vat_rate: Decimal | None = None

    @property
    def cost_centre_id(self) -> int | None:
        return self.cost_centre.pk if self.cost_centre is not None else None

    @property
    def project_id(self) -> int | None:
        return self.project.pk if self.project is not None else None


def _money(value, *, row: int) -> Decimal:
    try:
        amount = Decimal(str(value or 0))
    except InvalidOperation as error:
        raise ValidationError(
            _("Line %(row)s: %(value)s is not an amount.")
            % {"row": row, "value": value},
            code="amount",
        ) from error
    if amount != amount.quantize(CENT):
        raise ValidationError(
            _("Line %(row)s: amounts are given in whole cents.") % {"row": row},
            code="cents",
        )
    return amount.quantize(CENT)


def _in_cents(value) -> bool:
    # The usual case, a Decimal with two places, needs no cleaning. Read
    # from its text: as_tuple() builds a tuple of digits, and batches ask
    # this of every amount.
    if type(value) is not Decimal:
        return False
    text = str(value)
    return text[-3:-2] == "." and "E" not in text


def _as_line(value) -> LineInput:
    if isinstance(value, LineInput):
        return value
    return LineInput(**value)


def _in_euros(given: LineInput, *, row: int, date) -> LineInput:
    if given.currency == BASE_CURRENCY:
        return given
    currency = (given.currency or BASE_CURRENCY).upper()
    if currency == BASE_CURRENCY:
        return dataclasses.replace(given, currency=BASE_CURRENCY)
    get_currency(currency)
    rate = given.rate if given.rate is not None else rate_on(currency, date)
    amount = given.amount_in_currency
    if given.debit or given.credit:
        euros = given.debit - given.credit
        if amount is None:
            amount = round_decimal(euros * rate, 2)
    elif amount is not None:
        euros = round_decimal(round_decimal(amount, 2) / rate, 2)
    else:
        raise ValidationError(
            _("Line %(row)s: give the amount in %(currency)s.")
            % {"row": row, "currency": currency},
            code="no_currency_amount",
        )
    return dataclasses.replace(
        given,
        currency=currency,
        rate=rate,
        amount_in_currency=round_decimal(amount, 2),
        debit=max(euros, Decimal(0)),
        credit=max(-euros, Decimal(0)),
    )


def _clean_lines(*, company, date, lines, vat_table=None) -> list[LineInput]:
    cleaned = []
    for row, given in enumerate(map(_as_line, lines), start=1):
        if not (_in_cents(given.debit) and _in_cents(given.credit)):
            given = dataclasses.replace(
                given,
                debit=_money(given.debit, row=row),
                credit=_money(given.credit, row=row),
            )
        given = _in_euros(given, row=row, date=date)
        if (
            given.debit < 0
            or given.credit < 0
            or (given.debit > 0) == (given.credit > 0)
        ):
            raise ValidationError(
                _("Line %(row)s: give either a debit or a credit above zero.")
                % {"row": row},
                code="one_side",
            )
        cleaned.append(given)
    if len(cleaned) < 2:
        raise ValidationError(
            _("A voucher needs at least two lines."), code="too_few_lines"
        )
    if any(line.vat_code and not line.vat_role for line in cleaned):
        cleaned = expand_vat(
            table=vat_table or VatTable(company), date=date, lines=cleaned
        )
    total_debit = sum(line.debit for line in cleaned)
    total_credit = sum(line.credit for line in cleaned)
    if total_debit != total_credit:
        raise ValidationError(
            _(
                "The voucher does not balance: debits %(debit)s, credits "
                "%(credit)s, difference %(difference)s."
            )
            % {
                "debit": total_debit,
                "credit": total_credit,
                "difference": total_debit - total_credit,
            },
            code="unbalanced",
        )
    return cleaned


def _check_dimensions(*, company, lines) -> None:
    for model, attribute in ((CostCentre, "cost_centre"), (Project, "project")):
        given = {getattr(line, attribute) for line in lines} - {None}
        if not given:
            continue
        usable = set(
            model.objects.filter(
                pk__in=[item.pk for item in given], company=company, is_active=True
            ).values_list("pk", flat=True)
        )
        for item in given:
            if item.pk not in usable:
                raise ValidationError(
                    _("%(name)s %(item)s is closed or belongs to another company.")
                    % {"name": capfirst(model._meta.verbose_name), "item": item},
                    code="foreign_dimension",
                )


def _check_accounts(*, company, lines, accounts: dict[int, Account]) -> None:
    """Raise unless every line's account is among `accounts`, open, ours."""
    for line in lines:
        account = accounts.get(line.account.pk)
        if account is None or account.company_id != company.pk:
            raise ValidationError(
                _("Account %(account)s does not belong to %(company)s.")
                % {"account": line.account, "company": company},
                code="foreign_account",
            )
        if not account.is_active:
            raise ValidationError(
                _("Account %(account)s is closed.") % {"account": account},
                code="closed_account",
            )


def _lock_accounts(*, company, lines) -> dict[int, Account]:
    accounts = {
        account.pk: account
        for account in Account.objects.select_for_update(no_key=True)
        .filter(pk__in=sorted({line.account.pk for line in lines}))
        .order_by("pk")
    }
    _check_accounts(company=company, lines=lines, accounts=accounts)
    return accounts


def _open_period(*, company, date) -> Period:
    period = (
        Period.objects.select_related("fiscal_year")
        .filter(fiscal_year__company=company, start__lte=date, end__gte=date)
        .first()
    )
    return check_postable(period, date=date)


def check_postable(period, *, date) -> Period:
    """Return `period` if `date` may be posted into it, or raise."""
    if period is None:
        raise ValidationError(
            _("No fiscal year covers %(date)s.") % {"date": f"{date:%d.%m.%Y}"},
            code="no_period",
        )
    if period.state != Period.State.OPEN:
        raise ValidationError(
            _("The period %(period)s is %(state)s; nothing can be posted into it.")
            % {"period": period, "state": period.get_state_display().lower()},
            code="period_not_open",
        )
    return period


def _amount_text(value) -> str:
    # Normalised, so 0, 0.00 and a rate of 25.5 or 25.50 hash the same
    # whether they come from the posting code or back from the database.
    if value is None:
        return ""
    if type(value) is Decimal:
        # Same text as below, without normalize(); hashing batches of
        # thousands of vouchers spends much of its time here.
        text = str(value)
        if "E" not in text:
            return text.rstrip("0").rstrip(".") if "." in text else text
    return f"{Decimal(value).normalize():f}"


_CANONICAL_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


def canonical_content(voucher, lines) -> bytes:
    """Return the bytes of a posted voucher that its hash covers."""
    content = {
        "company": voucher.company_id,
        "series": voucher.series.code,
        "fiscal_year": str(voucher.fiscal_year.start),
        "number": voucher.number,
        "date": str(voucher.date),
        "description": voucher.description,
        "reversal_of": voucher.reversal_of_id,
        "lines": [
            [
                line.account.number,
                _amount_text(line.debit),
                _amount_text(line.credit),
                line.description,
                line.vat_code,
                line.currency,
                _amount_text(line.amount_in_currency),
                _amount_text(line.rate),
                str(line.vat_role),
                _amount_text(line.vat_rate),
                line.cost_centre_id,
                line.project_id,
            ]
            for line in lines
        ],
    }
    return _CANONICAL_JSON.encode(content).encode()


def chain_hash(previous_hash: str, content: bytes) -> str:
    """Return the link of the hash chain after `previous_hash`."""
    return hashlib.sha256(previous_hash.encode() + content).hexdigest()


_LAST_LINK_SQL = (
    "SELECT chain_position, hash FROM ledger_voucher "
    "WHERE company_id = %s AND state = 'posted' "
    "ORDER BY chain_position DESC LIMIT 1"
)


def _last_link(company) -> tuple[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(_LAST_LINK_SQL, [getattr(company, "pk", company)])
        last = cursor.fetchone()
    return tuple(last) if last is not None else (0, "")


_LEDGER_LOCK_SQL = "SELECT 1 FROM core_company WHERE id = %s FOR NO KEY UPDATE"


def _ledger_lock(company_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_LEDGER_LOCK_SQL, [company_id])


def _number_series_code(series, fiscal_year) -> str:
    return f"ledger-{series.code.lower()}-{fiscal_year.start:%Y%m}"


def journal_line(voucher, line: LineInput) -> JournalLine:
    """Return the unsaved journal line of `voucher` for a cleaned input."""
    return JournalLine(
        voucher=voucher,
        account=line.account,
        debit=line.debit,
        credit=line.credit,
        description=line.description,
        vat_code=line.vat_code,
        vat_role=line.vat_role,
        vat_rate=line.vat_rate,
        cost_centre=line.cost_centre,
        project=line.project,
        currency=line.currency,
        amount_in_currency=line.amount_in_currency,
        rate=line.rate,
    )


@transaction.atomic
def post_voucher(
    *, company, user, series, date, description, lines, source=None, vat_table=None
) -> Voucher:
    """Post a balanced voucher: number it and link it into the hash chain.

    A caller that has the company's `VatTable` loaded already may pass it.
    """
    prepared = prepare_voucher(
        company=company,
        series=series,
        date=date,
        description=description,
        lines=lines,
        source=source,
        vat_table=vat_table,
    )
    return seal_voucher(prepared, user=user)


@dataclass
class PreparedVoucher:
    """A checked voucher written as an unnumbered draft; see `seal_voucher`."""

    voucher: Voucher
    lines: list[JournalLine]
    period: Period


def prepare_voucher(
    *,
    company,
    series,
    date,
    description,
    lines,
    source=None,
    reversal_of=None,
    vat_table=None,
) -> PreparedVoucher:
    """Check a voucher and write it as a draft, without taking any lock.

    The part of posting that can run side by side with other postings:
    lines cleaned, VAT split, balance, period and dimensions checked, rows
    written. `seal_voucher` then numbers it under the ledger lock, in the
    same transaction; a draft that is never sealed rolls back with it.
    """
    require_atomic("A voucher is prepared inside the transaction that seals it.")
    cleaned = _clean_lines(company=company, date=date, lines=lines, vat_table=vat_table)
    if series.company_id != company.pk:
        raise ValidationError(
            _("The voucher series belongs to another company."), code="foreign_series"
        )
    if not (description or "").strip():
        raise ValidationError(
            {"description": _("Describe the voucher.")}, code="no_description"
        )
    period = _open_period(company=company, date=date)
    _check_dimensions(company=company, lines=cleaned)

    voucher = Voucher.objects.create(
        company=company,
        series=series,
        fiscal_year=period.fiscal_year,
        date=date,
        description=description.strip(),
        source_type=(
            ContentType.objects.get_for_model(source) if source is not None else None
        ),
        source_id=str(source.pk) if source is not None else "",
        reversal_of=reversal_of,
    )
    journal = JournalLine.objects.bulk_create(
        [journal_line(voucher, line) for line in cleaned]
    )
    return PreparedVoucher(voucher=voucher, lines=journal, period=period)


def seal_voucher(
    prepared: PreparedVoucher, *, user, description=None, line_description=None
) -> Voucher:
    """Number a prepared voucher, link it into the hash chain and post it.

    Takes the company's ledger lock, which is held until the transaction
    commits, so the work under it is a few statements sent together: the
    lock, the period and accounts re-checked under share locks, the
    number and the last link of the chain. `description` replaces the
    voucher's text and `line_description` fills the lines prepared
    without one, for texts that can only be written once something else
    is numbered (a sales invoice's number, say).
    """
    voucher, lines, period = prepared.voucher, prepared.lines, prepared.period
    company_id = voucher.company_id
    fiscal_year = period.fiscal_year
    series_code = _number_series_code(voucher.series, fiscal_year)
    accounts = sorted({line.account_id for line in lines})
    _lock, (state,), number, active, last = run_together(
        (_LEDGER_LOCK_SQL, [company_id]),
        ("SELECT state FROM ledger_period WHERE id = %s FOR SHARE", [period.pk]),
        number_statement(
            company=company_id, series=series_code, year=fiscal_year.start.year
        ),
        (
            "SELECT id FROM ledger_account WHERE id = ANY(%s) AND company_id = %s "
            "AND is_active ORDER BY id FOR SHARE",
            [accounts, company_id],
        ),
        (_LAST_LINK_SQL, [company_id]),
    )
    period.state = state[0]
    check_postable(period, date=voucher.date)
    if len(active) != len(accounts):
        # Closed (or moved) since the voucher was prepared: say which.
        found = Account.objects.in_bulk(accounts)
        _check_accounts(company=voucher.company, lines=lines, accounts=found)
    if number:
        taken = number[0][0]
    else:
        taken = reserve_numbers(
            company=company_id, series=series_code, year=fiscal_year.start.year
        )[0]
    position, previous_hash = last[0] if last else (0, "")

    if description is not None:
        voucher.description = description.strip()
    if line_description is not None:
        for line in lines:
            line.description = line.description or line_description
    voucher.number = taken
    voucher.chain_position = position + 1
    voucher.hash = chain_hash(previous_hash, canonical_content(voucher, lines))
    voucher.state = Voucher.State.POSTED
    voucher.posted_at = timezone.now()
    voucher.posted_by = user if user is not None and user.is_authenticated else None
    statements = [
        (
            # Not Voucher.save, which refuses to touch posted rows.
            "UPDATE ledger_voucher SET number = %s, chain_position = %s, "
            "hash = %s, state = %s, posted_at = %s, posted_by_id = %s, "
            "description = %s WHERE id = %s AND state = 'draft'",
            [
                voucher.number,
                voucher.chain_position,
                voucher.hash,
                voucher.state,
                voucher.posted_at,
                voucher.posted_by_id,
                voucher.description,
                voucher.pk,
            ],
        )
    ]
    if line_description is not None:
        statements.insert(
            0,
            (
                "UPDATE ledger_journalline SET description = %s "
                "WHERE voucher_id = %s AND description = ''",
                [line_description, voucher.pk],
            ),
        )
    run_together(*statements)
    record_change(instance=voucher, user=user, action="create", after=snapshot(voucher))
    logger.info("Voucher %s posted for %s", voucher, company_id)
    return voucher


@transaction.atomic
def reverse_voucher(*, voucher, user, date) -> Voucher:
    """Post a voucher that cancels `voucher` line by line on `date`."""
    _ledger_lock(voucher.company_id)
    original = Voucher.objects.select_related("series").get(pk=voucher.pk)
    if original.state != Voucher.State.POSTED:
        raise ValidationError(
            _("Only posted vouchers can be reversed."), code="not_posted"
        )
    if Voucher.objects.filter(reversal_of=original).exists():
        raise ValidationError(
            _("Voucher %(voucher)s has already been reversed.") % {"voucher": original},
            code="already_reversed",
        )
    lines = [
        LineInput(
            account=line.account,
            debit=line.credit,
            credit=line.debit,
            description=line.description,
            vat_code=line.vat_code,
            currency=line.currency,
            amount_in_currency=(
                -line.amount_in_currency
                if line.amount_in_currency is not None
                else None
            ),
            rate=line.rate,
            vat_role=line.vat_role,
            vat_rate=line.vat_rate,
            cost_centre=line.cost_centre,
            project=line.project,
        )
        for line in original.lines.select_related(
            "account", "cost_centre", "project"
        ).order_by("pk")
    ]

    prepared = prepare_voucher(
        company=original.company,
        series=original.series,
        date=date,
        description=_("Reversal of %(voucher)s") % {"voucher": original},
        lines=lines,
        source=original,
        reversal_of=original,
    )
    return seal_voucher(prepared, user=user)


def refuse_voucher_create(*, company, user, data: dict):
    """Refuse a voucher without lines; vouchers are made by posting them."""
    raise ValidationError(
        _(
            "A voucher is created with its lines when it is posted; it "
            "cannot be started empty."
        ),
        code="voucher_create",
    )


def update_voucher(*, instance, user, data: dict) -> Voucher:
    """Change a draft voucher; posted vouchers are refused."""
    if _is_posted(instance):
        raise PostedError()
    return update_object(instance=instance, user=user, data=data)


def delete_voucher(*, instance, user) -> None:
    """Delete a draft voucher; posted vouchers are refused."""
    if _is_posted(instance):
        raise PostedError()
    delete_object(instance=instance, user=user)


def _is_posted(voucher) -> bool:
    return Voucher.objects.filter(pk=voucher.pk, state=Voucher.State.POSTED).exists()


def refuse_line_write(*, instance=None, user, company=None, data=None):
    """Refuse to write journal lines outside voucher posting."""
    raise ValidationError(
        _("Journal lines are written by posting a voucher; reverse it to correct."),
        code="line_write",
    )


def file_sha256(file) -> str:
    """Return the SHA-256 checksum of a stored file, read in chunks."""
    digest = hashlib.sha256()
    file.open("rb")
    try:
        for chunk in file.chunks():
            digest.update(chunk)
    finally:
        file.close()
    return digest.hexdigest()


@transaction.atomic
def attach_document(*, voucher, user, document) -> VoucherAttachment:
    """Attach a source document to a voucher, keeping its checksum."""
    attachment = VoucherAttachment.objects.create(
        voucher=voucher,
        document=document,
        sha256=file_sha256(document.file),
        attached_by=user if user is not None and user.is_authenticated else None,
    )

    record_change(
        instance=attachment, user=user, action="create", after=snapshot(attachment)
    )
    logger.info("Document %s attached to voucher %s", document.pk, voucher.pk)
    return attachment
