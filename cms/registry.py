"""The module registry: one registration per model is the whole contract.

A module's `registry.py` calls `register(...)` once per model. From that
registration the platform generates the Wagtail admin viewset
(`cms.viewsets`), the GraphQL type, connection and mutations (`cms.api`),
the import/export resource and views (`cms.importing`), the permissions,
the company scoping (`modules.core.scoping`) and the definable-form fields
(`cms.definable`). Any generated piece can be replaced by passing the
module's own class.
"""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.db import models
from django.utils.module_loading import module_has_submodule

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Services:
    """The service functions that create, change and delete a model's rows.

    Signatures, all keyword-only:
      create(*, company, user, data) -> instance
      update(*, instance, user, data) -> instance
      delete(*, instance, user) -> None
    `data` is a dict of cleaned field values. Services raise Django's
    `ValidationError` (with translatable messages, per field where it
    applies) for bad input and leave nothing half-written.
    When a service is missing the platform's generic one is used.
    """

    create: Callable | None = None
    update: Callable | None = None
    delete: Callable | None = None


@dataclass(frozen=True)
class ImportExport:
    """How rows are matched and which fields travel in CSV/XLSX files."""

    key: Sequence[str] = ("id",)
    fields: Sequence[str] | None = None
    resource_class: type | None = None


@dataclass(frozen=True)
class Menu:
    """A menu group in the admin, one per module."""

    name: str
    label: str
    icon: str = "folder-open-inverse"
    order: int = 1000
    # Roles (modules.core.models.Role values) whose groups may manage the
    # menu's records, and those that may only view them.
    roles: tuple[str, ...] = ()
    read_roles: tuple[str, ...] = ()


@dataclass
class Registration:
    """Everything the platform knows about one registered model."""

    model: type[models.Model]
    menu: str
    list_display: Sequence[str] = ("__str__",)
    list_filter: Sequence[str] = ()
    search_fields: Sequence[str] = ()
    ordering: Sequence[str] = ()
    form_fields: Sequence[str] | None = None
    panels: Sequence | None = None
    inspect_fields: Sequence[str] | None = None
    icon: str = "doc-full"
    menu_order: int = 100
    graphql: bool = True
    graphql_filters: dict | None = None
    services: Services = field(default_factory=Services)
    import_export: ImportExport | None = field(default_factory=ImportExport)
    definable_forms: bool = False
    # The lookup path from the model to its owning Company, or None for
    # shared reference data (currencies, units) that every company reads.
    company_field: str | None = "company"
    # Narrows rows further than the company: `row_filter(queryset, user)`
    # returns the rows `user` may see (per-group visibility). Applied by
    # `modules.core.scoping.scope_queryset`, so lists, cards, exports,
    # imports and GraphQL all honour it.
    row_filter: Callable | None = None
    # Called as `on_detail(instance, user)` when one row is read by its id
    # over GraphQL, e.g. to log who looked at a person's data.
    on_detail: Callable | None = None
    # Inputs beyond the model's fields that the services take, by name
    # (the answers to a process type's own form): the API accepts each as
    # a JSON value and hands it to the services unchanged to validate.
    json_inputs: Sequence[str] = ()
    viewset_class: type | None = None
    graphql_type: type | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def name(self) -> str:
        return self.model._meta.model_name


_registrations: dict[type[models.Model], Registration] = {}
_menus: dict[str, Menu] = {}
_graphql_builders: list[Callable] = []
_queries: dict[str, Callable] = {}


def register_menu(
    name: str,
    label,
    *,
    icon: str = "folder",
    order: int = 1000,
    roles: tuple[str, ...] = (),
    read_roles: tuple[str, ...] = (),
):
    """Declare an admin menu group that registrations can name."""
    _menus[name] = Menu(
        name=name,
        label=label,
        icon=icon,
        order=order,
        roles=tuple(roles),
        read_roles=tuple(read_roles),
    )


def register(model: type[models.Model], *, menu: str, **options) -> Registration:
    """Register `model` with the platform and return its registration."""
    if model in _registrations:
        raise ValueError(f"{model._meta.label} is already registered.")
    registration = Registration(model=model, menu=menu, **options)
    _registrations[model] = registration
    logger.debug("Registered %s", registration.label)
    return registration


def unregister(model: type[models.Model]) -> None:
    """Forget a registration (used by tests that register throwaway models)."""
    _registrations.pop(model, None)


def registrations() -> list[Registration]:
    """Return every registration, in a stable order."""
    return sorted(_registrations.values(), key=lambda reg: reg.label)


def get_registration(model: type[models.Model]) -> Registration | None:
    """Return the registration of `model`, or None."""
    return _registrations.get(model)


def menus() -> list[Menu]:
    """Return the declared menu groups in menu order."""
    return sorted(_menus.values(), key=lambda menu: (menu.order, menu.name))


def get_menu(name: str) -> Menu:
    """Return a menu group, declaring a plain one on first use."""
    if name not in _menus:
        register_menu(name, name.capitalize())
    return _menus[name]


def register_graphql_fields(builder: Callable) -> None:
    """Add a module's own root fields to the GraphQL schema.

    `builder()` is called when the schema is built and returns two dicts of
    graphene fields, (query fields, mutation fields), for what the
    generated API does not cover (posting a voucher, say). The fields must
    check permissions and company scope themselves (`cms.api.access`).
    """
    _graphql_builders.append(builder)


def graphql_builders() -> list[Callable]:
    """Return the registered builders of extra GraphQL root fields."""
    return list(_graphql_builders)


def register_query(name: str, factory: Callable) -> None:
    """Add a root GraphQL query field that is not a model (a report).

    `factory()` returns the graphene field; it is called when the schema
    is built. The field's resolver checks permissions and company scoping
    itself.
    """
    _queries[name] = factory


def queries() -> dict[str, Callable]:
    """Return the registered report query factories by field name."""
    return dict(_queries)


def autodiscover() -> None:
    """Import the `registry` module of every installed app."""
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "registry"):
            import_module(f"{app_config.name}.registry")
