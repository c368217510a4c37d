"""Finnish payment references: the national viitenumero and the RF reference.

Plain Python, no Django. `normalize_reference` is what every module calls
on a reference typed by a person or read from a file: it returns the
reference without spaces and in capitals, or raises `InvalidReference`
saying what is wrong (the caller turns it into a translated message).
"""

from stdnum import iso11649
from stdnum.exceptions import ValidationError as StdnumError

_WEIGHTS = (7, 3, 1)
MIN_BASE_DIGITS = 3
MAX_BASE_DIGITS = 19


class InvalidReference(ValueError):
    """A reference that is neither a valid national nor a valid RF one.

    `code` says why: "format", "length", "checksum".
    """

    def __init__(self, reference: str, code: str):
        super().__init__(f"{reference!r} is not a valid payment reference ({code}).")
        self.reference = reference
        self.code = code


def national_check_digit(base: str) -> str:
    """Return the check digit of a national reference base (weights 7, 3, 1)."""
    total = sum(
        int(digit) * _WEIGHTS[index % 3] for index, digit in enumerate(reversed(base))
    )
    return str((10 - total % 10) % 10)


def national_reference(base) -> str:
    """Return the national reference built from `base` (3-19 digits)."""
    digits = str(base).replace(" ", "").lstrip("0")
    if not digits.isdigit():
        raise InvalidReference(str(base), "format")
    if not MIN_BASE_DIGITS <= len(digits) <= MAX_BASE_DIGITS:
        raise InvalidReference(str(base), "length")
    return digits + national_check_digit(digits)


def _rf_number(text: str) -> int:
    return int("".join(str(int(char, 36)) for char in text))


def rf_reference(national: str) -> str:
    """Return the RF creditor reference (ISO 11649) of a national reference."""
    body = validate_national(national)
    check = 98 - _rf_number(body + "RF00") % 97
    return f"RF{check:02d}{body}"


def validate_national(reference: str) -> str:
    """Return a national reference without spaces, or raise InvalidReference."""
    compact = str(reference).replace(" ", "")
    if not compact.isdigit():
        raise InvalidReference(reference, "format")
    compact = compact.lstrip("0")
    if not MIN_BASE_DIGITS + 1 <= len(compact) <= MAX_BASE_DIGITS + 1:
        raise InvalidReference(reference, "length")
    if national_check_digit(compact[:-1]) != compact[-1]:
        raise InvalidReference(reference, "checksum")
    return compact


def validate_rf(reference: str) -> str:
    """Return an RF reference without spaces, or raise InvalidReference."""
    compact = str(reference).replace(" ", "").upper()
    try:
        return iso11649.validate(compact)
    except StdnumError as error:
        code = "checksum" if "checksum" in type(error).__name__.lower() else "format"
        raise InvalidReference(reference, code) from error


def normalize_reference(reference: str) -> str:
    """Return a national or RF reference in stored form, or raise."""
    compact = str(reference or "").replace(" ", "").upper()
    if compact.startswith("RF"):
        return validate_rf(compact)
    return validate_national(compact)


def is_rf(reference: str) -> bool:
    """Tell whether a (normalised) reference is an RF creditor reference."""
    return str(reference).upper().startswith("RF")


def format_reference(reference: str) -> str:
    """Return a reference as printed: national in fives from the right,
    RF in fours from the left."""
    compact = normalize_reference(reference)
    if is_rf(compact):
        return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    head = len(compact) % 5
    groups = [compact[:head]] if head else []
    groups += [compact[i : i + 5] for i in range(head, len(compact), 5)]
    return " ".join(groups)
