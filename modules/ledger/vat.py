"""VAT: the rate of a code on a date, splitting amounts, and tax lines.

This is the API other modules use for VAT (invoicing, purchases, the
point of sale):

    vat_rate_on(company=c, code="sales_general", date=d)   -> Decimal("25.5")
    split_vat(company=c, code="sales_general", date=d, gross=Decimal("125.50"))
                                                           -> (100.00, 25.50)

Both raise `ValidationError` (code "unknown_vat_code") with a translated
message when the company has no such active code or the code has no rate
on the date. Codes name a kind of transaction; the rate follows the date
(the delivery date for sales), so `sales_general` is 24 % on 31.8.2024
and 25.5 % on 1.9.2024.

`post_voucher` adds the tax lines itself: a line with a VAT code is taken
as the amount including tax for domestic sales and purchases (split into
the net line and a tax line), and as the net amount for reverse-charge
kinds (EU purchases, imports, construction and scrap metal bought), which
get both the tax payable and the deductible tax. A caller that has
already worked out the tax (an invoice rounds it per invoice) passes it
as `vat_amount`; the line is then the net amount.
"""

import dataclasses
import datetime
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from modules.core.audit import record_change
from modules.core.money import round_decimal
from modules.ledger.models import (
    SELF_ASSESSED_KINDS,
    TAX_INCLUDED_KINDS,
    Account,
    VatCode,
    VatKind,
    VatRate,
    VatRole,
)

logger = logging.getLogger(__name__)

HUNDRED = Decimal(100)
_EARLIEST = datetime.date(2013, 1, 1)

# Finnish rates by category: (first day, last day or None, rate %).
_GENERAL = [
    (_EARLIEST, datetime.date(2024, 8, 31), "24"),
    (datetime.date(2024, 9, 1), None, "25.5"),
]
_FOOD = [
    (_EARLIEST, datetime.date(2025, 12, 31), "14"),
    (datetime.date(2026, 1, 1), None, "13.5"),
]
_CULTURE = [
    (_EARLIEST, datetime.date(2024, 12, 31), "10"),
    (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), "14"),
    (datetime.date(2026, 1, 1), None, "13.5"),
]
_NEWSPAPERS = [(_EARLIEST, None, "10")]
_ZERO = [(_EARLIEST, None, "0")]


@dataclasses.dataclass(frozen=True)
class _Template:
    code: str
    kind: str
    names: tuple[str, str, str]
    rates: list
    payable: str = ""
    deductible: str = ""


_SALES_VAT, _INPUT_VAT, _EU_VAT, _REVERSE_VAT = "2870", "1763", "2872", "2873"

TEMPLATE = [
    _Template(
        "sales_general",
        VatKind.DOMESTIC_SALES,
        (
            "Myynti, yleinen verokanta",
            "Försäljning, allmän skattesats",
            "Sales, general rate",
        ),
        _GENERAL,
        payable=_SALES_VAT,
    ),
    _Template(
        "sales_reduced_14",
        VatKind.DOMESTIC_SALES,
        (
            "Myynti, elintarvikkeet ja ravintolat",
            "Försäljning, livsmedel och restauranger",
            "Sales, food and restaurants",
        ),
        _FOOD,
        payable=_SALES_VAT,
    ),
    _Template(
        "sales_reduced_10",
        VatKind.DOMESTIC_SALES,
        (
            "Myynti, kirjat, lääkkeet, kuljetus, majoitus, kulttuuri",
            "Försäljning, böcker, läkemedel, transport, inkvartering, kultur",
            "Sales, books, medicines, transport, accommodation, culture",
        ),
        _CULTURE,
        payable=_SALES_VAT,
    ),
    _Template(
        "sales_newspapers",
        VatKind.DOMESTIC_SALES,
        (
            "Myynti, sanoma- ja aikakauslehdet",
            "Försäljning, tidningar och tidskrifter",
            "Sales, newspapers and periodicals",
        ),
        _NEWSPAPERS,
        payable=_SALES_VAT,
    ),
    _Template(
        "sales_zero",
        VatKind.ZERO_RATED_SALES,
        ("Myynti, 0 %", "Försäljning, 0 %", "Sales, 0 %"),
        _ZERO,
    ),
    _Template(
        "export",
        VatKind.ZERO_RATED_SALES,
        ("Vienti EU:n ulkopuolelle", "Export utanför EU", "Exports outside the EU"),
        _ZERO,
    ),
    _Template(
        "eu_goods_sales",
        VatKind.EU_GOODS_SALES,
        ("Tavaramyynti EU-maihin", "Försäljning av varor till EU", "EU goods sales"),
        _ZERO,
    ),
    _Template(
        "eu_services_sales",
        VatKind.EU_SERVICES_SALES,
        (
            "Palvelumyynti EU-maihin",
            "Försäljning av tjänster till EU",
            "EU services sales",
        ),
        _ZERO,
    ),
    _Template(
        "construction_sales",
        VatKind.REVERSE_CHARGE_SALES,
        (
            "Rakentamispalvelujen myynti (käännetty verovelvollisuus)",
            "Försäljning av byggtjänster (omvänd skattskyldighet)",
            "Construction services sold (reverse charge)",
        ),
        _ZERO,
    ),
    _Template(
        "scrap_sales",
        VatKind.REVERSE_CHARGE_SALES,
        (
            "Metalliromun myynti (käännetty verovelvollisuus)",
            "Försäljning av metallskrot (omvänd skattskyldighet)",
            "Scrap metal sold (reverse charge)",
        ),
        _ZERO,
    ),
    _Template(
        "margin_sales",
        VatKind.MARGIN_SALES,
        (
            "Marginaaliverotuksen myynti",
            "Försäljning enligt marginalbeskattning",
            "Margin scheme sales",
        ),
        _GENERAL,
        payable=_SALES_VAT,
    ),
    _Template(
        "purchase_general",
        VatKind.DOMESTIC_PURCHASES,
        (
            "Ostot, yleinen verokanta",
            "Inköp, allmän skattesats",
            "Purchases, general rate",
        ),
        _GENERAL,
        deductible=_INPUT_VAT,
    ),
    _Template(
        "purchase_reduced",
        VatKind.DOMESTIC_PURCHASES,
        (
            "Ostot, elintarvikkeet ja ravintolat",
            "Inköp, livsmedel och restauranger",
            "Purchases, food and restaurants",
        ),
        _FOOD,
        deductible=_INPUT_VAT,
    ),
    _Template(
        "purchase_reduced_10",
        VatKind.DOMESTIC_PURCHASES,
        (
            "Ostot, kirjat, kuljetus, majoitus, kulttuuri",
            "Inköp, böcker, transport, inkvartering, kultur",
            "Purchases, books, transport, accommodation, culture",
        ),
        _CULTURE,
        deductible=_INPUT_VAT,
    ),
    _Template(
        "eu_goods_purchase",
        VatKind.EU_GOODS_PURCHASES,
        ("Tavaraostot EU-maista", "Inköp av varor från EU", "EU goods purchases"),
        _GENERAL,
        payable=_EU_VAT,
        deductible=_INPUT_VAT,
    ),
    _Template(
        "eu_services_purchase",
        VatKind.EU_SERVICES_PURCHASES,
        (
            "Palveluostot EU-maista",
            "Inköp av tjänster från EU",
            "EU services purchases",
        ),
        _GENERAL,
        payable=_EU_VAT,
        deductible=_INPUT_VAT,
    ),
    _Template(
        "import",
        VatKind.IMPORTS,
        (
            "Tuonti EU:n ulkopuolelta",
            "Import utanför EU",
            "Imports from outside the EU",
        ),
        _GENERAL,
        payable=_REVERSE_VAT,
        deductible=_INPUT_VAT,
    ),
    _Template(
        "construction_purchase",
        VatKind.REVERSE_CHARGE_PURCHASES,
        (
            "Rakentamispalvelujen ostot (käännetty verovelvollisuus)",
            "Inköp av byggtjänster (omvänd skattskyldighet)",
            "Construction services bought (reverse charge)",
        ),
        _GENERAL,
        payable=_REVERSE_VAT,
        deductible=_INPUT_VAT,
    ),
    _Template(
        "scrap_purchase",
        VatKind.REVERSE_CHARGE_PURCHASES,
        (
            "Metalliromun ostot (käännetty verovelvollisuus)",
            "Inköp av metallskrot (omvänd skattskyldighet)",
            "Scrap metal bought (reverse charge)",
        ),
        _GENERAL,
        payable=_REVERSE_VAT,
        deductible=_INPUT_VAT,
    ),
]


@transaction.atomic
def create_vat_codes_from_template(*, company, user) -> list[VatCode]:
    """Create the Finnish VAT codes and their rates for a company's chart.

    Codes the company already has are left as they are, so the call can be
    repeated after the chart has been extended.
    """
    accounts = {
        account.number: account for account in Account.objects.filter(company=company)
    }
    existing = set(
        VatCode.objects.filter(company=company).values_list("code", flat=True)
    )
    created = []
    for template in TEMPLATE:
        if template.code in existing:
            continue
        name_fi, name_sv, name_en = template.names
        code = VatCode(
            company=company,
            code=template.code,
            name_fi=name_fi,
            name_sv=name_sv,
            name_en=name_en,
            kind=template.kind,
            payable_account=accounts.get(template.payable),
            deductible_account=accounts.get(template.deductible),
        )
        code.full_clean(validate_unique=False)
        code.save()
        VatRate.objects.bulk_create(
            VatRate(vat_code=code, valid_from=start, valid_to=end, rate=Decimal(rate))
            for start, end, rate in template.rates
        )
        created.append(code)

    if created:
        record_change(
            instance=company,
            user=user,
            action="update",
            after={"vat_codes": [code.code for code in created]},
        )
    logger.info("%s VAT codes created for %s", len(created), company.pk)
    return created


def _unknown(code, date) -> ValidationError:
    return ValidationError(
        _("VAT code %(code)s has no rate on %(date)s.")
        % {"code": code, "date": f"{date:%d.%m.%Y}"},
        code="unknown_vat_code",
    )


class VatTable:
    """The VAT codes and rates of one company, loaded once for many lookups."""

    def __init__(self, company):
        self.company = company
        self._codes = {
            code.code: code
            for code in VatCode.objects.filter(company=company, is_active=True)
            .select_related("payable_account", "deductible_account")
            .prefetch_related("rates")
        }

    def lookup(self, code: str, date: datetime.date) -> tuple[VatCode, Decimal]:
        """Return the VAT code and its rate on `date`, or raise."""
        vat_code = self._codes.get(code)
        if vat_code is None:
            raise _unknown(code, date)
        for rate in vat_code.rates.all():
            if rate.valid_from <= date and (
                rate.valid_to is None or date <= rate.valid_to
            ):
                return vat_code, rate.rate
        raise _unknown(code, date)


def vat_rate_on(*, company, code: str, date: datetime.date) -> Decimal:
    """Return the rate (percent) of a company's VAT code on a date."""
    return VatTable(company).lookup(code, date)[1]


def _tax_of_gross(gross: Decimal, rate: Decimal) -> Decimal:
    return round_decimal(gross * rate / (HUNDRED + rate), 2)


def _tax_of_net(net: Decimal, rate: Decimal) -> Decimal:
    return round_decimal(net * rate / HUNDRED, 2)


def split_vat(
    *, company, code: str, date: datetime.date, gross=None, net=None
) -> tuple[Decimal, Decimal]:
    """Return (net, tax) of an amount with or without tax, rounded to cents.

    Give exactly one of `gross` (tax included) and `net`. For the margin
    scheme give the margin (sale price less purchase price) as `gross`.
    """
    if (gross is None) == (net is None):
        raise ValidationError(
            _("Give either the amount with tax or the amount without tax."),
            code="gross_or_net",
        )
    rate = vat_rate_on(company=company, code=code, date=date)
    if gross is not None:
        gross = Decimal(gross)
        tax = _tax_of_gross(gross, rate)
        return gross - tax, tax
    net = Decimal(net)
    return net, _tax_of_net(net, rate)


def _tax_line(line, *, account, amount, same_side, role, rate, label):
    debit_side = (line.debit > 0) == same_side
    return dataclasses.replace(
        line,
        account=account,
        debit=amount if debit_side else Decimal(0),
        credit=Decimal(0) if debit_side else amount,
        description=label,
        vat_role=role,
        vat_rate=rate,
        vat_amount=None,
        cost_centre=None,
        project=None,
        currency="EUR",
        amount_in_currency=None,
        rate=None,
    )


def expand_vat(*, table: VatTable, date, lines) -> list:
    """Return `lines` with the tax lines their VAT codes call for.

    Lines without a VAT code, and lines that already say what they are to
    VAT (`vat_role`, e.g. those of a reversal), pass unchanged.
    """
    expanded = []
    for line in lines:
        if not line.vat_code or line.vat_role:
            expanded.append(line)
            continue
        vat_code, rate = table.lookup(line.vat_code, date)
        amount = line.debit or line.credit
        if vat_code.kind in TAX_INCLUDED_KINDS and line.vat_amount is None:
            tax = _tax_of_gross(amount, rate)
            net = amount - tax
        else:
            net = amount
            tax = (
                _tax_of_net(amount, rate)
                if line.vat_amount is None
                else Decimal(line.vat_amount)
            )
        base = dataclasses.replace(
            line,
            debit=net if line.debit else Decimal(0),
            credit=net if line.credit else Decimal(0),
            vat_role=VatRole.BASE,
            vat_rate=rate,
            vat_amount=None,
        )
        expanded.append(base)
        if not tax:
            continue
        label = _("VAT %(rate)s %%") % {"rate": f"{rate.normalize():f}"}
        common = {"amount": tax, "rate": rate, "label": label}
        if vat_code.kind in SELF_ASSESSED_KINDS or vat_code.needs_payable_account:
            expanded.append(
                _tax_line(
                    line,
                    account=vat_code.payable_account,
                    same_side=vat_code.kind not in SELF_ASSESSED_KINDS,
                    role=VatRole.TAX_PAYABLE,
                    **common,
                )
            )
        if vat_code.needs_deductible_account:
            expanded.append(
                _tax_line(
                    line,
                    account=vat_code.deductible_account,
                    same_side=True,
                    role=VatRole.TAX_DEDUCTIBLE,
                    **common,
                )
            )
    return expanded
