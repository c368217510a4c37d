"""Who may see which page: the intranet, the extranet and restricted pages.

Wagtail's own privacy check sends every refused visitor to the login page.
That suits strangers, but a logged-in user who is simply not allowed in
would go round in a login loop, so `refusal_for` tells them apart and the
`before_serve_page` hook in pages.wagtail_hooks answers them with a 403.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from wagtail.models import PageViewRestriction

from modules.core.models import Membership, Role, role_group_name

EXTRANET_ROLES = (Role.PARTNER, Role.CUSTOMER)


@dataclass(frozen=True)
class Refusal:
    """Why a request may not see a page, and whether logging in could help."""

    message: str
    needs_login: bool


def extranet_group_names() -> list[str]:
    """Return the names of the auth groups admitted to the extranet."""
    return [role_group_name(role) for role in EXTRANET_ROLES]


def _is_signed_in(user) -> bool:
    return user.is_authenticated and user.is_active


def works_for_a_company(user) -> bool:
    """Return whether `user` belongs to the staff of a company (intranet)."""
    if not _is_signed_in(user):
        return False
    if user.is_superuser:
        return True
    return (
        Membership.objects.filter(user=user).exclude(role__in=EXTRANET_ROLES).exists()
    )


def is_partner_or_customer(user) -> bool:
    """Return whether `user` is in a partner or customer group (extranet)."""
    if not _is_signed_in(user):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=extranet_group_names()).exists()


def refusal_for(page, request) -> Refusal | None:
    """Return why `request` may not see `page`, or None when it may."""
    user = request.user
    get_section_home = getattr(page, "get_section_home", None)
    home = get_section_home() if get_section_home else None
    if home is not None and not home.admits(user):
        return Refusal(home.refusal_message, needs_login=not user.is_authenticated)
    if not user.is_authenticated:
        # Wagtail's own check sends strangers to the login page.
        return None
    for restriction in page.get_view_restrictions():
        if (
            restriction.restriction_type == PageViewRestriction.GROUPS
            and not restriction.accept_request(request)
        ):
            return Refusal(
                _("This page is meant for another group of users."),
                needs_login=False,
            )
    return None


def _ancestor_paths(path: str, steplen: int) -> set[str]:
    return {path[:end] for end in range(steplen, len(path) + 1, steplen)}


def viewable_pages(pages, request) -> list:
    """Return those of `pages` whose privacy settings `request` passes."""
    pages = list(pages)
    if not pages:
        return pages
    steplen = pages[0].steplen
    paths = set().union(*(_ancestor_paths(page.path, steplen) for page in pages))
    restrictions = list(
        PageViewRestriction.objects.filter(page__path__in=paths)
        .select_related("page")
        .prefetch_related("groups")
    )
    if not restrictions:
        return pages
    user = request.user
    group_ids = (
        set(user.groups.values_list("pk", flat=True))
        if user.is_authenticated
        else set()
    )

    def passes(restriction) -> bool:
        if restriction.restriction_type == PageViewRestriction.GROUPS:
            return user.is_superuser or any(
                group.pk in group_ids for group in restriction.groups.all()
            )
        if restriction.restriction_type == PageViewRestriction.LOGIN:
            return user.is_authenticated
        return restriction.accept_request(request)

    return [
        page
        for page in pages
        if all(
            passes(restriction)
            for restriction in restrictions
            if page.path.startswith(restriction.page.path)
        )
    ]
