"""System checks: every model that accepts extra forms can store them."""

from django.contrib.postgres.indexes import GinIndex
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models


@checks.register(checks.Tags.models)
def check_definable_models(app_configs=None, **kwargs):
    """Report definable models without a JSON `extra` field or its GIN index."""
    from cms.definable.models import definable_models

    messages = []
    for model in definable_models():
        try:
            extra = model._meta.get_field("extra")
        except FieldDoesNotExist:
            extra = None
        if not isinstance(extra, models.JSONField):
            messages.append(
                checks.Error(
                    "A model registered with definable_forms=True needs a "
                    "JSONField named extra.",
                    hint="Inherit cms.definable.models.ExtraFieldsModel.",
                    obj=model,
                    id="definable.E001",
                )
            )
            continue
        indexed = any(
            isinstance(index, GinIndex) and list(index.fields) == ["extra"]
            for index in model._meta.indexes
        )
        if not indexed:
            messages.append(
                checks.Warning(
                    "The extra field has no GIN index, so filters on extra "
                    "values scan the whole table.",
                    hint="Add cms.definable.models.extra_index(...) to Meta.indexes.",
                    obj=model,
                    id="definable.W001",
                )
            )
    return messages
