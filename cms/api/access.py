"""Who may read and write what over the API.

Every row the API returns or changes passes through here: querysets are
narrowed with `modules.core.scoping.scope_queryset` (and to the token's
company when the token has one), and each type checks the caller's Django
permissions.
"""

from django.contrib.auth import get_permission_codename
from django.utils.translation import gettext as _

from cms.api.errors import ApiError
from cms.registry import get_registration
from modules.core.models import Company
from modules.core.scoping import companies_for, company_path, scope_queryset


def token_company(request):
    """Return the company an API token is limited to, or None."""
    token = getattr(request, "api_token", None)
    return token.company if token is not None else None


def _perm(model, action: str) -> str:
    return f"{model._meta.app_label}.{get_permission_codename(action, model._meta)}"


def can(user, model, action: str) -> bool:
    """Return whether `user` may `action` ("view", "add", ...) rows of `model`."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if action == "view":
        if model is Company and get_registration(Company) is None:
            # Members see their own companies without any model permission.
            return True
        return user.has_perm(_perm(model, "view")) or user.has_perm(
            _perm(model, "change")
        )
    return user.has_perm(_perm(model, action))


def denied_message(model, action: str) -> str:
    """Return the translated refusal for `action` on `model`."""
    names = model._meta.verbose_name_plural
    messages = {
        "view": _("You do not have permission to view %(names)s."),
        "add": _("You do not have permission to add %(names)s."),
        "change": _("You do not have permission to change %(names)s."),
        "delete": _("You do not have permission to delete %(names)s."),
    }
    return messages[action] % {"names": names}


def require(request, model, action: str) -> None:
    """Raise an API error unless the caller may `action` rows of `model`."""
    if not can(request.user, model, action):
        raise ApiError(denied_message(model, action), code="permission_denied")


def scoped(queryset, request):
    """Narrow `queryset` to the rows the caller's companies own."""
    return scope_queryset(queryset, request.user, company=token_company(request))


def readable(queryset, request):
    """Return the rows of `queryset` the caller may read, or raise."""
    require(request, queryset.model, "view")
    return scoped(queryset, request)


def visible_company_ids(request) -> frozenset:
    """Return the ids of the companies the caller sees, once per request."""
    if not hasattr(request, "_api_company_ids"):
        ids = companies_for(request.user).values_list("pk", flat=True)
        company = token_company(request)
        if company is not None:
            ids = ids.filter(pk=company.pk)
        request._api_company_ids = frozenset(ids)
    return request._api_company_ids


def is_visible(instance, request) -> bool:
    """Return whether a related row reached through a foreign key is visible.

    Rows owned through a longer path (`order__company`) were reached from a
    parent that was itself scoped, and the services keep both in one
    company, so only direct ownership through a foreign key is checked here,
    without queries.
    """
    model = type(instance)
    path = company_path(model)
    if path is None or "__" in path:
        return True
    if path == "pk":
        return instance.pk in visible_company_ids(request)
    field = model._meta.get_field(path)
    if not field.concrete or not field.is_relation:
        return True
    return getattr(instance, field.attname) in visible_company_ids(request)
