"""Extra fields inside a record's admin form, inspect view and API output."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.core import checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import translation
from wagtail.admin.panels import FieldPanel, ObjectList, TabbedInterface
from wagtail.admin.widgets import AdminDateInput

from cms.definable import api
from cms.definable.checks import check_definable_models
from cms.definable.models import DefinableForm, FieldType, extra_index
from cms.definable.panels import with_extra_fields
from cms.registry import get_registration
from tests.definable.conftest import add_field
from tests.sample.models import Gadget, GadgetPart


def test_form_fields_speak_the_active_language(service_form):
    add_field(
        service_form,
        "serial",
        FieldType.TEXT,
        help_text_fi="Laitteen kyljestä",
        help_text_en="From the side of the device",
    )

    with translation.override("fi"):
        fields = api.form_fields(Gadget)

    assert fields["extra__note"].label == "Note (fi)"
    assert fields["extra__serial"].help_text == "Laitteen kyljestä"
    assert fields["extra__colour"].choices == [
        ("", "---------"),
        ("red", "Punainen"),
        ("blue", "Sininen"),
    ]


def test_form_fields_have_fitting_widgets_and_flags(service_form):
    fields = api.form_fields(Gadget)

    assert list(fields) == [
        "extra__note",
        "extra__description",
        "extra__weight",
        "extra__deposit",
        "extra__delivered",
        "extra__insured",
        "extra__colour",
        "extra__features",
        "extra__twin",
        "extra__manual",
    ]
    assert fields["extra__note"].required
    assert not fields["extra__weight"].required
    assert isinstance(fields["extra__description"].widget, forms.Textarea)
    assert fields["extra__deposit"].decimal_places == 2
    assert fields["extra__weight"].max_value == 1000
    assert isinstance(fields["extra__delivered"].widget, AdminDateInput)
    assert isinstance(fields["extra__insured"].widget, forms.CheckboxInput)
    assert isinstance(fields["extra__colour"].widget, forms.Select)
    assert isinstance(fields["extra__features"].widget, forms.CheckboxSelectMultiple)
    assert isinstance(fields["extra__twin"], forms.ModelChoiceField)
    assert isinstance(fields["extra__manual"].widget, forms.ClearableFileInput)


def test_form_fields_start_from_the_stored_values(service_form, make_gadget):
    gadget = make_gadget(
        weight="12.5",
        delivered="2025-03-31",
        features=["gps"],
        manual="definable/x/m.pdf",
    )

    fields = api.form_fields(Gadget, instance=gadget)

    assert fields["extra__weight"].initial == Decimal("12.5")
    assert fields["extra__delivered"].initial == datetime.date(2025, 3, 31)
    assert fields["extra__features"].initial == ["gps"]
    assert str(fields["extra__manual"].initial) == "m.pdf"
    assert fields["extra__manual"].initial.url.endswith(f"/{gadget.pk}/manual/")


def test_link_choices_are_the_users_companies_records(
    service_form, make_gadget, make_user, company_a, company_b
):
    own = make_gadget(company=company_a)
    make_gadget(company=company_b)
    user = make_user("clerk", company_a)

    field = api.form_fields(Gadget, company=company_a, user=user)["extra__twin"]

    assert list(field.queryset) == [own]


def test_company_forms_apply_only_to_their_company(
    service_form, gadget_type, company_a, company_b
):
    beta = DefinableForm.objects.create(
        name_en="Beta", content_type=gadget_type, company=company_b
    )
    add_field(beta, "beta_code", FieldType.TEXT)

    keys_a = [field.key for field in api.fields_for(Gadget, company=company_a)]
    keys_b = [field.key for field in api.fields_for(Gadget, company=company_b)]

    assert "beta_code" not in keys_a
    assert keys_b[-1] == "beta_code"


def test_inactive_forms_are_hidden_but_keep_values(service_form, make_gadget):
    gadget = make_gadget(note="Kept")
    service_form.active = False
    service_form.save()

    assert api.form_fields(Gadget, instance=gadget) == {}
    assert api.clean_values(Gadget, {}, existing=gadget.extra) == {"note": "Kept"}


def test_inspect_view_shows_values_in_finnish(service_form, make_gadget):
    twin = make_gadget()
    gadget = make_gadget(
        note="Checked",
        deposit="1200.00",
        weight="12.5",
        delivered="2025-12-31",
        insured=True,
        colour="blue",
        features=["wifi", "gps"],
        twin=twin.pk,
        manual="definable/sample/gadget/abc/manual.pdf",
    )

    with translation.override("fi"):
        shown = dict(api.display_values(gadget))

    assert shown["Note (fi)"] == "Checked"
    assert shown["Description (fi)"] == ""
    assert shown["Deposit (fi)"] == "1\u00a0200,00"
    assert shown["Weight (fi)"] == "12,5"
    assert shown["Delivered (fi)"] == "31.12.2025"
    assert shown["Insured (fi)"] == "Kyllä"
    assert shown["Colour (fi)"] == "Sininen"
    assert shown["Features (fi)"] == "Langaton verkko, Paikannus"
    assert shown["Twin (fi)"] == str(twin)
    assert f"/{gadget.pk}/manual/" in shown["Manual (fi)"]
    assert ">manual.pdf</a>" in shown["Manual (fi)"]


def test_inspect_view_groups_by_form_and_survives_odd_values(service_form, make_gadget):
    gadget = make_gadget(colour="green", twin=999999, weight="not a number")

    with translation.override("en"):
        groups = api.display_groups(gadget)

    name, rows = groups[0]
    shown = dict(rows)
    assert name == "Service contract"
    assert shown["Colour"] == "green"
    assert shown["Twin"] == "(deleted, #999999)"
    assert shown["Weight"] == "not a number"


def test_api_output_hides_removed_fields(service_form, make_gadget):
    gadget = make_gadget(note="x", retired="old", manual="definable/s/g/a/m.pdf")

    output = api.extra_values(gadget)

    assert "retired" not in output
    assert output["note"] == "x"
    assert output["weight"] is None
    assert output["manual"]["name"] == "m.pdf"


def test_field_schema_describes_fields_for_clients(service_form):
    with translation.override("en"):
        schema = {item["key"]: item for item in api.field_schema(Gadget)}

    assert schema["weight"]["min"] == "0"
    assert schema["weight"]["max"] == "1000"
    assert schema["note"]["required"] is True
    assert schema["colour"]["choices"][0] == {"value": "red", "label": "Red"}
    assert schema["twin"]["target"] == "sample.gadget"
    assert schema["note"]["form"] == "Service contract"


@pytest.fixture
def edit_request(make_user, company_a):
    request = RequestFactory().get("/")
    request.user = make_user("clerk", company_a)
    return request


def test_edit_handler_renders_each_extra_field_once(
    service_form, make_gadget, edit_request
):
    gadget = make_gadget(note="Checked")
    handler = with_extra_fields(
        ObjectList([FieldPanel("code"), FieldPanel("name")])
    ).bind_to_model(Gadget)
    form = handler.get_form_class()(instance=gadget, for_user=edit_request.user)

    with translation.override("en"):
        html = handler.get_bound_panel(
            instance=gadget, request=edit_request, form=form
        ).render_form_content()

    assert html.count('name="extra__note"') == 1
    assert html.count('name="extra__features"') == 3
    assert "Service contract" in html
    assert 'value="Checked"' in html


def test_edit_form_folds_answers_into_extra(service_form, make_gadget, media):
    gadget = make_gadget(note="Old", retired="kept")
    form_class = (
        with_extra_fields([FieldPanel("code"), FieldPanel("name")])
        .bind_to_model(Gadget)
        .get_form_class()
    )
    data = {
        "code": gadget.code,
        "name": gadget.name,
        "extra__note": "New",
        "extra__deposit": "12,5",
        "extra__features": ["gps"],
    }
    upload = SimpleUploadedFile("m.pdf", b"%PDF", "application/pdf")

    with translation.override("fi"):
        form = form_class(data, {"extra__manual": upload}, instance=gadget)
        valid = form.is_valid()

    assert valid, form.errors
    extra = form.cleaned_data["extra"]
    assert extra["note"] == "New"
    assert extra["deposit"] == "12.50"
    assert extra["features"] == ["gps"]
    assert extra["retired"] == "kept"
    assert extra["manual"].startswith("definable/sample/gadget/")
    assert form.instance.extra == extra


def test_edit_form_shows_errors_and_stores_no_file(service_form, make_gadget, media):
    gadget = make_gadget(note="Old")
    form_class = (
        with_extra_fields(TabbedInterface([ObjectList([FieldPanel("name")])]))
        .bind_to_model(Gadget)
        .get_form_class()
    )
    upload = SimpleUploadedFile("m.pdf", b"%PDF", "application/pdf")

    with translation.override("en"):
        form = form_class(
            {"name": "", "extra__note": "", "extra__weight": "2000"},
            {"extra__manual": upload},
            instance=gadget,
        )
        valid = form.is_valid()
        errors = {name: [str(m) for m in found] for name, found in form.errors.items()}

    assert not valid
    assert errors["extra__note"] == ["This field is required."]
    assert errors["extra__weight"] == [
        "Ensure this value is less than or equal to 1000."
    ]
    assert not (media / "definable").exists()


def test_check_warns_about_a_missing_index(monkeypatch):
    monkeypatch.setattr(Gadget._meta, "indexes", [])

    messages = check_definable_models()

    assert [(m.id, m.obj) for m in messages] == [("definable.W001", Gadget)]


def test_check_accepts_the_gin_index(monkeypatch):
    monkeypatch.setattr(Gadget._meta, "indexes", [extra_index("sample_gadget_extra")])

    assert check_definable_models() == []


def test_check_refuses_a_definable_model_without_extra(monkeypatch):
    monkeypatch.setattr(get_registration(GadgetPart), "definable_forms", True)

    messages = check_definable_models()

    errors = [m for m in messages if m.level >= checks.ERROR]
    assert [(m.id, m.obj) for m in errors] == [("definable.E001", GadgetPart)]


def test_only_definable_models_are_offered_for_forms(db):
    form_class = forms.modelform_factory(DefinableForm, fields=["content_type"])

    offered = {ct.model_class() for ct in form_class().fields["content_type"].queryset}

    assert Gadget in offered
    assert GadgetPart not in offered
