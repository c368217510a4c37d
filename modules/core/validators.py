"""Validators for Finnish and international identifiers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import ytunnus


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
