"""Reads: which extra fields a model has, and what a link field may point to."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from cms.definable.models import DefinableField
from cms.registry import get_registration

_form_claims: list = []


def claim_forms(claimed) -> None:
    """Keep some forms out of a model's generic extra fields.

    `claimed()` returns a queryset of the DefinableForm ids a module asks
    itself, e.g. the form of one process type, which only processes of that
    type have. Called once, at import time of the module's `registry.py`.
    """
    _form_claims.append(claimed)


def is_definable(model) -> bool:
    """Return whether `model` is registered with `definable_forms=True`."""
    registration = get_registration(model)
    return registration is not None and registration.definable_forms


def fields_for(model, *, company=None) -> list[DefinableField]:
    """Return the fields of the active forms of `model`, in display order.

    With `company` (a Company or its id) only forms for every company and
    for that company count; without it, the forms of all companies do.
    """
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    queryset = DefinableField.objects.filter(
        form__content_type=content_type, form__active=True
    )
    for claimed in _form_claims:
        queryset = queryset.exclude(form__in=claimed())
    if company is not None:
        company_id = getattr(company, "pk", company)
        queryset = queryset.filter(
            Q(form__company__isnull=True) | Q(form__company_id=company_id)
        )
    return list(
        queryset.select_related("form", "target_content_type").order_by(
            "form__order", "form_id", "sort_order", "pk"
        )
    )


def field_for_key(model, key: str) -> DefinableField | None:
    """Return the field of an active form of `model` stored under `key`."""
    return next(
        (field for field in fields_for(model) if field.key == key),
        None,
    )


def company_path(model) -> str | None:
    """Return the lookup from `model` to its owning company, or None."""
    if model._meta.label_lower == "core.company":
        return None
    registration = get_registration(model)
    return "company" if registration is None else registration.company_field


def company_of(instance):
    """Return the id of the company that owns `instance`, or None."""
    if instance is None:
        return None
    if instance._meta.label_lower == "core.company":
        return instance.pk
    path = company_path(type(instance))
    if path is None:
        return None
    *hops, last = path.split("__")
    owner = instance
    for hop in hops:
        owner = getattr(owner, hop, None)
        if owner is None:
            return None
    return getattr(owner, f"{last}_id", None)


def link_queryset(field: DefinableField, *, user=None, company=None) -> QuerySet:
    """Return the records a link field may point to.

    With `user`, only records of the companies the user may see; with
    `company`, only records of that company (shared reference data and
    companies themselves are not narrowed by company).
    """
    from modules.core.scoping import scope_queryset

    model = field.target_model
    queryset = model._default_manager.all()
    if user is not None:
        queryset = scope_queryset(queryset, user)
    path = company_path(model)
    if company is not None and path is not None:
        queryset = queryset.filter(**{path: getattr(company, "pk", company)})
    return queryset
