"""Who may download a Wagtail document that belongs to business records.

Wagtail serves every document at /documents/<id>/<name> to anyone who has
the link. That is right for a brochure on a public page but not for a
voucher's receipt or a supplier's invoice. Modules that keep business
files as documents register an owner lookup: a function that returns the
company owning a document (or None when it is not theirs) and the
permission needed to see it. Before a document is served, every lookup is
asked; a document some company owns is served only to a logged-in user
of that company who has the permission.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from modules.core.scoping import user_can_access_company


@dataclass(frozen=True)
class DocumentOwner:
    company_of: Callable[[object], int | None]
    permission: str


_owners: list[DocumentOwner] = []


def register_document_owner(company_of, *, permission: str) -> None:
    """Declare a kind of business document; see the module docstring."""
    owner = DocumentOwner(company_of=company_of, permission=permission)
    if owner not in _owners:
        _owners.append(owner)


def check_document_access(document, user) -> None:
    """Raise PermissionDenied unless `user` may download `document`."""
    for owner in _owners:
        company_id = owner.company_of(document)
        if company_id is None:
            continue
        if not (
            user.is_authenticated
            and user.has_perm(owner.permission)
            and user_can_access_company(user, company_id)
        ):
            raise PermissionDenied
