"""Many-to-many fields become lists of ids in the generated input types."""

import dataclasses

import graphene

from cms.api.mutations import build_input_type
from cms.registry import get_registration
from modules.crm.models import Organisation


def test_many_to_many_field_is_a_list_of_ids():
    registration = dataclasses.replace(get_registration(Organisation), form_fields=None)

    input_type = build_input_type(registration, "OrganisationProbe")

    field = input_type._meta.fields["classifications"]
    assert isinstance(field.type, graphene.List)
