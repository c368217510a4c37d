"""Finnish payment references: the national reference and the RF reference.

The national reference (viitenumero) is 3-19 digits and a check digit
weighted 7, 3, 1 from the right; the RF creditor reference (ISO 11649)
wraps it as RF + two check digits + body. Incoming files write both in
many ways (spaces, leading zeros); `normalize_reference` turns them into
the one form the product stores and compares.
"""

from stdnum import iso11649
from stdnum.exceptions import ValidationError as StdnumError

_WEIGHTS = (7, 3, 1)


def national_check_digit(base: str) -> str:
    """Return the check digit of a national reference's base digits."""
    total = sum(
        int(digit) * _WEIGHTS[index % 3] for index, digit in enumerate(reversed(base))
    )
    return str((10 - total % 10) % 10)


def is_national_reference(value: str) -> bool:
    """Tell whether `value` (compact digits) is a valid national reference."""
    if not value.isdigit() or not 4 <= len(value) <= 20:
        return False
    return national_check_digit(value[:-1]) == value[-1]


def normalize_reference(value: str | None) -> str:
    """Return a reference in stored form, or "" when it is not one.

    National references lose spaces and leading zeros; RF references are
    upper case without spaces. Anything that fails its check digits gives
    "", so a typo never matches an invoice by accident.
    """
    text = "".join((value or "").split()).upper()
    if text.startswith("RF"):
        try:
            return iso11649.validate(text)
        except StdnumError:
            return ""
    text = text.lstrip("0")
    return text if is_national_reference(text) else ""


def national_part(reference: str) -> str:
    """Return the national reference inside an RF reference, else itself.

    Finnish RF references carry the national reference as their body, so
    a payment with RF111232 pays the invoice whose reference is 1232.
    """
    if reference.startswith("RF"):
        body = reference[4:].lstrip("0")
        return body if is_national_reference(body) else reference
    return reference
