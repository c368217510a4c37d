"""Issue and revoke API tokens."""

import hashlib
import logging
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.api.models import ApiToken
from modules.core.scoping import user_can_access_company

logger = logging.getLogger(__name__)

TOKEN_MARK = "kide_"
PREFIX_LENGTH = 12


def hash_token(plain: str) -> str:
    """Return the stored form of a plain token."""
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


@transaction.atomic
def issue_api_token(
    *, company, user, owner, name: str, expires_at=None
) -> tuple[ApiToken, str]:
    """Create a token acting as `owner` and return it with its plain text.

    The plain text is not stored anywhere: the caller shows it once.
    """
    if not user.is_superuser and user.pk != owner.pk:
        raise PermissionDenied(_("You can only create tokens for yourself."))
    if company is not None and not user_can_access_company(owner, company):
        raise ValidationError(
            {"company": _("The token's user is not a member of this company.")},
            code="company",
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(
            {"expires_at": _("The expiry time must be in the future.")},
            code="expired",
        )

    plain = TOKEN_MARK + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        user=owner,
        company=company,
        expires_at=expires_at,
        token_hash=hash_token(plain),
        prefix=plain[:PREFIX_LENGTH],
    )
    token.full_clean()
    token.save()

    logger.info("API token %s issued for user %s", token.prefix, owner.pk)
    return token, plain


@transaction.atomic
def revoke_api_token(*, token: ApiToken, user) -> ApiToken:
    """Revoke `token` so that it is refused from now on."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        logger.info("API token %s revoked by user %s", locked.prefix, user.pk)
    return locked
