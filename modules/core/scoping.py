"""Company isolation and company roles, enforced in one place.

Admin views, GraphQL, import/export, pages and reports all narrow their
querysets through `scope_queryset`, so a user only ever sees rows of the
companies they are a member of. Services that need a particular role in a
company ask `user_has_role` or `require_role`.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    PermissionDenied,
)
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from modules.core.models import Company, Membership, Role


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


def company_path(model) -> str | None:
    """Return the lookup from `model` to its owning company, None if shared.

    Registered models say it in their registration; unregistered ones must
    have a `company` field.
    """
    from cms.registry import get_registration

    if model is Company:
        return "pk"
    registration = get_registration(model)
    if registration is not None:
        return registration.company_field
    try:
        model._meta.get_field("company")
    except FieldDoesNotExist as exc:
        raise ImproperlyConfigured(
            f"{model._meta.label} has no company field: register it with the "
            "lookup to its company, or company_field=None for shared data."
        ) from exc
    return "company"


def users_for(user) -> QuerySet:
    """Return the users `user` may pick, e.g. when granting a membership.

    Those who share a company with `user`, and those who belong to no
    company yet (new accounts waiting for access). Users of other
    companies only stay hidden.
    """
    users = get_user_model()._default_manager.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return users.none()
    if user.is_superuser:
        return users
    visible = users.filter(
        Q(memberships__company__in=companies_for(user).values("pk"))
        | Q(memberships__isnull=True)
    ).values("pk")
    return users.filter(pk__in=visible)


def _is_multivalued(model, path: str) -> bool:
    # A path through a reverse or many-to-many relation (a company group's
    # "companies") joins several rows per object.
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if field.many_to_many or field.one_to_many:
            return True
        if field.related_model is None:
            return False
        model = field.related_model
    return False


def scope_queryset(queryset: QuerySet, user, *, company=None) -> QuerySet:
    """Narrow `queryset` to rows of companies `user` may see.

    With `company` given, narrow further to that one company (the current
    company chosen in the admin, or one asked for over GraphQL); a
    registration's `row_filter` narrows further still. Models
    registered without a company field are shared reference data and pass
    through unchanged; users are narrowed by `users_for`.
    """
    model = queryset.model
    if model is get_user_model():
        return queryset.filter(pk__in=users_for(user).values("pk"))
    path = company_path(model)
    if path is None:
        return queryset
    lookups = {f"{path}__in": companies_for(user).values("pk")}
    if company is not None:
        lookups[path] = getattr(company, "pk", company)
    if _is_multivalued(model, path):
        matching = model._default_manager.filter(**lookups).values("pk")
        return _row_filtered(queryset.filter(pk__in=matching), user)
    return _row_filtered(queryset.filter(**lookups), user)


def _row_filtered(queryset: QuerySet, user) -> QuerySet:
    from cms.registry import get_registration

    registration = get_registration(queryset.model)
    if registration is None or registration.row_filter is None:
        return queryset
    return registration.row_filter(queryset, user)


def user_can_access_company(user, company) -> bool:
    """Return whether `user` is allowed to act on `company`'s data."""
    company_id = getattr(company, "pk", company)
    return companies_for(user).filter(pk=company_id).exists()


def user_has_role(user, company, roles) -> bool:
    """Return whether `user` has one of `roles` in `company` (or is superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user, company_id=getattr(company, "pk", company), role__in=list(roles)
    ).exists()


def require_role(user, company, roles) -> None:
    """Raise PermissionDenied unless `user` has one of `roles` in `company`."""
    if not user_has_role(user, company, roles):
        names = ", ".join(str(Role(role).label) for role in roles)
        raise PermissionDenied(
            _("In %(company)s this needs the role: %(roles)s.")
            % {"company": company, "roles": names}
        )
