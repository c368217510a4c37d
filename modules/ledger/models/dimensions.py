"""Cost centres, projects and budgets: the dimensions of journal lines.

Every journal line may name a cost centre and a project, so income
statements and budget comparisons can be cut by them. Cost centres form a
tree within a company; a budget amount is kept per account, optional cost
centre and month.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from modules.core.models import Company

_CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9_.-]{1,20}$", _("Use letters, digits, dots, dashes or underscores.")
)


class CostCentre(models.Model):
    """A unit whose costs and income are followed, e.g. a shop or a team."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="cost_centres",
        on_delete=models.CASCADE,
    )
    code = models.CharField(_("code"), max_length=20, validators=[_CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        related_name="children",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("The cost centre this one belongs under, if any."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("cost centre")
        verbose_name_plural = _("cost centres")
        ordering = ["company", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"],
                name="ledger_costcentre_unique_code",
                violation_error_message=_("The company already has this code."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.company_id != self.company_id:
                raise ValidationError(
                    {"parent": _("The parent belongs to another company.")},
                    code="foreign_parent",
                )
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("A cost centre cannot be under itself.")},
                    code="parent_cycle",
                )
            ancestor = ancestor.parent

    def descendant_ids(self) -> set[int]:
        """Return the ids of this cost centre and everything under it."""
        found = {self.pk}
        level = {self.pk}
        while level:
            level = set(
                CostCentre.objects.filter(parent_id__in=level).values_list(
                    "pk", flat=True
                )
            )
            level -= found
            found |= level
        return found


class Project(models.Model):
    """A piece of work whose income and costs are followed across accounts."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="projects",
        on_delete=models.CASCADE,
    )
    code = models.CharField(_("code"), max_length=20, validators=[_CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=120)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["company", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"],
                name="ledger_project_unique_code",
                violation_error_message=_("The company already has this code."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError(
                {"end": _("The project must end after it starts.")},
                code="end_before_start",
            )


class BudgetEntry(models.Model):
    """The budgeted amount of an account in a month, optionally per cost
    centre and project.

    Income is budgeted as a positive amount like expenses; the comparison
    with actual figures uses the natural side of the account.
    """

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="budget_entries",
        on_delete=models.CASCADE,
    )
    account = models.ForeignKey(
        "ledger.Account",
        verbose_name=_("account"),
        related_name="budget_entries",
        on_delete=models.CASCADE,
    )
    cost_centre = models.ForeignKey(
        CostCentre,
        verbose_name=_("cost centre"),
        related_name="budget_entries",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        related_name="budget_entries",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    month = models.DateField(
        _("month"), help_text=_("The first day of the budgeted month.")
    )
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("budget entry")
        verbose_name_plural = _("budget entries")
        ordering = ["company", "month", "account__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "account", "cost_centre", "project", "month"],
                nulls_distinct=False,
                name="ledger_budgetentry_unique_month",
                violation_error_message=_(
                    "The account already has a budget for this cost centre and month."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1),
                name="ledger_budgetentry_first_of_month",
                violation_error_message=_("Give the first day of the month."),
            ),
        ]

    def __str__(self):
        return f"{self.account.number} {self.month:%m/%Y} {self.amount}"

    def clean(self):
        errors = {}
        if self.month and self.month.day != 1:
            self.month = self.month.replace(day=1)
        if self.account_id and self.account.company_id != self.company_id:
            errors["account"] = _("The account belongs to another company.")
        if self.cost_centre_id and self.cost_centre.company_id != self.company_id:
            errors["cost_centre"] = _("The cost centre belongs to another company.")
        if self.project_id and self.project.company_id != self.company_id:
            errors["project"] = _("The project belongs to another company.")
        if errors:
            raise ValidationError(errors, code="foreign_row")
