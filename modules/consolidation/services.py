"""Writes of the group accounts: the group chart and account mappings.

Group accounts belong to the group of the company the user works in;
mappings to the member company of the mapped account. Only those with
access to every member company may change the group's chart.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cms.services import create_object, delete_object, update_object
from modules.consolidation.models import AccountMapping, GroupAccount
from modules.core.audit import record_change
from modules.core.models import CompanyGroup
from modules.core.scoping import company_ids_for
from modules.ledger.models import Account

logger = logging.getLogger(__name__)


def require_whole_group(user, group) -> None:
    """Raise PermissionDenied unless `user` may see every company of `group`."""
    members = set(group.companies.values_list("pk", flat=True))
    if not members or not members <= company_ids_for(user):
        raise PermissionDenied(
            _("Group accounts need access to every company of the group.")
        )


@transaction.atomic
def create_group_account(*, company, user, data: dict) -> GroupAccount:
    """Add an account to the chart of the group `company` belongs to."""
    if company is None or company.group is None:
        raise ValidationError(
            _("The company is not in a company group."), code="no_group"
        )
    require_whole_group(user, company.group)

    account = create_object(
        model=GroupAccount,
        company=None,
        user=user,
        data={**data, "group": company.group},
    )
    logger.info("Group account %s added to group %s", account.number, account.group_id)
    return account


@transaction.atomic
def update_group_account(*, instance, user, data: dict) -> GroupAccount:
    """Change a group account; the whole group must be visible to the user."""
    require_whole_group(user, instance.group)
    return update_object(instance=instance, user=user, data=data)


@transaction.atomic
def delete_group_account(*, instance, user) -> None:
    """Delete a group account no member account is mapped to."""
    require_whole_group(user, instance.group)
    delete_object(instance=instance, user=user)


@transaction.atomic
def map_accounts_to_group(
    *, company, user, intra_group: tuple[str, ...] = ()
) -> list[AccountMapping]:
    """Map every unmapped account of `company` to the group account of its number.

    Missing group accounts are made from the member's account (same number,
    names, type and statement line). Accounts whose numbers are in
    `intra_group` are marked for elimination. The whole mapping is one
    entry in the audit log, as loading a chart of accounts is.
    """
    group = company.group
    if group is None:
        raise ValidationError(
            _("The company is not in a company group."), code="no_group"
        )
    require_whole_group(user, group)
    CompanyGroup.objects.select_for_update().get(pk=group.pk)
    unmapped = list(
        Account.objects.filter(company=company, group_mapping__isnull=True).order_by(
            "number"
        )
    )

    existing = set(group.accounts.values_list("number", flat=True))
    GroupAccount.objects.bulk_create(
        [
            GroupAccount(
                group=group,
                number=account.number,
                name_fi=account.name_fi,
                name_sv=account.name_sv,
                name_en=account.name_en,
                type=account.type,
                statement_line=account.statement_line,
            )
            for account in unmapped
            if account.number not in existing
        ]
    )
    targets = {account.number: account for account in group.accounts.all()}
    created = AccountMapping.objects.bulk_create(
        [
            AccountMapping(
                account=account,
                group_account=targets[account.number],
                intra_group=account.number in intra_group,
            )
            for account in unmapped
        ]
    )

    record_change(
        instance=company,
        user=user,
        action="update",
        after={"group_account_mappings": len(created)},
    )
    logger.info("%s accounts of %s mapped to the group", len(created), company.pk)
    return created
