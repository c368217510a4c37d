"""Units of measure: converting quantities between units."""

from collections import deque
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from modules.core.models import Unit, UnitConversion
from modules.core.money import round_decimal, to_decimal


class NoUnitConversion(ValidationError):
    """Two units have no chain of conversions between them."""


def get_unit(unit) -> Unit:
    """Return the Unit for a code or instance, or raise ValidationError."""
    if isinstance(unit, Unit):
        return unit
    found = Unit.objects.filter(code=str(unit)).first()
    if found is None:
        raise ValidationError(
            _("%(code)s is not a known unit."),
            code="unknown_unit",
            params={"code": unit},
        )
    return found


def _factor_between(source: Unit, target: Unit) -> Decimal | None:
    # Conversions work both ways and chain (t -> kg -> g), so walk the
    # graph of units breadth first; the table is small.
    edges: dict[int, list[tuple[int, Decimal]]] = {}
    for from_id, to_id, factor in UnitConversion.objects.values_list(
        "from_unit_id", "to_unit_id", "factor"
    ):
        edges.setdefault(from_id, []).append((to_id, factor))
        edges.setdefault(to_id, []).append((from_id, 1 / factor))
    factors = {source.pk: Decimal(1)}
    queue = deque([source.pk])
    while queue:
        current = queue.popleft()
        if current == target.pk:
            return factors[current]
        for neighbour, factor in edges.get(current, []):
            if neighbour not in factors:
                factors[neighbour] = factors[current] * factor
                queue.append(neighbour)
    return None


def convert_quantity(quantity, from_unit, to_unit) -> Decimal:
    """Return `quantity` of `from_unit` expressed in `to_unit`.

    Units are codes or Unit rows. The result is rounded to the decimal
    places of `to_unit`; NoUnitConversion is raised when the units cannot
    be converted into each other (kg to m).
    """
    quantity = to_decimal(quantity)
    source, target = get_unit(from_unit), get_unit(to_unit)
    if source.pk == target.pk:
        return round_decimal(quantity, target.decimal_places)
    factor = _factor_between(source, target)
    if factor is None:
        raise NoUnitConversion(
            _("%(from_unit)s cannot be converted to %(to_unit)s."),
            code="no_unit_conversion",
            params={"from_unit": source.code, "to_unit": target.code},
        )
    return round_decimal(quantity * factor, target.decimal_places)
