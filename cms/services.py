"""Generic create, change and delete services for registered models.

A registration without services of its own gets these. They validate the
whole instance, write in one transaction and record the change in the
audit log. Module services follow the same signatures (see
`cms.registry.Services`), and every caller (admin, GraphQL, import,
tasks) goes through `create`, `update` and `delete` below, which pick the
module's service when there is one.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from cms.registry import get_registration
from modules.core.audit import record_change, snapshot
from modules.core.scoping import company_path, user_can_access_company

logger = logging.getLogger(__name__)


def _set_fields(instance, data: dict) -> None:
    many = {}
    for name, value in data.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            many[name] = value
        else:
            setattr(instance, name, value)
    instance._pending_many = many


def _save_many(instance) -> None:
    for name, value in getattr(instance, "_pending_many", {}).items():
        getattr(instance, name).set(value)


@transaction.atomic
def create_object(*, model, company, user, data: dict):
    """Create a row of `model` for `company` from validated field values."""
    instance = model()
    if company_path(model) == "company":
        if company is None:
            raise ValidationError(_("Choose a company first."), code="no_company")
        instance.company = company
    _set_fields(instance, data)
    instance.full_clean()
    instance.save()
    _save_many(instance)
    record_change(
        instance=instance, user=user, action="create", after=snapshot(instance)
    )
    return instance


@transaction.atomic
def update_object(*, instance, user, data: dict):
    """Change the given fields of `instance` after validating the whole row."""
    locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    before = snapshot(locked)
    _set_fields(locked, data)
    locked.full_clean()
    locked.save()
    _save_many(locked)
    record_change(
        instance=locked,
        user=user,
        action="update",
        before=before,
        after=snapshot(locked),
    )
    return locked


@transaction.atomic
def delete_object(*, instance, user) -> None:
    """Delete `instance`, keeping its last values in the audit log.

    A row that other records still refer to is not deleted; the error says
    which records hold on to it.
    """
    before = snapshot(instance)
    record_change(instance=instance, user=user, action="delete", before=before)
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError as error:
        holders = sorted(
            {str(obj._meta.verbose_name_plural) for obj in error.protected_objects}
        )
        raise ValidationError(
            _("%(object)s cannot be deleted: %(holders)s still refer to it.")
            % {"object": instance, "holders": ", ".join(holders)},
            code="protected",
        ) from error


def _check_company(user, company) -> None:
    if company is not None and not user_can_access_company(user, company):
        raise PermissionDenied(_("You do not have access to this company."))


def create(*, model, company, user, data: dict):
    """Create through the model's registered service, or the generic one."""
    _check_company(user, company)
    registration = get_registration(model)
    service = registration.services.create if registration else None
    if service is not None:
        return service(company=company, user=user, data=data)
    return create_object(model=model, company=company, user=user, data=data)


def update(*, instance, user, data: dict):
    """Change through the model's registered service, or the generic one."""
    registration = get_registration(type(instance))
    service = registration.services.update if registration else None
    if service is not None:
        return service(instance=instance, user=user, data=data)
    return update_object(instance=instance, user=user, data=data)


def delete(*, instance, user) -> None:
    """Delete through the model's registered service, or the generic one."""
    registration = get_registration(type(instance))
    service = registration.services.delete if registration else None
    if service is not None:
        service(instance=instance, user=user)
        return
    delete_object(instance=instance, user=user)
