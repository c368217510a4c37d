"""Validation of product identifiers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import ean as stdnum_ean
from stdnum.exceptions import ValidationError as StdnumError

EAN_LENGTHS = (8, 12, 13, 14)


def normalize_ean(value: str) -> str:
    """Return the EAN without spaces or dashes."""
    return "".join(str(value or "").split()).replace("-", "")


def validate_ean(value: str) -> None:
    """Refuse a barcode that is not a valid EAN-8, UPC-A, EAN-13 or GTIN-14."""
    code = normalize_ean(value)
    if not code.isdigit() or len(code) not in EAN_LENGTHS:
        raise ValidationError(
            _("%(value)s is not an EAN: it has 8, 12, 13 or 14 digits."),
            code="ean_format",
            params={"value": value},
        )
    try:
        stdnum_ean.validate(code)
    except StdnumError as error:
        raise ValidationError(
            _("%(value)s is not a valid EAN: the check digit is wrong."),
            code="ean_check_digit",
            params={"value": value},
        ) from error
