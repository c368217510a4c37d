"""Root query fields: a filtered, ordered connection and a lookup by id."""

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphene.utils.str_converters import to_camel_case, to_snake_case
from graphene_django.filter import DjangoFilterConnectionField
from graphene_django.filter.fields import convert_enum
from graphene_django.utils import maybe_queryset

from cms.api import access
from cms.api.errors import ApiError
from cms.api.optimizer import connection_node_fields, optimize
from cms.registry import get_registration


def orderable_fields(model) -> list[str]:
    """Return the names a connection may be ordered by: concrete fields."""
    return [field.name for field in model._meta.concrete_fields]


def apply_ordering(queryset, ordering, model):
    """Order by the requested fields, with the primary key as tie-breaker.

    A stable order keeps cursor pagination from skipping or repeating rows.
    """
    allowed = set(orderable_fields(model))
    if ordering:
        fields = []
        for item in ordering:
            descending = item.startswith("-")
            name = to_snake_case(item.lstrip("-"))
            if name not in allowed:
                choices = ", ".join(to_camel_case(name) for name in sorted(allowed))
                raise ApiError(
                    _("Cannot order by “%(name)s”. Choose from: %(choices)s.")
                    % {"name": item, "choices": choices},
                    code="invalid_ordering",
                )
            fields.append(("-" if descending else "") + name)
    else:
        fields = list(queryset.query.order_by or model._meta.ordering)
    if not {"pk", "-pk", "id", "-id"} & set(fields):
        fields.append("pk")
    return queryset.order_by(*fields)


def _filter_error(form) -> ApiError:
    parts = [
        f"{to_camel_case(name)}: {' '.join(messages)}"
        for name, messages in form.errors.items()
    ]
    return ApiError(
        _("Invalid filter. %(details)s") % {"details": "; ".join(parts)},
        code="invalid_filter",
    )


class ModelConnectionField(DjangoFilterConnectionField):
    """A connection of a registered model with filters and ordering.

    Rows are scoped to the caller's companies and permission-checked before
    any filter runs, and related rows are loaded by the optimizer.
    """

    def __init__(self, type_, *, filterset_class, **kwargs):
        kwargs.setdefault(
            "ordering",
            graphene.Argument(
                graphene.List(graphene.NonNull(graphene.String)),
                name="orderBy",
                description="Field names to order by; a leading - sorts descending.",
            ),
        )
        super().__init__(type_, filterset_class=filterset_class, **kwargs)

    @property
    def filterset_class(self):
        # graphene-django would wrap the filterset for relay global ids;
        # this API uses plain database ids, so the class is used as is.
        return self._provided_filterset_class

    @classmethod
    def connection_resolver(
        cls,
        resolver,
        connection,
        default_manager,
        queryset_resolver,
        max_limit,
        enforce_first_or_last,
        root,
        info,
        **args,
    ):
        for name in ("first", "last"):
            value = args.get(name)
            if value is not None and (value < 0 or (max_limit and value > max_limit)):
                raise ApiError(
                    _("“%(name)s” must be between 0 and %(max)s.")
                    % {"name": name, "max": max_limit},
                    code="invalid_page_size",
                )
        if (args.get("offset") or 0) < 0:
            raise ApiError(_("“offset” cannot be negative."), code="invalid_page_size")
        return super().connection_resolver(
            resolver,
            connection,
            default_manager,
            queryset_resolver,
            max_limit,
            enforce_first_or_last,
            root,
            info,
            **args,
        )

    @classmethod
    def resolve_queryset(
        cls, connection, iterable, info, args, filtering_args, filterset_class
    ):
        request = info.context
        node_type = connection._meta.node
        model = node_type._meta.model
        queryset = access.readable(maybe_queryset(iterable), request)

        data = {
            name: convert_enum(value)
            for name, value in args.items()
            if name in filtering_args
        }
        filterset = filterset_class(data=data, queryset=queryset, request=request)
        if not filterset.is_valid():
            raise _filter_error(filterset.form)
        try:
            queryset = filterset.qs
        except ValidationError as error:
            raise ApiError(
                _("Invalid filter. %(details)s")
                % {"details": " ".join(error.messages)},
                code="invalid_filter",
            ) from error
        queryset = apply_ordering(queryset, args.get("ordering"), model)

        nodes = connection_node_fields(info.field_nodes, info)
        return optimize(queryset, node_type, nodes, info)


def object_field(object_type) -> graphene.Field:
    """Return a field that finds one row of `object_type` by its id."""
    model = object_type._meta.model

    def resolve(root, info, id):
        try:
            pk = model._meta.pk.to_python(id)
        except ValidationError:
            return None
        queryset = access.readable(model._default_manager.all(), info.context)
        queryset = optimize(queryset, object_type, info.field_nodes, info)
        row = queryset.filter(pk=pk).first()
        registration = get_registration(model)
        if row is not None and registration and registration.on_detail:
            registration.on_detail(row, info.context.user)
        return row

    return graphene.Field(
        object_type,
        id=graphene.ID(required=True),
        resolver=resolve,
        description=f"One {object_type._meta.name} by its id, if you may see it.",
    )
