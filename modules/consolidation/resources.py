"""Account mappings in CSV/XLSX files: account numbers, not database ids.

A row names the importing company's account by its number, the group
account by its number in the company's group chart and the counterparty
by its business ID among the group's companies. Rows are matched on the
account, so importing a file again updates the mappings it names.
"""

from import_export import fields

from cms.importing import RegisteredResource, ScopedForeignKeyWidget
from modules.consolidation.models import AccountMapping, GroupAccount
from modules.core.models import Company
from modules.ledger.budgets import CompanyKeyWidget
from modules.ledger.models import Account


class GroupKeyWidget(ScopedForeignKeyWidget):
    """Find a row by its key within the importing company's group."""

    company = None
    group_path = "group"

    def get_queryset(self, value, row, *args, **kwargs):
        group_id = self.company.group_id if self.company is not None else None
        return (
            super()
            .get_queryset(value, row, *args, **kwargs)
            .filter(**{self.group_path: group_id})
            .distinct()
        )


class AccountMappingResource(RegisteredResource):
    """Mappings of the importing company's accounts to the group chart."""

    account = fields.Field(
        attribute="account",
        column_name="account",
        widget=CompanyKeyWidget(Account, field="number"),
    )
    group_account = fields.Field(
        attribute="group_account",
        column_name="group_account",
        widget=GroupKeyWidget(GroupAccount, field="number"),
    )
    counterparty = fields.Field(
        attribute="counterparty",
        column_name="counterparty",
        widget=GroupKeyWidget(Company, field="business_id"),
    )

    class Meta:
        model = AccountMapping
        fields = ("account", "group_account", "intra_group", "ownership")
        fields += ("counterparty", "note")
        import_id_fields = ("account",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, *, user, company):
        super().__init__(user=user, company=company)
        for resource_field in self.fields.values():
            if isinstance(resource_field.widget, CompanyKeyWidget | GroupKeyWidget):
                resource_field.widget.company = company
