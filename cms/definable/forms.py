"""Forms: defining extra forms in the admin, and filling them in on records."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import CharField, Func, Q
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from cms.definable import api, values
from cms.definable.filters import NUMBER_PATTERN
from cms.definable.models import LANGUAGE_CODES, FieldType

CHOICE_VALUE = re.compile(r"^[\w-]+\Z")
MONEY_PATTERN = r"^-?[0-9]+(\.[0-9]{1,2})?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


class ModelTypeChoiceField(forms.ModelChoiceField):
    """Choose a kind of record by its name rather than its app and model code."""

    def label_from_instance(self, obj):
        model = obj.model_class()
        if model is None:
            return str(obj)
        app_name = model._meta.app_config.verbose_name
        return f"{capfirst(model._meta.verbose_name)} ({app_name})"


class ChoiceListFormField(forms.Field):
    """Edit a list of choices as lines of `value | Finnish | Swedish | English`."""

    widget = forms.Textarea(attrs={"rows": 4})
    default_error_messages = {
        "invalid_value": gettext_lazy(
            "Line %(line)s: start with a value of letters, digits, - or _."
        ),
        "duplicate": gettext_lazy("Line %(line)s: the value %(value)s is repeated."),
        "too_many": gettext_lazy(
            "Line %(line)s: give at most a value and three labels."
        ),
    }

    def __init__(self, *args, encoder=None, decoder=None, **kwargs):
        # The model field passes its JSON encoder and decoder; the lines need
        # neither.
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            return value
        lines = []
        for choice in value or []:
            parts = [
                choice.get("value", ""),
                *(choice.get(c, "") for c in LANGUAGE_CODES),
            ]
            while len(parts) > 1 and not parts[-1]:
                parts.pop()
            lines.append(" | ".join(parts))
        return "\n".join(lines)

    def to_python(self, value):
        if isinstance(value, list):
            return value
        choices = []
        seen = set()
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            params = {"line": number, "value": parts[0]}
            if len(parts) > 1 + len(LANGUAGE_CODES):
                raise ValidationError(self.error_messages["too_many"], params=params)
            if not CHOICE_VALUE.match(parts[0]):
                raise ValidationError(
                    self.error_messages["invalid_value"], params=params
                )
            if parts[0] in seen:
                raise ValidationError(self.error_messages["duplicate"], params=params)
            seen.add(parts[0])
            labels = parts[1:] + [""] * (len(LANGUAGE_CODES) - len(parts[1:]))
            choices.append(
                {"value": parts[0], **dict(zip(LANGUAGE_CODES, labels, strict=True))}
            )
        return choices

    def has_changed(self, initial, data):
        try:
            return self.to_python(self.prepare_value(initial)) != self.to_python(data)
        except ValidationError:
            return True


_FITS = {
    FieldType.TEXT: Q(_json_type="string"),
    FieldType.LONG_TEXT: Q(_json_type="string"),
    FieldType.CHOICE: Q(_json_type="string"),
    FieldType.FILE: Q(_json_type="string"),
    FieldType.NUMBER: Q(_json_type="string", _json_text__regex=NUMBER_PATTERN),
    FieldType.MONEY: Q(_json_type="string", _json_text__regex=MONEY_PATTERN),
    FieldType.DATE: Q(_json_type="string", _json_text__regex=DATE_PATTERN),
    FieldType.BOOLEAN: Q(_json_type="boolean"),
    FieldType.MULTI_CHOICE: Q(_json_type="array"),
    FieldType.LINK: Q(_json_type__in=["number", "string"]),
}


def _with_values(model, key: str):
    return model._base_manager.filter(extra__has_key=key)


def has_values(model, key: str) -> bool:
    """Return whether any record of `model` has a value under `key`."""
    return _with_values(model, key).exists()


def values_fit(model, key: str, field_type: str) -> bool:
    """Return whether every stored value under `key` fits `field_type`."""
    misfits = (
        _with_values(model, key)
        .annotate(
            _json_type=Func(
                KeyTransform(key, "extra"),
                function="jsonb_typeof",
                output_field=CharField(),
            ),
            _json_text=KeyTextTransform(key, "extra"),
        )
        .exclude(_FITS[field_type] | Q(_json_type="null"))
    )
    return not misfits.exists()


class DefinableFormAdminForm(WagtailAdminModelForm):
    """The admin form of an extra form and its fields.

    Beyond each field's own checks it makes sure that keys are unique among
    all forms of the same model, that a key stays fixed once records have
    values under it, that saved values fit a field's (new) type, and that a
    form whose fields hold values is not moved to another model.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from modules.core.scoping import companies_for

        if "company" in self.fields and getattr(self, "for_user", None) is not None:
            self.fields["company"].queryset = companies_for(self.for_user)

    def is_valid(self):
        valid = super().is_valid()
        if valid:
            self._check_definition()
        return valid and not self.errors and not self._child_errors()

    def _child_errors(self) -> bool:
        formset = self.formsets["fields"]
        return any(form.errors for form in self._live_forms(formset))

    @staticmethod
    def _live_forms(formset):
        deleted = set(formset.deleted_forms)
        return [
            form
            for form in formset.forms
            if form not in deleted and getattr(form, "cleaned_data", None)
        ]

    def _check_definition(self) -> None:
        content_type = self.cleaned_data["content_type"]
        model = content_type.model_class()
        formset = self.formsets["fields"]
        self._check_move(model)
        seen = set()
        others = self._keys_of_other_forms(content_type)
        for child in self._live_forms(formset):
            data = child.cleaned_data
            key = data.get("key")
            if not key:
                continue
            if key in seen:
                child.add_error("key", _("Another field of this form uses this key."))
                continue
            seen.add(key)
            if key in others:
                child.add_error(
                    "key",
                    _("The form %(form)s already uses this key.")
                    % {"form": others[key]},
                )
                continue
            self._check_stored(model, child, key, data.get("field_type"))

    def _check_move(self, model) -> None:
        original = self.instance.pk and type(self.instance).objects.get(
            pk=self.instance.pk
        )
        if (
            not original
            or original.content_type_id == self.cleaned_data["content_type"].pk
        ):
            return
        old_model = original.content_type.model_class()
        if old_model is not None and any(
            has_values(old_model, field.key) for field in original.fields.all()
        ):
            self.add_error(
                "content_type",
                _(
                    "Records already have values in this form's fields, so the "
                    "form cannot be attached to another kind of record."
                ),
            )

    def _keys_of_other_forms(self, content_type) -> dict[str, str]:
        from cms.definable.models import DefinableField

        others = DefinableField.objects.filter(
            form__content_type=content_type
        ).select_related("form")
        if self.instance.pk:
            others = others.exclude(form=self.instance)
        return {field.key: field.form.name for field in others}

    def _check_stored(self, model, child, key: str, field_type: str) -> None:
        original_key = child.initial.get("key") if child.instance.pk else None
        if original_key and original_key != key and has_values(model, original_key):
            child.add_error(
                "key",
                _("Records have values under the key %(key)s, so it cannot be changed.")
                % {"key": original_key},
            )
            return
        unchanged = (
            original_key == key and child.initial.get("field_type") == field_type
        )
        if field_type and not unchanged and not values_fit(model, key, field_type):
            child.add_error(
                "field_type",
                _(
                    "Values saved under the key %(key)s are not of this type. "
                    "Choose a matching type or another key."
                )
                % {"key": key},
            )


class ExtraFieldsFormMixin:
    """Add a model's extra fields to an admin form and validate the answers.

    Mix it in before the form class (`with_extra_fields` in
    `cms.definable.panels` does this). After validation the new `extra`
    dict is in `cleaned_data["extra"]` and on `instance.extra`; new uploads
    are stored only when no field of the form has an error. `definable_company`
    names the company whose forms apply when the instance has none yet.
    """

    def __init__(self, *args, definable_company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.definable_company = (
            definable_company
            if definable_company is not None
            else api.company_of(self.instance)
        )
        self.fields.update(
            api.form_fields(
                self._meta.model,
                company=self.definable_company,
                user=getattr(self, "for_user", None),
                instance=self.instance,
            )
        )

    def clean(self):
        cleaned_data = super().clean()
        names = [name for name in self.fields if name.startswith(api.FORM_PREFIX)]
        answered = {name: cleaned_data[name] for name in names if name in cleaned_data}
        try:
            extra = api.clean_values(
                self._meta.model,
                api.values_from_form(answered),
                company=self.definable_company,
                user=getattr(self, "for_user", None),
                existing=self.instance.extra,
                partial=True,
                store_files=False,
            )
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                self.add_error(f"{api.FORM_PREFIX}{key}", messages)
            return cleaned_data
        if not self._errors:
            extra = values.store_uploads(self._meta.model, extra)
        cleaned_data["extra"] = extra
        self.instance.extra = extra
        return cleaned_data
