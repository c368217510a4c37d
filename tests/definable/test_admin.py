"""Defining extra forms in the Wagtail admin, and downloading their files."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from cms.definable import api
from cms.definable.forms import ChoiceListFormField
from cms.definable.models import DefinableField, DefinableForm, FieldType
from tests.definable.conftest import add_field
from tests.sample.models import Gadget, GadgetPart

FIELD_DEFAULTS = {
    "id": "",
    "key": "",
    "field_type": "text",
    "label_fi": "",
    "label_sv": "",
    "label_en": "",
    "help_text_fi": "",
    "help_text_sv": "",
    "help_text_en": "",
    "choices": "",
    "min_value": "",
    "max_value": "",
    "target_content_type": "",
    "ORDER": "",
    "DELETE": "",
}


def form_data(content_type, fields, *, initial=0, **values) -> dict:
    """Return the POST data of the extra form editor with inline fields."""
    data = {
        "name_fi": "Kalustotiedot",
        "name_sv": "",
        "name_en": "Fleet details",
        "content_type": getattr(content_type, "pk", content_type),
        "company": "",
        "active": "on",
        "order": "0",
        "fields-TOTAL_FORMS": str(len(fields)),
        "fields-INITIAL_FORMS": str(initial),
        "fields-MIN_NUM_FORMS": "0",
        "fields-MAX_NUM_FORMS": "1000",
        **values,
    }
    for index, field in enumerate(fields):
        for name, value in {**FIELD_DEFAULTS, "ORDER": str(index + 1), **field}.items():
            if name == "required" and not value:
                continue
            data[f"fields-{index}-{name}"] = value
    return data


def edit_data(form, changes=None, **values) -> dict:
    """Return POST data for editing `form`, with `changes` per field key."""
    changes = changes or {}
    fields = []
    for field in form.fields.all():
        fields.append(
            {
                "id": field.pk,
                "key": field.key,
                "field_type": field.field_type,
                "label_fi": field.label_fi,
                "label_en": field.label_en,
                "required": "on" if field.required else "",
                "choices": ChoiceListFormField().prepare_value(field.choices),
                "min_value": "" if field.min_value is None else field.min_value,
                "max_value": "" if field.max_value is None else field.max_value,
                "target_content_type": field.target_content_type_id or "",
                **changes.get(field.key, {}),
            }
        )
    values.setdefault("name_en", form.name_en)
    content_type = values.pop("content_type", form.content_type)
    return form_data(content_type, fields, initial=len(fields), **values)


def error_text(response) -> str:
    return response.content.decode()


def in_english(user):
    """Make the admin speak English to `user`, whose messages the tests read."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(in_english(superuser))
    return client


ADD_URL = "/admin/definable_forms/new/"


def edit_url(form):
    return f"/admin/definable_forms/edit/{form.pk}/"


def test_superuser_creates_a_form_with_inline_fields(admin_client, gadget_type):
    data = form_data(
        gadget_type,
        [
            {"key": "fleet_size", "field_type": "number", "label_fi": "Kalusto"},
            {
                "key": "fuel",
                "field_type": "choice",
                "label_en": "Fuel",
                "required": "on",
                "choices": "diesel | Diesel\nev | Sähkö | El | Electric",
            },
        ],
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302
    form = DefinableForm.objects.get(name_en="Fleet details")
    assert [(f.key, f.field_type, f.required) for f in form.fields.all()] == [
        ("fleet_size", "number", False),
        ("fuel", "choice", True),
    ]
    assert form.fields.get(key="fuel").choices == [
        {"value": "diesel", "fi": "Diesel", "sv": "", "en": ""},
        {
            "value": "ev",
            "fi": "Sähkö",
            "sv": "El",
            "en": "Electric",
        },
    ]
    with translation.override("fi"):
        assert api.form_fields(Gadget)["extra__fuel"].label == "Fuel"
        assert api.form_fields(Gadget)["extra__fleet_size"].label == "Kalusto"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            [{"key": "size"}, {"key": "size"}],
            "Another field of this form uses this key.",
        ),
        ([{"key": "Size!"}], "Use lower-case letters a-z"),
        (
            [{"key": "fuel", "field_type": "choice"}],
            "A choice field needs at least one choice.",
        ),
        (
            [{"key": "fuel", "field_type": "choice", "choices": "a b | A"}],
            "Line 1: start with a value of letters, digits, - or _.",
        ),
        (
            [{"key": "owner", "field_type": "link"}],
            "Choose the kind of record the link points to.",
        ),
        (
            [{"key": "size", "field_type": "number", "min_value": 5, "max_value": 1}],
            "The maximum is smaller than the minimum.",
        ),
    ],
)
def test_bad_definitions_are_refused(admin_client, gadget_type, fields, message):
    with translation.override("en"):
        response = admin_client.post(ADD_URL, form_data(gadget_type, fields))

    assert response.status_code == 200
    assert message in error_text(response)
    assert not DefinableForm.objects.filter(name_en="Fleet details").exists()


def test_a_key_is_unique_across_the_forms_of_a_model(admin_client, service_form):
    data = form_data(service_form.content_type, [{"key": "colour"}])

    with translation.override("en"):
        response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert "The form Service contract already uses this key." in error_text(response)


def test_a_form_needs_a_name(admin_client, gadget_type):
    data = form_data(gadget_type, [], name_fi="", name_en="")

    with translation.override("en"):
        response = admin_client.post(ADD_URL, data)

    assert "Give the form a name in at least one language." in error_text(response)


def test_only_definable_models_can_get_forms(admin_client, gadget_type):
    part_type = ContentType.objects.get_for_model(GadgetPart)

    response = admin_client.post(ADD_URL, form_data(part_type, [{"key": "size"}]))

    assert response.status_code == 200
    assert not DefinableForm.objects.filter(content_type=part_type).exists()


def test_relabelling_reordering_and_relaxing_keeps_values(
    admin_client, service_form, make_gadget
):
    gadget = make_gadget(note="Checked", weight="12.5")
    data = edit_data(
        service_form,
        {
            "note": {"label_en": "Remark", "required": "", "ORDER": "20"},
            "weight": {"label_en": "Mass", "ORDER": "0"},
        },
    )

    response = admin_client.post(edit_url(service_form), data)

    assert response.status_code == 302
    gadget.refresh_from_db()
    with translation.override("en"):
        shown = api.display_values(gadget)
    assert shown[0] == ("Mass", "12.5")
    assert shown[-1] == ("Remark", "Checked")
    assert api.clean_values(Gadget, {}, existing=gadget.extra) == {}


def test_removing_a_field_hides_it_and_keeps_the_value(
    admin_client, service_form, make_gadget
):
    gadget = make_gadget(note="Checked", colour="red")
    data = edit_data(service_form, {"colour": {"DELETE": "on"}})

    response = admin_client.post(edit_url(service_form), data)

    assert response.status_code == 302
    gadget.refresh_from_db()
    assert gadget.extra == {"note": "Checked", "colour": "red"}
    assert "colour" not in api.extra_values(gadget)
    assert "extra__colour" not in api.form_fields(Gadget, instance=gadget)
    assert api.clean_values(Gadget, {"note": "x"}, existing=gadget.extra) == {
        "note": "x",
        "colour": "red",
    }


def test_adding_a_field_later_works_on_old_records(
    admin_client, service_form, make_gadget
):
    gadget = make_gadget(note="Checked")
    data = edit_data(service_form)
    index = service_form.fields.count()
    data["fields-TOTAL_FORMS"] = str(index + 1)
    for name, value in {**FIELD_DEFAULTS, "key": "serial", "ORDER": "99"}.items():
        data[f"fields-{index}-{name}"] = value

    response = admin_client.post(edit_url(service_form), data)

    assert response.status_code == 302
    extra = api.clean_values(
        Gadget, {"serial": "S-1"}, existing=gadget.extra, partial=True
    )
    assert extra == {"note": "Checked", "serial": "S-1"}


def test_a_key_with_values_cannot_be_renamed(admin_client, service_form, make_gadget):
    make_gadget(note="x", colour="red")

    with translation.override("en"):
        response = admin_client.post(
            edit_url(service_form), edit_data(service_form, {"colour": {"key": "hue"}})
        )

    assert response.status_code == 200
    assert "Records have values under the key colour" in error_text(response)
    assert service_form.fields.filter(key="colour").exists()


def test_a_key_without_values_can_be_renamed(admin_client, service_form):
    response = admin_client.post(
        edit_url(service_form), edit_data(service_form, {"colour": {"key": "hue"}})
    )

    assert response.status_code == 302
    assert service_form.fields.filter(key="hue").exists()


def test_a_type_that_does_not_fit_saved_values_is_refused(
    admin_client, service_form, make_gadget
):
    make_gadget(note="x", weight="12.5", delivered="2025-01-01")
    data = edit_data(
        service_form,
        {"weight": {"field_type": "money"}, "delivered": {"field_type": "number"}},
    )

    with translation.override("en"):
        response = admin_client.post(edit_url(service_form), data)

    assert response.status_code == 200
    assert "Values saved under the key delivered are not of this type" in error_text(
        response
    )
    assert "key weight are not" not in error_text(response)


def test_a_compatible_type_change_keeps_values(admin_client, service_form, make_gadget):
    gadget = make_gadget(note="x", weight="12.5")

    response = admin_client.post(
        edit_url(service_form),
        edit_data(service_form, {"weight": {"field_type": "money"}}),
    )

    assert response.status_code == 302
    with translation.override("fi"):
        assert dict(api.display_values(gadget))["Weight (fi)"] == "12,50"


def test_a_reused_key_must_fit_the_old_values(admin_client, service_form, make_gadget):
    make_gadget(note="x", retired_date="2020-05-01")
    data = form_data(
        service_form.content_type, [{"key": "retired_date", "field_type": "number"}]
    )

    with translation.override("en"):
        response = admin_client.post(ADD_URL, data)

    assert "Values saved under the key retired_date are not of this type" in (
        error_text(response)
    )


def test_a_form_with_values_is_not_moved_to_another_model(
    admin_client, service_form, make_gadget, monkeypatch
):
    from cms.registry import get_registration

    monkeypatch.setattr(get_registration(GadgetPart), "definable_forms", True)
    make_gadget(note="x")
    part_type = ContentType.objects.get_for_model(GadgetPart)

    with translation.override("en"):
        response = admin_client.post(
            edit_url(service_form), edit_data(service_form, content_type=part_type.pk)
        )

    assert response.status_code == 200
    assert "cannot be attached to another kind of record" in error_text(response)


def test_user_without_permission_is_refused(client, make_user, company_a, gadget_type):
    client.force_login(make_user("clerk", company_a))

    listing = client.get("/admin/definable_forms/")
    adding = client.post(ADD_URL, form_data(gadget_type, [{"key": "size"}]))

    assert listing.status_code in (302, 403)
    assert adding.status_code in (302, 403)
    assert not DefinableForm.objects.exists()


def test_company_forms_are_seen_only_by_that_companys_users(
    client, make_user, company_a, company_b, gadget_type
):
    perms = (
        "definable.add_definableform",
        "definable.change_definableform",
        "definable.view_definableform",
    )
    own = DefinableForm.objects.create(
        name_en="Beta only", content_type=gadget_type, company=company_b
    )
    shared = DefinableForm.objects.create(name_en="Everyone", content_type=gadget_type)
    client.force_login(make_user("admin_a", company_a, perms=perms))

    listing = client.get("/admin/definable_forms/")
    editing = client.get(edit_url(own))
    shared_edit = client.get(edit_url(shared))
    adding = client.get(ADD_URL)

    assert listing.status_code == 200
    assert "Everyone" in listing.content.decode()
    assert "Beta only" not in listing.content.decode()
    assert editing.status_code == 404
    assert shared_edit.status_code == 200
    assert "Beta Ab" not in adding.content.decode()
    assert "Alfa Oy" in adding.content.decode()


@pytest.fixture
def stored_manual(service_form, make_gadget, media):
    upload = SimpleUploadedFile("manual.pdf", b"%PDF secret", "application/pdf")
    extra = api.clean_values(Gadget, {"note": "x", "manual": upload})
    return make_gadget(**extra)


def test_file_is_downloaded_by_a_user_of_the_company(client, make_user, stored_manual):
    user = make_user("clerk", stored_manual.company, perms=("sample.view_gadget",))
    client.force_login(user)

    response = client.get(api.extra_values(stored_manual)["manual"]["url"])

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF secret"
    assert 'filename="manual.pdf"' in response["Content-Disposition"]


def test_file_is_refused_to_other_companies_and_unpermitted_users(
    client, make_user, stored_manual, company_b
):
    url = reverse(
        "definable_file", args=["sample", "gadget", stored_manual.pk, "manual"]
    )
    stranger = make_user("stranger", company_b, perms=("sample.view_gadget",))
    colleague = make_user("colleague", stored_manual.company)

    anonymous = client.get(url)
    client.force_login(stranger)
    other_company = client.get(url)
    client.force_login(colleague)
    no_permission = client.get(url)

    assert anonymous.status_code == 302
    assert other_company.status_code == 404
    assert no_permission.status_code in (302, 403)
    assert b"PDF" not in no_permission.content
    assert default_storage.exists(stored_manual.extra["manual"])


def test_only_file_fields_are_served(client, superuser, stored_manual):
    client.force_login(superuser)
    url = reverse("definable_file", args=["sample", "gadget", stored_manual.pk, "note"])

    response = client.get(url)

    assert response.status_code == 404


def test_field_rules_apply_outside_the_admin_too(service_form):
    field = DefinableField(form=service_form, key="kind", field_type=FieldType.CHOICE)

    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            field.full_clean()
        errors = caught.value.message_dict

    assert errors == {"choices": ["A choice field needs at least one choice."]}


def test_a_new_field_is_shown_on_existing_forms(service_form, make_gadget):
    gadget = make_gadget(note="x")
    add_field(service_form, "serial", FieldType.TEXT)

    assert "extra__serial" in api.form_fields(Gadget, instance=gadget)
