"""Writes to companies, groups, memberships, bank accounts and series.

Each service follows the platform's signatures (`cms.registry.Services`),
checks the acting user's role in the company it touches, and writes
through the generic services so that every change lands in the audit log.
"""

import logging

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from cms.services import create_object, delete_object, update_object
from modules.core.audit import record_change, snapshot
from modules.core.models import (
    BankAccount,
    Company,
    CompanyGroup,
    Membership,
    NumberSeries,
    Role,
    role_group_name,
)
from modules.core.scoping import require_role, scope_queryset

logger = logging.getLogger(__name__)

FINANCE_ROLES = (Role.ADMINISTRATOR, Role.ACCOUNTANT)


def _require_company(company) -> None:
    if company is None:
        raise ValidationError(_("Choose a company first."), code="no_company")


def _delete(*, instance, user) -> None:
    try:
        with transaction.atomic():
            delete_object(instance=instance, user=user)
    except ProtectedError as exc:
        raise ValidationError(
            _("%(object)s is still used by other records and cannot be deleted.")
            % {"object": instance},
            code="protected",
        ) from exc


# Companies


def _check_group_visible(user, group) -> None:
    if group is None:
        return
    if not scope_queryset(CompanyGroup.objects.filter(pk=group.pk), user).exists():
        raise ValidationError(
            {"group": _("You can only join a group one of your companies is in.")},
            code="group_not_visible",
        )


@transaction.atomic
def create_company(*, company, user, data: dict) -> Company:
    """Create a company and make its creator an administrator of it."""
    _check_group_visible(user, data.get("group"))

    created = create_object(model=Company, company=None, user=user, data=data)

    if user is not None and user.is_authenticated:
        has_default = Membership.objects.filter(user=user, is_default=True).exists()
        membership = Membership.objects.create(
            user=user,
            company=created,
            role=Role.ADMINISTRATOR,
            is_default=not has_default,
        )
        _record_membership(membership, user, "create")
        _sync_role_groups(user)
    logger.info("Company %s created by %s", created.business_id, user)
    return created


@transaction.atomic
def update_company(*, instance, user, data: dict) -> Company:
    """Change a company's details; only its administrators may."""
    require_role(user, instance, [Role.ADMINISTRATOR])
    if "group" in data and data["group"] != instance.group:
        _check_group_visible(user, data["group"])

    return update_object(instance=instance, user=user, data=data)


def delete_company(*, instance, user) -> None:
    """Delete a company that has no records left; only its administrators may."""
    require_role(user, instance, [Role.ADMINISTRATOR])
    _delete(instance=instance, user=user)


# Company groups


def _require_group_administrator(user, group) -> None:
    companies = list(group.companies.all())
    if not companies and not user.is_superuser:
        raise PermissionDenied(_("Only superusers may change an empty group."))
    for company in companies:
        require_role(user, company, [Role.ADMINISTRATOR])


@transaction.atomic
def create_company_group(*, company, user, data: dict) -> CompanyGroup:
    """Create a group with `company` as its first member."""
    _require_company(company)
    require_role(user, company, [Role.ADMINISTRATOR])

    group = create_object(model=CompanyGroup, company=None, user=user, data=data)
    update_object(instance=company, user=user, data={"group": group})
    return group


@transaction.atomic
def update_company_group(*, instance, user, data: dict) -> CompanyGroup:
    """Change a group; only administrators of all its companies may."""
    _require_group_administrator(user, instance)

    return update_object(instance=instance, user=user, data=data)


@transaction.atomic
def delete_company_group(*, instance, user) -> None:
    """Delete a group; its companies stay, outside any group."""
    _require_group_administrator(user, instance)

    for company in instance.companies.order_by("pk"):
        update_object(instance=company, user=user, data={"group": None})
    _delete(instance=instance, user=user)


# Memberships


def _record_membership(membership, user, action) -> None:
    record_change(
        instance=membership, user=user, action=action, after=snapshot(membership)
    )


def _sync_role_groups(member) -> None:
    # A role's permissions live in the auth group "role:<role>"; a user is in
    # exactly the groups of the roles they hold in some company.
    roles = set(member.memberships.values_list("role", flat=True))
    for role in roles:
        group, _created = Group.objects.get_or_create(name=role_group_name(role))
        member.groups.add(group)
    member.groups.remove(
        *Group.objects.filter(
            name__in=[
                role_group_name(role) for role in Role.values if role not in roles
            ]
        )
    )


def _check_keeps_administrator(membership, *, new_role=None) -> None:
    if membership.role != Role.ADMINISTRATOR or new_role == Role.ADMINISTRATOR:
        return
    others = Membership.objects.filter(
        company_id=membership.company_id, role=Role.ADMINISTRATOR
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(
            _("%(company)s must keep at least one administrator.")
            % {"company": membership.company},
            code="last_administrator",
        )


def _clear_default_membership(member, *, user, keep=None) -> None:
    defaults = Membership.objects.filter(user=member, is_default=True)
    if keep is not None:
        defaults = defaults.exclude(pk=keep.pk)
    for membership in defaults.order_by("pk"):
        update_object(instance=membership, user=user, data={"is_default": False})


@transaction.atomic
def create_membership(*, company, user, data: dict) -> Membership:
    """Give a user a role in `company`; only its administrators may."""
    _require_company(company)
    require_role(user, company, [Role.ADMINISTRATOR])
    member = data.get("user")
    if member is None:
        raise ValidationError({"user": _("Choose a user.")}, code="required")

    data = dict(data)
    if not Membership.objects.filter(user=member, is_default=True).exists():
        data["is_default"] = True
    elif data.get("is_default"):
        _clear_default_membership(member, user=user)
    membership = create_object(model=Membership, company=company, user=user, data=data)
    _sync_role_groups(member)
    return membership


@transaction.atomic
def update_membership(*, instance, user, data: dict) -> Membership:
    """Change a member's role or default company; only administrators may."""
    require_role(user, instance.company, [Role.ADMINISTRATOR])
    for name, current in (("user", instance.user), ("company", instance.company)):
        if name in data and data[name] != current:
            raise ValidationError(
                {name: _("A membership cannot be moved; create a new one.")},
                code="membership_moved",
            )
    if "role" in data:
        _check_keeps_administrator(instance, new_role=data["role"])

    if data.get("is_default") and not instance.is_default:
        _clear_default_membership(instance.user, user=user, keep=instance)
    membership = update_object(instance=instance, user=user, data=data)
    _sync_role_groups(membership.user)
    return membership


@transaction.atomic
def delete_membership(*, instance, user) -> None:
    """Remove a user's access to a company; only its administrators may."""
    require_role(user, instance.company, [Role.ADMINISTRATOR])
    _check_keeps_administrator(instance)
    member = instance.user

    _delete(instance=instance, user=user)
    _sync_role_groups(member)


# Bank accounts


def _clear_default_account(company, *, user, keep=None) -> None:
    defaults = BankAccount.objects.filter(company=company, is_default=True)
    if keep is not None:
        defaults = defaults.exclude(pk=keep.pk)
    for account in defaults.order_by("pk"):
        update_object(instance=account, user=user, data={"is_default": False})


@transaction.atomic
def create_bank_account(*, company, user, data: dict) -> BankAccount:
    """Add a bank account; the first one becomes the default."""
    _require_company(company)
    require_role(user, company, FINANCE_ROLES)

    data = dict(data)
    if not BankAccount.objects.filter(company=company).exists():
        data["is_default"] = True
    elif data.get("is_default"):
        _clear_default_account(company, user=user)
    return create_object(model=BankAccount, company=company, user=user, data=data)


@transaction.atomic
def update_bank_account(*, instance, user, data: dict) -> BankAccount:
    """Change a bank account; making it the default unmarks the old one."""
    require_role(user, instance.company, FINANCE_ROLES)
    if "company" in data and data["company"] != instance.company:
        raise ValidationError(
            {"company": _("A bank account cannot be moved to another company.")},
            code="account_moved",
        )

    if data.get("is_default") and not instance.is_default:
        _clear_default_account(instance.company, user=user, keep=instance)
    return update_object(instance=instance, user=user, data=data)


def delete_bank_account(*, instance, user) -> None:
    """Delete a bank account."""
    require_role(user, instance.company, FINANCE_ROLES)
    _delete(instance=instance, user=user)


# Number series


@transaction.atomic
def update_number_series(*, instance, user, data: dict) -> NumberSeries:
    """Change a series' prefix or padding; its counter stays untouched."""
    require_role(user, instance.company, FINANCE_ROLES)
    locked = NumberSeries.objects.select_for_update().get(pk=instance.pk)
    for name in ("company", "code", "year", "next_number"):
        if name in data and data[name] != getattr(locked, name):
            raise ValidationError(
                {
                    name: _(
                        "This cannot be changed: numbers must stay gap-free. "
                        "Create a new series instead."
                    )
                },
                code="series_fixed",
            )

    return update_object(instance=locked, user=user, data=data)


@transaction.atomic
def delete_number_series(*, instance, user) -> None:
    """Delete a series from which no number has been taken."""
    require_role(user, instance.company, FINANCE_ROLES)
    locked = NumberSeries.objects.select_for_update().get(pk=instance.pk)
    if locked.next_number > 1:
        raise ValidationError(
            _("Numbers have been taken from %(series)s; it cannot be deleted.")
            % {"series": locked},
            code="series_in_use",
        )

    _delete(instance=locked, user=user)
