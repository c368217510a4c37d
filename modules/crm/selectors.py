"""Reads of the customer register: what a user may see and set."""

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
    search_vector,
)


def _administered(user) -> Q:
    return Q(
        company__memberships__user=user,
        company__memberships__role=Role.ADMINISTRATOR,
    )


def visible_schemes(user, *, company=None) -> QuerySet:
    """Return the classification schemes `user` sees.

    A scheme without view groups is seen by everyone in its company; one with
    view groups only by members of those groups or of its edit groups, and
    by the company's administrators.
    """
    schemes = scope_queryset(ClassificationScheme.objects.all(), user, company=company)
    if user.is_superuser:
        return schemes
    groups = user.groups.all()
    allowed = ClassificationScheme.objects.filter(
        Q(view_groups__isnull=True)
        | Q(view_groups__in=groups)
        | Q(edit_groups__in=groups)
        | _administered(user)
    )
    return schemes.filter(pk__in=allowed.values("pk"))


def editable_schemes(user, *, company=None) -> QuerySet:
    """Return the classification schemes whose classifications `user` sets."""
    schemes = visible_schemes(user, company=company)
    if user.is_superuser:
        return schemes
    allowed = ClassificationScheme.objects.filter(
        Q(edit_groups__isnull=True)
        | Q(edit_groups__in=user.groups.all())
        | _administered(user)
    )
    return schemes.filter(pk__in=allowed.values("pk"))


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


@dataclass(frozen=True)
class SearchHit:
    kind: str
    instance: object
    rank: float


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
    values of extra forms, only among the records of the user's companies
    and the kinds of record the user may view.
    """
    text = (query or "").strip()
    if not text:
        return []
    search = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
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
    }
