"""Circulation: rules route invoices, people act by email link, all is logged."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from modules.core.models import AuditEntry, Role
from modules.ledger.models import Account
from modules.purchases import circulation
from modules.purchases.models import (
    AccountingRow,
    ApprovalRule,
    ApprovalStep,
    InvoiceState,
    Substitute,
)
from modules.purchases.services import receive_einvoice

from .conftest import finvoice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mail_on_commit(django_capture_on_commit_callbacks, monkeypatch):
    """Run each circulation service's after-commit mail as the call returns,
    as it would when the request's transaction commits."""
    for name in (
        "start_circulation",
        "approve_invoice",
        "reject_invoice",
        "forward_invoice",
    ):
        service = getattr(circulation, name)

        def committed(*args, _service=service, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return _service(*args, **kwargs)

        monkeypatch.setattr(circulation, name, committed)


def person(make_user, username, *companies):
    user = make_user(username, *companies, role=Role.EMPLOYEE, staff=False)
    user.email = f"{username}@alfa.example"
    user.save()
    return user


@pytest.fixture
def inspector(make_user, company_a):
    return person(make_user, "inspector", company_a)


@pytest.fixture
def approver(make_user, company_a):
    return person(make_user, "approver", company_a)


@pytest.fixture
def rule(books, inspector, approver):
    return ApprovalRule.objects.create(
        company=books, name="Default", inspector=inspector, approver=approver
    )


@pytest.fixture
def invoice(books, clerk, supplier):
    [received] = receive_einvoice(
        company=books, data=finvoice(), filename="a", user=clerk
    ).created
    AccountingRow.objects.create(
        invoice=received,
        account=Account.objects.get(company=books, number="4500"),
        vat_code="24",
        net_amount=Decimal("100.00"),
    )
    return received


def test_route_runs_inspector_then_approver_with_an_email_each(
    invoice, rule, clerk, inspector, approver
):
    circulation.start_circulation(invoice=invoice, user=clerk)
    assert [m.to for m in mail.outbox] == [["inspector@alfa.example"]]
    assert reverse("purchases_approve", args=[invoice.pk]) in mail.outbox[0].body

    circulation.approve_invoice(invoice=invoice, user=inspector, comment="ok")
    assert mail.outbox[-1].to == ["approver@alfa.example"]
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.IN_CIRCULATION

    circulation.approve_invoice(invoice=invoice, user=approver)
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.APPROVED
    actions = AuditEntry.objects.filter(object_id=str(invoice.pk)).values_list(
        "action", flat=True
    )
    assert {"circulate", "approve"} <= set(actions)


def test_invoice_without_accounting_cannot_circulate(books, clerk, supplier, rule):
    [bare] = receive_einvoice(
        company=books, data=finvoice("9"), filename="b", user=clerk
    ).created

    with pytest.raises(ValidationError, match="Account the invoice"):
        circulation.start_circulation(invoice=bare, user=clerk)


def test_rows_must_add_up_to_the_net_amount(invoice, rule, clerk):
    invoice.accounting_rows.update(net_amount=Decimal("90.00"))

    with pytest.raises(ValidationError, match="add up to 90.00"):
        circulation.start_circulation(invoice=invoice, user=clerk)


def test_no_fitting_rule_is_a_clear_error(invoice, clerk, approver):
    ApprovalRule.objects.create(
        company=invoice.company, name="Big", min_total=1000, approver=approver
    )

    with pytest.raises(ValidationError, match="No approval rule fits"):
        circulation.start_circulation(invoice=invoice, user=clerk)


def test_rules_are_tried_by_priority_and_amount(invoice, clerk, approver, inspector):
    ApprovalRule.objects.create(
        company=invoice.company,
        name="Small",
        priority=1,
        max_total=50,
        approver=inspector,
    )
    chosen = ApprovalRule.objects.create(
        company=invoice.company, name="Normal", priority=2, approver=approver
    )

    assert circulation.route_for(invoice) == chosen


def test_someone_whose_turn_it_is_not_is_refused(invoice, rule, clerk, approver):
    circulation.start_circulation(invoice=invoice, user=clerk)

    with pytest.raises(PermissionDenied, match="not waiting for you"):
        circulation.approve_invoice(invoice=invoice, user=approver)


def test_approver_of_another_company_is_refused(
    invoice, rule, clerk, make_user, company_b
):
    outsider = person(make_user, "outsider", company_b)
    circulation.start_circulation(invoice=invoice, user=clerk)
    step = circulation.current_step(invoice)
    step.assignee = outsider
    step.save()

    with pytest.raises(PermissionDenied, match="company you cannot see"):
        circulation.approve_invoice(invoice=invoice, user=outsider)


def test_substitute_acts_while_the_absence_lasts(
    invoice, rule, clerk, inspector, make_user, company_a
):
    stand_in = person(make_user, "standin", company_a)
    today = timezone.localdate()
    Substitute.objects.create(
        company=company_a,
        user=inspector,
        substitute=stand_in,
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today,
    )
    circulation.start_circulation(invoice=invoice, user=clerk)

    circulation.approve_invoice(invoice=invoice, user=stand_in)

    step = invoice.steps.get(role=ApprovalStep.Role.INSPECT)
    assert step.state == ApprovalStep.State.APPROVED
    assert step.acted_by == stand_in


def test_reject_needs_a_comment_and_ends_the_route(invoice, rule, clerk, inspector):
    circulation.start_circulation(invoice=invoice, user=clerk)

    with pytest.raises(ValidationError, match="Say why"):
        circulation.reject_invoice(invoice=invoice, user=inspector, comment=" ")
    circulation.reject_invoice(invoice=invoice, user=inspector, comment="Not ours")

    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.REJECTED
    assert not invoice.steps.filter(state=ApprovalStep.State.WAITING).exists()


def test_forward_hands_the_turn_to_a_colleague(
    invoice, rule, clerk, inspector, approver, make_user, company_a
):
    colleague = person(make_user, "colleague", company_a)
    circulation.start_circulation(invoice=invoice, user=clerk)

    circulation.forward_invoice(invoice=invoice, user=inspector, to_user=colleague)

    assert mail.outbox[-1].to == ["colleague@alfa.example"]
    circulation.approve_invoice(invoice=invoice, user=colleague)
    circulation.approve_invoice(invoice=invoice, user=approver)
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.APPROVED
    roles = list(invoice.steps.values_list("assignee__username", "state"))
    assert roles == [
        ("inspector", "forwarded"),
        ("colleague", "approved"),
        ("approver", "approved"),
    ]


def test_forward_to_someone_outside_the_company_is_refused(
    invoice, rule, clerk, inspector, make_user, company_b
):
    outsider = person(make_user, "outsider", company_b)
    circulation.start_circulation(invoice=invoice, user=clerk)

    with pytest.raises(ValidationError, match="does not work for this company"):
        circulation.forward_invoice(invoice=invoice, user=inspector, to_user=outsider)


def test_reminders_go_once_and_late_ones_escalate(invoice, rule, clerk):
    circulation.start_circulation(invoice=invoice, user=clerk)
    mail.outbox.clear()
    later = timezone.now() + datetime.timedelta(days=8)

    sent = circulation.send_reminders(now=later)
    again = circulation.send_reminders(now=later)

    assert sent == 2  # the reminder and the escalation to the accountant
    assert again == 0
    assert mail.outbox[0].to == ["inspector@alfa.example"]
    assert "Reminder" in mail.outbox[0].subject
    assert mail.outbox[1].to == ["clerk@alfa.example"]


def test_approval_page_lets_the_approver_act_from_the_email_link(
    client, invoice, rule, clerk, inspector
):
    circulation.start_circulation(invoice=invoice, user=clerk)
    url = reverse("purchases_approve", args=[invoice.pk])
    client.force_login(inspector)

    page = client.get(url)
    assert page.status_code == 200
    assert b"124,00" in page.content

    done = client.post(url, {"action": "approve", "comment": "fine"})
    assert done.status_code == 302
    assert circulation.current_step(invoice).assignee.username == "approver"


def test_approval_page_refuses_people_not_on_the_route(
    client, invoice, rule, clerk, make_user, company_a
):
    circulation.start_circulation(invoice=invoice, user=clerk)
    client.force_login(person(make_user, "nosy", company_a))

    response = client.get(reverse("purchases_approve", args=[invoice.pk]))

    assert response.status_code == 403


def test_approval_page_asks_anonymous_visitors_to_log_in(client, invoice):
    response = client.get(reverse("purchases_approve", args=[invoice.pk]))

    assert response.status_code == 302
    assert "/login/" in response["Location"]
