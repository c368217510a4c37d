import pytest
from wagtail.users.models import UserProfile

from tests.sample.models import Gadget, GadgetPart

GADGET_PERMS = (
    "sample.view_gadget",
    "sample.add_gadget",
    "sample.change_gadget",
    "sample.delete_gadget",
    "sample.view_gadgetpart",
    "sample.add_gadgetpart",
    "sample.change_gadgetpart",
)


@pytest.fixture
def client(client):
    """A browser that asks for English, so assertions read the English text."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def english(user):
    """Make the admin speak English to `user`, so assertions read English."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def clerk_a(make_user, company_a):
    return english(make_user("clerk_a", company_a, perms=GADGET_PERMS))


@pytest.fixture
def clerk_b(make_user, company_b):
    return english(make_user("clerk_b", company_b, perms=GADGET_PERMS))


@pytest.fixture
def gadget_a(company_a):
    return Gadget.objects.create(company=company_a, code="A1", name="Alfa gadget")


@pytest.fixture
def gadget_b(company_b):
    return Gadget.objects.create(company=company_b, code="B1", name="Beta gadget")


@pytest.fixture
def part_b(gadget_b):
    return GadgetPart.objects.create(
        gadget=gadget_b, company=gadget_b.company, name="Beta part"
    )
