"""Filtering and searching gadgets by their extra values in PostgreSQL."""

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import translation
from wagtail.admin.filters import WagtailFilterSet

from cms.definable import api
from cms.definable.filters import ExtraFieldsFilterSetMixin
from tests.sample.models import Gadget


def codes(queryset) -> list[str]:
    return sorted(queryset.values_list("code", flat=True))


@pytest.fixture
def gadgets(service_form, make_gadget):
    """Three gadgets whose values sort differently as text and as numbers."""
    return [
        make_gadget(
            note="Blue pump for the north hall",
            weight="9",
            deposit="950.00",
            delivered="2025-01-15",
            insured=True,
            colour="blue",
            features=["wifi", "gps"],
        ),
        make_gadget(
            note="Spare pump",
            weight="10.5",
            deposit="1200.00",
            delivered="2025-11-02",
            insured=False,
            colour="red",
            features=["solar"],
        ),
        make_gadget(note="Heater", weight="100", deposit="80.00"),
    ]


def test_number_range_compares_numbers_not_text(gadgets):
    queryset = api.filter_queryset(Gadget.objects.all(), "weight", {"min": "9,5"})

    assert codes(queryset) == ["G002", "G003"]


def test_number_range_with_both_ends(gadgets):
    queryset = api.filter_queryset(
        Gadget.objects.all(), "weight", {"min": 9, "max": "10.5"}
    )

    assert codes(queryset) == ["G001", "G002"]


def test_money_equality_ignores_how_the_amount_is_written(gadgets):
    queryset = api.filter_queryset(Gadget.objects.all(), "deposit", "1 200")

    assert codes(queryset) == ["G002"]


def test_money_range(gadgets):
    queryset = api.filter_queryset(Gadget.objects.all(), "deposit", {"max": "950"})

    assert codes(queryset) == ["G001", "G003"]


def test_date_range_accepts_finnish_dates(gadgets):
    queryset = api.filter_queryset(
        Gadget.objects.all(), "delivered", {"min": "1.2.2025", "max": "2025-12-31"}
    )

    assert codes(queryset) == ["G002"]


def test_choice_and_multi_choice_filters(gadgets):
    red = api.filter_queryset(Gadget.objects.all(), "colour", "red")
    any_of = api.filter_queryset(Gadget.objects.all(), "features", ["gps", "solar"])
    wifi = api.filter_queryset(Gadget.objects.all(), "features", "wifi")

    assert codes(red) == ["G002"]
    assert codes(any_of) == ["G001", "G002"]
    assert codes(wifi) == ["G001"]


def test_no_matches_records_never_answered(gadgets):
    yes = api.filter_queryset(Gadget.objects.all(), "insured", True)
    no = api.filter_queryset(Gadget.objects.all(), "insured", "ei")

    assert codes(yes) == ["G001"]
    assert codes(no) == ["G002", "G003"]


def test_none_matches_records_without_a_value(gadgets):
    queryset = api.filter_queryset(Gadget.objects.all(), "colour", None)

    assert codes(queryset) == ["G003"]


def test_text_filter_matches_part_of_the_text(gadgets):
    queryset = api.filter_queryset(Gadget.objects.all(), "note", "PUMP")

    assert codes(queryset) == ["G001", "G002"]


def test_unknown_key_and_bad_value_are_reported(gadgets):
    with translation.override("en"), pytest.raises(ValidationError) as unknown:
        api.filter_queryset(Gadget.objects.all(), "colur", "red")
    with translation.override("en"), pytest.raises(ValidationError) as bad:
        api.filter_queryset(Gadget.objects.all(), "weight", {"min": "lots"})

    assert unknown.value.message_dict == {"colur": ["There is no extra field colur."]}
    assert bad.value.message_dict == {"weight": ["This is not a valid filter value."]}


def test_graphql_filter_joins_conditions(gadgets):
    queryset = api.filter_extra(
        Gadget.objects.all(), {"note": "pump", "weight": {"min": 10}}
    )

    assert codes(queryset) == ["G002"]


def test_graphql_filter_reports_every_bad_key(gadgets):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        api.filter_extra(Gadget.objects.all(), {"nope": 1, "delivered": "soon"})

    assert set(caught.value.message_dict) == {"nope", "delivered"}


def test_search_finds_text_choice_labels_numbers_and_dates(gadgets):
    def search(term):
        return codes(Gadget.objects.filter(api.search_q(Gadget, term)))

    assert search("north hall") == ["G001"]
    assert search("Punainen") == ["G002"]
    assert search("aurinko") == ["G002"]
    assert search("1200") == ["G002"]
    assert search("15.1.2025") == ["G001"]
    assert search("nothing like this") == []


def test_search_combines_with_the_models_own_search(gadgets):
    queryset = Gadget.objects.filter(
        api.search_q(Gadget, "Heater") | api.search_q(Gadget, "Spare")
    )

    assert codes(queryset) == ["G002", "G003"]


def test_filter_specs_describe_the_filterable_fields(service_form):
    with translation.override("sv"):
        specs = {spec.key: spec for spec in api.list_filter_specs(Gadget)}

    assert {key: spec.kind for key, spec in specs.items()} == {
        "weight": "number_range",
        "deposit": "number_range",
        "delivered": "date_range",
        "insured": "boolean",
        "colour": "choice",
        "features": "multi_choice",
    }
    assert specs["colour"].choices == [("red", "Röd"), ("blue", "Blå")]
    assert specs["colour"].label == "Colour (sv)"


class GadgetFilterSet(ExtraFieldsFilterSetMixin, WagtailFilterSet):
    class Meta:
        model = Gadget
        fields = ["active"]


def test_list_view_filter_set_gets_the_extra_filters(gadgets, make_user, company_a):
    request = RequestFactory().get("/")
    request.user = make_user("clerk", company_a)
    request.session = {}
    data = QueryDict(
        "extra__weight_min=9.5&extra__colour=red&extra__delivered_after=2025-06-01"
    )

    filterset = GadgetFilterSet(data, Gadget.objects.all(), request=request)

    assert "extra__features" in filterset.form.fields
    assert codes(filterset.qs) == ["G002"]


def test_empty_filters_leave_the_list_alone(gadgets):
    filterset = GadgetFilterSet(QueryDict("extra__weight_min="), Gadget.objects.all())

    assert codes(filterset.qs) == ["G001", "G002", "G003"]
