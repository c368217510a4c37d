"""Searching the whole customer register at once."""

from modules.crm.models import Organisation, Person
from modules.crm.selectors import search_register

SEARCH = "/admin/crm/search/"


def test_search_finds_organisations_persons_and_extra_values(
    seller, company_a, organisation, person
):
    Organisation.objects.create(
        company=company_a, name="Laivaus Oy", extra={"fleet": "Aurora tankers"}
    )
    Person.objects.create(company=company_a, last_name="Aurora", email="a@x.fi")

    hits = search_register(user=seller, query="aurora")

    found = {(hit.kind, str(hit.instance)) for hit in hits}
    assert found == {("organisation", "Laivaus Oy"), ("person", "Aurora")}


def test_search_never_shows_another_companys_records(seller, company_b, organisation):
    Organisation.objects.create(company=company_b, name="Asiakas Ab")

    hits = search_register(user=seller, query="asiakas")

    assert [hit.instance for hit in hits] == [organisation]


def test_search_skips_kinds_the_user_may_not_view(make_user, company_a, person):
    reader = make_user("reader", company_a, perms=("crm.view_organisation",))

    assert search_register(user=reader, query="aino") == []


def test_search_page_links_to_the_cards(client, seller, organisation, person):
    client.force_login(seller)

    response = client.get(SEARCH, {"q": "asiakas"})

    html = response.content.decode()
    assert response.status_code == 200
    assert f"/admin/crm/organisation/inspect/{organisation.pk}/" in html
    assert f"/admin/crm/person/inspect/{person.pk}/" in html


def test_search_page_needs_a_register_permission(client, make_user, company_a):
    client.force_login(make_user("outsider", company_a))

    response = client.get(SEARCH, {"q": "asiakas"})

    assert response.status_code in (302, 403)


def test_words_match_the_start_of_words_and_best_matches_come_first(
    seller, company_a, organisation
):
    Organisation.objects.create(
        company=company_a, name="Turun Satama Oy", city="Turku", industry="Satama"
    )

    prefix = search_register(user=seller, query="asiak")
    both = search_register(user=seller, query="satam tur")
    hostile = search_register(user=seller, query="'):* | !(")

    assert [hit.instance for hit in prefix] == [organisation]
    assert [str(hit.instance) for hit in both] == ["Turun Satama Oy"]
    assert hostile == []


def test_a_process_is_found_by_its_type_form_value(seller, company_a, make_type):
    from modules.crm.services import create_process

    process = create_process(
        company=company_a,
        user=seller,
        data={
            "process_type": make_type("meeting"),
            "title": "Kick-off",
            "extra": {"place": "Naantalin kylpylä"},
        },
    )

    hits = search_register(user=seller, query="kylpylä")

    assert [hit.instance for hit in hits] == [process]
