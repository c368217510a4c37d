"""The schema is generated from the registry: one registration is enough."""

from dataclasses import replace

from graphene.utils.str_converters import to_camel_case

from cms.api.naming import plural, singular, type_names
from cms.api.schema import build_schema, get_schema
from cms.api.types import ModelObjectType
from cms.registry import get_registration, registrations
from tests.sample.models import Gadget, GadgetPart


def test_every_registration_has_a_type_connection_lookup_and_mutations():
    graphql = get_schema().graphql_schema
    registered = [
        registration for registration in registrations() if registration.graphql
    ]
    names = type_names([registration.model for registration in registered])

    for registration in registered:
        name = names[registration.model]
        assert graphql.get_type(name) is not None, name
        assert plural(name) in graphql.query_type.fields, name
        assert singular(name) in graphql.query_type.fields, name
        for verb in ("create", "update", "delete"):
            assert f"{verb}{name}" in graphql.mutation_type.fields, name


def test_filters_come_from_the_registration():
    registration = get_registration(Gadget)
    arguments = get_schema().graphql_schema.query_type.fields["gadgets"].args

    for name in registration.list_filter:
        assert to_camel_case(name) in arguments
    for name in ("search", "orderBy", "first", "after", "last", "before"):
        assert name in arguments


def test_extra_graphql_filters_add_lookups():
    registration = get_registration(Gadget)
    original = registration.graphql_filters
    registration.graphql_filters = {"price": ["gte", "lte"]}
    try:
        schema = build_schema([registration])
    finally:
        registration.graphql_filters = original

    arguments = schema.graphql_schema.query_type.fields["gadgets"].args
    assert "price_Gte" in arguments
    assert "price_Lte" in arguments


def test_plural_field_names():
    assert plural("Gadget") == "gadgets"
    assert plural("Company") == "companies"
    assert plural("Address") == "addresses"
    assert plural("Day") == "days"
    assert singular("GadgetPart") == "gadgetPart"


def test_reverse_lists_are_named_like_the_related_list():
    graphql = get_schema().graphql_schema

    gadget_fields = graphql.get_type("Gadget").fields
    company_fields = graphql.get_type("Company").fields

    assert "parts" in gadget_fields
    assert "gadgets" in company_fields
    assert "gadgetParts" in company_fields
    assert "gadgetSet" not in company_fields


def test_a_modules_own_type_is_used_and_still_scoped(
    rf, reader, company_a, company_b, make_gadget
):
    class HandWrittenPart(ModelObjectType):
        class Meta:
            model = GadgetPart
            fields = ("id", "name", "gadget")
            skip_registry = True

    foreign = make_gadget(company_b, "F-1")
    GadgetPart.objects.create(gadget=foreign, company=company_a, name="Odd link")
    GadgetPart.objects.create(gadget=foreign, company=company_b, name="Theirs")
    schema = build_schema(
        [
            get_registration(Gadget),
            replace(get_registration(GadgetPart), graphql_type=HandWrittenPart),
        ]
    )
    request = rf.post("/graphql/")
    request.user = reader

    names = schema.execute(
        "{ gadgetParts { edges { node { name } } } }", context_value=request
    )
    links = schema.execute(
        "{ gadgetParts { edges { node { gadget { code } } } } }",
        context_value=request,
    )

    assert names.data["gadgetParts"]["edges"] == [{"node": {"name": "Odd link"}}]
    assert "F-1" not in str(links.data)
