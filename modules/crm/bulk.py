"""The bulk path of a register import: tens of thousands of rows at once.

Each row is an organisation, optionally with one contact person. Every row
is validated first (business ID, email addresses, duplicates in the file
and in the register); when any row is bad, the import raises one
ValidationError naming the rows and writes nothing. Good files are written
with PostgreSQL COPY into the register's own tables, with ids taken from
their sequences beforehand, and one audit entry records the import.

Rows whose business ID (organisations) or email (persons) is already
registered are refused here: the admin import, which previews and lets the
user choose update or skip, is the path for matching existing records.
"""

import logging
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.core.audit import record_change
from modules.crm.models import Contact, Organisation, Person

logger = logging.getLogger(__name__)

ORGANISATION_COLUMNS = ("name", "business_id", "city", "email", "phone")
PERSON_COLUMNS = ("first_name", "last_name", "person_email", "person_phone", "title")
MAX_REPORTED_ERRORS = 50


@dataclass(frozen=True)
class BulkResult:
    organisations: int
    persons: int


BUSINESS_ID = re.compile(r"\d{7}-\d")
BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def _business_id_error(value: str) -> str | None:
    # The same rule as modules.core.validators, without python-stdnum's
    # text normalising, which costs more than the rest of a row's checks.
    if not value:
        return None
    if BUSINESS_ID.fullmatch(value):
        remainder = (
            sum(
                int(digit) * weight
                for digit, weight in zip(value, BUSINESS_ID_WEIGHTS, strict=False)
            )
            % 11
        )
        if remainder != 1 and int(value[-1]) == (11 - remainder) % 11:
            return None
    return _("%(value)s is not a valid Finnish business ID.") % {"value": value}


def _email_error(value: str) -> str | None:
    if not value:
        return None
    try:
        validate_email(value)
    except ValidationError:
        return _("%(value)s is not a valid email address.") % {"value": value}
    return None


def _validate(rows: list[dict]) -> list[str]:
    """Return the messages of the bad rows, numbered as in the file."""
    errors = []
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        messages = []
        if not row.get("name"):
            messages.append(_("The name is missing."))
        business_id = row.get("business_id", "")
        messages.append(_business_id_error(business_id))
        first = seen_ids.setdefault(business_id, number) if business_id else number
        if first != number:
            messages.append(
                _("The business ID %(value)s is already on row %(row)s.")
                % {"value": business_id, "row": first}
            )
        messages.append(_email_error(row.get("email", "")))
        email = row.get("person_email", "").lower()
        messages.append(_email_error(email))
        if (row.get("first_name") or email) and not row.get("last_name"):
            messages.append(_("The person's last name is missing."))
        first = seen_emails.setdefault(email, number) if email else number
        if first != number:
            messages.append(
                _("The email address %(value)s is already on row %(row)s.")
                % {"value": email, "row": first}
            )
        errors.extend(
            _("Row %(row)s: %(message)s") % {"row": number, "message": message}
            for message in messages
            if message
        )
    return errors


def _registered(rows: list[dict], company) -> list[str]:
    business_ids = [row["business_id"] for row in rows if row.get("business_id")]
    emails = [row["person_email"].lower() for row in rows if row.get("person_email")]
    taken_ids = set(
        Organisation.objects.filter(
            company=company, business_id__in=business_ids
        ).values_list("business_id", flat=True)
    )
    taken_emails = set(
        Person.objects.filter(company=company)
        .annotate(match=Lower(F("email")))
        .filter(match__in=emails)
        .values_list("match", flat=True)
    )
    errors = []
    for number, row in enumerate(rows, start=1):
        if row.get("business_id") in taken_ids:
            errors.append(
                _("Row %(row)s: the business ID %(value)s is already registered.")
                % {"row": number, "value": row["business_id"]}
            )
        if row.get("person_email", "").lower() in taken_emails:
            errors.append(
                _("Row %(row)s: the email address %(value)s is already registered.")
                % {"row": number, "value": row["person_email"]}
            )
    return errors


def _next_ids(cursor, model, count: int) -> list[int]:
    table = model._meta.db_table
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, count],
    )
    return [row[0] for row in cursor.fetchall()]


def _column_template(model, values: dict) -> tuple[list[str], list]:
    """Return the columns of `model` and a row of their defaults."""
    instance = model(**values)
    fields = model._meta.concrete_fields
    defaults = [
        field.get_db_prep_save(getattr(instance, field.attname), connection)
        for field in fields
    ]
    return _columns(model), defaults


def _copy(cursor, model, columns: list[str], rows) -> None:
    names = ", ".join(f'"{column}"' for column in columns)
    with cursor.copy(f'COPY "{model._meta.db_table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def _organisation_rows(rows, ids, company, now):
    columns, defaults = _column_template(
        Organisation, {"company": company, "created_at": now, "updated_at": now}
    )
    index = {column: position for position, column in enumerate(columns)}
    for organisation_id, row in zip(ids, rows, strict=True):
        values = list(defaults)
        values[index["id"]] = organisation_id
        values[index["created_at"]] = now
        values[index["updated_at"]] = now
        values[index["is_customer"]] = True
        for name in ORGANISATION_COLUMNS:
            values[index[name]] = row.get(name, "")
        business_id = row.get("business_id", "")
        if business_id:
            values[index["vat_number"]] = "FI" + business_id.replace("-", "")
        yield values


def _person_rows(pairs, ids, company, now):
    columns, defaults = _column_template(
        Person, {"company": company, "created_at": now, "updated_at": now}
    )
    index = {column: position for position, column in enumerate(columns)}
    for person_id, (_organisation_id, row) in zip(ids, pairs, strict=True):
        values = list(defaults)
        values[index["id"]] = person_id
        values[index["created_at"]] = now
        values[index["updated_at"]] = now
        values[index["first_name"]] = row.get("first_name", "")
        values[index["last_name"]] = row.get("last_name", "")
        values[index["email"]] = row.get("person_email", "")
        values[index["phone"]] = row.get("person_phone", "")
        yield values


def _columns(model) -> list[str]:
    return [field.column for field in model._meta.concrete_fields]


@transaction.atomic
def bulk_import_register(*, company, user, rows: list[dict]) -> BulkResult:
    """Validate and write organisations with their persons in one go.

    `rows` are dicts with the keys of ORGANISATION_COLUMNS and, for a
    contact person, PERSON_COLUMNS. Raises ValidationError listing the bad
    rows (at most MAX_REPORTED_ERRORS messages) and writes nothing then.
    """
    rows = [
        {key: str(value or "").strip() for key, value in row.items()} for row in rows
    ]
    errors = _validate(rows) or _registered(rows, company)
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        if len(errors) > len(shown):
            shown.append(
                _("…and %(count)s more errors.") % {"count": len(errors) - len(shown)}
            )
        raise ValidationError(shown, code="bad_rows")

    now = timezone.now()
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        organisation_ids = _next_ids(cursor, Organisation, len(rows))
        pairs = [
            (organisation_id, row)
            for organisation_id, row in zip(organisation_ids, rows, strict=True)
            if row.get("last_name")
        ]
        person_ids = _next_ids(cursor, Person, len(pairs)) if pairs else []
        _copy(
            cursor,
            Organisation,
            _columns(Organisation),
            _organisation_rows(rows, organisation_ids, company, now),
        )
        _copy(
            cursor,
            Person,
            _columns(Person),
            _person_rows(pairs, person_ids, company, now),
        )
        contact_ids = _next_ids(cursor, Contact, len(pairs)) if pairs else []
        _copy(
            cursor,
            Contact,
            ["id", "company_id", "person_id", "organisation_id", "title", "is_primary"],
            (
                (
                    contact_id,
                    company.pk,
                    person_id,
                    organisation_id,
                    row.get("title", ""),
                    True,
                )
                for contact_id, person_id, (organisation_id, row) in zip(
                    contact_ids, person_ids, pairs, strict=True
                )
            ),
        )

    result = BulkResult(organisations=len(rows), persons=len(pairs))
    record_change(
        instance=company,
        user=user,
        action="update",
        after={
            "register_import": {
                "organisations": result.organisations,
                "persons": result.persons,
            }
        },
    )
    logger.info(
        "Register import into %s by %s: %s organisations, %s persons",
        company.pk,
        user,
        result.organisations,
        result.persons,
    )
    return result
