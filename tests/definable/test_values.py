"""Validating and storing extra values: every type, good and bad input."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from cms.definable import api
from tests.sample.models import Gadget


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_every_type_is_stored_as_json(service_form, make_gadget):
    twin = make_gadget()
    raw = {
        "note": "  Serviced   yearly ",
        "description": "First line\nSecond line",
        "weight": Decimal("12.500"),
        "deposit": "1 234,5",
        "delivered": datetime.date(2025, 3, 31),
        "insured": True,
        "colour": "blue",
        "features": ["solar", "wifi"],
        "twin": twin,
    }

    extra = api.clean_values(Gadget, raw)

    assert extra == {
        "note": "Serviced yearly",
        "description": "First line\nSecond line",
        "weight": "12.5",
        "deposit": "1234.50",
        "delivered": "2025-03-31",
        "insured": True,
        "colour": "blue",
        "features": ["wifi", "solar"],
        "twin": twin.pk,
    }


def test_json_input_is_accepted_as_well(service_form, make_gadget):
    twin = make_gadget()

    extra = api.clean_values(
        Gadget,
        {
            "note": "x",
            "weight": 7,
            "deposit": "99.9",
            "delivered": "31.12.2025",
            "insured": False,
            "features": "gps",
            "twin": str(twin.pk),
        },
    )

    assert extra["weight"] == "7"
    assert extra["deposit"] == "99.90"
    assert extra["delivered"] == "2025-12-31"
    assert extra["insured"] is False
    assert extra["features"] == ["gps"]
    assert extra["twin"] == twin.pk


def test_bad_values_get_a_message_per_field(service_form):
    raw = {
        "note": "ok",
        "weight": "heavy",
        "deposit": "10.005",
        "delivered": "2025-02-30",
        "insured": "perhaps",
        "colour": "green",
        "features": ["wifi", "laser"],
        "twin": 999999,
    }

    with translation.override("en"):
        errors = errors_of(lambda: api.clean_values(Gadget, raw))

    assert errors == {
        "weight": ["Enter a number, e.g. 12,5."],
        "deposit": ["Enter an amount with at most two decimals."],
        "delivered": ["Enter a date, e.g. 31.12.2025."],
        "insured": ["Answer yes or no."],
        "colour": ["green is not one of the choices."],
        "features": ["laser is not one of the choices."],
        "twin": ["Choose an existing gadget that you have access to."],
    }


def test_number_limits_are_enforced(service_form):
    with translation.override("en"):
        low = errors_of(lambda: api.clean_values(Gadget, {"note": "x", "weight": -1}))
        high = errors_of(
            lambda: api.clean_values(Gadget, {"note": "x", "weight": "1000,5"})
        )
        huge = errors_of(
            lambda: api.clean_values(Gadget, {"note": "x", "deposit": "1e20"})
        )

    assert low == {"weight": ["Enter at least 0."]}
    assert high == {"weight": ["Enter at most 1,000."]}
    assert huge == {"deposit": ["The number is too large."]}


def test_text_longer_than_the_limit_is_refused(service_form):
    with translation.override("en"):
        errors = errors_of(lambda: api.clean_values(Gadget, {"note": "x" * 1001}))

    assert errors == {"note": ["Enter at most 1000 characters."]}


def test_required_field_must_be_given(service_form):
    with translation.override("en"):
        errors = errors_of(lambda: api.clean_values(Gadget, {"note": "   "}))

    assert errors == {"note": ["This field is required."]}


def test_messages_are_translated(service_form):
    with translation.override("fi"):
        errors = errors_of(lambda: api.clean_values(Gadget, {"weight": "x"}))

    assert errors["note"] == ["Tämä kenttä on pakollinen."]
    assert errors["weight"] == ["Anna luku, esim. 12,5."]


def test_unknown_keys_are_refused_unless_unchanged(service_form):
    existing = {"note": "x", "old_field": "kept"}

    kept = api.clean_values(Gadget, dict(existing), existing=existing)
    with translation.override("en"):
        errors = errors_of(
            lambda: api.clean_values(Gadget, {"note": "x", "colur": "red"})
        )

    assert kept == existing
    assert errors == {"colur": ["There is no extra field colur."]}


def test_values_of_removed_fields_are_kept(service_form):
    existing = {"note": "old", "retired_field": "2019 value", "weight": "5"}

    extra = api.clean_values(Gadget, {"note": "new"}, existing=existing)

    assert extra == {"note": "new", "retired_field": "2019 value"}


def test_partial_input_keeps_the_other_values(service_form):
    existing = {"note": "old", "weight": "5", "colour": "red"}

    extra = api.clean_values(Gadget, {"weight": "6"}, existing=existing, partial=True)

    assert extra == {"note": "old", "weight": "6", "colour": "red"}


def test_partial_input_still_needs_required_values(service_form):
    with translation.override("en"):
        errors = errors_of(
            lambda: api.clean_values(Gadget, {"weight": "6"}, existing={}, partial=True)
        )

    assert errors == {"note": ["This field is required."]}


def test_removed_choice_stays_on_records_that_have_it(service_form):
    existing = {"note": "x", "colour": "green", "features": ["laser"]}

    extra = api.clean_values(
        Gadget,
        {"note": "x", "colour": "green", "features": ["laser", "gps"]},
        existing=existing,
    )

    assert extra["colour"] == "green"
    assert extra["features"] == ["gps", "laser"]


def test_links_reach_only_the_users_companies(
    service_form, make_gadget, make_user, company_a, company_b
):
    own = make_gadget(company=company_a)
    foreign = make_gadget(company=company_b)
    user = make_user("clerk", company_a)

    extra = api.clean_values(
        Gadget, {"note": "x", "twin": own.pk}, company=company_a, user=user
    )
    with translation.override("en"):
        errors = errors_of(
            lambda: api.clean_values(
                Gadget, {"note": "x", "twin": foreign.pk}, user=user
            )
        )

    assert extra["twin"] == own.pk
    assert errors == {"twin": ["Choose an existing gadget that you have access to."]}


def test_links_stay_within_the_records_company(
    service_form, make_gadget, make_user, company_a, company_b
):
    other = make_gadget(company=company_b)
    user = make_user("group_accountant", company_a, company_b)

    with translation.override("en"):
        errors = errors_of(
            lambda: api.clean_values(
                Gadget, {"note": "x", "twin": other.pk}, company=company_a, user=user
            )
        )

    assert list(errors) == ["twin"]


def test_uploaded_file_is_stored_under_definable(service_form, media):
    upload = SimpleUploadedFile("manual.pdf", b"%PDF-1.4 manual", "application/pdf")

    extra = api.clean_values(Gadget, {"note": "x", "manual": upload})

    path = extra["manual"]
    assert path.startswith("definable/sample/gadget/")
    assert path.endswith("/manual.pdf")
    assert default_storage.open(path).read() == b"%PDF-1.4 manual"


def test_file_is_kept_unless_replaced_or_cleared(service_form, media):
    existing = {"note": "x", "manual": "definable/sample/gadget/abc/manual.pdf"}

    kept = api.clean_values(Gadget, {"note": "x"}, existing=existing)
    same = api.clean_values(
        Gadget, {"note": "x", "manual": existing["manual"]}, existing=existing
    )
    cleared = api.clean_values(
        Gadget, {"note": "x", "manual": False}, existing=existing
    )

    assert kept["manual"] == existing["manual"]
    assert same["manual"] == existing["manual"]
    assert "manual" not in cleared


def test_a_file_cannot_be_pointed_to_by_path(service_form, media):
    with translation.override("en"):
        errors = errors_of(
            lambda: api.clean_values(
                Gadget,
                {"note": "x", "manual": "definable/sample/gadget/other/secret.pdf"},
            )
        )

    assert errors == {
        "manual": ["Upload the file; a file cannot be given by its name."]
    }


def test_disallowed_file_type_is_refused(service_form, media):
    upload = SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")

    with translation.override("en"):
        errors = errors_of(
            lambda: api.clean_values(Gadget, {"note": "x", "manual": upload})
        )

    assert errors["manual"][0].startswith("Files of type exe are not allowed.")
    assert not (media / "definable").exists()


def test_no_file_is_stored_when_another_value_is_bad(service_form, media):
    upload = SimpleUploadedFile("manual.pdf", b"%PDF", "application/pdf")

    with pytest.raises(ValidationError):
        api.clean_values(Gadget, {"note": "x", "weight": "x", "manual": upload})

    assert not (media / "definable").exists()
