"""Reads of the customer register: what a user may see and set."""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Q, QuerySet

from modules.core.models import Role
from modules.core.scoping import scope_queryset
from modules.crm.models import (
    SEARCH_CONFIG,
    Classification,
    ClassificationScheme,
    Organisation,
    Person,
    Process,
    ProcessType,
    search_vector,
)


def _administered(user) -> Q:
    return Q(
        company__memberships__user=user,
        company__memberships__role=Role.ADMINISTRATOR,
    )


def _is_unlimited(user) -> bool:
    # Anonymous users see no company's rows at all (scope_queryset), and
    # superusers see every row: neither needs the group rules.
    return user is None or not user.is_authenticated or user.is_superuser


def _seen_by_groups(model, user) -> QuerySet:
    """Return the ids of rows whose view or edit groups admit `user`."""
    groups = user.groups.all()
    return model.objects.filter(
        Q(view_groups__isnull=True)
        | Q(view_groups__in=groups)
        | Q(edit_groups__in=groups)
        | _administered(user)
    ).values("pk")


def _handled_by_groups(model, user) -> QuerySet:
    """Return the ids of rows whose edit groups admit `user`."""
    return model.objects.filter(
        Q(edit_groups__isnull=True)
        | Q(edit_groups__in=user.groups.all())
        | _administered(user)
    ).values("pk")


def scheme_rows(queryset, user) -> QuerySet:
    """Row filter of schemes: those whose groups admit `user`."""
    if _is_unlimited(user):
        return queryset
    return queryset.filter(pk__in=_seen_by_groups(ClassificationScheme, user))


def classification_rows(queryset, user) -> QuerySet:
    """Row filter of classifications: those of the schemes `user` sees."""
    if _is_unlimited(user):
        return queryset
    return queryset.filter(scheme__in=_seen_by_groups(ClassificationScheme, user))


def process_type_rows(queryset, user) -> QuerySet:
    """Row filter of process types: those whose groups admit `user`."""
    if _is_unlimited(user):
        return queryset
    return queryset.filter(pk__in=_seen_by_groups(ProcessType, user))


def process_rows(queryset, user) -> QuerySet:
    """Row filter of processes: those of the process types `user` sees."""
    if _is_unlimited(user):
        return queryset
    return queryset.filter(process_type__in=_seen_by_groups(ProcessType, user))


def visible_schemes(user, *, company=None) -> QuerySet:
    """Return the classification schemes `user` sees.

    A scheme without view groups is seen by everyone in its company; one with
    view groups only by members of those groups or of its edit groups, and
    by the company's administrators (the registry applies `scheme_rows`).
    """
    return scope_queryset(ClassificationScheme.objects.all(), user, company=company)


def editable_schemes(user, *, company=None) -> QuerySet:
    """Return the classification schemes whose classifications `user` sets."""
    schemes = visible_schemes(user, company=company)
    if user.is_superuser:
        return schemes
    return schemes.filter(pk__in=_handled_by_groups(ClassificationScheme, user))


def process_type_fields(process_type) -> list:
    """Return the fields of a process type's own form, in display order."""
    from cms.definable.models import DefinableField

    if process_type is None or process_type.form_id is None:
        return []
    return list(
        DefinableField.objects.filter(form_id=process_type.form_id, form__active=True)
        .select_related("form", "target_content_type")
        .order_by("sort_order", "pk")
    )


def claimed_process_forms() -> QuerySet:
    """Return the ids of the forms that belong to a process type."""
    return ProcessType.objects.filter(form__isnull=False).values("form_id")


def viewed_log(person, *, limit: int = 50) -> list:
    """Return who viewed `person`'s data and when, newest first."""
    return list(person.view_entries.select_related("user")[:limit])


def changed_log(person, *, limit: int = 50) -> list:
    """Return the audit entries of changes to `person`, newest first."""
    from django.contrib.contenttypes.models import ContentType

    from modules.core.models import AuditEntry

    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Person),
            object_id=str(person.pk),
        )
        .select_related("user")
        .order_by("-pk")[:limit]
    )


def extranet_person(user) -> Person | None:
    """Return the register person an extranet user logs in as, or None."""
    if user is None or not user.is_authenticated:
        return None
    return Person.objects.filter(user=user, is_archived=False).first()


def extranet_organisations(person) -> QuerySet:
    """Return the organisations an extranet person acts for."""
    return Organisation.objects.filter(
        contacts__person=person, company=person.company_id, is_archived=False
    ).distinct()


def extranet_requests(person) -> QuerySet:
    """Return the requests an extranet person may follow.

    Their own, and those of the organisations they are a contact of; never
    a process of another organisation or company.
    """
    organisations = extranet_organisations(person).values("pk")
    return (
        Process.objects.filter(company=person.company_id)
        .filter(Q(person=person) | Q(organisation__in=organisations))
        .filter(process_type__extranet_request=True)
        .select_related("process_type", "organisation")
        .order_by("-created_at", "-pk")
    )


def visible_process_types(user, *, company=None) -> QuerySet:
    """Return the process types whose processes `user` sees."""
    return scope_queryset(ProcessType.objects.all(), user, company=company)


def editable_process_types(user, *, company=None) -> QuerySet:
    """Return the process types whose processes `user` opens and handles."""
    types = visible_process_types(user, company=company)
    if user.is_superuser:
        return types
    return types.filter(pk__in=_handled_by_groups(ProcessType, user))


def visible_classifications(user, *, company=None) -> QuerySet:
    """Return the classifications of the schemes `user` sees."""
    return Classification.objects.filter(
        scheme__in=visible_schemes(user, company=company).values("pk")
    ).select_related("scheme")


def editable_classifications(user, *, company=None) -> QuerySet:
    """Return the classifications of the schemes `user` sets."""
    return Classification.objects.filter(
        scheme__in=editable_schemes(user, company=company).values("pk")
    ).select_related("scheme")


def classifications_of(instance, user) -> list:
    """Return the classifications of an organisation or person `user` sees."""
    visible = visible_schemes(user, company=instance.company_id).values("pk")
    return list(
        instance.classifications.filter(scheme__in=visible)
        .select_related("scheme")
        .order_by("scheme__code", "name_fi")
    )


WORD = re.compile(r"\w+")
MAX_WORDS = 8


@dataclass(frozen=True)
class SearchHit:
    kind: str
    instance: object
    rank: float


def prefix_query(text: str) -> SearchQuery | None:
    """Return a query matching records with words starting with each word.

    Only letters and digits of the words are kept, so that no input can
    break the query syntax; None when nothing searchable is left.
    """
    words = WORD.findall(text or "")
    if not words:
        return None
    raw = " & ".join(f"{word.lower()}:*" for word in words[:MAX_WORDS])
    return SearchQuery(raw, config=SEARCH_CONFIG, search_type="raw")


def _ranked(queryset, query):
    vector = search_vector(queryset.model)
    return (
        queryset.annotate(document=vector, rank=SearchRank(vector, query))
        .filter(document=query)
        .order_by("-rank", "pk")
    )


def search_register(*, user, query: str, company=None, limit: int = 50):
    """Return organisations, persons and processes matching `query`, best first.

    Full-text search over names, contact details, descriptions and the
    values of extra forms, only among the records of the user's companies,
    the kinds of record the user may view, and the process types their
    groups see. Every word must match the start of a word ("asiak" finds
    "Asiakas Oy").
    """
    search = prefix_query(query)
    if search is None:
        return []
    sources = (
        ("organisation", Organisation),
        ("person", Person),
        ("process", Process),
    )
    hits = []
    for kind, model in sources:
        if not user.has_perm(f"crm.view_{model._meta.model_name}"):
            continue
        rows = scope_queryset(model.objects.all(), user, company=company)
        hits.extend(
            SearchHit(kind, row, row.rank) for row in _ranked(rows, search)[:limit]
        )
    hits.sort(key=lambda hit: -hit.rank)
    return hits[:limit]


def personal_data(person) -> dict:
    """Return what the register holds about a person, for handing to them."""
    from cms.definable.api import extra_values

    contacts = person.contacts.select_related("organisation").order_by("pk")
    processes = person.processes.select_related("process_type").order_by("pk")
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": person.phone,
        "language": person.language,
        "marketing_consent": person.marketing_consent,
        "consent_date": person.consent_date.isoformat()
        if person.consent_date
        else None,
        "consent_source": person.consent_source,
        "extra": extra_values(person),
        "classifications": [str(item) for item in person.classifications.all()],
        "organisations": [
            {"name": contact.organisation.name, "title": contact.title}
            for contact in contacts
        ],
        "processes": [
            {
                "title": process.title,
                "type": str(process.process_type),
                "state": process.state_name,
                "created": process.created_at.isoformat(),
                "description": process.description,
            }
            for process in processes
        ],
        "viewed": [
            {
                "when": entry.viewed_at.isoformat(),
                "who": str(entry.user or ""),
                "where": entry.channel,
            }
            for entry in viewed_log(person, limit=1000)
        ],
        "changed": [
            {
                "when": entry.created_at.isoformat(),
                "who": str(entry.user or ""),
                "action": entry.action,
            }
            for entry in changed_log(person, limit=1000)
        ],
    }
