"""Memberships: only administrators grant access; roles follow in groups."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cms import services as platform
from modules.core.models import Membership, Role, role_group_name


@pytest.fixture
def admin(make_user, company_a):
    return make_user("aino", company_a)


@pytest.fixture
def newcomer(make_user):
    return make_user("uusi")


def _group_names(user):
    return set(user.groups.values_list("name", flat=True))


def test_administrator_gives_a_user_a_role(admin, newcomer, company_a):
    membership = platform.create(
        model=Membership,
        company=company_a,
        user=admin,
        data={"user": newcomer, "role": Role.ACCOUNTANT},
    )

    assert membership.company == company_a
    assert membership.is_default
    assert _group_names(newcomer) == {role_group_name(Role.ACCOUNTANT)}


def test_non_administrator_cannot_grant_access(make_user, newcomer, company_a):
    clerk = make_user("kalle", company_a, role=Role.SALES)

    with pytest.raises(PermissionDenied):
        platform.create(
            model=Membership,
            company=company_a,
            user=clerk,
            data={"user": newcomer, "role": Role.ADMINISTRATOR},
        )

    assert not Membership.objects.filter(user=newcomer).exists()


def test_administrator_of_another_company_cannot_grant_access(
    make_user, newcomer, company_a, company_b
):
    admin_b = make_user("bertil", company_b)

    with pytest.raises(PermissionDenied):
        platform.create(
            model=Membership,
            company=company_a,
            user=admin_b,
            data={"user": newcomer, "role": Role.SALES},
        )


def test_the_last_administrator_cannot_step_down_or_leave(admin, company_a):
    membership = Membership.objects.get(user=admin, company=company_a)

    with pytest.raises(ValidationError) as error:
        platform.update(instance=membership, user=admin, data={"role": Role.SALES})
    with pytest.raises(ValidationError):
        platform.delete(instance=membership, user=admin)

    assert error.value.messages == ["Alfa Oy must keep at least one administrator."]
    membership.refresh_from_db()
    assert membership.role == Role.ADMINISTRATOR


def test_changing_a_role_moves_the_user_between_role_groups(admin, newcomer, company_a):
    membership = platform.create(
        model=Membership,
        company=company_a,
        user=admin,
        data={"user": newcomer, "role": Role.SALES},
    )

    platform.update(instance=membership, user=admin, data={"role": Role.WAREHOUSE})

    assert _group_names(newcomer) == {role_group_name(Role.WAREHOUSE)}


def test_removing_a_membership_removes_the_role_group(admin, newcomer, company_a):
    membership = platform.create(
        model=Membership,
        company=company_a,
        user=admin,
        data={"user": newcomer, "role": Role.SALES},
    )

    platform.delete(instance=membership, user=admin)

    assert _group_names(newcomer) == set()


def test_new_default_company_replaces_the_old_one(make_user, company_a, company_b):
    admin = make_user("aino", company_a, company_b)
    second = Membership.objects.get(user=admin, company=company_b)

    platform.update(instance=second, user=admin, data={"is_default": True})

    defaults = Membership.objects.filter(user=admin, is_default=True)
    assert [m.company for m in defaults] == [company_b]


def test_a_membership_cannot_be_moved_to_another_user(admin, newcomer, company_a):
    membership = Membership.objects.get(user=admin, company=company_a)

    with pytest.raises(ValidationError) as error:
        platform.update(instance=membership, user=admin, data={"user": newcomer})

    assert "user" in error.value.message_dict
