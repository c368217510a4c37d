"""The audit log: who changed which business record, when, from what to what.

Services call `record_change` inside their transaction, so an entry exists
exactly when the change does. The admin shows an object's entries at
`audit_url(instance)` and all entries a user may read in the audit log.
"""

import json
import logging
from dataclasses import dataclass

from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from modules.core.models import AuditEntry
from modules.core.scoping import companies_for, company_path

logger = logging.getLogger(__name__)


def snapshot(instance) -> dict:
    """Return the field values of `instance` as JSON-safe data."""
    data = model_to_dict(instance)
    data["id"] = instance.pk
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))


def _company_id_of(instance) -> int | None:
    try:
        path = company_path(type(instance))
    except ImproperlyConfigured:
        return None
    if path is None:
        return None
    if path == "pk":
        return instance.pk
    *hops, last = path.split("__")
    target = instance
    for hop in hops:
        target = getattr(target, hop, None)
        if target is None:
            return None
    try:
        field = target._meta.get_field(last)
    except FieldDoesNotExist:
        return None
    if not (field.many_to_one or field.one_to_one):
        # Rows reached through several companies (a company group) have no
        # single owner; their entries are read through the object itself.
        return None
    return getattr(target, field.attname)


def record_change(
    *, instance, user, action: str, before=None, after=None
) -> AuditEntry:
    """Write one audit entry for `action` on `instance` by `user`."""
    entry = AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        company_id=_company_id_of(instance),
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        before=before,
        after=after,
    )
    logger.info("%s %s %s by %s", action, instance._meta.label, instance.pk, user)
    return entry


def audit_url(instance) -> str:
    """Return the admin URL of the change history of `instance`."""
    meta = instance._meta
    return reverse(
        "core_audit_history",
        args=[meta.app_label, meta.model_name, quote(instance.pk)],
    )


def _shared_content_types() -> list[int]:
    from cms.registry import registrations

    models = [reg.model for reg in registrations() if reg.company_field is None]
    return [
        content_type.pk
        for content_type in ContentType.objects.get_for_models(*models).values()
    ]


def entries_visible_to(user) -> QuerySet:
    """Return the audit entries `user` may read.

    Those of the user's companies, and changes to shared reference data
    (currencies, units) that belong to no company. Superusers read all.
    """
    entries = AuditEntry.objects.select_related("user", "company", "content_type")
    if user is not None and user.is_active and user.is_superuser:
        return entries
    return entries.filter(
        Q(company__in=companies_for(user).values("pk"))
        | Q(company__isnull=True, content_type__in=_shared_content_types())
    )


@dataclass(frozen=True)
class FieldChange:
    """One field of an audit entry: its label and values before and after."""

    name: str
    label: str
    before: str
    after: str


def _blank(value) -> bool:
    return value in (None, "", [], {})


def _display(field, value) -> str:
    if _blank(value):
        return ""
    if field is None:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.get_internal_type() == "BooleanField":
        return _("Yes") if value else _("No")
    if field.many_to_one or field.one_to_one:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if field.many_to_many and isinstance(value, list):
        related = field.related_model._default_manager.filter(pk__in=value)
        return ", ".join(str(item) for item in related) or str(value)
    return str(value)


def field_changes(entry: AuditEntry) -> list[FieldChange]:
    """Return the fields `entry` changed, with readable values.

    A creation lists the values set, a deletion the values lost, a change
    only the fields whose values differ.
    """
    before, after = entry.before or {}, entry.after or {}
    model = entry.content_type.model_class()
    changes = []
    for name in dict.fromkeys([*before, *after]):
        if name == "id":
            continue
        old, new = before.get(name), after.get(name)
        if old == new or (_blank(old) and _blank(new)):
            continue
        try:
            field = model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:
            field = None
        label = capfirst(field.verbose_name) if field is not None else name
        changes.append(
            FieldChange(
                name=name,
                label=str(label),
                before=_display(field, old),
                after=_display(field, new),
            )
        )
    return changes
