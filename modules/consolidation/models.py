"""Group accounts: the group's chart, members' account mappings, notes.

A company group (`modules.core.models.CompanyGroup`) reports on its own
chart of group accounts. Each member company maps its accounts to group
accounts; a mapping marked intra-group is eliminated in the consolidated
statements (receivables and payables between members, sales and
purchases between members). Statement notes hold the editable texts of a
company's financial statements for one fiscal year.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from modules.core.models import Company, CompanyGroup
from modules.ledger.models import Account, AccountType, FiscalYear, StatementLine


class GroupAccount(models.Model):
    """An account of a group's chart, mapped to a statement line."""

    group = models.ForeignKey(
        CompanyGroup,
        verbose_name=_("company group"),
        related_name="accounts",
        on_delete=models.CASCADE,
    )
    number = models.CharField(
        _("number"),
        max_length=10,
        validators=[
            RegexValidator(r"^[0-9]{3,10}$", _("Use 3 to 10 digits, e.g. 1910."))
        ],
    )
    name_fi = models.CharField(_("name in Finnish"), max_length=120)
    name_sv = models.CharField(_("name in Swedish"), max_length=120, blank=True)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    type = models.CharField(_("type"), max_length=10, choices=AccountType.choices)
    statement_line = models.CharField(
        _("statement line"), max_length=30, choices=StatementLine.choices
    )

    class Meta:
        verbose_name = _("group account")
        verbose_name_plural = _("group accounts")
        ordering = ["group", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "number"],
                name="consolidation_groupaccount_unique_number",
                violation_error_message=_("The group chart already has this number."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    # Named in three languages the same way as a company's own accounts.
    name = Account.name


class Ownership(models.TextChoices):
    """How an account takes part in eliminating the parent's holdings."""

    NONE = "", _("none")
    INVESTMENT = "investment", _("Parent's holding in a subsidiary")
    EQUITY = "equity", _("Subsidiary's equity at acquisition")


class AccountMapping(models.Model):
    """Where a member company's account goes in the group's chart."""

    account = models.OneToOneField(
        Account,
        verbose_name=_("account"),
        related_name="group_mapping",
        on_delete=models.CASCADE,
    )
    group_account = models.ForeignKey(
        GroupAccount,
        verbose_name=_("group account"),
        related_name="mappings",
        on_delete=models.PROTECT,
    )
    intra_group = models.BooleanField(
        _("intra-group"),
        default=False,
        help_text=_(
            "Entries on this account are with other group companies and are "
            "eliminated in the group accounts."
        ),
    )
    ownership = models.CharField(
        _("ownership elimination"),
        max_length=12,
        choices=Ownership.choices,
        blank=True,
        default=Ownership.NONE,
        help_text=_(
            "The parent's holding in a subsidiary is eliminated against the "
            "subsidiary's equity at acquisition; the difference is the "
            "consolidation difference."
        ),
    )
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("Why the account goes where it goes, for the auditor."),
    )
    counterparty = models.ForeignKey(
        Company,
        verbose_name=_("counterparty"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
        help_text=_("The group company on the other side, when there is one."),
    )

    class Meta:
        verbose_name = _("account mapping")
        verbose_name_plural = _("account mappings")
        ordering = ["account__company", "account__number"]

    def __str__(self):
        return f"{self.account} → {self.group_account.number}"

    def clean(self):
        if not (self.account_id and self.group_account_id):
            return
        group_id = self.account.company.group_id
        if group_id != self.group_account.group_id:
            raise ValidationError(
                {
                    "group_account": _(
                        "The group account belongs to another group than the "
                        "account's company."
                    )
                },
                code="other_group",
            )
        if self.counterparty_id and self.counterparty.group_id != group_id:
            raise ValidationError(
                {"counterparty": _("The counterparty is not in the same group.")},
                code="counterparty_group",
            )


class StatementNote(models.Model):
    """The editable texts of a company's financial statements for a year."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        related_name="statement_notes",
        on_delete=models.CASCADE,
    )
    fiscal_year = models.OneToOneField(
        FiscalYear,
        verbose_name=_("fiscal year"),
        related_name="statement_note",
        on_delete=models.CASCADE,
    )
    principles = models.TextField(
        _("accounting principles"),
        blank=True,
        default=_(
            "The financial statements have been prepared in accordance with "
            "the small-company provisions of the decree 1753/2015 (PMA)."
        ),
    )
    personnel = models.TextField(
        _("personnel"), blank=True, help_text=_("Average number of employees.")
    )
    other_notes = models.TextField(
        _("other notes"),
        blank=True,
        help_text=_("Guarantees, commitments, events after the year end."),
    )
    board = models.TextField(
        _("board members"),
        blank=True,
        help_text=_("One signatory per line, e.g. Anna Virtanen, chair."),
    )
    signing_place = models.CharField(_("place of signing"), max_length=100, blank=True)
    signing_date = models.DateField(_("date of signing"), null=True, blank=True)
    auditor_note = models.TextField(
        _("auditor's note"),
        blank=True,
        help_text=_("Left empty, a space is kept for the auditor's note."),
    )

    class Meta:
        verbose_name = _("statement notes")
        verbose_name_plural = _("statement notes")
        ordering = ["company", "-fiscal_year__start"]

    def __str__(self):
        return f"{self.company} {self.fiscal_year}"

    def clean(self):
        if (
            self.fiscal_year_id
            and self.company_id
            and self.fiscal_year.company_id != self.company_id
        ):
            raise ValidationError(
                {"fiscal_year": _("The fiscal year belongs to another company.")},
                code="other_company",
            )

    @property
    def signatories(self) -> list[str]:
        return [line.strip() for line in self.board.splitlines() if line.strip()]
