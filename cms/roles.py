"""Give each role's auth group the permissions its module menus declare.

A module says in `register_menu(..., roles=..., read_roles=...)` which
roles manage and which only read its records; `sync_role_permissions`
turns that into Django permissions on the `role:<name>` groups. Staff roles
also get access to the admin.
"""

import logging

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from cms.registry import get_menu, registrations
from modules.core.models import Role, role_group_name

logger = logging.getLogger(__name__)

STAFF_ROLES = {
    Role.ADMINISTRATOR,
    Role.ACCOUNTANT,
    Role.SALES,
    Role.WAREHOUSE,
    Role.WEB_EDITOR,
}


def _model_permissions(model, actions):
    content_type = ContentType.objects.get_for_model(model)
    codenames = [f"{action}_{model._meta.model_name}" for action in actions]
    return Permission.objects.filter(content_type=content_type, codename__in=codenames)


@transaction.atomic
def sync_role_permissions() -> dict[str, int]:
    """Create the role groups and set their permissions; return counts."""
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    wanted: dict[str, set[int]] = {role.value: set() for role in Role}
    for role in STAFF_ROLES:
        wanted[role].add(admin_access.pk)
    for registration in registrations():
        menu = get_menu(registration.menu)
        full = _model_permissions(
            registration.model, ("view", "add", "change", "delete")
        )
        read = _model_permissions(registration.model, ("view",))
        for role in menu.roles:
            wanted[role].update(full.values_list("pk", flat=True))
        for role in menu.read_roles:
            wanted[role].update(read.values_list("pk", flat=True))
    counts = {}
    for role, permission_ids in wanted.items():
        group, _ = Group.objects.get_or_create(name=role_group_name(role))
        group.permissions.add(*permission_ids)
        counts[role] = len(permission_ids)
    logger.info("Role permissions synchronised: %s", counts)
    return counts
