"""The GraphQL root schema, built from the module registry.

Every registration with `graphql=True` gets an object type (its own
`graphql_type`, which should subclass `cms.api.types.ModelObjectType`, or a
generated one), a filtered and ordered connection (`gadgets`), a lookup by
id (`gadget`) and create, update and delete mutations. The schema is built
on first use, after every app's `registry.py` has run (see
`cms.apps.CmsConfig.ready`), and kept for the life of the process;
`reset_schema()` rebuilds it for tests that register models of their own.
"""

import functools
import logging

import graphene
from django.utils import translation

from cms.api.fields import ModelConnectionField, object_field
from cms.api.filters import build_filterset
from cms.api.mutations import build_input_type, build_mutations
from cms.api.naming import plural, singular, type_names
from cms.api.types import build_object_type
from cms.registry import graphql_builders, queries, registrations
from modules.core.models import Company

logger = logging.getLogger(__name__)


def _companies_field(company_type) -> graphene.Field:
    from cms.api import access

    def resolve(root, info):
        return access.scoped(Company.objects.order_by("name", "pk"), info.context)

    return graphene.List(
        graphene.NonNull(company_type),
        required=True,
        resolver=resolve,
        description="The companies whose data you may see.",
    )


def build_schema(registered=None) -> graphene.Schema:
    """Return a schema for `registered` (default: every registration).

    Descriptions come from help texts; they are taken in English so that
    the schema does not depend on the language of the first request.
    """
    with translation.override("en"):
        return _build(registered)


def _build(registered) -> graphene.Schema:
    # Modules' own root fields join the full schema, not test subsets.
    registered_all = registered is None
    registered = [
        registration
        for registration in (registrations() if registered is None else registered)
        if registration.graphql
    ]
    models = [registration.model for registration in registered]
    extra_company = Company not in models
    names = type_names([*models, Company] if extra_company else models)

    typed = {}
    for registration in registered:
        typed[registration.model] = registration.graphql_type or build_object_type(
            registration.model, names, typed
        )
    query_fields = {}
    if extra_company:
        # Business rows point at their company; unless a module registers
        # companies itself, expose them read-only, without reverse lists.
        typed[Company] = build_object_type(Company, names, typed, with_reverse=False)
        query_fields[plural(names[Company])] = _companies_field(typed[Company])

    mutation_fields = {}
    for registration in registered:
        model = registration.model
        name = names[model]
        object_type = typed[model]
        query_fields[plural(name)] = ModelConnectionField(
            object_type, filterset_class=build_filterset(registration, name)
        )
        query_fields[singular(name)] = object_field(object_type)
        input_type = build_input_type(registration, name)
        mutation_fields.update(
            build_mutations(registration, object_type, input_type, name)
        )

    if registered_all:
        for builder in graphql_builders():
            extra_queries, extra_mutations = builder()
            query_fields.update(extra_queries)
            mutation_fields.update(extra_mutations)
    for name, factory in queries().items():
        query_fields[name] = factory()

    query = type("Query", (graphene.ObjectType,), query_fields)
    mutation = (
        type("Mutation", (graphene.ObjectType,), mutation_fields)
        if mutation_fields
        else None
    )
    logger.debug("GraphQL schema built with %d types", len(typed))
    return graphene.Schema(query=query, mutation=mutation)


@functools.cache
def get_schema() -> graphene.Schema:
    """Return the schema of the running process, building it on first use."""
    return build_schema()


def reset_schema() -> None:
    """Forget the built schema so that the next request builds it anew."""
    get_schema.cache_clear()


def __getattr__(name):
    # settings.GRAPHENE["SCHEMA"] names `cms.api.schema.schema`; resolving
    # it lazily keeps the schema from being built before all apps are ready.
    if name == "schema":
        return get_schema()
    raise AttributeError(name)
