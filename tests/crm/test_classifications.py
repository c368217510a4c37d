"""Classification trees and which groups see and set which schemes."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from modules.crm.selectors import (
    classifications_of,
    editable_schemes,
    visible_classifications,
    visible_schemes,
)
from modules.crm.services import create_classification, update_organisation

EDIT = "/admin/crm/organisation/edit/{}/"


@pytest.fixture
def profiles(make_scheme, make_class, marketing_group):
    """A public segment scheme and an interests scheme only marketing sees."""
    segment = make_scheme("segment")
    interests = make_scheme("interests", view=[marketing_group], edit=[marketing_group])
    return {
        "segment": segment,
        "interests": interests,
        "retail": make_class(segment, "Retail"),
        "golf": make_class(interests, "Golf"),
    }


def test_a_scheme_without_groups_is_seen_by_everyone_in_the_company(seller, profiles):
    schemes = set(visible_schemes(seller))

    assert profiles["segment"] in schemes
    assert profiles["interests"] not in schemes


def test_a_group_member_sees_and_sets_the_groups_scheme(
    seller, profiles, marketing_group
):
    seller.groups.add(marketing_group)

    visible = set(visible_classifications(seller))

    assert {profiles["retail"], profiles["golf"]} <= visible
    assert profiles["interests"] in set(editable_schemes(seller))


def test_a_scheme_may_be_seen_by_a_group_and_set_only_by_another(
    seller, make_scheme, marketing_group
):
    management = Group.objects.create(name="management")
    open_to_set = make_scheme("class", view=[marketing_group])
    read_only = make_scheme("vip", view=[marketing_group], edit=[management])
    seller.groups.add(marketing_group)

    editable = set(editable_schemes(seller))

    assert {open_to_set, read_only} <= set(visible_schemes(seller))
    assert open_to_set in editable
    assert read_only not in editable


def test_a_company_administrator_sees_every_scheme(make_user, company_a, profiles):
    administrator = make_user("boss", company_a)

    assert profiles["interests"] in set(visible_schemes(administrator))


def test_schemes_of_another_company_stay_hidden(
    seller, make_scheme, company_b, profiles
):
    foreign = make_scheme("segment", company=company_b)

    assert foreign not in set(visible_schemes(seller))


def test_the_card_lists_only_classifications_the_user_sees(
    seller, organisation, profiles
):
    organisation.classifications.set([profiles["retail"], profiles["golf"]])

    assert classifications_of(organisation, seller) == [profiles["retail"]]


def test_saving_keeps_classifications_the_user_cannot_see(
    seller, organisation, profiles
):
    organisation.classifications.set([profiles["golf"]])

    update_organisation(
        instance=organisation,
        user=seller,
        data={"classifications": [profiles["retail"]]},
    )

    assert set(organisation.classifications.all()) == {
        profiles["retail"],
        profiles["golf"],
    }


def test_setting_a_classification_of_a_hidden_scheme_is_refused(
    seller, organisation, profiles
):
    with pytest.raises(ValidationError) as error:
        update_organisation(
            instance=organisation,
            user=seller,
            data={"classifications": [profiles["golf"]]},
        )

    assert "You may not set classifications of this scheme: Interests: Golf" in (
        " ".join(error.value.message_dict["classifications"])
    )
    assert not organisation.classifications.exists()


def test_only_those_who_set_a_scheme_add_classifications_to_it(
    seller, company_a, profiles
):
    with pytest.raises(ValidationError) as error:
        create_classification(
            company=company_a,
            user=seller,
            data={"scheme": profiles["interests"], "name_fi": "Tennis"},
        )

    assert "You may not change the classifications of Interests" in (
        " ".join(error.value.message_dict["scheme"])
    )


def test_a_classification_stays_in_its_parents_scheme(
    seller, company_a, profiles, make_class
):
    with pytest.raises(ValidationError) as error:
        create_classification(
            company=company_a,
            user=seller,
            data={
                "scheme": profiles["segment"],
                "parent": profiles["golf"],
                "name_fi": "Sekaisin",
            },
        )

    assert "same scheme" in " ".join(error.value.message_dict["parent"])


def test_the_admin_form_offers_only_classifications_the_user_sets(
    client, seller, organisation, profiles
):
    client.force_login(seller)

    html = client.get(EDIT.format(organisation.pk)).content.decode()

    assert "Segment: Retail" in html
    assert "Golf" not in html


def test_saving_the_admin_form_keeps_hidden_classifications(
    client, seller, organisation, profiles
):
    organisation.classifications.set([profiles["golf"]])
    client.force_login(seller)

    response = client.post(
        EDIT.format(organisation.pk),
        {
            "name": "Asiakas Oy",
            "business_id": "1572860-0",
            "language": "fi",
            "country": "FI",
            "classifications": [profiles["retail"].pk],
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(organisation.classifications.all()) == {
        profiles["retail"],
        profiles["golf"],
    }
