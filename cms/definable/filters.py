"""Filtering and searching records by their extra field values.

Equality filters use JSONB containment (`extra @> {"key": value}`), which
the GIN index on `extra` serves. Ranges compare numbers as numeric and
dates as ISO text, which sorts like the dates themselves.
"""

from dataclasses import dataclass, field

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import DecimalField, Func, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.lookups import (
    GreaterThanOrEqual,
    IContains,
    LessThanOrEqual,
)
from django.utils.translation import gettext as _
from wagtail.admin.filters import DateRangePickerWidget, NumberRangeWidget

from cms.definable import values
from cms.definable.models import CHOICE_TYPES, NUMERIC_TYPES, FieldType
from cms.definable.selectors import field_for_key, fields_for

NUMBER_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"


class _Numeric(Func):
    """The numeric value of a JSON text, or NULL when it is not a number."""

    output_field = DecimalField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"(CASE WHEN {sql} ~ %s THEN ({sql})::numeric END)",
            (*params, NUMBER_PATTERN, *params),
        )


def _text(key: str) -> KeyTextTransform:
    return KeyTextTransform(key, "extra")


def _has(key: str, value) -> Q:
    return Q(extra__contains={key: value})


def _unknown(key: str) -> ValidationError:
    return ValidationError(
        {key: _("There is no extra field %(key)s.") % {"key": key}}, code="unknown"
    )


def _invalid(key: str, error: ValueError | ValidationError) -> ValidationError:
    if isinstance(error, ValidationError):
        return ValidationError({key: error.messages}, code="invalid")
    return ValidationError(
        {key: _("This is not a valid filter value.")}, code="invalid"
    )


def condition(definable_field, value) -> Q:
    """Return the Q that keeps records whose value of the field matches.

    `value` is, by type: text - a part of the text (case-insensitive);
    number, money, date - one value, or {"min": ..., "max": ...} with either
    end optional; yes/no - a boolean (no also matches records never
    answered); choice and multiple choice - a value or a list of values (any
    of them); link - the target's id; file - true for records with a file.
    None matches records without a value.
    """
    key = definable_field.key
    kind = definable_field.field_type
    if value is None:
        return ~Q(extra__has_key=key)
    if isinstance(value, dict):
        if kind not in (*NUMERIC_TYPES, FieldType.DATE):
            raise ValueError("ranges apply to numbers, amounts and dates")
        return _range(definable_field, value.get("min"), value.get("max"))
    if kind in (FieldType.TEXT, FieldType.LONG_TEXT):
        return Q(IContains(_text(key), str(value)))
    if kind in NUMERIC_TYPES:
        number = values.parse_decimal(value)
        return _has(key, values.decimal_to_json(definable_field, number))
    if kind == FieldType.DATE:
        return _has(key, values.parse_date(value).isoformat())
    if kind == FieldType.BOOLEAN:
        if values.parse_bool(value):
            return _has(key, True)
        return _has(key, False) | ~Q(extra__has_key=key)
    if kind in CHOICE_TYPES:
        chosen = value if isinstance(value, (list, tuple, set)) else [value]
        match = Q(pk__in=[])
        for item in chosen:
            match |= _has(key, [item] if kind == FieldType.MULTI_CHOICE else item)
        return match
    if kind == FieldType.LINK:
        return _has(key, definable_field.target_model._meta.pk.to_python(value))
    if kind == FieldType.FILE:
        present = Q(extra__has_key=key)
        return present if values.parse_bool(value) else ~present
    raise ValueError(f"no filter for {kind}")


def _range(definable_field, low, high) -> Q:
    key = definable_field.key
    if definable_field.field_type == FieldType.DATE:
        expression = _text(key)
        bounds = [
            None if bound in values.EMPTY else values.parse_date(bound).isoformat()
            for bound in (low, high)
        ]
    else:
        expression = _Numeric(_text(key))
        bounds = [
            None if bound in values.EMPTY else values.parse_decimal(bound)
            for bound in (low, high)
        ]
    match = Q(extra__has_key=key)
    if bounds[0] is not None:
        match &= Q(GreaterThanOrEqual(expression, bounds[0]))
    if bounds[1] is not None:
        match &= Q(LessThanOrEqual(expression, bounds[1]))
    return match


def filter_queryset(queryset, key: str, value):
    """Return `queryset` narrowed to records whose extra value `key` matches.

    See `condition` for the shape of `value`. Raises ValidationError keyed
    by `key` for an unknown key or a value that does not fit the field.
    """
    definable_field = field_for_key(queryset.model, key)
    if definable_field is None:
        raise _unknown(key)
    try:
        return queryset.filter(condition(definable_field, value))
    except (ValueError, ValidationError) as error:
        raise _invalid(key, error) from error


def filter_extra(queryset, spec: dict | None):
    """Apply a GraphQL `extra` filter argument, {key: value, ...}, to a queryset.

    Every key must be a field of an active form; the conditions are joined
    with AND. Raises ValidationError keyed by field key.
    """
    if not spec:
        return queryset
    if not isinstance(spec, dict):
        raise ValidationError(
            _("Give the extra filter as an object of field keys and values."),
            code="invalid",
        )
    fields = {definable.key: definable for definable in fields_for(queryset.model)}
    errors = {}
    match = Q()
    for key, value in spec.items():
        if key not in fields:
            errors.update(_unknown(key).message_dict)
            continue
        try:
            match &= condition(fields[key], value)
        except (ValueError, ValidationError) as error:
            errors.update(_invalid(key, error).message_dict)
    if errors:
        raise ValidationError(errors)
    return queryset.filter(match)


def search_q(model, term: str, *, company=None) -> Q:
    """Return a Q matching records whose extra values match a search term.

    Text is matched by part, choices by their label in any language,
    numbers, amounts and dates when the term reads as one. OR it with the
    model's own search.
    """
    term = (term or "").strip()
    match = Q(pk__in=[])
    if not term:
        return match
    for definable in fields_for(model, company=company):
        match |= _search_field(definable, term)
    return match


def _search_field(definable, term: str) -> Q:
    key = definable.key
    kind = definable.field_type
    if kind in (FieldType.TEXT, FieldType.LONG_TEXT):
        return Q(IContains(_text(key), term))
    if kind in CHOICE_TYPES:
        lowered = term.lower()
        match = Q(pk__in=[])
        for choice in definable.choices or []:
            words = [choice.get(code) or "" for code in ("value", "fi", "sv", "en")]
            if any(lowered in word.lower() for word in words):
                value = choice["value"]
                match |= _has(key, [value] if kind == FieldType.MULTI_CHOICE else value)
        return match
    try:
        if kind in NUMERIC_TYPES:
            return _has(
                key, values.decimal_to_json(definable, values.parse_decimal(term))
            )
        if kind == FieldType.DATE:
            return _has(key, values.parse_date(term).isoformat())
    except (ValueError, ArithmeticError):
        return Q(pk__in=[])
    return Q(pk__in=[])


@dataclass(frozen=True)
class FilterSpec:
    """One extra field that a list view can offer as a filter.

    `kind` is "choice", "multi_choice", "boolean", "date_range" or
    "number_range"; `choices` are (value, label) pairs for the choice kinds.
    Pass the chosen value to `filter_queryset(queryset, key, value)`, ranges
    as {"min": ..., "max": ...}.
    """

    key: str
    name: str
    label: str
    kind: str
    choices: list = field(default_factory=list)


_FILTER_KINDS = {
    FieldType.CHOICE: "choice",
    FieldType.MULTI_CHOICE: "multi_choice",
    FieldType.BOOLEAN: "boolean",
    FieldType.DATE: "date_range",
    FieldType.NUMBER: "number_range",
    FieldType.MONEY: "number_range",
}


def list_filter_specs(model, *, company=None) -> list[FilterSpec]:
    """Return the extra fields of `model` that make sense as list filters."""
    return [
        FilterSpec(
            key=definable.key,
            name=definable.form_field_name,
            label=definable.label,
            kind=_FILTER_KINDS[definable.field_type],
            choices=definable.choice_pairs(),
        )
        for definable in fields_for(model, company=company)
        if definable.field_type in _FILTER_KINDS
    ]


def _filter_method(key: str):
    def apply(queryset, name, value):
        if isinstance(value, slice):
            if value.start in values.EMPTY and value.stop in values.EMPTY:
                return queryset
            value = {"min": value.start, "max": value.stop}
        return filter_queryset(queryset, key, value)

    return apply


def filterset_filters(model, *, company=None) -> dict:
    """Return django-filter filters for the extra fields of `model`.

    Keys are `extra__<key>`; add them to a FilterSet's `filters` (as
    `ExtraFieldsFilterSetMixin` does) or to a GraphQL filter set.
    """
    filters = {}
    for spec in list_filter_specs(model, company=company):
        method = _filter_method(spec.key)
        if spec.kind in ("choice", "multi_choice"):
            filter_ = django_filters.ChoiceFilter(
                label=spec.label, choices=spec.choices, method=method
            )
        elif spec.kind == "boolean":
            filter_ = django_filters.BooleanFilter(label=spec.label, method=method)
        elif spec.kind == "date_range":
            filter_ = django_filters.DateFromToRangeFilter(
                label=spec.label, method=method, widget=DateRangePickerWidget
            )
        else:
            filter_ = django_filters.RangeFilter(
                label=spec.label, method=method, widget=NumberRangeWidget
            )
        filters[spec.name] = filter_
    return filters


class ExtraFieldsFilterSetMixin:
    """Add the extra-field filters of the filter set's model when it is built.

    Put it before `WagtailFilterSet` in a list view's filter set; the
    request's current company decides which company's forms count.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        company = None
        if request is not None:
            from modules.core.current import current_company

            company = current_company(request)
        model = self.queryset.model
        for name, filter_ in filterset_filters(model, company=company).items():
            filter_.model = model
            filter_.parent = self
            self.filters[name] = filter_
