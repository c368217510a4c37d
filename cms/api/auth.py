"""Who is calling the API: an API token, or a browser session.

Token requests carry `Authorization: Bearer <token>` and need no CSRF
token, since browsers never add that header by themselves. Session
requests are checked for CSRF like any form post.
"""

import logging
from datetime import timedelta

from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone

from cms.api.models import ApiToken
from cms.api.services import hash_token

logger = logging.getLogger(__name__)

# Writing the last-use time on every request would turn reads into writes.
LAST_USED_PRECISION = timedelta(minutes=1)


def bearer_token(request) -> str | None:
    """Return the token of a `Bearer` Authorization header, "" if malformed.

    None means the request carries no Authorization header at all.
    """
    header = request.META.get("HTTP_AUTHORIZATION")
    if header is None:
        return None
    scheme, _space, token = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return ""
    return token.strip()


def authenticate_token(plain: str) -> ApiToken | None:
    """Return the active token whose plain text is `plain`, else None."""
    if not plain:
        return None
    token = (
        ApiToken.objects.select_related("user", "company")
        .filter(token_hash=hash_token(plain))
        .first()
    )
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


def csrf_failure(request) -> str | None:
    """Return why a session request fails the CSRF check, or None if it passes."""
    check = _CsrfCheck(lambda request: None)
    check.process_request(request)
    return check.process_view(request, None, (), {})
