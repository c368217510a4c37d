"""Payment references as bank files carry them.

`integrations.reference` validates Finnish national and RF references
strictly; a bank file, though, may carry a mistyped reference that must
not stop the import. `reference_or_blank` gives the stored form or "",
and `national_part` lets an RF payment find the invoice of the national
reference it wraps.
"""

from integrations.reference import (
    InvalidReference,
    normalize_reference,
    validate_national,
)


def reference_or_blank(value: str | None) -> str:
    """Return a reference in stored form, or "" when it is not a valid one.

    A typo (wrong check digit) gives "", so it never matches an invoice by
    accident; the raw text stays on the transaction for the user.
    """
    if not (value or "").strip():
        return ""
    try:
        return normalize_reference(value)
    except InvalidReference:
        return ""


def national_part(reference: str) -> str:
    """Return the national reference inside an RF reference, else itself.

    Finnish RF references carry the national reference as their body, so
    a payment with RF111232 pays the invoice whose reference is 1232.
    """
    if reference.startswith("RF"):
        try:
            return validate_national(reference[4:])
        except InvalidReference:
            return reference
    return reference
