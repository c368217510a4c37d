"""The demo register loads, twice without change, with extranet links."""

from fixtures import demo
from modules.crm.models import Organisation, Person, Process, ProcessType


def test_demo_register_loads_idempotently(reference_data):
    demo.load()
    counts = [
        model.objects.count() for model in (Organisation, Person, Process, ProcessType)
    ]

    loaded = demo.load()

    assert [
        model.objects.count() for model in (Organisation, Person, Process, ProcessType)
    ] == counts
    assert counts[3] == 5
    partner = Person.objects.get(user=loaded["users"]["partner"])
    assert partner.organisations.get().is_partner
    project = Process.objects.get(process_type__code="customer_project")
    assert project.extra["budget"] == "24000.00"
    assert Person.objects.filter(marketing_consent=True).count() >= 4
