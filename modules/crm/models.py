"""The customer register: organisations, persons, their contacts and classes.

Every row belongs to one of our companies. Organisations and persons carry
administrator-defined extra forms in `extra`; classifications are trees
grouped in schemes whose visibility is decided per auth group.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, Lower
from django.utils.translation import gettext_lazy as _

from cms.definable.models import (
    DefinableForm,
    ExtraFieldsModel,
    extra_index,
    localized,
)
from modules.core.models import Company
from modules.core.validators import validate_business_id


def _language_choices():
    return settings.LANGUAGES


# Register search is language-neutral: names and addresses are not Finnish
# words to stem, and one register holds all three languages.
SEARCH_CONFIG = "simple"

SEARCH_FIELDS = {
    "organisation": ("name", "business_id", "city", "industry"),
    "person": ("first_name", "last_name", "email", "phone"),
    "process": ("title", "description"),
}


def _document(model_name: str) -> SearchVector:
    fields = SEARCH_FIELDS[model_name]
    return SearchVector(
        *fields, Cast("extra", models.TextField()), config=SEARCH_CONFIG
    )


def search_vector(model) -> SearchVector:
    """Return the full-text document of a register model, as its index has it."""
    return _document(model._meta.model_name)


def _search_index(model_name: str) -> GinIndex:
    return GinIndex(_document(model_name), name=f"crm_{model_name}_search")


class ClassificationScheme(models.Model):
    """A tree of classifications, such as segment, customer class or interests.

    Groups in `view_groups` see the scheme's classifications and groups in
    `edit_groups` also set them; a scheme without view groups is seen by
    everyone in the company.
    """

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    code = models.SlugField(_("code"), max_length=50)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100, blank=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    for_organisations = models.BooleanField(_("for organisations"), default=True)
    for_persons = models.BooleanField(_("for persons"), default=True)
    view_groups = models.ManyToManyField(
        "auth.Group",
        verbose_name=_("groups that see it"),
        related_name="+",
        blank=True,
        help_text=_("Leave empty to show the scheme to everyone in the company."),
    )
    edit_groups = models.ManyToManyField(
        "auth.Group",
        verbose_name=_("groups that set it"),
        related_name="+",
        blank=True,
        help_text=_("Leave empty to let everyone who sees the scheme set it."),
    )

    class Meta:
        verbose_name = _("classification scheme")
        verbose_name_plural = _("classification schemes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"],
                name="crm_scheme_code_unique",
                violation_error_message=_("The company already has this scheme."),
            )
        ]

    def __str__(self):
        return localized(self, "name")


class Classification(models.Model):
    """One node of a classification tree."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    scheme = models.ForeignKey(
        ClassificationScheme,
        verbose_name=_("scheme"),
        related_name="classifications",
        on_delete=models.CASCADE,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        related_name="children",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100, blank=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        ordering = ["scheme__code", "name_fi"]

    def __str__(self):
        return f"{self.scheme}: {localized(self, 'name')}"

    def clean(self):
        errors = {}
        if self.scheme_id and self.scheme.company_id != self.company_id:
            errors["scheme"] = _("Choose a scheme of the same company.")
        if self.parent_id and self.parent.scheme_id != self.scheme_id:
            errors["parent"] = _("The parent must be in the same scheme.")
        elif self.pk and self.parent_id and self._is_ancestor_of_parent():
            errors["parent"] = _("A classification cannot be under itself.")
        if errors:
            raise ValidationError(errors)

    def _is_ancestor_of_parent(self) -> bool:
        node = self.parent
        while node is not None:
            if node.pk == self.pk:
                return True
            node = node.parent
        return False


class Organisation(ExtraFieldsModel):
    """A customer, prospect, supplier or partner organisation of a company."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=200)
    business_id = models.CharField(
        _("business ID"),
        max_length=9,
        blank=True,
        validators=[validate_business_id],
        help_text=_("Finnish business ID (Y-tunnus), e.g. 2077474-0."),
    )
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    is_customer = models.BooleanField(_("customer"), default=False)
    is_prospect = models.BooleanField(_("prospect"), default=False)
    is_supplier = models.BooleanField(_("supplier"), default=False)
    is_partner = models.BooleanField(_("partner"), default=False)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        related_name="subsidiaries",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    language = models.CharField(
        _("language"), max_length=5, choices=_language_choices, default="fi"
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    visiting_address = models.CharField(
        _("visiting address"), max_length=200, blank=True
    )
    visiting_postal_code = models.CharField(
        _("visiting postal code"), max_length=20, blank=True
    )
    visiting_city = models.CharField(_("visiting city"), max_length=100, blank=True)
    postal_address = models.CharField(_("postal address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(
        _("country"), max_length=2, default="FI", help_text=_("ISO code, e.g. FI.")
    )
    billing_address = models.CharField(
        _("billing address"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty when invoices go to the postal address."),
    )
    billing_postal_code = models.CharField(
        _("billing postal code"), max_length=20, blank=True
    )
    billing_city = models.CharField(_("billing city"), max_length=100, blank=True)
    einvoice_address = models.CharField(
        _("e-invoice address"),
        max_length=35,
        blank=True,
        help_text=_("OVT code or IBAN the e-invoices are sent to."),
    )
    einvoice_operator = models.CharField(
        _("e-invoice operator"),
        max_length=35,
        blank=True,
        help_text=_("The operator's code or the bank's BIC."),
    )
    classifications = models.ManyToManyField(
        Classification,
        verbose_name=_("classifications"),
        related_name="organisations",
        blank=True,
    )
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            extra_index("crm_organisation_extra"),
            _search_index("organisation"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "business_id"],
                condition=~Q(business_id=""),
                name="crm_organisation_business_id_unique",
                violation_error_message=_(
                    "An organisation with this business ID is already registered."
                ),
            )
        ]

    def __str__(self):
        return self.name


class Person(ExtraFieldsModel):
    """A person in the register, at one or more organisations or none."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=_language_choices, default="fi"
    )
    marketing_consent = models.BooleanField(_("marketing consent"), default=False)
    consent_date = models.DateField(_("consent date"), null=True, blank=True)
    consent_source = models.CharField(
        _("consent source"),
        max_length=100,
        blank=True,
        help_text=_("Where the consent was given, e.g. web form or trade fair."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("extranet user"),
        related_name="crm_person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_(
            "The partner's or customer's login: they see and send their "
            "organisation's requests on the extranet."
        ),
    )
    organisations = models.ManyToManyField(
        Organisation,
        through="Contact",
        verbose_name=_("organisations"),
        related_name="persons",
        blank=True,
    )
    classifications = models.ManyToManyField(
        Classification,
        verbose_name=_("classifications"),
        related_name="persons",
        blank=True,
    )
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["last_name", "first_name"]
        indexes = [extra_index("crm_person_extra"), _search_index("person")]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "company",
                condition=~Q(email=""),
                name="crm_person_email_unique",
                violation_error_message=_(
                    "A person with this email address is already registered."
                ),
            )
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()


class Contact(models.Model):
    """A person's role at an organisation."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        related_name="contacts",
        on_delete=models.CASCADE,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        related_name="contacts",
        on_delete=models.CASCADE,
    )
    title = models.CharField(_("job title"), max_length=100, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["organisation__name", "person__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"],
                name="crm_contact_unique",
                violation_error_message=_(
                    "The person is already a contact of this organisation."
                ),
            )
        ]

    def __str__(self):
        if self.title:
            return f"{self.person}, {self.title} ({self.organisation})"
        return f"{self.person} ({self.organisation})"

    def clean(self):
        for name in ("person", "organisation"):
            related = getattr(self, name, None) if getattr(self, f"{name}_id") else None
            if related is not None and related.company_id != self.company_id:
                raise ValidationError({name: _("Choose a record of the same company.")})


def _default_states():
    return [
        {"code": "new", "name": "New"},
        {"code": "in_progress", "name": "In progress"},
        {"code": "done", "name": "Done"},
    ]


def _default_transitions():
    return {"new": ["in_progress", "done"], "in_progress": ["done"], "done": []}


class ProcessType(models.Model):
    """A kind of work done with customers, with its states and transitions.

    `states` lists {"code", "name"} in order, the first being where a new
    process starts; `transitions` maps a state's code to the codes it may
    move to; `closed_states` are the codes that end the process.
    """

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    code = models.SlugField(_("code"), max_length=50)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100, blank=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    states = models.JSONField(
        _("states"),
        default=_default_states,
        help_text=_('A list like [{"code": "new", "name": "New"}, ...].'),
    )
    transitions = models.JSONField(
        _("allowed transitions"),
        default=_default_transitions,
        help_text=_('From state to states, like {"new": ["done"], "done": []}.'),
    )
    closed_states = models.JSONField(_("closing states"), default=list, blank=True)
    receives_contact_forms = models.BooleanField(
        _("receives contact forms"),
        default=False,
        help_text=_(
            "Messages sent with the site's contact forms become processes of this type."
        ),
    )
    extranet_request = models.BooleanField(
        _("extranet request"),
        default=False,
        help_text=_(
            "Partners and customers may send requests of this type on the extranet."
        ),
    )
    form = models.ForeignKey(
        DefinableForm,
        verbose_name=_("form"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to={
            "content_type__app_label": "crm",
            "content_type__model": "process",
        },
        help_text=_(
            "An extra form attached to processes: its fields are asked on "
            "processes of this type only."
        ),
    )
    view_groups = models.ManyToManyField(
        "auth.Group",
        verbose_name=_("groups that see it"),
        related_name="+",
        blank=True,
        help_text=_("Leave empty to show processes of this type to everyone."),
    )
    edit_groups = models.ManyToManyField(
        "auth.Group",
        verbose_name=_("groups that handle it"),
        related_name="+",
        blank=True,
        help_text=_("Leave empty to let everyone who sees the type handle it."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind days before due"),
        default=1,
        help_text=_("The assignee is emailed this many days before the due date."),
    )

    class Meta:
        verbose_name = _("process type")
        verbose_name_plural = _("process types")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"],
                name="crm_process_type_code_unique",
                violation_error_message=_("The company already has this process type."),
            )
        ]

    def __str__(self):
        return localized(self, "name")

    def clean(self):
        codes = self.state_codes()
        errors = {}
        if not codes or len(codes) != len(set(codes)):
            errors["states"] = _("Give at least one state, each with its own code.")
        transitions = self.transitions if isinstance(self.transitions, dict) else None
        if transitions is None or any(
            source not in codes
            or not isinstance(targets, list)
            or not set(targets) <= set(codes)
            for source, targets in transitions.items()
        ):
            errors["transitions"] = _("Transitions may only name the states above.")
        if not isinstance(self.closed_states, list) or not set(
            self.closed_states
        ) <= set(codes):
            errors["closed_states"] = _("Closing states must be among the states.")
        if errors:
            raise ValidationError(errors)

    def state_codes(self) -> list[str]:
        """Return the codes of the states, in order."""
        if not isinstance(self.states, list):
            return []
        return [
            str(state.get("code"))
            for state in self.states
            if isinstance(state, dict) and state.get("code")
        ]

    def initial_state(self) -> str:
        """Return the state a new process starts in."""
        return self.state_codes()[0]

    def state_name(self, code: str) -> str:
        """Return the display name of a state."""
        for state in self.states or []:
            if isinstance(state, dict) and state.get("code") == code:
                return str(state.get("name") or code)
        return code

    def allows(self, source: str, target: str) -> bool:
        """Return whether a process may move from `source` to `target`."""
        return target in (self.transitions or {}).get(source, [])


class Process(ExtraFieldsModel):
    """A piece of work with a customer: a project, a meeting, a request."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    process_type = models.ForeignKey(
        ProcessType,
        verbose_name=_("process type"),
        related_name="processes",
        on_delete=models.PROTECT,
    )
    title = models.CharField(_("title"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        related_name="processes",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        related_name="processes",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    state = models.CharField(_("state"), max_length=50, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(
        _("source"),
        max_length=100,
        blank=True,
        help_text=_("Where the process came from, e.g. the contact form."),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["-created_at"]
        indexes = [extra_index("crm_process_extra"), _search_index("process")]

    def __str__(self):
        return self.title

    @property
    def state_name(self) -> str:
        return self.process_type.state_name(self.state)

    def clean(self):
        errors = {}
        for name in ("process_type", "organisation", "person"):
            related = getattr(self, name) if getattr(self, f"{name}_id") else None
            if related is not None and related.company_id != self.company_id:
                errors[name] = _("Choose a record of the same company.")
        if (
            not errors
            and self.process_type_id
            and self.state
            and self.state not in self.process_type.state_codes()
        ):
            errors["state"] = _("%(state)s is not a state of %(type)s.") % {
                "state": self.state,
                "type": self.process_type,
            }
        if errors:
            raise ValidationError(errors)


class SavedProcessSearch(models.Model):
    """A named set of process filters, kept by a user, maybe for a group."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        related_name="+",
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(
        _("filters"), max_length=2000, blank=True, help_text=_("The finder's query.")
    )
    shared_with = models.ForeignKey(
        "auth.Group",
        verbose_name=_("shared with"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("Members of this group see the search too."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved process search")
        verbose_name_plural = _("saved process searches")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PersonViewEntry(models.Model):
    """A record that a user looked at a person's data, and where."""

    class Channel(models.TextChoices):
        ADMIN = "admin", _("Admin card")
        GRAPHQL = "graphql", _("GraphQL")
        EXPORT = "export", _("Personal data export")

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        related_name="view_entries",
        on_delete=models.CASCADE,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("viewer"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
    )
    channel = models.CharField(_("where"), max_length=10, choices=Channel.choices)
    viewed_at = models.DateTimeField(_("viewed"), auto_now_add=True)

    class Meta:
        verbose_name = _("person view")
        verbose_name_plural = _("person views")
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["person", "-viewed_at"])]

    def __str__(self):
        return f"{self.person} / {self.user} / {self.viewed_at:%Y-%m-%d %H:%M}"


class SiteCompany(models.Model):
    """Which company's register the contact forms of a site or page feed.

    A site sends all its contact forms to one company; a contact-form page
    mapped on its own goes to its company instead, so companies that share
    a site each receive their own page's messages.
    """

    site = models.OneToOneField(
        "wagtailcore.Site",
        verbose_name=_("site"),
        related_name="crm_company",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("contact form page"),
        related_name="crm_company",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("receiver of contact forms")
        verbose_name_plural = _("receivers of contact forms")
        constraints = [
            models.CheckConstraint(
                condition=Q(site__isnull=False, page__isnull=True)
                | Q(site__isnull=True, page__isnull=False),
                name="crm_site_company_site_or_page",
                violation_error_message=_("Choose either a site or a page."),
            )
        ]

    def __str__(self):
        return f"{self.site or self.page} → {self.company}"
