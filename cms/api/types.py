"""GraphQL object types generated from registered models.

Scalar fields are converted by graphene-django. Relations are declared
here instead, so that reading them goes through the API's permission and
company checks and uses the rows the optimizer has already loaded.
"""

from collections.abc import Callable
from dataclasses import dataclass

import graphene
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from graphene.types.generic import GenericScalar
from graphene.utils.str_converters import to_camel_case
from graphene_django import DjangoObjectType

from cms.api import access
from cms.api.naming import plural


class JSON(GenericScalar):
    """Any JSON value: object, list, string, number, boolean or null."""


class CountedConnection(graphene.relay.Connection):
    """A page of results with the total number of matching rows."""

    class Meta:
        abstract = True

    total_count = graphene.Int(
        required=True, description="The number of rows matching the filters."
    )

    def resolve_total_count(root, info):
        return root.length


@dataclass(frozen=True)
class Relation:
    """A relation of a model as the API exposes it."""

    attname: str
    model: type[models.Model]
    many: bool
    target: Callable[[], type]

    @property
    def cache_attr(self) -> str:
        return f"_api_{self.attname}"


class ModelObjectType(DjangoObjectType):
    """Base of generated types, and of a module's own `graphql_type`.

    It gives a type the API's connection (with `totalCount`) and plain
    values for choice fields, and it scopes and permission-checks the rows
    that graphene-django's own relation fields load, so a hand-written type
    cannot leak other companies' rows.
    """

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(
        cls,
        connection_class=None,
        use_connection=None,
        convert_choices_to_enum=False,
        **options,
    ):
        super().__init_subclass_with_meta__(
            connection_class=connection_class or CountedConnection,
            use_connection=True if use_connection is None else use_connection,
            # Plain values stay stable for integrators; enum names would not.
            convert_choices_to_enum=convert_choices_to_enum,
            **options,
        )

    @classmethod
    def get_queryset(cls, queryset, info):
        return access.readable(queryset, info.context)


def _resolve_one(attname: str, model):
    def resolve(root, info):
        try:
            target = getattr(root, attname)
        except ObjectDoesNotExist:
            return None
        if target is None:
            return None
        access.require(info.context, model, "view")
        return target if access.is_visible(target, info.context) else None

    return resolve


def _resolve_many(relation: Relation):
    def resolve(root, info):
        access.require(info.context, relation.model, "view")
        if hasattr(root, relation.cache_attr):
            return getattr(root, relation.cache_attr)
        rows = getattr(root, relation.attname).all()
        return list(access.readable(rows, info.context))

    return resolve


def _field_key(field, names: dict, taken: set) -> str:
    """Return the name a relation gets in the schema.

    Reverse relations without a `related_name` are called like the related
    type's list (`gadgets` rather than Django's `gadget_set`).
    """
    if not (field.auto_created and not field.concrete):
        return field.name
    accessor = field.get_accessor_name()
    if field.one_to_one or accessor != f"{field.related_model._meta.model_name}_set":
        return accessor
    name = plural(names[field.related_model])
    return accessor if name in taken else name


def _relation_fields(model, typed: dict, names: dict, *, with_reverse: bool):
    """Yield (schema name, Relation) for relations to models with a type."""
    taken = {field.name for field in model._meta.get_fields()}
    for field in model._meta.get_fields():
        related = field.related_model if field.is_relation else None
        if related is None or related not in names:
            continue
        reverse = field.auto_created and not field.concrete
        if reverse and (not with_reverse or field.hidden):
            continue
        key = _field_key(field, names, taken)
        taken.add(key)
        yield (
            key,
            Relation(
                attname=field.get_accessor_name() if reverse else field.name,
                model=related,
                many=field.many_to_many or (reverse and not field.one_to_one),
                target=lambda related=related: typed[related],
            ),
        )


def build_object_type(
    model, names: dict, typed: dict, *, with_reverse: bool = True
) -> type[ModelObjectType]:
    """Return a graphene type for `model`.

    `names` maps every model the schema has a type for to its type name, and
    `typed` maps them to their types; it is read lazily, once all types
    exist, so types may refer to each other in any order.
    """
    name = names[model]
    scalars = [
        field.name
        for field in model._meta.concrete_fields
        if not field.is_relation and not isinstance(field, models.JSONField)
    ]
    attrs = {}
    for field in model._meta.concrete_fields:
        if isinstance(field, models.JSONField):
            attrs[field.name] = graphene.Field(JSON)
    relations = {}
    for key, relation in _relation_fields(
        model, typed, names, with_reverse=with_reverse
    ):
        target = relation.target
        if relation.many:
            attrs[key] = graphene.List(
                graphene.NonNull(lambda target=target: target()),
                resolver=_resolve_many(relation),
            )
        else:
            attrs[key] = graphene.Field(
                lambda target=target: target(),
                resolver=_resolve_one(relation.attname, relation.model),
            )
        relations[to_camel_case(key)] = relation
    attrs["api_relations"] = relations
    attrs["Meta"] = type(
        "Meta",
        (),
        {
            "model": model,
            "name": name,
            "fields": scalars,
        },
    )
    return type(name, (ModelObjectType,), attrs)
