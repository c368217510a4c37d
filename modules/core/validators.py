"""Validators for Finnish and international identifiers.

`validate_*` functions raise Django's `ValidationError` with a message a
clerk can act on; `normalize_*` functions also return the value in the
form it is stored in.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from schwifty import BIC, IBAN
from schwifty import exceptions as iban_errors
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import alv, ytunnus


def validate_business_id(value: str) -> None:
    """Accept only a valid Finnish business ID in the form 1234567-8."""
    try:
        compact = ytunnus.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("%(value)s is not a valid Finnish business ID."),
            code="invalid_business_id",
            params={"value": value},
        ) from exc
    if value != ytunnus.format(compact):
        raise ValidationError(
            _("Write the business ID as 1234567-8."), code="business_id_format"
        )


def vat_number_for_business_id(business_id: str) -> str:
    """Return the Finnish VAT number of a business ID (FI + its 8 digits)."""
    validate_business_id(business_id)
    return "FI" + ytunnus.compact(business_id)


def normalize_vat_number(value: str) -> str:
    """Return a Finnish VAT number as FI12345678, or raise ValidationError."""
    text = (value or "").strip().upper()
    try:
        digits = alv.validate(text)
    except InvalidChecksum as exc:
        raise ValidationError(
            _("The VAT number %(value)s has a wrong check digit."),
            code="vat_number_checksum",
            params={"value": value},
        ) from exc
    except (InvalidLength, InvalidFormat, StdnumError) as exc:
        raise ValidationError(
            _(
                "%(value)s is not a Finnish VAT number; write it as FI and "
                "eight digits, e.g. FI20774740."
            ),
            code="invalid_vat_number",
            params={"value": value},
        ) from exc
    return "FI" + digits


def validate_vat_number(value: str) -> None:
    """Accept only a valid Finnish VAT number (FI and eight digits)."""
    normalize_vat_number(value)


_IBAN_MESSAGES = {
    iban_errors.InvalidChecksumDigits: _(
        "The IBAN %(value)s has wrong check digits; check it for typing errors."
    ),
    iban_errors.InvalidLength: _(
        "The IBAN %(value)s has the wrong number of characters for its country."
    ),
    iban_errors.InvalidCountryCode: _(
        "The IBAN %(value)s does not start with a known country code."
    ),
    iban_errors.InvalidBBANChecksum: _(
        "The account number inside the IBAN %(value)s is not valid."
    ),
}


def normalize_iban(value: str) -> str:
    """Return an IBAN without spaces, or raise ValidationError."""
    try:
        return IBAN(value or "").compact
    except iban_errors.SchwiftyException as exc:
        message = _IBAN_MESSAGES.get(type(exc), _("%(value)s is not a valid IBAN."))
        raise ValidationError(
            message, code="invalid_iban", params={"value": value}
        ) from exc


def validate_iban(value: str) -> None:
    """Accept only a valid IBAN."""
    normalize_iban(value)


def format_iban(value: str) -> str:
    """Return an IBAN in groups of four characters."""
    compact = (value or "").replace(" ", "").upper()
    return " ".join(compact[index : index + 4] for index in range(0, len(compact), 4))


def normalize_bic(value: str) -> str:
    """Return a BIC in capitals without spaces, or raise ValidationError."""
    try:
        return BIC(value or "").compact
    except iban_errors.InvalidLength as exc:
        raise ValidationError(
            _("The BIC %(value)s must have 8 or 11 characters."),
            code="invalid_bic",
            params={"value": value},
        ) from exc
    except iban_errors.InvalidCountryCode as exc:
        raise ValidationError(
            _("The BIC %(value)s has an unknown country code in places 5-6."),
            code="invalid_bic",
            params={"value": value},
        ) from exc
    except iban_errors.SchwiftyException as exc:
        raise ValidationError(
            _("%(value)s is not a valid BIC."),
            code="invalid_bic",
            params={"value": value},
        ) from exc


def validate_bic(value: str) -> None:
    """Accept only a valid BIC (SWIFT code)."""
    normalize_bic(value)


def bic_for_iban(iban: str) -> str:
    """Return the BIC of the bank an IBAN belongs to, or "" when not known."""
    try:
        bic = IBAN(iban).bic
    except iban_errors.SchwiftyException:
        return ""
    return bic.compact if bic is not None else ""
