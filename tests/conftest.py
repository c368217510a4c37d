"""Shared pytest fixtures: companies, users with memberships, clients."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from wagtail.users.models import UserProfile

from modules.core.models import Company, Membership, Role

pytest_plugins = ["tests.browser_fixtures"]


@pytest.fixture
def reference_data(db):
    """Make sure countries, currencies, units and Wagtail's root collection
    exist.

    Migrations create them, but a transactional test empties every table
    when it ends, so tests that need them ask for this fixture.
    """
    from wagtail.models import Collection

    from fixtures import reference

    reference.load()
    if not Collection.objects.exists():
        Collection.add_root(name="Root")


@pytest.fixture
def company_a(reference_data):
    return Company.objects.create(name="Alfa Oy", business_id="2077474-0")


@pytest.fixture
def company_b(reference_data):
    return Company.objects.create(name="Beta Ab", business_id="0737546-2")


@pytest.fixture
def make_user(db):
    """Return a factory for users with a role in the given companies.

    The admin speaks the user's profile language, so test users read
    English unless a test asks for another `language`.
    """

    def make(
        username,
        *companies,
        role=Role.ADMINISTRATOR,
        staff=True,
        perms=(),
        language="en",
    ):
        user = get_user_model().objects.create_user(
            username=username, password="pw-" + username, is_staff=staff
        )
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
        for index, company in enumerate(companies):
            Membership.objects.create(
                user=user, company=company, role=role, is_default=index == 0
            )
        wanted = ["wagtailadmin.access_admin"] if staff else []
        for perm in [*wanted, *perms]:
            app_label, codename = perm.split(".")
            user.user_permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        return user

    return make
