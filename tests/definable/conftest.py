"""Fixtures: an extra form on the sample Gadget with a field of every type."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from cms.definable.models import DefinableField, DefinableForm, FieldType
from tests.sample.models import Gadget

COLOURS = [
    {"value": "red", "fi": "Punainen", "sv": "Röd", "en": "Red"},
    {"value": "blue", "fi": "Sininen", "sv": "Blå", "en": "Blue"},
]
FEATURES = [
    {"value": "wifi", "fi": "Langaton verkko", "sv": "Trådlöst nät", "en": "Wi-Fi"},
    {"value": "gps", "fi": "Paikannus", "sv": "Positionering", "en": "GPS"},
    {"value": "solar", "fi": "Aurinkopaneeli", "sv": "Solpanel", "en": "Solar panel"},
]


def add_field(form, key, field_type, **options):
    """Add a field to `form` with Finnish, Swedish and English labels."""
    label = options.pop("label", key.replace("_", " ").capitalize())
    options.setdefault("label_fi", f"{label} (fi)")
    options.setdefault("label_sv", f"{label} (sv)")
    options.setdefault("label_en", label)
    return DefinableField.objects.create(
        form=form,
        key=key,
        field_type=field_type,
        sort_order=form.fields.count(),
        **options,
    )


@pytest.fixture
def gadget_type(db):
    return ContentType.objects.get_for_model(Gadget)


@pytest.fixture
def service_form(gadget_type):
    """A "Service contract" form on gadgets with one field of every type."""
    form = DefinableForm.objects.create(
        name_fi="Huoltosopimus",
        name_sv="Serviceavtal",
        name_en="Service contract",
        content_type=gadget_type,
    )
    add_field(form, "note", FieldType.TEXT, required=True, label="Note")
    add_field(form, "description", FieldType.LONG_TEXT)
    add_field(form, "weight", FieldType.NUMBER, min_value=0, max_value=1000)
    add_field(form, "deposit", FieldType.MONEY)
    add_field(form, "delivered", FieldType.DATE)
    add_field(form, "insured", FieldType.BOOLEAN)
    add_field(form, "colour", FieldType.CHOICE, choices=COLOURS)
    add_field(form, "features", FieldType.MULTI_CHOICE, choices=FEATURES)
    add_field(form, "twin", FieldType.LINK, target_content_type=gadget_type)
    add_field(form, "manual", FieldType.FILE)
    return form


@pytest.fixture
def make_gadget(company_a):
    """Return a factory for gadgets, in company A unless told otherwise."""
    counter = iter(range(1, 1000))

    def make(company=None, **extra):
        number = next(counter)
        return Gadget.objects.create(
            company=company or company_a,
            code=f"G{number:03d}",
            name=f"Gadget {number}",
            extra=extra,
        )

    return make


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        username="root", password="pw-root", email="root@example.com"
    )


@pytest.fixture
def media(settings, tmp_path):
    """Keep uploaded files in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
