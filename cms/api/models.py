"""API tokens: how integrations authenticate to the GraphQL API."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token that lets an integration act as one user.

    Only the SHA-256 hash of the token is stored; the plain token is shown
    once when it is issued. A token bound to a company sees and writes only
    that company's data, even when its user may see more.
    """

    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the name of the integration."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="graphql_tokens",
        on_delete=models.CASCADE,
        help_text=_("The token acts with this user's permissions."),
    )
    company = models.ForeignKey(
        "core.Company",
        verbose_name=_("company"),
        related_name="graphql_tokens",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Limit the token to one company. Empty: all the user's."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        """Return whether the token may still be used."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
