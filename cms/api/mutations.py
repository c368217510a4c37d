"""Create, change and delete mutations generated from registrations.

Each mutation checks the caller's permission, turns ids into rows the
caller may see, and hands the values to `cms.services`, which pick the
module's own service or the generic one. Bad input comes back as field
errors in the payload, never as a traceback.
"""

import logging

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from cms import services
from cms.api import access
from cms.api.errors import field_errors
from cms.api.extra import clean_extra
from cms.api.optimizer import child_nodes, optimize
from cms.api.types import JSON
from cms.registry import get_registration
from modules.core.current import current_company
from modules.core.models import Company
from modules.core.scoping import scope_queryset

logger = logging.getLogger(__name__)

# Order matters: subclasses before their parents.
SCALARS = [
    (models.JSONField, JSON),
    (models.BooleanField, graphene.Boolean),
    (models.BigIntegerField, graphene.BigInt),
    (models.IntegerField, graphene.Int),
    (models.DecimalField, graphene.Decimal),
    (models.FloatField, graphene.Float),
    (models.DateTimeField, graphene.DateTime),
    (models.DateField, graphene.Date),
    (models.TimeField, graphene.Time),
    (models.UUIDField, graphene.UUID),
    (models.CharField, graphene.String),
    (models.TextField, graphene.String),
    (models.GenericIPAddressField, graphene.String),
]


class FieldError(graphene.ObjectType):
    """Why a value was refused; `field` is null for errors about the whole row."""

    field = graphene.String()
    messages = graphene.List(graphene.NonNull(graphene.String), required=True)
    code = graphene.String(required=True)


def _owned_by_company(model) -> bool:
    if model is Company:
        return False
    registration = get_registration(model)
    if registration is None:
        return any(field.name == "company" for field in model._meta.concrete_fields)
    return registration.company_field is not None


def _can_resolve(model) -> bool:
    # Ids of other models (users, say) cannot be checked against the
    # caller's companies, so they are not accepted over the API.
    return (
        model is Company
        or get_registration(model) is not None
        or (_owned_by_company(model))
    )


def _input_type_of(field):
    if field.is_relation:
        if not _can_resolve(field.related_model):
            return None
        if field.many_to_many:
            return graphene.List(graphene.NonNull(graphene.ID))
        return graphene.ID
    for field_class, scalar in SCALARS:
        if isinstance(field, field_class):
            return scalar
    # File, duration and other fields have no JSON form here yet.
    return None


def input_fields(registration) -> dict[str, object]:
    """Return the model fields a mutation accepts, by name, with input types."""
    model = registration.model
    if registration.form_fields is not None:
        names = [
            name
            for name in registration.form_fields
            if name in {field.name for field in model._meta.get_fields()}
        ]
        candidates = [model._meta.get_field(name) for name in names]
    else:
        candidates = [
            field
            for field in model._meta.get_fields()
            if (field.concrete or field.many_to_many)
            and not field.auto_created
            and field.editable
            and not field.primary_key
        ]
    owner = "company" if registration.company_field == "company" else None
    result = {}
    for field in candidates:
        scalar = None if field.name == owner else _input_type_of(field)
        if scalar is not None:
            result[field.name] = scalar
    for name in registration.json_inputs:
        result[name] = JSON
    return result


def build_input_type(registration, name: str) -> type[graphene.InputObjectType]:
    """Return the input type shared by the create and update mutations.

    Every field is optional: on create the services report what is missing
    as field errors, on update only the fields given are changed.
    """
    attrs = {
        # Scalars come as classes; lists of ids already as List(...) values.
        field_name: scalar() if isinstance(scalar, type) else scalar
        for field_name, scalar in input_fields(registration).items()
    }
    attrs["Meta"] = type("Meta", (), {"name": f"{name}Input"})
    return type(f"{name}Input", (graphene.InputObjectType,), attrs)


def _error(message, *, code: str, field=None) -> list[dict]:
    return [{"field": field, "messages": [str(message)], "code": code}]


def _not_found(model, field: str) -> ValidationError:
    return ValidationError(
        {
            field: ValidationError(
                _("No %(name)s with this id exists, or you may not see it.")
                % {"name": model._meta.verbose_name},
                code="not_found",
            )
        }
    )


def _find(model, value, request, *, company=None):
    queryset = access.scoped(model._default_manager.all(), request)
    if company is not None and _owned_by_company(model):
        queryset = scope_queryset(queryset, request.user, company=company)
    try:
        pk = model._meta.pk.to_python(value)
    except ValidationError:
        return None
    return queryset.filter(pk=pk).first()


def _related_value(field, value, request, company):
    model = field.related_model
    if not field.many_to_many:
        if value is None:
            return None
        row = _find(model, value, request, company=company)
        if row is None:
            raise _not_found(model, field.name)
        return row
    rows = []
    for item in value or []:
        row = _find(model, item, request, company=company)
        if row is None:
            raise _not_found(model, field.name)
        rows.append(row)
    return rows


def _service_data(registration, values, request, *, company, instance=None) -> dict:
    model = registration.model
    data = {}
    errors = {}
    for name, value in values.items():
        if name in registration.json_inputs:
            # The services validate these themselves (see Registration).
            data[name] = value
            continue
        field = model._meta.get_field(name)
        try:
            if field.is_relation:
                data[name] = _related_value(field, value, request, company)
            elif name == "extra" and registration.definable_forms:
                data[name] = clean_extra(
                    model, value, company=company, user=request.user, instance=instance
                )
            else:
                data[name] = value
        except ValidationError as error:
            errors.update(error.update_error_dict({}))
    if errors:
        raise ValidationError(errors)
    return data


def _create_company(registration, request, company_id):
    if registration.company_field in (None, "pk"):
        return None
    if company_id is not None:
        company = _find(Company, company_id, request)
        if company is None:
            raise _not_found(Company, "company")
        return company
    return access.token_company(request) or current_company(request)


def _instance_company(registration, instance):
    if registration.company_field == "company":
        return instance.company
    return None


def _reload(object_type, instance, info):
    request = info.context
    model = type(instance)
    if not access.can(request.user, model, "view"):
        return None
    queryset = access.scoped(model._default_manager.filter(pk=instance.pk), request)
    nodes = child_nodes(info.field_nodes, info, "object")
    return optimize(queryset, object_type, nodes, info).first()


def _run(registration, action, *, payload, object_type=None, info):
    """Run `action()` and turn what it raises into the payload's errors."""
    model = registration.model
    try:
        result = action()
    except ValidationError as error:
        errors = field_errors(error, company_field=registration.company_field)
        return payload(ok=False, errors=errors)
    except PermissionDenied as error:
        message = str(error) or _("You do not have permission to do this.")
        return payload(ok=False, errors=_error(message, code="permission_denied"))
    except (ProtectedError, RestrictedError):
        message = _("Other records still refer to this %(name)s.") % {
            "name": model._meta.verbose_name
        }
        return payload(ok=False, errors=_error(message, code="protected"))
    except IntegrityError:
        logger.warning("Integrity error writing %s", model._meta.label, exc_info=True)
        message = _("The change conflicts with other data; nothing was saved.")
        return payload(ok=False, errors=_error(message, code="conflict"))
    if object_type is None:
        return payload(ok=True, errors=[], deleted_id=result)
    return payload(ok=True, errors=[], object=_reload(object_type, result, info))


def _refuse(payload, model, action):
    message = access.denied_message(model, action)
    return payload(ok=False, errors=_error(message, code="permission_denied"))


def build_mutations(registration, object_type, input_type, name: str) -> dict:
    """Return the create, update and delete mutation fields of a registration."""
    model = registration.model

    def payload_fields(with_object=True):
        fields = {
            "ok": graphene.Boolean(required=True),
            "errors": graphene.List(graphene.NonNull(FieldError), required=True),
        }
        if with_object:
            fields["object"] = graphene.Field(object_type)
        else:
            fields["deleted_id"] = graphene.ID()
        return fields

    def create(root, info, input, company=None):
        request = info.context
        if not access.can(request.user, model, "add"):
            return _refuse(Create, model, "add")

        def action():
            target = _create_company(registration, request, company)
            data = _service_data(registration, input, request, company=target)
            return services.create(
                model=model, company=target, user=request.user, data=data
            )

        return _run(
            registration, action, payload=Create, object_type=object_type, info=info
        )

    def update(root, info, id, input):
        request = info.context
        if not access.can(request.user, model, "change"):
            return _refuse(Update, model, "change")

        def action():
            instance = _find(model, id, request)
            if instance is None:
                raise _not_found(model, "id")
            data = _service_data(
                registration,
                input,
                request,
                company=_instance_company(registration, instance),
                instance=instance,
            )
            return services.update(instance=instance, user=request.user, data=data)

        return _run(
            registration, action, payload=Update, object_type=object_type, info=info
        )

    def delete(root, info, id):
        request = info.context
        if not access.can(request.user, model, "delete"):
            return _refuse(Delete, model, "delete")

        def action():
            instance = _find(model, id, request)
            if instance is None:
                raise _not_found(model, "id")
            pk = instance.pk
            services.delete(instance=instance, user=request.user)
            return pk

        return _run(registration, action, payload=Delete, info=info)

    create_arguments = {"input": input_type(required=True)}
    if registration.company_field == "company":
        create_arguments["company"] = graphene.ID(
            description="The company to create in; default: yours."
        )
    Create = type(
        f"Create{name}",
        (graphene.Mutation,),
        {
            **payload_fields(),
            "Meta": type("Meta", (), {"name": f"Create{name}Payload"}),
            "Arguments": type("Arguments", (), create_arguments),
            "mutate": staticmethod(create),
        },
    )
    Update = type(
        f"Update{name}",
        (graphene.Mutation,),
        {
            **payload_fields(),
            "Meta": type("Meta", (), {"name": f"Update{name}Payload"}),
            "Arguments": type(
                "Arguments",
                (),
                {"id": graphene.ID(required=True), "input": input_type(required=True)},
            ),
            "mutate": staticmethod(update),
        },
    )
    Delete = type(
        f"Delete{name}",
        (graphene.Mutation,),
        {
            **payload_fields(with_object=False),
            "Meta": type("Meta", (), {"name": f"Delete{name}Payload"}),
            "Arguments": type("Arguments", (), {"id": graphene.ID(required=True)}),
            "mutate": staticmethod(delete),
        },
    )
    return {
        f"create{name}": Create.Field(),
        f"update{name}": Update.Field(),
        f"delete{name}": Delete.Field(),
    }
