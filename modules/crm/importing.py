"""Import resources of the customer register, with duplicate detection.

Rows are matched to existing records by business ID (organisations) or
email address (persons, in any letter case). A file that names the same
business ID or email address twice is refused with the rows named, and a
row without a key always makes a new record rather than matching another
row that also lacks one.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cms.importing import EXCLUDED, RegisteredResource
from cms.registry import get_registration
from modules.crm.models import Organisation, Person


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
