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
from modules.consolidation.models import GroupAccount
from modules.core.scoping import company_ids_for

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
