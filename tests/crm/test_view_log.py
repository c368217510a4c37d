"""Who viewed a person: admin card, GraphQL detail and the data export."""

from modules.crm.models import PersonViewEntry
from modules.crm.services import update_person
from tests.crm.test_permissions import GRAPHQL_PERMS


def test_viewing_the_card_and_graphql_detail_is_logged(
    client, make_user, company_a, person
):
    viewer = make_user("viewer", company_a, perms=GRAPHQL_PERMS)
    client.force_login(viewer)

    client.get(f"/admin/crm/person/inspect/{person.pk}/")
    client.post(
        "/graphql/",
        {"query": f'{{ person(id: "{person.pk}") {{ lastName }} }}'},
        content_type="application/json",
    )
    client.post(
        "/graphql/",
        {"query": "{ persons { edges { node { lastName } } } }"},
        content_type="application/json",
    )

    entries = PersonViewEntry.objects.order_by("pk")
    assert [(entry.user, entry.channel) for entry in entries] == [
        (viewer, "admin"),
        (viewer, "graphql"),
    ]


def test_the_card_and_the_export_show_who_viewed_and_changed(client, seller, person):
    update_person(instance=person, user=seller, data={"phone": "040 123 4567"})
    client.force_login(seller)

    card = client.get(f"/admin/crm/person/inspect/{person.pk}/").content.decode()
    export = client.get(f"/admin/crm/personal-data/{person.pk}/").json()

    viewed = card.split("data-crm-viewed-log")[1]
    changed = card.split("data-crm-changed-log")[1]
    assert "seller" in viewed
    assert "seller" in changed
    assert export["viewed"][0]["who"] == "seller"
    assert export["changed"][0]["action"] == "update"
