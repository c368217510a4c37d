"""Definable forms: extra fields that administrators attach to registered models.

A model registered with `definable_forms=True` keeps the values of its extra
fields in one JSONB column, `extra`, as `{key: value}`. `ExtraFieldsModel`
gives a module that column; `extra_index` gives it the GIN index that makes
containment filters (`extra @> {...}`) fast. The forms and fields below only
describe the values; deleting a field or a form never deletes stored data.
"""

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

LANGUAGE_CODES = ("fi", "sv", "en")

validate_key = RegexValidator(
    r"^[a-z][a-z0-9_]*\Z",
    _("Use lower-case letters a-z, digits and underscores, starting with a letter."),
    code="invalid_key",
)


def extra_index(name: str) -> GinIndex:
    """Return the GIN index on `extra` for a model's `Meta.indexes`."""
    return GinIndex(fields=["extra"], name=name)


class ExtraFieldsModel(models.Model):
    """Abstract base for models whose administrators may define extra forms.

    Inherit it and register the model with `definable_forms=True`. A model
    with a `Meta` of its own adds `extra_index("<app>_<model>_extra")` to
    `Meta.indexes` (names are limited to 30 characters, so the platform
    cannot pick one for every model).
    """

    extra = models.JSONField(_("extra fields"), default=dict, blank=True)

    class Meta:
        abstract = True


def _current_language() -> str:
    return (get_language() or "fi").split("-")[0].lower()


def _first_filled(get) -> str:
    preferred = _current_language()
    for code in (preferred, *LANGUAGE_CODES):
        value = get(code)
        if value:
            return value
    return ""


def localized(instance, prefix: str) -> str:
    """Return `<prefix>_<lang>` in the active language, else the first filled."""
    return _first_filled(lambda code: getattr(instance, f"{prefix}_{code}", ""))


def localized_choice(choice: dict) -> str:
    """Return a choice's label in the active language, else the first filled."""
    return _first_filled(choice.get)


def definable_models() -> list[type[models.Model]]:
    """Return the registered models that accept definable forms."""
    from cms.registry import registrations

    return [reg.model for reg in registrations() if reg.definable_forms]


def registered_models() -> list[type[models.Model]]:
    """Return every registered model (the possible targets of a link field)."""
    from cms.registry import registrations

    return [reg.model for reg in registrations()]


def _content_type_q(model_list) -> Q:
    content_types = ContentType.objects.get_for_models(
        *model_list, for_concrete_models=False
    )
    return Q(pk__in=[content_type.pk for content_type in content_types.values()])


def definable_content_types() -> Q:
    """Limit a content type choice to the models that accept definable forms."""
    return _content_type_q(definable_models())


def registered_content_types() -> Q:
    """Limit a content type choice to registered models."""
    return _content_type_q(registered_models())


class FieldType(models.TextChoices):
    TEXT = "text", _("Text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", pgettext_lazy("field type", "Number")
    MONEY = "money", _("Money")
    DATE = "date", _("Date")
    BOOLEAN = "boolean", _("Yes/no")
    CHOICE = "choice", _("Choice")
    MULTI_CHOICE = "multi_choice", _("Multiple choice")
    LINK = "link", _("Link to an object")
    FILE = "file", _("File")


CHOICE_TYPES = (FieldType.CHOICE, FieldType.MULTI_CHOICE)
NUMERIC_TYPES = (FieldType.NUMBER, FieldType.MONEY)


class ChoiceListField(models.JSONField):
    """A list of choices `[{"value", "fi", "sv", "en"}]`, edited as lines."""

    def formfield(self, **kwargs):
        from cms.definable.forms import ChoiceListFormField

        return super().formfield(**{"form_class": ChoiceListFormField, **kwargs})


class ModelTypeKey(models.ForeignKey):
    """A link to a content type, chosen in forms by the model's name."""

    def formfield(self, **kwargs):
        from cms.definable.forms import ModelTypeChoiceField

        return super().formfield(**{**kwargs, "form_class": ModelTypeChoiceField})


class DefinableForm(ClusterableModel):
    """An extra form that administrators attach to one registered model."""

    name_fi = models.CharField(_("name in Finnish"), max_length=200, blank=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    content_type = ModelTypeKey(
        ContentType,
        verbose_name=_("attached to"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=definable_content_types,
        help_text=_("The kind of record that gets these extra fields."),
    )
    company = models.ForeignKey(
        "core.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Leave empty to use the form in every company."),
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive forms are hidden; their saved values are kept."),
    )
    order = models.IntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("extra form")
        verbose_name_plural = _("extra forms")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name") or str(_("Extra form"))

    def clean(self):
        if not (self.name_fi or self.name_sv or self.name_en):
            raise ValidationError(
                {"name_fi": _("Give the form a name in at least one language.")}
            )


class DefinableField(Orderable):
    """One field of a definable form; its value lives in `extra[key]`."""

    form = ParentalKey(
        DefinableForm,
        verbose_name=_("form"),
        on_delete=models.CASCADE,
        related_name="fields",
    )
    key = models.CharField(
        _("key"),
        max_length=40,
        validators=[validate_key],
        help_text=_(
            "The name the value is stored under, e.g. contract_end. It cannot "
            "be changed once values are saved."
        ),
    )
    field_type = models.CharField(
        _("type"), max_length=20, choices=FieldType.choices, default=FieldType.TEXT
    )
    required = models.BooleanField(_("required"), default=False)
    label_fi = models.CharField(_("label in Finnish"), max_length=200, blank=True)
    label_sv = models.CharField(_("label in Swedish"), max_length=200, blank=True)
    label_en = models.CharField(_("label in English"), max_length=200, blank=True)
    help_text_fi = models.CharField(
        _("help text in Finnish"), max_length=500, blank=True
    )
    help_text_sv = models.CharField(
        _("help text in Swedish"), max_length=500, blank=True
    )
    help_text_en = models.CharField(
        _("help text in English"), max_length=500, blank=True
    )
    choices = ChoiceListField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_(
            "For choice fields: one choice per line as "
            "value | Finnish | Swedish | English, e.g. gold | Kulta | Guld | Gold."
        ),
    )
    min_value = models.DecimalField(
        _("minimum"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    target_content_type = ModelTypeKey(
        ContentType,
        verbose_name=_("links to"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to=registered_content_types,
        help_text=_("For link fields: the kind of record the field points to."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("extra field")
        verbose_name_plural = _("extra fields")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label") or self.key

    @property
    def help_text(self) -> str:
        return localized(self, "help_text")

    @property
    def form_field_name(self) -> str:
        """Return the name of this field in generated Django forms."""
        return f"extra__{self.key}"

    @property
    def target_model(self):
        if self.target_content_type_id is None:
            return None
        return self.target_content_type.model_class()

    def choice_label(self, value: str) -> str:
        """Return the label of a choice value, or the value if it was removed."""
        for choice in self.choices or []:
            if choice.get("value") == value:
                return localized_choice(choice) or value
        return value

    def choice_pairs(self) -> list[tuple[str, str]]:
        """Return the choices as (value, label in the active language)."""
        return [
            (choice["value"], localized_choice(choice) or choice["value"])
            for choice in self.choices or []
        ]

    def clean(self):
        errors = {}
        if self.field_type in CHOICE_TYPES and not self.choices:
            errors["choices"] = _("A choice field needs at least one choice.")
        if self.field_type == FieldType.LINK and self.target_content_type_id is None:
            errors["target_content_type"] = _(
                "Choose the kind of record the link points to."
            )
        if (
            self.field_type in NUMERIC_TYPES
            and self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            errors["max_value"] = _("The maximum is smaller than the minimum.")
        if errors:
            raise ValidationError(errors)
