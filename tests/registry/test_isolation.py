"""Company isolation, proved for every registered model.

For each registration a row is made for company B; a user of company A with
every permission on the model must not list, read, change, delete, export
or import over it, in the admin or over GraphQL.
"""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cms.api.naming import plural, singular, type_names
from cms.models import ImportFile
from cms.registry import registrations
from modules.core.models import Company
from tests.registry.builders import build, marker

# Models without a company are shared reference data, readable by everyone
# and changed only by those with the model's permissions. Listing them here
# is a conscious decision for each one.
SHARED_MODELS = {
    "core.country",
    "core.currency",
    "core.exchangerate",
    "core.unit",
    "core.unitconversion",
    "definable.definableform",
    "invoicing.referencerate",
}

PLAIN_VALIDATORS = {"MaxLengthValidator", "ProhibitNullCharactersValidator"}

SCOPED = [
    registration
    for registration in registrations()
    if registration.company_field is not None and registration.model is not Company
]


def _url(registration, view, *args):
    meta = registration.model._meta
    return reverse(f"{meta.app_label}_{meta.model_name}:{view}", args=args)


def _grant_all(user, model):
    codenames = [f"{a}_{model._meta.model_name}" for a in ("view", "add", "change")]
    codenames.append(f"delete_{model._meta.model_name}")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label=model._meta.app_label, codename__in=codenames
        )
    )


def _text_field(model):
    for field in model._meta.concrete_fields:
        if (
            field.get_internal_type() in ("CharField", "TextField")
            and not field.choices
            and (field.max_length or 100) >= 10
            and field.editable
            and not any(
                type(validator).__name__ not in PLAIN_VALIDATORS
                for validator in field.validators
            )
        ):
            return field.name
    return None


@pytest.fixture
def intruder(make_user, company_a):
    return make_user("intruder", company_a)


def test_every_model_without_a_company_is_declared_shared():
    unscoped = {
        registration.label
        for registration in registrations()
        if registration.company_field is None
    }

    assert unscoped <= SHARED_MODELS, unscoped - SHARED_MODELS


def test_company_register_shows_only_own_companies(
    client, intruder, company_a, company_b
):
    _grant_all(intruder, Company)
    client.force_login(intruder)

    listing = client.get("/admin/core/company/").content.decode()
    edit = client.get(f"/admin/core/company/edit/{company_b.pk}/")
    answer = _graphql(client, "{ companies { edges { node { name } } } }")

    assert company_a.name in listing
    assert company_b.name not in listing
    assert edit.status_code == 404
    names = [edge["node"]["name"] for edge in answer["data"]["companies"]["edges"]]
    assert names == [company_a.name]


def test_there_are_scoped_models_to_check():
    assert len(SCOPED) >= 2


@pytest.mark.parametrize("registration", SCOPED, ids=lambda r: r.label)
def test_admin_never_shows_or_changes_another_companys_row(
    client, intruder, company_b, registration
):
    model = registration.model
    text_field = _text_field(model)
    secret = marker()
    values = {text_field: secret} if text_field else {}
    row = build(model, company_b, **values)
    _grant_all(intruder, model)
    client.force_login(intruder)

    listing = client.get(_url(registration, "index"))
    edit = client.get(_url(registration, "edit", row.pk))
    inspect = client.get(_url(registration, "inspect", row.pk))
    delete = client.post(_url(registration, "delete", row.pk))

    assert listing.status_code == 200
    assert _url(registration, "edit", row.pk) not in listing.content.decode()
    if text_field:
        assert secret not in listing.content.decode()
    assert edit.status_code == 404
    assert inspect.status_code == 404
    assert delete.status_code == 404
    assert model._default_manager.filter(pk=row.pk).exists()


@pytest.mark.parametrize(
    "registration",
    [r for r in SCOPED if r.import_export is not None],
    ids=lambda r: r.label,
)
def test_export_and_import_never_reach_another_companys_row(
    client, intruder, company_b, registration
):
    model = registration.model
    text_field = _text_field(model)
    if text_field is None:
        pytest.fail(f"{registration.label} has no free text field to mark")
    secret = marker()
    row = build(model, company_b, **{text_field: secret})
    _grant_all(intruder, model)
    client.force_login(intruder)
    keys = list(registration.import_export.key)
    header = [*keys, text_field] if text_field not in keys else keys
    values = [str(getattr(row, key + "_id", getattr(row, key))) for key in keys]
    if text_field not in keys:
        values.append("overwritten")
    csv = ";".join(header) + "\n" + ";".join(values) + "\n"

    exported = client.get(_url(registration, "export"), {"format": "csv"})
    client.post(
        _url(registration, "import"),
        {"file": SimpleUploadedFile("x.csv", csv.encode())},
    )
    stored = ImportFile.objects.order_by("pk").last()
    if stored is not None:
        client.post(
            _url(registration, "import"), {"confirm": "1", "import_file": stored.pk}
        )

    assert exported.status_code == 200
    assert secret not in exported.content.decode("utf-8-sig")
    row.refresh_from_db()
    assert getattr(row, text_field) == secret


def _graphql_names(registration):
    names = type_names([r.model for r in registrations() if r.graphql])
    type_name = names[registration.model]
    return singular(type_name), plural(type_name)


def _graphql(client, query, variables=None):
    response = client.post(
        "/graphql/",
        {"query": query, "variables": variables or {}},
        content_type="application/json",
    )
    return response.json()


@pytest.mark.parametrize(
    "registration", [r for r in SCOPED if r.graphql], ids=lambda r: r.label
)
def test_graphql_never_shows_or_changes_another_companys_row(
    client, intruder, company_a, company_b, registration
):
    model = registration.model
    own = build(model, company_a)
    foreign = build(model, company_b)
    _grant_all(intruder, model)
    client.force_login(intruder)
    one, many = _graphql_names(registration)
    update = "update" + one[0].upper() + one[1:]
    delete = "delete" + one[0].upper() + one[1:]

    listed = _graphql(
        client, f"{{ {many}(first: 200) {{ edges {{ node {{ id }} }} }} }}"
    )
    looked_up = _graphql(
        client, f"query($id: ID!) {{ {one}(id: $id) {{ id }} }}", {"id": foreign.pk}
    )
    deleted = _graphql(
        client,
        f"mutation($id: ID!) {{ {delete}(id: $id) {{ ok errors {{ code }} }} }}",
        {"id": foreign.pk},
    )
    updated = _graphql(
        client,
        f"mutation($id: ID!) {{ {update}(id: $id, input: {{}}) {{ ok }} }}",
        {"id": foreign.pk},
    )

    ids = {edge["node"]["id"] for edge in listed["data"][many]["edges"]}
    assert str(own.pk) in ids
    assert str(foreign.pk) not in ids
    assert looked_up["data"][one] is None
    assert deleted["data"][delete]["ok"] is False
    assert updated["data"][update]["ok"] is False
    assert model._default_manager.filter(pk=foreign.pk).exists()
