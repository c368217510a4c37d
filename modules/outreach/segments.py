"""Who is in a segment: the rules of a saved segment as a query on persons.

Classification rules look at the person's own classifications and at those
of the organisations the person is a contact of; a chosen classification
covers its whole subtree. Extra form rules use the same conditions as the
register's filters (`cms.definable.filters.condition`).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cms.definable.filters import condition
from cms.definable.selectors import fields_for
from modules.core.scoping import user_can_access_company
from modules.crm.models import Classification, Contact, Organisation, Person
from modules.crm.selectors import visible_classifications

OPERATORS = ("eq", "gte", "lte", "filled", "empty")
RECORDS = {"person": Person, "organisation": Organisation}


def _condition_q(definable, operator: str, value) -> Q:
    if operator == "eq":
        return condition(definable, value)
    if operator == "gte":
        return condition(definable, {"min": value})
    if operator == "lte":
        return condition(definable, {"max": value})
    missing = condition(definable, None)
    return missing if operator == "empty" else ~missing


def _form_fields(record: str, company) -> dict:
    return {field.key: field for field in fields_for(RECORDS[record], company=company)}


def check_form_conditions(conditions, *, company) -> None:
    """Raise ValidationError unless `conditions` is a list of valid rules."""

    def invalid(message):
        return ValidationError({"form_conditions": message}, code="invalid")

    if not isinstance(conditions, list):
        raise invalid(_("Give the conditions as a list."))
    known = {record: _form_fields(record, company) for record in RECORDS}
    for number, rule in enumerate(conditions, start=1):
        if not isinstance(rule, dict) or set(rule) - {
            "field",
            "operator",
            "value",
            "record",
        }:
            raise invalid(
                _("Condition %(number)s is not like the example.") % {"number": number}
            )
        record = rule.get("record", "person")
        if record not in RECORDS:
            raise invalid(
                _("Condition %(number)s: record must be person or organisation.")
                % {"number": number}
            )
        definable = known[record].get(rule.get("field"))
        if definable is None:
            raise invalid(
                _("Condition %(number)s: there is no extra field %(field)s.")
                % {"number": number, "field": rule.get("field")}
            )
        operator = rule.get("operator", "eq")
        if operator not in OPERATORS:
            raise invalid(
                _("Condition %(number)s: unknown operator %(operator)s.")
                % {"number": number, "operator": operator}
            )
        if operator in ("eq", "gte", "lte") and rule.get("value") in (None, ""):
            raise invalid(_("Condition %(number)s needs a value.") % {"number": number})
        try:
            _condition_q(definable, operator, rule.get("value"))
        except (ValueError, ValidationError) as error:
            raise invalid(
                _("Condition %(number)s: the value does not fit the field %(field)s.")
                % {"number": number, "field": definable.key}
            ) from error


def _subtree(ids) -> set[int]:
    """Return `ids` and the ids of every classification below them."""
    found = set(ids)
    frontier = set(ids)
    while frontier:
        frontier = (
            set(
                Classification.objects.filter(parent_id__in=frontier).values_list(
                    "pk", flat=True
                )
            )
            - found
        )
        found |= frontier
    return found


def _classified(ids) -> Q:
    through_contacts = Contact.objects.filter(
        organisation__classifications__in=ids
    ).values("person_id")
    return Q(classifications__in=ids) | Q(pk__in=through_contacts)


def _with_classifications(persons: QuerySet, segment) -> QuerySet:
    chosen = list(segment.classifications.values_list("pk", flat=True))
    if not chosen:
        return persons
    if segment.classification_match == segment.Match.ALL:
        for node in chosen:
            matching = Person.objects.filter(_classified(_subtree([node])))
            persons = persons.filter(pk__in=matching.values("pk"))
        return persons
    matching = Person.objects.filter(_classified(_subtree(chosen)))
    return persons.filter(pk__in=matching.values("pk"))


def _with_form_values(persons: QuerySet, segment) -> QuerySet:
    known = {record: _form_fields(record, segment.company_id) for record in RECORDS}
    for rule in segment.form_conditions or []:
        record = rule.get("record", "person")
        definable = known[record][rule["field"]]
        match = _condition_q(definable, rule.get("operator", "eq"), rule.get("value"))
        if record == "organisation":
            organisations = Organisation.objects.filter(match).values("pk")
            contacts = Contact.objects.filter(organisation__in=organisations)
            persons = persons.filter(pk__in=contacts.values("person_id"))
        else:
            persons = persons.filter(match)
    return persons


def _with_contact_rules(persons: QuerySet, segment) -> QuerySet:
    # Town and role are tested on one and the same contact: "CEOs in Turku".
    if not segment.town and not segment.role:
        return persons
    contacts = Contact.objects.filter(company=segment.company_id)
    if segment.town:
        contacts = contacts.filter(
            Q(organisation__city__iexact=segment.town)
            | Q(organisation__visiting_city__iexact=segment.town)
        )
    if segment.role:
        contacts = contacts.filter(title__icontains=segment.role)
    return persons.filter(pk__in=contacts.values("person_id"))


def segment_persons(segment) -> QuerySet:
    """Return the persons of the segment's company who meet all its rules."""
    persons = Person.objects.filter(company=segment.company_id, is_archived=False)
    persons = _with_classifications(persons, segment)
    persons = _with_form_values(persons, segment)
    persons = _with_contact_rules(persons, segment)
    if segment.language:
        persons = persons.filter(language=segment.language)
    if segment.consent == segment.Consent.GIVEN:
        persons = persons.filter(marketing_consent=True)
    elif segment.consent == segment.Consent.MISSING:
        persons = persons.filter(marketing_consent=False)
    return persons.order_by("last_name", "first_name", "pk")


def hidden_classifications(segment, user) -> list:
    """Return the segment's classifications that `user` may not see."""
    visible = visible_classifications(user, company=segment.company_id).values("pk")
    return list(segment.classifications.exclude(pk__in=visible))


def persons_for_user(segment, user) -> QuerySet:
    """Return the segment's persons, for a user allowed to look at them.

    Raise PermissionDenied when the user is not in the segment's company,
    may not view persons, or the segment relies on classifications hidden
    from the user (its members would reveal how those persons are
    classified).
    """
    if not user_can_access_company(user, segment.company_id) or not user.has_perm(
        "crm.view_person"
    ):
        raise PermissionDenied(_("You may not see the persons of this segment."))
    if hidden_classifications(segment, user):
        raise PermissionDenied(
            _(
                "This segment uses classifications you cannot see, so its "
                "persons are not shown to you."
            )
        )
    return segment_persons(segment)
