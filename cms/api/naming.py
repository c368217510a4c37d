"""Stable GraphQL names derived from model classes."""

from collections import Counter

from django.db import models


def type_names(model_classes) -> dict[type[models.Model], str]:
    """Return a GraphQL type name per model: the class name, made unique.

    Two apps may both have, say, an `Entry` model; those get the app label
    in front (`LedgerEntry`, `BlogEntry`), every other model keeps its name.
    """
    counts = Counter(model.__name__ for model in model_classes)
    names = {}
    for model in model_classes:
        name = model.__name__
        if counts[name] > 1:
            label = "".join(
                part.capitalize() for part in model._meta.app_label.split("_")
            )
            name = label + name
        names[model] = name
    return names


def singular(type_name: str) -> str:
    """Return the field name for one object, e.g. `gadgetPart`."""
    return type_name[0].lower() + type_name[1:]


def plural(type_name: str) -> str:
    """Return the field name for a list of objects, e.g. `gadgetParts`."""
    name = singular(type_name)
    if name.endswith("ies"):
        return name + "List"
    if name.endswith(("s", "x", "z", "ch", "sh")):
        return name + "es"
    if name.endswith("y") and name[-2:-1] not in "aeiou":
        return name[:-1] + "ies"
    return name + "s"
