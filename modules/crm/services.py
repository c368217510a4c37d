"""Writes to the customer register.

The services follow the platform's signatures (`cms.registry.Services`) and
write through the generic services, so every change is validated and lands
in the audit log. Organisations and persons are archived rather than
deleted: invoices, orders and processes keep pointing at them.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms.definable.api import clean_values
from cms.services import create_object, delete_object, update_object
from modules.core.audit import record_change, snapshot
from modules.core.models import Role
from modules.core.scoping import require_role
from modules.core.validators import normalize_vat_number, vat_number_for_business_id
from modules.crm.models import (
    Classification,
    Contact,
    Organisation,
    Person,
    PersonViewEntry,
    Process,
    ProcessType,
    SavedProcessSearch,
    SiteCompany,
)
from modules.crm.selectors import (
    editable_classifications,
    editable_process_types,
    editable_schemes,
    extranet_organisations,
    process_type_fields,
)

logger = logging.getLogger(__name__)

# The data key of the answers to a process type's own form.
TYPE_VALUES = "type_values"


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


def _date_consent(data: dict, current=None) -> None:
    """Date a consent given without a date today; forget it when withdrawn."""
    if "marketing_consent" not in data:
        return
    if data["marketing_consent"]:
        if not data.get("consent_date"):
            data["consent_date"] = current or timezone.localdate()
    else:
        data["consent_date"] = None


@transaction.atomic
def create_person(*, company, user, data: dict) -> Person:
    """Register a person, refusing an email address already registered."""
    _require_company(company)
    data, classifications = _split_classifications(data)
    data.pop("organisations", None)
    _check_email(company=company, data=data)
    _date_consent(data)

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
    _date_consent(data, instance.consent_date if instance.marketing_consent else None)

    person = update_object(instance=instance, user=user, data=data)
    if classifications is not None:
        _merge_classifications(instance=person, user=user, wanted=classifications)
    return person


def archive_person(*, instance, user) -> None:
    """Archive a person; documents that refer to them keep working."""
    update_object(instance=instance, user=user, data={"is_archived": True})


@transaction.atomic
def anonymise_person(*, instance, user) -> Person:
    """Erase a person's personal data but keep the row documents point at.

    The texts of their processes are cleared too. The audit entry records
    the result only, so that the erased values are not written again.
    """
    person = Person.objects.select_for_update().get(pk=instance.pk)
    processes = list(
        person.processes.select_for_update().select_related("process_type")
    )

    person.first_name = ""
    person.last_name = _("Anonymised person %(number)s") % {"number": person.pk}
    person.email = ""
    person.phone = ""
    person.marketing_consent = False
    person.consent_date = None
    person.consent_source = ""
    person.extra = {}
    person.is_archived = True
    person.save()
    person.classifications.clear()
    for process in processes:
        process.title = str(process.process_type)
        process.description = ""
        process.save(update_fields=["title", "description"])
        record_change(
            instance=process, user=user, action="update", after=snapshot(process)
        )
    record_change(instance=person, user=user, action="update", after=snapshot(person))
    logger.info("Person %s anonymised by %s", person.pk, user)
    return person


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


# Processes


def _check_transition(*, process_type, source: str, target: str) -> None:
    if target not in process_type.state_codes():
        raise ValidationError(
            {
                "state": _("%(state)s is not a state of %(type)s.")
                % {"state": target, "type": process_type}
            },
            code="unknown_state",
        )
    if not process_type.allows(source, target):
        raise ValidationError(
            {
                "state": _("A process cannot move from %(source)s to %(target)s.")
                % {
                    "source": process_type.state_name(source),
                    "target": process_type.state_name(target),
                }
            },
            code="transition_not_allowed",
        )


def _closed_at(process_type, state, current):
    if state in (process_type.closed_states or []):
        return current or timezone.now()
    return None


def _require_handled_type(*, user, process_type) -> None:
    """Refuse a user outside the groups that handle `process_type`."""
    if user is None or process_type is None:
        return
    handled = editable_process_types(user, company=process_type.company_id)
    if not handled.filter(pk=process_type.pk).exists():
        raise PermissionDenied(
            _("You may not handle processes of the type %(type)s.")
            % {"type": process_type}
        )


def _clean_type_values(*, data: dict, process_type, user, existing, partial) -> None:
    """Validate the answers to the type's own form into `data["extra"]`.

    The answers come as `type_values` ({key: value}), from the admin form,
    the extranet or the API; errors are keyed `type_values.<key>`.
    """
    raw = data.pop("type_values", None)
    fields = process_type_fields(process_type)
    if raw is None and partial:
        return
    if not isinstance(raw, dict | None):
        raise ValidationError(
            {"type_values": _("Give the form's answers as {key: value}.")},
            code="invalid",
        )
    try:
        data["extra"] = clean_values(
            Process,
            raw or {},
            company=process_type.company_id,
            user=user,
            existing=data.get("extra", existing),
            partial=partial,
            fields=fields,
        )
    except ValidationError as error:
        raise ValidationError(
            {
                f"{TYPE_VALUES}.{key}": messages
                for key, messages in error.message_dict.items()
            }
        ) from error


@transaction.atomic
def create_process(*, company, user, data: dict) -> Process:
    """Open a process in its type's first state.

    The answers to the type's own form (`type_values`) are validated
    against it; the user must be in a group that handles the type.
    """
    _require_company(company)
    data = dict(data)
    process_type = data.get("process_type")
    if process_type is not None:
        _require_handled_type(user=user, process_type=process_type)
        initial = process_type.initial_state()
        if data.get("state") and data["state"] != initial:
            raise ValidationError(
                {
                    "state": _("A new process starts in the state %(state)s.")
                    % {"state": process_type.state_name(initial)}
                },
                code="not_initial_state",
            )
        data["state"] = initial
        data["closed_at"] = _closed_at(process_type, initial, None)
        _clean_type_values(
            data=data,
            process_type=process_type,
            user=user,
            existing={},
            partial=False,
        )
    else:
        data.pop("type_values", None)

    process = create_object(model=Process, company=company, user=user, data=data)
    logger.info("Process %s opened by %s", process.pk, user)
    return process


@transaction.atomic
def update_process(*, instance, user, data: dict) -> Process:
    """Change a process; a new state must be an allowed transition.

    A new due date lets the assignee be reminded again.
    """
    data = dict(data)
    locked = Process.objects.select_for_update().get(pk=instance.pk)
    process_type = data.get("process_type") or locked.process_type
    if process_type != locked.process_type:
        raise ValidationError(
            {"process_type": _("The type of a process cannot be changed.")},
            code="type_fixed",
        )
    _require_handled_type(user=user, process_type=process_type)
    target = data.get("state") or locked.state
    if target != locked.state:
        _check_transition(process_type=process_type, source=locked.state, target=target)
        data["closed_at"] = _closed_at(process_type, target, locked.closed_at)
    if "due_date" in data and data["due_date"] != locked.due_date:
        data["reminded_at"] = None
    _clean_type_values(
        data=data,
        process_type=process_type,
        user=user,
        existing=locked.extra,
        partial=True,
    )

    return update_object(instance=locked, user=user, data=data)


def transition_process(*, process, user, state: str) -> Process:
    """Move a process to `state` if its type allows it from the current one."""
    return update_process(instance=process, user=user, data={"state": state})


def _submitted_values(submission) -> list[tuple[object, str, str]]:
    """Return (form field, label, text) for each answer of a submission."""
    data = submission.get_data()
    page = submission.page.specific
    rows = []
    for field in page.get_form_fields():
        value = data.get(field.clean_name)
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        rows.append((field, field.label, "" if value is None else str(value)))
    return rows


def _person_for(*, company, email: str, name: str) -> Person | None:
    if not email:
        return None
    existing = Person.objects.filter(company=company, email__iexact=email).first()
    if existing is not None:
        return existing
    first, _space, last = name.strip().rpartition(" ")
    return create_person(
        company=company,
        user=None,
        data={"first_name": first, "last_name": last or email, "email": email},
    )


@transaction.atomic
def record_contact_form_submission(*, submission) -> list[Process]:
    """Turn a contact-form message into a process in each receiving company.

    When the page's site is mapped to a company (`SiteCompany`), only that
    company receives it. The sender is matched to a person by email
    address, or registered as a new person; the process links to that
    person's organisation when they are a contact of exactly one.
    """
    rows = _submitted_values(submission)
    email = next(
        (text for field, _label, text in rows if field.field_type == "email"), ""
    )
    name = next(
        (text for field, _label, text in rows if field.field_type == "singleline"), ""
    )
    description = "\n".join(f"{label}: {text}" for _field, label, text in rows)
    page = submission.page

    processes = []
    receiving = ProcessType.objects.filter(receives_contact_forms=True)
    site_company = _site_company(page)
    if site_company is not None:
        receiving = receiving.filter(company=site_company)
    for process_type in receiving.select_related("company").order_by("company", "pk"):
        company = process_type.company
        person = _person_for(company=company, email=email, name=name)
        organisations = list(person.organisations.all()[:2]) if person else []
        processes.append(
            create_process(
                company=company,
                user=None,
                data={
                    "process_type": process_type,
                    "title": f"{page.title}: {name or email}"[:200],
                    "person": person,
                    "organisation": organisations[0]
                    if len(organisations) == 1
                    else None,
                    "description": description,
                    "source": page.title[:100],
                },
            )
        )
    return processes


def _site_company(page):
    """Return the company a page's own mapping or its site's names, or None."""
    mapping = SiteCompany.objects.filter(page=page).select_related("company").first()
    if mapping is None:
        site = page.get_site()
        if site is None:
            return None
        mapping = (
            SiteCompany.objects.filter(site=site).select_related("company").first()
        )
    return mapping.company if mapping is not None else None


# Where contact forms land


def _check_receiver(*, company, data: dict, instance=None) -> None:
    """Refuse a site or page that another company's forms already come from."""
    from pages.models import ContactFormPage

    site, page = data.get("site"), data.get("page")
    if (site is None) == (page is None):
        raise ValidationError(_("Choose either a site or a page."), code="site_or_page")
    others = SiteCompany.objects.exclude(company=company)
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    if site is not None and others.filter(site=site).exists():
        raise ValidationError(
            {"site": _("This site already sends its forms to another company.")},
            code="site_taken",
        )
    if page is None:
        return
    if page.specific_class is not ContactFormPage:
        raise ValidationError({"page": _("Choose a contact form page.")})
    if others.filter(page=page).exists():
        raise ValidationError(
            {"page": _("This page already sends its forms to another company.")},
            code="page_taken",
        )
    if others.filter(site=page.get_site()).exists():
        raise ValidationError(
            {"page": _("The page's site sends its forms to another company.")},
            code="site_taken",
        )


def _require_administrator(*, user, company) -> None:
    if user is not None:
        require_role(user, company, [Role.ADMINISTRATOR])


@transaction.atomic
def create_form_receiver(*, company, user, data: dict) -> SiteCompany:
    """Send the contact forms of a site or page to `company`'s register.

    Only the company's administrators map its forms, and never a site or
    page whose forms another company already receives.
    """
    _require_company(company)
    _require_administrator(user=user, company=company)
    _check_receiver(company=company, data=data)

    receiver = create_object(model=SiteCompany, company=company, user=user, data=data)
    logger.info("Contact forms of %s go to company %s", receiver, company.pk)
    return receiver


@transaction.atomic
def update_form_receiver(*, instance, user, data: dict) -> SiteCompany:
    """Change which site or page of its own a company's forms come from."""
    _require_administrator(user=user, company=instance.company)
    values = {"site": instance.site, "page": instance.page, **data}
    _check_receiver(company=instance.company, data=values, instance=instance)

    return update_object(instance=instance, user=user, data=data)


def delete_form_receiver(*, instance, user) -> None:
    """Stop sending a site's or page's forms to the company."""
    _require_administrator(user=user, company=instance.company)
    delete_object(instance=instance, user=user)


# Extranet requests


@transaction.atomic
def submit_extranet_request(
    *, person, process_type, organisation, title: str, description: str, values=None
) -> Process:
    """Record a partner's or customer's request as a process of their own.

    The person must be a contact of `organisation` and the type must be
    open to extranet requests in the person's company; anything else is
    refused, so that nobody files a request for another company.
    """
    if (
        process_type.company_id != person.company_id
        or not process_type.extranet_request
    ):
        raise PermissionDenied(_("You may not send requests of this type."))
    if not extranet_organisations(person).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("You may not send requests for this organisation."))
    if not title.strip():
        raise ValidationError({"title": _("Give the request a subject.")})

    process = create_process(
        company=person.company,
        user=None,
        data={
            "process_type": process_type,
            "title": title.strip()[:200],
            "description": description,
            "organisation": organisation,
            "person": person,
            "source": _("Extranet"),
            "type_values": values or {},
        },
    )
    logger.info("Extranet request %s sent by person %s", process.pk, person.pk)
    return process


# Reminders


def _reminder_text(process) -> tuple[str, str]:
    subject = _("Reminder: %(title)s is due %(date)s") % {
        "title": process.title,
        "date": process.due_date.strftime("%d.%m.%Y"),
    }
    lines = [
        subject,
        "",
        _("Type: %(type)s") % {"type": process.process_type},
        _("State: %(state)s") % {"state": process.state_name},
    ]
    if process.organisation_id:
        lines.append(_("Organisation: %(name)s") % {"name": process.organisation})
    return subject, "\n".join(lines)


def send_process_reminders(*, now=None) -> int:
    """Email the assignee of each open process that is due soon or overdue.

    "Soon" is the type's `reminder_days` before the due date. Each process
    is reminded once (until its due date changes); a row is claimed with
    SKIP LOCKED and marked in the same transaction as its email is sent,
    so parallel or repeated runs never email twice. Returns the count.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    longest = ProcessType.objects.aggregate(days=Max("reminder_days"))["days"] or 0
    horizon = today + timedelta(days=longest)
    candidates = Process.objects.filter(
        closed_at__isnull=True,
        reminded_at__isnull=True,
        due_date__isnull=False,
        due_date__lte=horizon,
        assignee__isnull=False,
    ).exclude(assignee__email="")
    sent = 0
    for pk in candidates.order_by("due_date", "pk").values_list("pk", flat=True):
        with transaction.atomic():
            process = (
                Process.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("process_type", "assignee", "organisation")
                .filter(pk=pk, reminded_at__isnull=True, closed_at__isnull=True)
                .first()
            )
            if process is None:
                continue
            due_from = process.due_date - timedelta(
                days=process.process_type.reminder_days
            )
            if today < due_from:
                continue
            language = getattr(process.assignee, "wagtail_userprofile", None)
            with translation.override(
                getattr(language, "preferred_language", "") or "fi"
            ):
                subject, body = _reminder_text(process)
            send_mail(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [process.assignee.email],
            )
            process.reminded_at = now
            process.save(update_fields=["reminded_at"])
            sent += 1
    logger.info("Process reminders sent: %s", sent)
    return sent


# Saved searches


def save_process_search(*, company, user, name: str, query: str, shared_with=None):
    """Keep the finder's current filters under a name, maybe for a group."""
    _require_company(company)
    if shared_with is not None and not user.groups.filter(pk=shared_with.pk).exists():
        raise ValidationError(
            {"shared_with": _("Share searches only with your own groups.")}
        )

    return create_object(
        model=SavedProcessSearch,
        company=company,
        user=user,
        data={"owner": user, "name": name, "query": query, "shared_with": shared_with},
    )


def delete_process_search(*, instance, user) -> None:
    """Delete one of the user's own saved searches."""
    if instance.owner_id != user.pk:
        raise PermissionDenied(_("Only its owner deletes a saved search."))
    instance.delete()


# Who viewed a person


def log_person_view(*, person, user, channel: str) -> PersonViewEntry:
    """Record that `user` looked at `person`'s data through `channel`."""
    return PersonViewEntry.objects.create(
        company_id=person.company_id, person=person, user=user, channel=channel
    )


def log_graphql_person_view(person, user) -> None:
    """Log a person read by id over GraphQL (the registry's `on_detail`)."""
    log_person_view(person=person, user=user, channel=PersonViewEntry.Channel.GRAPHQL)
