"""Writes to the customer register.

The services follow the platform's signatures (`cms.registry.Services`) and
write through the generic services, so every change is validated and lands
in the audit log. Organisations and persons are archived rather than
deleted: invoices, orders and processes keep pointing at them.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cms.services import create_object, update_object
from modules.core.validators import normalize_vat_number, vat_number_for_business_id
from modules.crm.models import (
    Classification,
    Contact,
    Organisation,
    Person,
)
from modules.crm.selectors import editable_classifications, editable_schemes

logger = logging.getLogger(__name__)


def _require_company(company) -> None:
    if company is None:
        raise ValidationError(_("Choose a company first."), code="no_company")


def _check_business_id(*, company, data: dict, exclude=None) -> None:
    business_id = (data.get("business_id") or "").strip()
    data["business_id"] = business_id
    if not business_id:
        return
    duplicate = Organisation.objects.filter(company=company, business_id=business_id)
    if exclude is not None:
        duplicate = duplicate.exclude(pk=exclude.pk)
    existing = duplicate.first()
    if existing is not None:
        raise ValidationError(
            {
                "business_id": _(
                    "The business ID %(value)s is already registered to %(name)s."
                )
                % {"value": business_id, "name": existing.name}
            },
            code="duplicate_business_id",
        )


def _fill_vat_number(data: dict) -> None:
    vat_number = (data.get("vat_number") or "").strip().upper().replace(" ", "")
    if vat_number.startswith("FI"):
        try:
            vat_number = normalize_vat_number(vat_number)
        except ValidationError as error:
            raise ValidationError({"vat_number": error.messages}) from error
    elif not vat_number and data.get("business_id"):
        try:
            vat_number = vat_number_for_business_id(data["business_id"])
        except ValidationError:
            # The field validator reports the bad business ID itself.
            vat_number = ""
    if "vat_number" in data or vat_number:
        data["vat_number"] = vat_number


def _check_parent(*, company, data: dict, instance=None) -> None:
    parent = data.get("parent")
    if parent is None:
        return
    if parent.company_id != getattr(company, "pk", company):
        raise ValidationError(
            {"parent": _("Choose an organisation of the same company.")}
        )
    node = parent
    while instance is not None and node is not None:
        if node.pk == instance.pk:
            raise ValidationError(
                {"parent": _("An organisation cannot be its own parent.")}
            )
        node = node.parent


def _check_email(*, company, data: dict, exclude=None) -> None:
    email = (data.get("email") or "").strip()
    if "email" in data:
        data["email"] = email
    if not email:
        return
    duplicate = Person.objects.filter(company=company, email__iexact=email)
    if exclude is not None:
        duplicate = duplicate.exclude(pk=exclude.pk)
    existing = duplicate.first()
    if existing is not None:
        raise ValidationError(
            {
                "email": _(
                    "%(name)s is already registered with the email address %(email)s."
                )
                % {"name": existing, "email": email}
            },
            code="duplicate_email",
        )


def _merge_classifications(*, instance, user, wanted) -> None:
    """Set the classifications `user` may set, keeping those they may not."""
    company = instance.company_id
    editable = set(
        editable_classifications(user, company=company).values_list("pk", flat=True)
    )
    wanted_ids = {item.pk for item in wanted}
    current = set(instance.classifications.values_list("pk", flat=True))
    refused = (wanted_ids - current) - editable
    if refused:
        raise ValidationError(
            {
                "classifications": _(
                    "You may not set classifications of this scheme: %(names)s."
                )
                % {
                    "names": ", ".join(
                        str(item) for item in wanted if item.pk in refused
                    )
                }
            },
            code="classification_not_editable",
        )
    kept = current - editable
    instance.classifications.set((wanted_ids & editable) | kept)


def _split_classifications(data: dict):
    data = dict(data)
    wanted = data.pop("classifications", None)
    return data, (list(wanted) if wanted is not None else None)


# Organisations


@transaction.atomic
def create_organisation(*, company, user, data: dict) -> Organisation:
    """Register an organisation, refusing a business ID already registered."""
    _require_company(company)
    data, classifications = _split_classifications(data)
    _check_business_id(company=company, data=data)
    _check_parent(company=company, data=data)
    _fill_vat_number(data)

    organisation = create_object(
        model=Organisation, company=company, user=user, data=data
    )
    if classifications is not None:
        _merge_classifications(instance=organisation, user=user, wanted=classifications)
    logger.info("Organisation %s registered by %s", organisation.pk, user)
    return organisation


@transaction.atomic
def update_organisation(*, instance, user, data: dict) -> Organisation:
    """Change an organisation's details and the classifications the user sets."""
    data, classifications = _split_classifications(data)
    if "business_id" in data:
        _check_business_id(company=instance.company, data=data, exclude=instance)
    _check_parent(company=instance.company, data=data, instance=instance)
    _fill_vat_number(data)

    organisation = update_object(instance=instance, user=user, data=data)
    if classifications is not None:
        _merge_classifications(instance=organisation, user=user, wanted=classifications)
    return organisation


def archive_organisation(*, instance, user) -> None:
    """Archive an organisation; documents that refer to it keep working."""
    update_object(instance=instance, user=user, data={"is_archived": True})
    logger.info("Organisation %s archived by %s", instance.pk, user)


# Persons


@transaction.atomic
def create_person(*, company, user, data: dict) -> Person:
    """Register a person, refusing an email address already registered."""
    _require_company(company)
    data, classifications = _split_classifications(data)
    data.pop("organisations", None)
    _check_email(company=company, data=data)

    person = create_object(model=Person, company=company, user=user, data=data)
    if classifications is not None:
        _merge_classifications(instance=person, user=user, wanted=classifications)
    return person


@transaction.atomic
def update_person(*, instance, user, data: dict) -> Person:
    """Change a person's details and the classifications the user sets."""
    data, classifications = _split_classifications(data)
    data.pop("organisations", None)
    if "email" in data:
        _check_email(company=instance.company, data=data, exclude=instance)

    person = update_object(instance=instance, user=user, data=data)
    if classifications is not None:
        _merge_classifications(instance=person, user=user, wanted=classifications)
    return person


def archive_person(*, instance, user) -> None:
    """Archive a person; documents that refer to them keep working."""
    update_object(instance=instance, user=user, data={"is_archived": True})


# Contacts


@transaction.atomic
def create_contact(*, company, user, data: dict) -> Contact:
    """Link a person to an organisation of the same company."""
    _require_company(company)

    return create_object(model=Contact, company=company, user=user, data=data)


# Classifications


def _require_editable_scheme(*, user, scheme) -> None:
    if scheme is None:
        return
    if not editable_schemes(user, company=scheme.company_id).filter(pk=scheme.pk):
        message = _("You may not change the classifications of %(scheme)s.") % {
            "scheme": scheme
        }
        raise ValidationError({"scheme": message}, code="scheme_not_editable")


@transaction.atomic
def create_classification(*, company, user, data: dict) -> Classification:
    """Add a classification to a scheme the user may edit."""
    _require_company(company)
    _require_editable_scheme(user=user, scheme=data.get("scheme"))

    return create_object(model=Classification, company=company, user=user, data=data)


@transaction.atomic
def update_classification(*, instance, user, data: dict) -> Classification:
    """Rename or move a classification of a scheme the user may edit."""
    _require_editable_scheme(user=user, scheme=instance.scheme)
    _require_editable_scheme(user=user, scheme=data.get("scheme"))

    return update_object(instance=instance, user=user, data=data)
