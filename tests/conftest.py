"""Shared pytest fixtures: companies, users with memberships, clients."""

import pytest
from django.contrib.auth import get_user_model

from modules.core.models import Company, Membership, Role


@pytest.fixture
def reference_data(db):
    """Make sure countries, currencies and units exist.

    The core migration loads them, but a transactional test empties every
    table when it ends, so tests that need them ask for this fixture.
    """
    from fixtures import reference

    reference.load()


@pytest.fixture
def company_a(reference_data):
    return Company.objects.create(name="Alfa Oy", business_id="2077474-0")


@pytest.fixture
def company_b(reference_data):
    return Company.objects.create(name="Beta Ab", business_id="0737546-2")


@pytest.fixture
def make_user(db):
    """Return a factory for users with a role in the given companies."""

    def make(username, *companies, role=Role.ADMINISTRATOR, staff=True, perms=()):
        user = get_user_model().objects.create_user(
            username=username, password="pw-" + username, is_staff=staff
        )
        for index, company in enumerate(companies):
            Membership.objects.create(
                user=user, company=company, role=role, is_default=index == 0
            )
        if staff:
            from django.contrib.auth.models import Permission

            admin_access = Permission.objects.get(
                content_type__app_label="wagtailadmin", codename="access_admin"
            )
            user.user_permissions.add(admin_access)
        for perm in perms:
            app_label, codename = perm.split(".")
            from django.contrib.auth.models import Permission

            user.user_permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        return user

    return make
