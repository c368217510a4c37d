"""Login throttling for the admin and the sites' login pages.

Failed logins are counted per user name and per client address in the
cache (shared by all app servers when REDIS_URL is set, else PostgreSQL).
After `LOGIN_MAX_FAILURES` failures for a name (four times that for an
address) within `LOGIN_LOCKOUT_SECONDS` the login form refuses further
attempts until the window has passed; a successful login clears the user
name's count.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext
from wagtail.admin.forms.auth import LoginForm

logger = logging.getLogger(__name__)


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.lower().encode()).hexdigest()[:32]
    return f"login-failures:{kind}:{digest}"


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def _keys(username: str, request) -> list[str]:
    keys = [_key("user", username or "")]
    address = _client_address(request)
    if address:
        keys.append(_key("address", address))
    return keys


def is_locked_out(username: str, request) -> bool:
    """Return whether logins for `username` or from this address are paused.

    An address gets four times the user name's allowance, since a whole
    office may log in from behind one address.
    """
    user_key, *address_keys = _keys(username, request)
    limit = settings.LOGIN_MAX_FAILURES
    if (cache.get(user_key) or 0) >= limit:
        return True
    return any((cache.get(key) or 0) >= limit * 4 for key in address_keys)


def record_failure(username: str, request) -> None:
    """Count one failed login for the user name and the client address."""
    for key in _keys(username, request):
        cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def _count_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get("username", "")
    record_failure(username, request)
    logger.warning("Failed login for %r from %s", username, _client_address(request))


def _clear_failures(sender, request, user, **kwargs):
    cache.delete(_key("user", user.get_username()))


def connect_signals() -> None:
    """Count failed logins and clear the count on success (called once)."""
    user_login_failed.connect(_count_failure, dispatch_uid="cms.auth.failure")
    user_logged_in.connect(_clear_failures, dispatch_uid="cms.auth.success")


class ThrottledLoginForm(LoginForm):
    """The login form, refusing to check passwords while locked out."""

    def clean(self):
        username = self.cleaned_data.get("username", "")
        if is_locked_out(username, self.request):
            minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
            raise ValidationError(
                ngettext(
                    "Too many failed logins. Wait %(minutes)s minute and try again.",
                    "Too many failed logins. Wait %(minutes)s minutes and try again.",
                    minutes,
                )
                % {"minutes": minutes},
                code="locked_out",
            )
        return super().clean()
