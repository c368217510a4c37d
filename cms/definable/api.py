"""The public API of definable forms: what admin, import/export and GraphQL call.

Administrators attach extra forms to models registered with
`definable_forms=True`. The values live in the instance's JSONB column
`extra` as {key: value}; see `cms.definable.values` for the stored forms.
Everything below works from the model and the key, so callers never read
the form definitions themselves. `company` is a Company or its id and means
"the forms for every company plus this company's own"; None means the
forms of all companies.

Generated Wagtail admin (cms/viewsets.py)
    Edit form: `with_extra_fields(edit_handler)` from `cms.definable.panels`
    adds the fields to the form class, renders them in a panel and folds the
    answers into `form.cleaned_data["extra"]` (and `form.instance.extra`);
    pass `definable_company=<company>` in the create view's form kwargs when
    the new instance has no company yet. Without panels, use
    `form_fields(...)` to add fields and `clean_values(...)` in `clean()`.
    Inspect view: `display_values(instance)` or `display_groups(instance)`.
    List filters: put `ExtraFieldsFilterSetMixin` (cms.definable.filters)
    before `WagtailFilterSet` in the list view's filter set.
    Search: `queryset.filter(own_search_q | search_q(model, term))`.

Import/export (cms/importing.py)
    `resource_fields(model)` returns import-export fields keyed
    `extra__<key>`; add them to the resource's `fields` in `__init__`.
    Their columns are `extra.<key>`; cells convert with `import_value` and
    `export_value`. Before saving a row, validate the whole set with
    `instance.extra = clean_values(model, instance.extra, company=...,
    user=..., existing=<extra before the row>)`.

GraphQL (cms/api/)
    Input: an `extra` JSON argument, validated with
    `clean_values(model, extra, company=..., user=..., existing=..., partial=True)`
    on update (partial=False on create); pass the result as `data["extra"]`
    to the services. Errors are keyed by field key: report them as
    `extra.<key>`. Output: `extra_values(instance)`. Filter: an `extra` JSON
    argument {key: value} applied with `filter_extra(queryset, spec)`; value
    shapes are in `cms.definable.filters.condition`. Field descriptions for
    clients: `field_schema(model, company=...)`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export.fields import Field as ResourceField
from import_export.widgets import Widget as ResourceWidget
from wagtail.admin.widgets import AdminDateInput

from cms.definable import values
from cms.definable.filters import (
    ExtraFieldsFilterSetMixin,
    FilterSpec,
    filter_extra,
    filter_queryset,
    filterset_filters,
    list_filter_specs,
    search_q,
)
from cms.definable.models import DefinableField, FieldType
from cms.definable.selectors import (
    company_of,
    field_for_key,
    fields_for,
    is_definable,
    link_queryset,
)
from cms.definable.values import export_value, import_value

__all__ = [
    "FORM_PREFIX",
    "ExtraFieldsFilterSetMixin",
    "FilterSpec",
    "clean_values",
    "company_of",
    "display_groups",
    "display_values",
    "export_columns",
    "export_value",
    "extra_values",
    "field_for_key",
    "field_schema",
    "fields_for",
    "filter_extra",
    "filter_queryset",
    "filterset_filters",
    "form_fields",
    "import_value",
    "is_definable",
    "list_filter_specs",
    "resource_fields",
    "search_q",
    "values_from_form",
]

FORM_PREFIX = "extra__"


def _choices_with_stored(definable: DefinableField, stored) -> list:
    pairs = definable.choice_pairs()
    known = {value for value, _label in pairs}
    kept = stored if isinstance(stored, list) else [stored]
    # A value whose choice was removed stays selectable on the records that
    # have it, so saving such a record does not silently drop it.
    pairs += [(value, value) for value in kept if value and value not in known]
    return pairs


def _form_field(definable: DefinableField, stored, *, user, company, instance):
    kind = definable.field_type
    options = {
        "label": definable.label,
        "help_text": definable.help_text,
        "required": definable.required,
        "initial": values.to_python(definable, stored),
    }
    if kind == FieldType.TEXT:
        field = forms.CharField(max_length=values.TEXT_LIMITS[kind], **options)
    elif kind == FieldType.LONG_TEXT:
        field = forms.CharField(
            max_length=values.TEXT_LIMITS[kind],
            widget=forms.Textarea(attrs={"rows": 4}),
            **options,
        )
    elif kind in (FieldType.NUMBER, FieldType.MONEY):
        places, digits = values.NUMBER_LIMITS[kind]
        field = forms.DecimalField(
            localize=True,
            decimal_places=places,
            max_digits=places + digits,
            min_value=values.plain_decimal(definable.min_value),
            max_value=values.plain_decimal(definable.max_value),
            **options,
        )
    elif kind == FieldType.DATE:
        field = forms.DateField(widget=AdminDateInput, **options)
    elif kind == FieldType.BOOLEAN:
        # A checkbox always answers, so yes/no is never "missing" in a form.
        field = forms.BooleanField(**{**options, "required": False})
    elif kind == FieldType.CHOICE:
        field = forms.ChoiceField(
            choices=[("", "---------"), *_choices_with_stored(definable, stored)],
            **options,
        )
    elif kind == FieldType.MULTI_CHOICE:
        field = forms.MultipleChoiceField(
            choices=_choices_with_stored(definable, stored),
            widget=forms.CheckboxSelectMultiple,
            **options,
        )
    elif kind == FieldType.LINK:
        # A plain select suits registers of hundreds of rows; a chooser with
        # search would be needed for link targets with tens of thousands.
        field = forms.ModelChoiceField(
            queryset=link_queryset(definable, user=user, company=company), **options
        )
    else:
        if stored and instance is not None and instance.pk is not None:
            options["initial"] = values.StoredFile(
                stored, values.file_url(instance, definable.key)
            )
        field = forms.FileField(widget=forms.ClearableFileInput, **options)
    field.definable_field = definable
    return field


def _fields(model, company, fields) -> list:
    return fields_for(model, company=company) if fields is None else list(fields)


def form_fields(model, *, company=None, user=None, instance=None, fields=None) -> dict:
    """Return Django form fields for the extra fields, keyed `extra__<key>`.

    Labels and help texts are in the active language, initial values come
    from `instance.extra`, and link fields offer only records of `user`'s
    companies (and of `company`, when given). Each field carries its
    definition as `.definable_field`. Read the answers back with
    `values_from_form(cleaned_data)` and validate them with `clean_values`.
    `fields` replaces the model's generic fields (a form a module asks
    itself, see `claim_forms`).
    """
    stored = (instance.extra or {}) if instance is not None else {}
    return {
        definable.form_field_name: _form_field(
            definable,
            stored.get(definable.key),
            user=user,
            company=company,
            instance=instance,
        )
        for definable in _fields(model, company, fields)
    }


def values_from_form(cleaned_data: dict) -> dict:
    """Return the `extra__<key>` answers of a form's cleaned data as {key: value}."""
    return {
        name.removeprefix(FORM_PREFIX): value
        for name, value in cleaned_data.items()
        if name.startswith(FORM_PREFIX)
    }


def clean_values(
    model,
    raw: dict,
    *,
    company=None,
    user=None,
    existing: dict | None = None,
    partial: bool = False,
    store_files: bool = True,
    fields=None,
) -> dict:
    """Validate extra values and return the whole new `extra` dict to store.

    `raw` maps field keys to values as forms, JSON or imports give them
    (strings, numbers, Decimals, dates, booleans, lists, model instances or
    ids for links, uploads for files). Values are normalised to their JSON
    form; an empty value removes the key. Keys in `existing` that no active
    field claims (removed fields, inactive forms, other companies' forms)
    are kept untouched. With `partial`, keys missing from `raw` keep their
    existing value; without it they are cleared, except files, which only
    change when given (an upload replaces, False clears). Link values must
    be records `user` may see (and of `company`, when given).

    New uploads are stored in the default storage under definable/ once
    every value is valid; with `store_files=False` they stay uploads in the
    result for the caller to pass to `values.store_uploads` later. `fields`
    replaces the model's generic fields, as in `form_fields`. Raises
    ValidationError({key: [messages]}).
    """
    raw = dict(raw or {})
    result = dict(existing or {})
    fields = _fields(model, company, fields)
    known = {definable.key for definable in fields}
    errors = {
        key: [_("There is no extra field %(key)s.") % {"key": key}]
        for key, value in raw.items()
        if key not in known and value != result.get(key)
    }

    for definable in fields:
        key = definable.key
        current = result.get(key)
        if key not in raw and (partial or definable.field_type == FieldType.FILE):
            if definable.required and current in values.EMPTY:
                errors[key] = [_("This field is required.")]
            continue
        queryset = None
        if definable.field_type == FieldType.LINK:
            queryset = link_queryset(definable, user=user, company=company)
        try:
            value = values.clean_value(
                definable, raw.get(key), existing=current, link_queryset=queryset
            )
        except ValidationError as error:
            errors[key] = error.messages
            continue
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    if errors:
        raise ValidationError(errors)

    if store_files:
        result = values.store_uploads(model, result)
    return result


def display_groups(instance, *, company=None, fields=None) -> list[tuple[str, list]]:
    """Return [(form name, [(label, display text), ...]), ...] for an instance.

    Every field of the applicable forms is listed, an empty one with "".
    File values are links to the permission-checked download view.
    """
    if company is None:
        company = company_of(instance)
    stored = instance.extra or {}
    groups: dict[int, tuple[str, list]] = {}
    for definable in _fields(type(instance), company, fields):
        _name, rows = groups.setdefault(definable.form_id, (definable.form.name, []))
        rows.append(
            (
                definable.label,
                values.display(definable, stored.get(definable.key), instance=instance),
            )
        )
    return list(groups.values())


def display_values(instance, *, company=None) -> list[tuple[str, str]]:
    """Return [(label, display text), ...] of an instance's extra fields."""
    return [
        row for _name, rows in display_groups(instance, company=company) for row in rows
    ]


def extra_values(instance, *, company=None, fields=None) -> dict:
    """Return the values of the instance's current extra fields as JSON data.

    Values of removed fields are left out. A file is {"name", "url"}, the
    URL being the permission-checked download view.
    """
    if company is None:
        company = company_of(instance)
    stored = instance.extra or {}
    result = {}
    for definable in _fields(type(instance), company, fields):
        value = stored.get(definable.key)
        if value is not None and definable.field_type == FieldType.FILE:
            value = {
                "name": values.file_name(value),
                "url": values.file_url(instance, definable.key),
            }
        result[definable.key] = value
    return result


def field_schema(model, *, company=None) -> list[dict]:
    """Describe the extra fields of `model` for API clients, in display order."""
    schema = []
    for definable in fields_for(model, company=company):
        target = definable.target_model
        schema.append(
            {
                "key": definable.key,
                "type": definable.field_type,
                "form": definable.form.name,
                "label": definable.label,
                "help_text": definable.help_text,
                "required": definable.required,
                "choices": [
                    {"value": value, "label": label}
                    for value, label in definable.choice_pairs()
                ],
                "min": _decimal_text(definable.min_value),
                "max": _decimal_text(definable.max_value),
                "target": target._meta.label_lower if target else None,
            }
        )
    return schema


def _decimal_text(number) -> str | None:
    return None if number is None else str(values.plain_decimal(number))


def export_columns(model, *, company=None) -> list[tuple[str, str]]:
    """Return [(column name, key), ...] of the extra fields that travel in files.

    Column names are `extra.<key>`, stable across languages so a file
    exported in one language imports in another. Files are left out: they
    are uploaded in the admin.
    """
    return [
        (f"extra.{definable.key}", definable.key)
        for definable in fields_for(model, company=company)
        if definable.field_type != FieldType.FILE
    ]


class ExtraValueWidget(ResourceWidget):
    """Convert an extra field's cell text on import and export."""

    def __init__(self, definable: DefinableField):
        super().__init__()
        self.definable = definable

    def clean(self, value, row=None, **kwargs):
        return import_value(self.definable, value)

    def render(self, value, obj=None, **kwargs):
        return export_value(self.definable, value)


class ExtraValueField(ResourceField):
    """An import-export field reading and writing one key of `extra`."""

    def __init__(self, definable: DefinableField, column_name: str):
        super().__init__(
            attribute=f"{FORM_PREFIX}{definable.key}",
            column_name=column_name,
            widget=ExtraValueWidget(definable),
        )
        self.definable = definable

    def get_value(self, instance):
        return (instance.extra or {}).get(self.definable.key)

    def save(self, instance, row, is_m2m=False, **kwargs):
        value = self.clean(row, **kwargs)
        extra = dict(instance.extra or {})
        if value is None:
            extra.pop(self.definable.key, None)
        else:
            extra[self.definable.key] = value
        instance.extra = extra


def resource_fields(model, *, company=None) -> dict[str, ExtraValueField]:
    """Return import-export resource fields for the extra fields of `model`."""
    by_key = {
        definable.key: definable for definable in fields_for(model, company=company)
    }
    return {
        f"{FORM_PREFIX}{key}": ExtraValueField(by_key[key], column)
        for column, key in export_columns(model, company=company)
    }
