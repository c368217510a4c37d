"""Company isolation of core models: groups, series and shared data."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import (
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)

from cms import services as platform
from cms.registry import get_registration
from modules.core.models import (
    CompanyGroup,
    Country,
    Currency,
    ExchangeRate,
    NumberSeries,
    Role,
    Unit,
)
from modules.core.numbering import next_number
from modules.core.scoping import scope_queryset, user_has_role


@pytest.fixture
def group_of_a(make_user, company_a):
    admin = make_user("aino", company_a)
    return platform.create(
        model=CompanyGroup,
        company=company_a,
        user=admin,
        data={"name": "Alfa-konserni"},
    )


def test_creating_a_group_puts_the_current_company_in_it(group_of_a, company_a):
    company_a.refresh_from_db()

    assert company_a.group == group_of_a


def test_group_is_visible_only_to_users_of_its_companies(
    group_of_a, make_user, company_a, company_b
):
    member = make_user("kalle", company_a, role=Role.SALES)
    outsider = make_user("bertil", company_b)

    assert list(scope_queryset(CompanyGroup.objects.all(), member)) == [group_of_a]
    assert list(scope_queryset(CompanyGroup.objects.all(), outsider)) == []


def test_group_with_two_companies_is_listed_once(
    group_of_a, make_user, company_a, company_b
):
    both = make_user("kalle", company_a, company_b)
    company_b.group = group_of_a
    company_b.save()

    visible = scope_queryset(CompanyGroup.objects.all(), both)

    assert list(visible) == [group_of_a]
    assert list(scope_queryset(CompanyGroup.objects.all(), both, company=company_b))


def test_group_spanning_a_foreign_company_can_only_be_renamed_by_admins_of_all(
    group_of_a, company_a, company_b
):
    company_b.group = group_of_a
    company_b.save()
    admin_a = company_a.memberships.get().user

    with pytest.raises(PermissionDenied):
        platform.update(instance=group_of_a, user=admin_a, data={"name": "Mine"})


@pytest.mark.parametrize("model", [Country, Currency, ExchangeRate, Unit])
def test_reference_data_is_shared_by_all_companies(model):
    assert get_registration(model).company_field is None


def test_reference_data_passes_scoping_unchanged(make_user, company_a):
    user = make_user("kalle", company_a)

    assert scope_queryset(Currency.objects.all(), user).count() == 31


def test_number_series_counter_cannot_be_edited(make_user, company_a):
    admin = make_user("aino", company_a)
    next_number(company=company_a, series="invoice", year=2026)
    series = NumberSeries.objects.get()

    with pytest.raises(ValidationError) as error:
        platform.update(instance=series, user=admin, data={"next_number": 1})
    platform.update(instance=series, user=admin, data={"prefix": "INV-"})

    assert "next_number" in error.value.message_dict
    series.refresh_from_db()
    assert (series.prefix, series.next_number) == ("INV-", 2)


def test_used_number_series_cannot_be_deleted(make_user, company_a):
    admin = make_user("aino", company_a)
    next_number(company=company_a, series="invoice", year=2026)

    with pytest.raises(ValidationError):
        platform.delete(instance=NumberSeries.objects.get(), user=admin)

    assert NumberSeries.objects.exists()


def test_roles_are_checked_per_company(make_user, company_a, company_b):
    user = make_user("kalle", company_a)

    assert user_has_role(user, company_a, [Role.ADMINISTRATOR])
    assert not user_has_role(user, company_b, [Role.ADMINISTRATOR])


def test_member_picker_offers_colleagues_and_newcomers_but_not_strangers(
    make_user, company_a, company_b
):
    admin = make_user("aino", company_a)
    colleague = make_user("kalle", company_a, role=Role.SALES)
    newcomer = make_user("uusi")
    stranger = make_user("bertil", company_b)

    offered = set(scope_queryset(get_user_model().objects.all(), admin))

    assert {admin, colleague, newcomer} <= offered
    assert stranger not in offered


def test_unregistered_model_without_a_company_is_a_configuration_error(make_user):
    user = make_user("kalle")

    with pytest.raises(ImproperlyConfigured):
        scope_queryset(Group.objects.all(), user)
