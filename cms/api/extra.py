"""Administrator-defined fields (`extra`) over the API.

Models registered with `definable_forms=True` keep those values in a JSON
field named `extra`. The API reads it as a JSON scalar. Writes and the
`extra` filter argument go through the definable-forms application
(`cms.definable.api`), the same rules as in the admin form and imports.
"""

import django_filters
from django.core.exceptions import ValidationError
from graphene_django.filter.filters import TypedFilter

from cms.api.types import JSON


def _definable():
    from cms.definable import api

    return api


def clean_extra(model, values, *, company, user, instance=None) -> dict:
    """Return the `extra` dict to store after validating `values`.

    On update only the keys given change. Errors are keyed `extra.<key>`.
    """
    existing = getattr(instance, "extra", None) or {}
    try:
        return _definable().clean_values(
            model,
            values or {},
            company=company,
            user=user,
            existing=existing,
            partial=instance is not None,
        )
    except ValidationError as error:
        raise ValidationError(
            {f"extra.{key}": messages for key, messages in error.message_dict.items()}
        ) from error


def extra_filter() -> django_filters.Filter:
    """Return the `extra` filter argument: {field key: value, ...}."""

    def apply(queryset, name, value):
        return _definable().filter_extra(queryset, value)

    return TypedFilter(
        input_type=JSON,
        method=apply,
        label="Administrator-defined fields to match, as {key: value}.",
    )
