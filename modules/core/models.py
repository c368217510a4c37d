"""Companies, company groups and the memberships that give users access."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from modules.core.validators import validate_business_id


class CompanyGroup(models.Model):
    """A group of companies reported together (group accounts)."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("company group")
        verbose_name_plural = _("company groups")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Company(models.Model):
    """A legal entity whose books, customers and stock the product keeps."""

    name = models.CharField(_("name"), max_length=200)
    business_id = models.CharField(
        _("business ID"),
        max_length=9,
        unique=True,
        validators=[validate_business_id],
        help_text=_("Finnish business ID (Y-tunnus), e.g. 2077474-0."),
    )
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="FI")
    default_currency = models.CharField(_("default currency"), max_length=3, default="EUR")
    group = models.ForeignKey(
        CompanyGroup,
        verbose_name=_("company group"),
        related_name="companies",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    ACCOUNTANT = "accountant", _("Accountant")
    SALES = "sales", _("Sales")
    WAREHOUSE = "warehouse", _("Warehouse")
    EMPLOYEE = "employee", _("Employee")
    WEB_EDITOR = "web_editor", _("Web editor")
    PARTNER = "partner", _("Partner")
    CUSTOMER = "customer", _("Customer")


class Membership(models.Model):
    """A user's access to one company, with the role they have there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="memberships",
        on_delete=models.CASCADE,
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="memberships",
        on_delete=models.CASCADE,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_default = models.BooleanField(_("default company"), default=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company"], name="core_membership_unique_user_company"
            ),
        ]

    def __str__(self):
        return f"{self.user} @ {self.company} ({self.get_role_display()})"


def role_group_name(role: str) -> str:
    """Return the name of the auth group that carries a role's permissions."""
    return f"role:{role}"


class AuditEntry(models.Model):
    """One change to business data; written by services, never edited."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        IMPORT = "import", _("Imported")

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"
