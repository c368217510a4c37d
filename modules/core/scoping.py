"""Company isolation, enforced in one place.

Admin views, GraphQL, import/export, pages and reports all narrow their
querysets through `scope_queryset`, so a user only ever sees rows of the
companies they are a member of.
"""

from django.db.models import QuerySet

from modules.core.models import Company


def companies_for(user) -> QuerySet:
    """Return the companies `user` may see: members see theirs, nobody else any."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Company.objects.none()
    if user.is_superuser:
        return Company.objects.all()
    return Company.objects.filter(memberships__user=user).distinct()


def company_ids_for(user) -> set[int]:
    """Return the ids of the companies `user` may see."""
    return set(companies_for(user).values_list("pk", flat=True))


def scope_queryset(queryset: QuerySet, user, *, company=None) -> QuerySet:
    """Narrow `queryset` to rows of companies `user` may see.

    With `company` given, narrow further to that one company (the current
    company chosen in the admin, or one asked for over GraphQL). Models
    registered without a company field are shared reference data and pass
    through unchanged.
    """
    from cms.registry import get_registration

    registration = get_registration(queryset.model)
    path = "company" if registration is None else registration.company_field
    if queryset.model is Company:
        path = "pk"
    if path is None:
        return queryset
    allowed = companies_for(user).values("pk")
    queryset = queryset.filter(**{f"{path}__in": allowed})
    if company is not None:
        queryset = queryset.filter(**{path: getattr(company, "pk", company)})
    return queryset


def user_can_access_company(user, company) -> bool:
    """Return whether `user` is allowed to act on `company`'s data."""
    company_id = getattr(company, "pk", company)
    return companies_for(user).filter(pk=company_id).exists()
