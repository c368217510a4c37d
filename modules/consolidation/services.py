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
    `intra_group` are marked for elimination.
    """
    if company.group is None:
        raise ValidationError(
            _("The company is not in a company group."), code="no_group"
        )
    require_whole_group(user, company.group)
    group_accounts = {
        account.number: account
        for account in GroupAccount.objects.select_for_update().filter(
            group=company.group
        )
    }

    created = []
    unmapped = Account.objects.filter(company=company, group_mapping__isnull=True)
    for account in unmapped.order_by("number"):
        target = group_accounts.get(account.number)
        if target is None:
            target = group_accounts[account.number] = create_object(
                model=GroupAccount,
                company=None,
                user=user,
                data={
                    "group": company.group,
                    "number": account.number,
                    "name_fi": account.name_fi,
                    "name_sv": account.name_sv,
                    "name_en": account.name_en,
                    "type": account.type,
                    "statement_line": account.statement_line,
                },
            )
        created.append(
            create_object(
                model=AccountMapping,
                company=None,
                user=user,
                data={
                    "account": account,
                    "group_account": target,
                    "intra_group": account.number in intra_group,
                },
            )
        )
    logger.info("%s accounts of %s mapped to the group", len(created), company.pk)
    return created
