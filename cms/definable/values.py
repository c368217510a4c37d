"""Conversions of one extra field's value between its stored JSON and the world.

Stored values are JSON-safe: text as strings, numbers and money as decimal
strings ("12.5", "1200.00"), dates as ISO strings, yes/no as booleans,
choices as their values (a list for multiple choice), links as the target's
primary key, and files as their path in the default storage. An empty value
is not stored at all. The public entry points are in `cms.definable.api`.
"""

import datetime
import os
import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from cms.definable.models import (
    CHOICE_TYPES,
    LANGUAGE_CODES,
    DefinableField,
    FieldType,
)

TEXT_LIMITS = {FieldType.TEXT: 1000, FieldType.LONG_TEXT: 20000}
# (decimal places, digits before the point) per numeric type.
NUMBER_LIMITS = {FieldType.NUMBER: (6, 18), FieldType.MONEY: (2, 16)}
EMPTY = (None, "", [], ())
TRUE_WORDS = {"1", "true", "yes", "y", "x", "kyllä", "k", "ja", "j"}
FALSE_WORDS = {"0", "false", "no", "n", "ei", "e", "nej"}
FILE_PREFIX = "definable"


class StoredFile(str):
    """A stored file path that shows its file name and knows its download URL.

    Django's file inputs show `str(value)` and link to `value.url`; the
    string itself stays the storage path, so it compares equal to the
    stored value.
    """

    def __new__(cls, path: str, url: str = ""):
        stored = super().__new__(cls, path)
        stored.url = url
        return stored

    def __str__(self):
        return file_name(self)

    @property
    def path(self) -> str:
        return str.__str__(self)


def file_name(path: str) -> str:
    """Return the name a stored file was uploaded with."""
    return os.path.basename(str.__str__(path))


def file_url(instance, key: str) -> str:
    """Return the permission-checked download URL of a file value."""
    meta = instance._meta
    return reverse(
        "definable_file",
        args=[meta.app_label, meta.model_name, instance.pk, key],
    )


def parse_decimal(value) -> Decimal:
    """Read a number written with a decimal comma or point, spaces allowed."""
    if isinstance(value, bool):
        raise ValueError("a yes/no value is not a number")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = str(value).strip().replace("€", "")
        for space in (" ", "\u00a0", "\u202f", "'"):
            text = text.replace(space, "")
        if "," in text and "." in text:
            decimal_mark = max(text.rfind(","), text.rfind("."))
            grouping = "." if text[decimal_mark] == "," else ","
            text = text.replace(grouping, "")
        text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation as error:
            raise ValueError(f"not a number: {value!r}") from error
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def parse_date(value) -> datetime.date:
    """Read a date as an ISO date (2025-12-31) or in Finnish (31.12.2025)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {value!r}")


def parse_bool(value) -> bool:
    """Read yes/no in Finnish, Swedish or English, or as 1/0 and true/false."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"not a yes/no value: {value!r}")


def plain_decimal(number: Decimal | None) -> Decimal | None:
    """Return `number` without trailing zeros or an exponent (1000.00 -> 1000)."""
    if number is None:
        return None
    return Decimal(format(number.normalize(), "f"))


def decimal_to_json(field: DefinableField, number: Decimal) -> str:
    """Return the stored text of a number or an amount."""
    places, _digits = NUMBER_LIMITS[field.field_type]
    if field.field_type == FieldType.MONEY:
        return format(number.quantize(Decimal(1).scaleb(-places)), "f")
    if number == 0:
        return "0"
    return format(number.normalize(), "f")


def _check_number(field: DefinableField, number: Decimal) -> None:
    places, digits = NUMBER_LIMITS[field.field_type]
    if abs(number) >= Decimal(10) ** digits:
        raise ValidationError(_("The number is too large."), code="too_large")
    if number != number.quantize(Decimal(1).scaleb(-places)):
        if field.field_type == FieldType.MONEY:
            raise ValidationError(
                _("Enter an amount with at most two decimals."), code="decimals"
            )
        raise ValidationError(
            _("Enter a number with at most %(places)s decimals."),
            code="decimals",
            params={"places": places},
        )
    if field.min_value is not None and number < field.min_value:
        raise ValidationError(
            _("Enter at least %(limit)s."),
            code="min_value",
            params={"limit": formats.number_format(plain_decimal(field.min_value))},
        )
    if field.max_value is not None and number > field.max_value:
        raise ValidationError(
            _("Enter at most %(limit)s."),
            code="max_value",
            params={"limit": formats.number_format(plain_decimal(field.max_value))},
        )


def _clean_text(field, raw, existing):
    if not isinstance(raw, str):
        raise ValidationError(_("Enter text."), code="invalid")
    text = raw.strip()
    if field.field_type == FieldType.TEXT:
        text = " ".join(text.split())
    limit = TEXT_LIMITS[field.field_type]
    if len(text) > limit:
        raise ValidationError(
            _("Enter at most %(limit)s characters."),
            code="max_length",
            params={"limit": limit},
        )
    return text or None


def _clean_number(field, raw, existing):
    try:
        number = parse_decimal(raw)
    except ValueError as error:
        if field.field_type == FieldType.MONEY:
            message = _("Enter an amount, e.g. 1250,50.")
        else:
            message = _("Enter a number, e.g. 12,5.")
        raise ValidationError(message, code="invalid") from error
    _check_number(field, number)
    return decimal_to_json(field, number)


def _clean_date(field, raw, existing):
    try:
        return parse_date(raw).isoformat()
    except ValueError as error:
        raise ValidationError(
            _("Enter a date, e.g. 31.12.2025."), code="invalid"
        ) from error


def _clean_boolean(field, raw, existing):
    try:
        return parse_bool(raw)
    except ValueError as error:
        raise ValidationError(_("Answer yes or no."), code="invalid") from error


def _clean_choice(field, raw, existing):
    allowed = {choice["value"] for choice in field.choices or []}
    # A stored value whose choice was since removed may stay as it is.
    kept = existing if isinstance(existing, list) else [existing]
    if not isinstance(raw, str) or (raw not in allowed and raw not in kept):
        raise ValidationError(
            _("%(value)s is not one of the choices."),
            code="invalid_choice",
            params={"value": raw},
        )
    return raw


def _clean_multi_choice(field, raw, existing):
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, (list, tuple, set)):
        raise ValidationError(_("Give a list of choices."), code="invalid_list")
    chosen = [_clean_choice(field, value, existing) for value in raw]
    ordered = [choice["value"] for choice in field.choices or []]
    ordered += [value for value in chosen if value not in ordered]
    return [value for value in ordered if value in chosen] or None


def _clean_link(field, raw, link_queryset):
    model = field.target_model
    if isinstance(raw, models.Model):
        pk = raw.pk if isinstance(raw, model) else None
    elif isinstance(raw, bool):
        pk = None
    else:
        try:
            pk = model._meta.pk.to_python(raw)
        except ValidationError:
            pk = None
    if pk is None or not link_queryset.filter(pk=pk).exists():
        raise ValidationError(
            _("Choose an existing %(model)s that you have access to."),
            code="invalid_link",
            params={"model": model._meta.verbose_name},
        )
    return pk if isinstance(pk, (int, str)) else str(pk)


def _clean_file(field, raw, existing):
    if raw is False:
        return None
    if isinstance(raw, str) and existing is not None and raw == existing:
        return existing
    if not isinstance(raw, UploadedFile):
        raise ValidationError(
            _("Upload the file; a file cannot be given by its name."),
            code="invalid_file",
        )
    extension = os.path.splitext(raw.name)[1].lstrip(".").lower()
    allowed = [ext.lower() for ext in _allowed_extensions()]
    if extension not in allowed:
        raise ValidationError(
            _("Files of type %(extension)s are not allowed. Allowed: %(allowed)s."),
            code="file_extension",
            params={"extension": extension or "?", "allowed": ", ".join(allowed)},
        )
    limit = getattr(settings, "DEFINABLE_FILE_MAX_BYTES", 20 * 1024 * 1024)
    if raw.size is not None and raw.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s MB."),
            code="file_size",
            params={"limit": limit // (1024 * 1024)},
        )
    return raw


def _allowed_extensions() -> list[str]:
    return getattr(
        settings,
        "DEFINABLE_FILE_EXTENSIONS",
        getattr(settings, "WAGTAILDOCS_EXTENSIONS", ["pdf", "png", "jpg", "txt"]),
    )


_CLEANERS = {
    FieldType.TEXT: _clean_text,
    FieldType.LONG_TEXT: _clean_text,
    FieldType.NUMBER: _clean_number,
    FieldType.MONEY: _clean_number,
    FieldType.DATE: _clean_date,
    FieldType.BOOLEAN: _clean_boolean,
    FieldType.CHOICE: _clean_choice,
    FieldType.MULTI_CHOICE: _clean_multi_choice,
}


def clean_value(
    field: DefinableField, raw, *, existing=None, link_queryset=None, required=None
):
    """Return the JSON value to store for `raw`, or None to store nothing.

    `required` overrides the field's own flag. File fields return the
    upload itself; `store_file` saves it once every value of the form is
    valid.
    """
    if field.field_type == FieldType.FILE:
        value = _clean_file(field, raw, existing) if raw is not None else existing
    elif raw in EMPTY or (isinstance(raw, str) and not raw.strip()):
        value = None
    elif field.field_type == FieldType.LINK:
        value = _clean_link(field, raw, link_queryset)
    else:
        value = _CLEANERS[field.field_type](field, raw, existing)
    required = field.required if required is None else required
    if value is None and required:
        raise ValidationError(_("This field is required."), code="required")
    return value


def store_file(model, upload: UploadedFile) -> str:
    """Save an uploaded file under definable/ and return its storage path."""
    # Replaced or cleared files stay in storage, unreachable from any record;
    # an upload on a form that later fails model validation stays too. A
    # storage lifecycle rule on definable/ can sweep them.
    meta = model._meta
    name = get_valid_filename(os.path.basename(upload.name)) or "file"
    path = "/".join(
        [FILE_PREFIX, meta.app_label, meta.model_name, uuid.uuid4().hex, name]
    )
    return default_storage.save(path, upload)


def store_uploads(model, extra: dict) -> dict:
    """Return `extra` with every upload in it saved and replaced by its path."""
    return {
        key: store_file(model, value) if isinstance(value, UploadedFile) else value
        for key, value in extra.items()
    }


def to_python(field: DefinableField, value):
    """Return a stored value as the Python value a Django form field expects."""
    if value is None:
        return None
    try:
        if field.field_type in (FieldType.NUMBER, FieldType.MONEY):
            return parse_decimal(value)
        if field.field_type == FieldType.DATE:
            return parse_date(value)
    except ValueError:
        return None
    return value


def display(field: DefinableField, value, *, instance=None) -> str:
    """Return a stored value as text for people, in the active language."""
    if value in EMPTY:
        return ""
    try:
        return _display(field, value, instance)
    except (ValueError, TypeError):
        # A value saved under an earlier definition of the field is shown as
        # it was stored rather than hidden.
        return str(value)


def _display(field, value, instance):
    kind = field.field_type
    if kind == FieldType.MONEY:
        return formats.number_format(parse_decimal(value), 2, force_grouping=True)
    if kind == FieldType.NUMBER:
        return formats.number_format(parse_decimal(value), force_grouping=True)
    if kind == FieldType.DATE:
        return formats.date_format(parse_date(value), "SHORT_DATE_FORMAT")
    if kind == FieldType.BOOLEAN:
        return _("Yes") if value is True else _("No")
    if kind == FieldType.CHOICE:
        return field.choice_label(value)
    if kind == FieldType.MULTI_CHOICE:
        return ", ".join(field.choice_label(item) for item in value)
    if kind == FieldType.LINK:
        return _link_display(field, value)
    if kind == FieldType.FILE:
        if instance is None or instance.pk is None:
            return file_name(value)
        return format_html(
            '<a href="{}">{}</a>', file_url(instance, field.key), file_name(value)
        )
    return str(value)


def _link_display(field, value) -> str:
    model = field.target_model
    target = model._default_manager.filter(pk=value).first() if model else None
    if target is None:
        return _("(deleted, #%(pk)s)") % {"pk": value}
    return str(target)


def import_value(field: DefinableField, text):
    """Convert one CSV/XLSX cell to the JSON value to store (None when empty).

    Accepts decimal commas and spaces in numbers, ISO and Finnish dates,
    yes/no words in three languages, and choices by value or by label.
    Raises ValidationError with a message naming what was expected.
    """
    if isinstance(text, str):
        text = text.strip()
    if text in EMPTY:
        return None
    kind = field.field_type
    if kind == FieldType.FILE:
        raise ValidationError(
            _("Files cannot be imported; upload them in the admin."), code="file"
        )
    if kind == FieldType.BOOLEAN and isinstance(text, (int, float)):
        text = str(int(text))
    if kind in CHOICE_TYPES:
        return _import_choices(field, str(text))
    if kind == FieldType.LINK:
        if isinstance(text, float) and text.is_integer():
            text = int(text)
        return _import_link(field, text)
    if kind in (FieldType.TEXT, FieldType.LONG_TEXT):
        text = str(text)
    # Required values are checked for the whole row by clean_values; a
    # single cell is only converted here.
    return clean_value(field, text, required=False)


def _import_choices(field, text: str):
    by_word = {}
    for choice in field.choices or []:
        for word in (choice["value"], *(choice.get(code) for code in LANGUAGE_CODES)):
            if word:
                by_word.setdefault(word.strip().lower(), choice["value"])
    if field.field_type == FieldType.CHOICE:
        words = [text]
    else:
        words = [word for word in text.replace(";", ",").split(",") if word.strip()]
    values = []
    for word in words:
        value = by_word.get(word.strip().lower())
        if value is None:
            raise ValidationError(
                _("%(value)s is not one of the choices."),
                code="invalid_choice",
                params={"value": word.strip()},
            )
        values.append(value)
    if field.field_type == FieldType.CHOICE:
        return values[0]
    return _clean_multi_choice(field, values, None)


def _import_link(field, text):
    model = field.target_model
    try:
        pk = model._meta.pk.to_python(text)
    except ValidationError as error:
        raise ValidationError(
            _("Give the id of the linked %(model)s."),
            code="invalid_link",
            params={"model": model._meta.verbose_name},
        ) from error
    return pk


def export_value(field: DefinableField, value) -> str:
    """Convert a stored value to CSV/XLSX cell text that imports back unchanged.

    Numbers use the active language's decimal mark without grouping, dates
    are ISO, yes/no are words, choices their values, links the target's id
    and files their name.
    """
    if value in EMPTY:
        return ""
    kind = field.field_type
    if kind in (FieldType.NUMBER, FieldType.MONEY):
        text = str(value)
        mark = formats.get_format("DECIMAL_SEPARATOR")
        return text.replace(".", mark) if mark != "." else text
    if kind == FieldType.BOOLEAN:
        return _("yes") if value is True else _("no")
    if kind == FieldType.MULTI_CHOICE:
        return ", ".join(str(item) for item in value)
    if kind == FieldType.FILE:
        return file_name(value)
    return str(value)
