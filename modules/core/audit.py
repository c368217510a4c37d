"""The audit log: who changed which business record, when, from what to what.

Services call `record_change` inside their transaction, so an entry exists
exactly when the change does.
"""

import json
import logging

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import model_to_dict

from modules.core.models import AuditEntry

logger = logging.getLogger(__name__)


def snapshot(instance) -> dict:
    """Return the field values of `instance` as JSON-safe data."""
    data = model_to_dict(instance)
    data["id"] = instance.pk
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))


def record_change(*, instance, user, action: str, before=None, after=None) -> AuditEntry:
    """Write one audit entry for `action` on `instance` by `user`."""
    company_id = getattr(instance, "company_id", None)
    if instance._meta.model_name == "company":
        company_id = instance.pk
    entry = AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        company_id=company_id,
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        before=before,
        after=after,
    )
    logger.info("%s %s %s by %s", action, instance._meta.label, instance.pk, user)
    return entry
