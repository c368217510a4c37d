"""The invoicing demo data loads on its own and a second time adds nothing."""

from modules.core.models import Company
from modules.invoicing.models import InvoiceState, SalesInvoice


def test_demo_invoices_load_idempotently(make_user, reference_data):
    from fixtures import demo_invoicing

    main = Company.objects.create(
        name="Kide Demo Oy",
        business_id="2077474-0",
        street_address="Katu 1",
        postal_code="00100",
        city="Helsinki",
    )
    users = {"accountant": make_user("accountant", main)}

    demo_invoicing.load({"main": main}, users)
    first = SalesInvoice.objects.count()
    demo_invoicing.load({"main": main}, users)

    states = set(SalesInvoice.objects.values_list("state", flat=True))
    assert SalesInvoice.objects.count() == first == 6
    assert {InvoiceState.DRAFT, InvoiceState.ISSUED, InvoiceState.PAID} <= states
