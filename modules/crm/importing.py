"""Import resources of the customer register, with duplicate detection.

Rows are matched to existing records by business ID (organisations) or
email address (persons, in any letter case). A file that names the same
business ID or email address twice is refused with the rows named, and a
row without a key always makes a new record rather than matching another
row that also lacks one.
"""

import tablib
from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from cms.importing import EXCLUDED, ImportView, RegisteredResource
from cms.registry import get_registration
from modules.core.scoping import scope_queryset
from modules.crm.models import Organisation, Person

SKIP = "skip"


def _field_names(model, key: str) -> list[str]:
    names = [
        field.name
        for field in model._meta.concrete_fields
        if field.editable and field.name not in EXCLUDED and not field.primary_key
    ]
    names.remove(key)
    return [key, *names]


def _meta(model, key: str) -> type:
    return type(
        "Meta",
        (),
        {
            "model": model,
            "fields": _field_names(model, key),
            "import_id_fields": [key],
            "skip_unchanged": True,
            "report_skipped": True,
            "clean_model_instances": True,
            "use_transactions": True,
        },
    )


class DuplicateCheckingResource(RegisteredResource):
    """Match rows by one key column and refuse a key repeated in the file."""

    key: str = ""
    case_insensitive = False
    duplicate_message = ""

    @property
    def registration(self):
        return get_registration(self._meta.model)

    def _key_value(self, row) -> str:
        value = str(row.get(self.key) or "").strip()
        return value.lower() if self.case_insensitive else value

    def before_import(self, dataset, **kwargs):
        self._seen_keys = {}
        super().before_import(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        value = self._key_value(row)
        if not value:
            return
        number = kwargs.get("row_number")
        first = self._seen_keys.setdefault(value, number)
        if first != number:
            message = str(self.duplicate_message) % {"value": value, "row": first}
            raise ValidationError({self.key: message}, code="duplicate_in_file")

    def get_instance(self, instance_loader, row):
        value = self._key_value(row)
        if not value:
            return None
        lookup = f"{self.key}__iexact" if self.case_insensitive else self.key
        return self.get_queryset().filter(**{lookup: value}).first()


def _registered_keys(resource_class, *, user, company, values) -> set[str]:
    """Return which of the key `values` name records already registered."""
    rows = scope_queryset(
        resource_class._meta.model.objects.all(), user, company=company
    )
    key = (
        Lower(resource_class.key)
        if resource_class.case_insensitive
        else F(resource_class.key)
    )
    found = rows.annotate(match_key=key).filter(match_key__in=values)
    return set(found.values_list("match_key", flat=True))


def _key_of(resource_class, row: dict) -> str:
    value = str(row.get(resource_class.key) or "").strip()
    return value.lower() if resource_class.case_insensitive else value


class RegisterImportView(ImportView):
    """The import of a register, where the user chooses what a duplicate does.

    The preview counts the rows whose business ID or email address is
    already registered; on confirming, the user either updates those
    records from the file or skips the rows and keeps the records as they
    are.
    """

    def _resource_class(self):
        return self.registration.import_export.resource_class

    def _duplicate_keys(self, dataset) -> set[str]:
        resource_class = self._resource_class()
        values = {_key_of(resource_class, row) for row in dataset.dict} - {""}
        if not values:
            return set()
        return _registered_keys(
            resource_class,
            user=self.request.user,
            company=self._company(),
            values=values,
        )

    def _load(self, stored):
        dataset = super()._load(stored)
        if self.request.POST.get("duplicates") != SKIP:
            return dataset
        duplicates = self._duplicate_keys(dataset)
        resource_class = self._resource_class()
        kept = tablib.Dataset(headers=dataset.headers)
        for row in dataset.dict:
            if _key_of(resource_class, row) not in duplicates:
                kept.append([row.get(header) for header in dataset.headers])
        return kept

    def _render_preview(self, request, stored, result, rows):
        response = super()._render_preview(request, stored, result, rows)
        dataset = super()._load(stored)
        resource_class = self._resource_class()
        duplicates = self._duplicate_keys(dataset)
        response.template_name = "crm/import_preview.html"
        response.context_data["duplicates"] = sum(
            1 for row in dataset.dict if _key_of(resource_class, row) in duplicates
        )
        return response


class OrganisationResource(DuplicateCheckingResource):
    key = "business_id"
    duplicate_message = _(
        "The business ID %(value)s is already on row %(row)s of this file."
    )
    Meta = _meta(Organisation, "business_id")


class PersonResource(DuplicateCheckingResource):
    key = "email"
    case_insensitive = True
    duplicate_message = _(
        "The email address %(value)s is already on row %(row)s of this file."
    )
    Meta = _meta(Person, "email")
