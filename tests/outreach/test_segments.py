"""Segments: who they pick, and who may look at their persons."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from cms.definable.models import DefinableField, DefinableForm, FieldType
from modules.crm.models import Organisation, Person
from modules.outreach import services
from modules.outreach.segments import segment_persons
from tests.outreach.conftest import assert_refused


def _emails(segment) -> set[str]:
    return {person.email for person in segment_persons(segment)}


@pytest.fixture
def fleet_form(db):
    """A person form with a number and a choice, and an organisation form."""
    person_form = DefinableForm.objects.create(
        name_en="Fleet", content_type=ContentType.objects.get_for_model(Person)
    )
    DefinableField.objects.create(
        form=person_form, key="boats", field_type=FieldType.NUMBER, label_en="Boats"
    )
    DefinableField.objects.create(
        form=person_form,
        key="level",
        field_type=FieldType.CHOICE,
        label_en="Level",
        choices=[{"value": "gold", "en": "Gold"}, {"value": "silver", "en": "Silver"}],
    )
    organisation_form = DefinableForm.objects.create(
        name_en="Contract", content_type=ContentType.objects.get_for_model(Organisation)
    )
    DefinableField.objects.create(
        form=organisation_form, key="contract", label_en="Contract"
    )


def test_a_classification_covers_its_subtree(tree, make_person, make_segment):
    footballer = make_person("footballer@example.fi")
    footballer.classifications.add(tree["football"])
    skier = make_person("skier@example.fi")
    skier.classifications.add(tree["skiing"])
    make_person("reader@example.fi").classifications.add(tree["culture"])

    sports = make_segment(classifications=[tree["sports"]])
    skiing = make_segment(classifications=[tree["skiing"]])

    assert _emails(sports) == {"footballer@example.fi", "skier@example.fi"}
    assert _emails(skiing) == {"skier@example.fi"}


def test_any_or_all_of_the_chosen_classifications(tree, make_person, make_segment):
    both = make_person("both@example.fi")
    both.classifications.add(tree["football"], tree["culture"])
    make_person("sport@example.fi").classifications.add(tree["skiing"])

    any_of = make_segment(classifications=[tree["sports"], tree["culture"]])
    all_of = make_segment(
        classifications=[tree["sports"], tree["culture"]], classification_match="all"
    )

    assert _emails(any_of) == {"both@example.fi", "sport@example.fi"}
    assert _emails(all_of) == {"both@example.fi"}


def test_an_organisations_classification_picks_its_contacts(
    tree, make_person, make_organisation, make_segment
):
    contact = make_person("contact@example.fi")
    organisation = make_organisation("Urheilu Oy", person=contact)
    organisation.classifications.add(tree["football"])
    make_person("stranger@example.fi")

    assert _emails(make_segment(classifications=[tree["sports"]])) == {
        "contact@example.fi"
    }


def test_form_values_with_operators(fleet_form, make_person, make_segment):
    make_person("big@example.fi", extra={"boats": "12", "level": "gold"})
    make_person("small@example.fi", extra={"boats": "3", "level": "silver"})
    make_person("none@example.fi")

    def rule(field, operator, value=None):
        return make_segment(
            form_conditions=[{"field": field, "operator": operator, "value": value}]
        )

    assert _emails(rule("boats", "gte", 10)) == {"big@example.fi"}
    assert _emails(rule("boats", "lte", "3")) == {"small@example.fi"}
    assert _emails(rule("level", "eq", "silver")) == {"small@example.fi"}
    assert _emails(rule("boats", "empty")) == {"none@example.fi"}
    assert _emails(rule("boats", "filled")) == {"big@example.fi", "small@example.fi"}


def test_an_organisation_form_value_picks_its_contacts(
    fleet_form, make_person, make_organisation, make_segment
):
    contact = make_person("contact@example.fi")
    organisation = make_organisation("Laiva Oy", person=contact)
    organisation.extra = {"contract": "Premium support"}
    organisation.save()
    make_person("other@example.fi")

    segment = make_segment(
        form_conditions=[
            {"record": "organisation", "field": "contract", "value": "premium"}
        ]
    )

    assert _emails(segment) == {"contact@example.fi"}


def test_language_town_role_and_consent(make_person, make_organisation, make_segment):
    ceo = make_person("ceo@example.fi", language="sv")
    make_organisation("Åbo Ab", city="Turku", person=ceo, title="CEO")
    buyer = make_person("buyer@example.fi", language="sv", consent=False)
    make_organisation("Turun Osto Oy", city="turku", person=buyer, title="Buyer")
    make_person("finn@example.fi")

    assert _emails(make_segment(language="sv")) == {
        "ceo@example.fi",
        "buyer@example.fi",
    }
    assert _emails(make_segment(town="TURKU", role="ceo")) == {"ceo@example.fi"}
    assert _emails(make_segment(consent="missing")) == {"buyer@example.fi"}
    assert _emails(make_segment(consent="given", language="sv")) == {"ceo@example.fi"}


def test_archived_persons_and_other_companies_are_never_picked(
    make_person, make_segment, company_b
):
    make_person("archived@example.fi", is_archived=True)
    make_person("other@example.fi", company=company_b)
    make_person("here@example.fi")

    assert _emails(make_segment()) == {"here@example.fi"}


def test_a_bad_form_condition_is_refused_with_a_message(
    fleet_form, company_a, marketer
):
    with pytest.raises(ValidationError) as error:
        services.create_segment(
            company=company_a,
            user=marketer,
            data={
                "name": "Boats",
                "form_conditions": [
                    {"field": "boats", "operator": "gte", "value": "x"}
                ],
            },
        )

    assert "does not fit the field boats" in str(error.value.message_dict)
    with pytest.raises(ValidationError, match="no extra field colour"):
        services.create_segment(
            company=company_a,
            user=marketer,
            data={"name": "Colour", "form_conditions": [{"field": "colour"}]},
        )


def test_preview_shows_count_and_pages(client, marketer, make_person, make_segment):
    for number in range(55):
        make_person(f"person{number:02d}@example.fi", consent=number % 2 == 0)
    segment = make_segment()
    client.force_login(marketer)
    url = reverse("outreach_segment_preview", args=[segment.pk])

    first = client.get(url)
    second = client.get(url, {"p": 2})

    assert first.status_code == 200
    assert "55 persons, 28 with marketing consent." in first.content.decode()
    assert first.content.decode().count("@example.fi</td>") == 50
    assert second.content.decode().count("@example.fi</td>") == 5


def test_preview_refused_when_the_segment_uses_hidden_classifications(
    client, marketer, tree, make_person, make_segment
):
    tree["scheme"].view_groups.set([Group.objects.create(name="secret team")])
    make_person("footballer@example.fi").classifications.add(tree["football"])
    segment = make_segment(classifications=[tree["sports"]])
    client.force_login(marketer)

    preview = client.get(reverse("outreach_segment_preview", args=[segment.pk]))
    export = client.get(reverse("outreach_segment_export", args=[segment.pk, "csv"]))

    assert_refused(preview)
    assert_refused(export)
    assert b"footballer" not in preview.content + export.content


def test_a_segment_cannot_be_built_on_hidden_classifications(company_a, marketer, tree):
    tree["scheme"].view_groups.set([Group.objects.create(name="secret team")])

    with pytest.raises(ValidationError, match="schemes you can see"):
        services.create_segment(
            company=company_a,
            user=marketer,
            data={"name": "Sports", "classifications": [tree["sports"]]},
        )


def test_segment_form_offers_only_visible_classifications(client, marketer, tree):
    tree["scheme"].view_groups.set([Group.objects.create(name="secret team")])
    client.force_login(marketer)

    response = client.get(reverse("outreach_segment:add"))

    assert response.status_code == 200
    assert "Football" not in response.content.decode()


def test_preview_of_another_companys_segment_is_not_found(
    client, marketer, make_segment, company_b
):
    segment = make_segment(company=company_b)
    client.force_login(marketer)

    response = client.get(reverse("outreach_segment_preview", args=[segment.pk]))

    assert response.status_code == 404


def test_preview_needs_the_permission(client, make_user, company_a, make_segment):
    user = make_user("clerk", company_a, perms=("crm.view_person",))
    segment = make_segment()
    client.force_login(user)

    response = client.get(reverse("outreach_segment_preview", args=[segment.pk]))

    assert_refused(response)
