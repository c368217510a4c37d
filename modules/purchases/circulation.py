"""Circulating purchase invoices for inspection and approval.

Rules pick the route: the first rule, by priority, whose supplier, total
range and expense account fit the invoice names an inspector (optional)
and an approver. Each person gets an email with a link to the invoice and
acts on it in the admin or on the phone page: approve, reject with a
comment, or forward to someone else. Only the person whose turn it is, or
their substitute for the day, may act; everything is logged.
"""

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.users.models import UserProfile

from modules.core.audit import record_change
from modules.core.models import Membership, Role
from modules.core.scoping import user_can_access_company

from . import matching
from .models import (
    ApprovalRule,
    ApprovalStep,
    InvoiceState,
    PurchaseInvoice,
    Substitute,
)

logger = logging.getLogger(__name__)

REMIND_AFTER = datetime.timedelta(days=3)
ESCALATE_AFTER = datetime.timedelta(days=7)


def route_for(invoice: PurchaseInvoice) -> ApprovalRule | None:
    """Return the first rule, by priority, whose supplier, total range,
    expense account, cost centre and project fit the invoice."""
    rows = list(
        invoice.accounting_rows.values_list(
            "account_id", "cost_centre_id", "project_id"
        )
    )
    accounts = {row[0] for row in rows}
    cost_centres = {row[1] for row in rows}
    projects = {row[2] for row in rows}
    rules = ApprovalRule.objects.filter(company_id=invoice.company_id).filter(
        Q(supplier__isnull=True) | Q(supplier_id=invoice.supplier_id),
        Q(min_total__isnull=True) | Q(min_total__lte=invoice.total),
        Q(max_total__isnull=True) | Q(max_total__gte=invoice.total),
    )
    for rule in rules.order_by("priority", "pk"):
        if (
            (rule.account_id is None or rule.account_id in accounts)
            and (rule.cost_centre_id is None or rule.cost_centre_id in cost_centres)
            and (rule.project_id is None or rule.project_id in projects)
        ):
            return rule
    return None


def check_accounting(invoice: PurchaseInvoice) -> None:
    """Raise ValidationError unless the rows account for the net amount."""
    rows = list(invoice.accounting_rows.all())
    if not rows:
        raise ValidationError(
            _("Account the invoice before sending it for approval."),
            code="not_accounted",
        )
    accounted = sum((row.net_amount for row in rows), Decimal("0"))
    if accounted != invoice.net_amount:
        raise ValidationError(
            _(
                "The accounting rows add up to %(rows)s but the invoice's amount "
                "without VAT is %(net)s."
            )
            % {"rows": accounted, "net": invoice.net_amount},
            code="rows_do_not_add_up",
        )


def invoice_url(invoice) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("purchases_approve", args=[invoice.pk])


def _notify(step: ApprovalStep, *, reminder: bool = False) -> None:
    user = step.assignee
    if not user.email:
        logger.warning("Approver %s has no email address", user.pk)
        return
    invoice = step.invoice
    language = (
        UserProfile.get_for_user(user).get_preferred_language()
        or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        if reminder:
            subject = _("Reminder: invoice %(invoice)s is waiting for you")
        else:
            subject = _("Invoice %(invoice)s is waiting for you")
        subject = subject % {"invoice": invoice}
        body = _(
            "%(role)s: %(invoice)s, %(total)s %(currency)s, due %(due)s.\n\n"
            "Open it here: %(url)s"
        ) % {
            "role": step.get_role_display(),
            "invoice": invoice,
            "total": invoice.total,
            "currency": invoice.currency,
            "due": f"{invoice.due_date:%d.%m.%Y}" if invoice.due_date else "-",
            "url": invoice_url(invoice),
        }
    send_mail(subject, body, None, [user.email])


def _log(invoice, user, action: str, comment: str = "") -> None:
    record_change(
        instance=invoice,
        user=user,
        action=action,
        after={"state": invoice.state, "comment": comment},
    )


@transaction.atomic
def start_circulation(*, invoice: PurchaseInvoice, user) -> list[ApprovalStep]:
    """Send an accounted invoice on its route; the first person gets mail."""
    invoice = PurchaseInvoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.state != InvoiceState.RECEIVED:
        raise ValidationError(
            _(
                "Only a received invoice can be sent for approval; "
                "this one is %(state)s."
            )
            % {"state": invoice.get_state_display()},
            code="wrong_state",
        )
    check_accounting(invoice)
    rule = route_for(invoice)
    if rule is None:
        raise ValidationError(
            _("No approval rule fits this invoice; add one under Approval rules."),
            code="no_rule",
        )
    if rule.skip_when_matched and matching.is_fully_matched(invoice):
        _approve_as_matched(invoice, user, rule)
        return []
    people = [
        (ApprovalStep.Role.INSPECT, rule.inspector),
        (ApprovalStep.Role.APPROVE, rule.approver),
    ]
    steps = [
        ApprovalStep.objects.create(
            invoice=invoice, position=position, role=role, assignee=person
        )
        for position, (role, person) in enumerate(
            ((r, p) for r, p in people if p is not None), start=1
        )
    ]
    invoice.state = InvoiceState.IN_CIRCULATION
    invoice.save(update_fields=["state"])
    _activate(steps[0])
    _log(invoice, user, "circulate", rule.name)
    return steps


def _approve_as_matched(invoice, user, rule) -> None:
    invoice.state = InvoiceState.APPROVED
    invoice.save(update_fields=["state"])
    _log(
        invoice,
        user,
        "approve",
        _(
            "Every line matches purchase order %(order)s; rule %(rule)s skips "
            "manual approval."
        )
        % {"order": invoice.purchase_order, "rule": rule.name},
    )
    logger.info("Purchase invoice %s approved as matched", invoice.pk)


@transaction.atomic
def approve_if_matched(*, invoice, user) -> bool:
    """Approve a received invoice straight away when every line matches its
    order, its rows account for it and its rule skips manual approval.
    Return whether it was approved."""
    invoice = PurchaseInvoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.state != InvoiceState.RECEIVED or not matching.is_fully_matched(invoice):
        return False
    try:
        check_accounting(invoice)
    except ValidationError:
        return False
    rule = route_for(invoice)
    if rule is None or not rule.skip_when_matched:
        return False
    _approve_as_matched(invoice, user, rule)
    return True


def _activate(step: ApprovalStep) -> None:
    step.state = ApprovalStep.State.PENDING
    step.notified_at = timezone.now()
    step.save(update_fields=["state", "notified_at"])
    transaction.on_commit(lambda: _notify(step))


def may_act_for(*, user, assignee, company, day: datetime.date) -> bool:
    """Return whether `user` may act in `assignee`'s place today."""
    if user.pk == assignee.pk:
        return True
    return Substitute.objects.filter(
        company=company,
        user=assignee,
        substitute=user,
        starts_on__lte=day,
        ends_on__gte=day,
    ).exists()


def current_step(invoice) -> ApprovalStep | None:
    return invoice.steps.filter(state=ApprovalStep.State.PENDING).first()


def _require_turn(invoice, user) -> ApprovalStep:
    if not user_can_access_company(user, invoice.company_id):
        raise PermissionDenied(_("This invoice belongs to a company you cannot see."))
    step = current_step(invoice)
    if step is None or not may_act_for(
        user=user,
        assignee=step.assignee,
        company=invoice.company,
        day=timezone.localdate(),
    ):
        raise PermissionDenied(_("This invoice is not waiting for you."))
    return step


def _close_step(step, *, user, state, comment) -> None:
    step.state = state
    step.acted_by = user
    step.acted_at = timezone.now()
    step.comment = comment
    step.save(update_fields=["state", "acted_by", "acted_at", "comment"])


@transaction.atomic
def approve_invoice(*, invoice, user, comment: str = "") -> PurchaseInvoice:
    """Record the current person's approval; the next one gets mail, and
    after the last one the invoice is approved."""
    invoice = PurchaseInvoice.objects.select_for_update().get(pk=invoice.pk)
    step = _require_turn(invoice, user)
    _close_step(step, user=user, state=ApprovalStep.State.APPROVED, comment=comment)
    following = invoice.steps.filter(
        position__gt=step.position, state=ApprovalStep.State.WAITING
    ).first()
    if following is not None:
        _activate(following)
    else:
        invoice.state = InvoiceState.APPROVED
        invoice.save(update_fields=["state"])
    _log(invoice, user, "approve", comment)
    return invoice


@transaction.atomic
def reject_invoice(*, invoice, user, comment: str) -> PurchaseInvoice:
    """Reject the invoice; a comment saying why is required."""
    if not (comment or "").strip():
        raise ValidationError(
            {"comment": _("Say why the invoice is rejected.")}, code="no_comment"
        )
    invoice = PurchaseInvoice.objects.select_for_update().get(pk=invoice.pk)
    step = _require_turn(invoice, user)
    _close_step(step, user=user, state=ApprovalStep.State.REJECTED, comment=comment)
    invoice.steps.filter(state=ApprovalStep.State.WAITING).delete()
    invoice.state = InvoiceState.REJECTED
    invoice.save(update_fields=["state"])
    _log(invoice, user, "reject", comment)
    return invoice


@transaction.atomic
def forward_invoice(*, invoice, user, to_user, comment: str = "") -> ApprovalStep:
    """Hand the current turn to `to_user`, who must work for the company."""
    invoice = PurchaseInvoice.objects.select_for_update().get(pk=invoice.pk)
    step = _require_turn(invoice, user)
    if not Membership.objects.filter(user=to_user, company=invoice.company).exists():
        raise ValidationError(
            {
                "to_user": _("%(user)s does not work for this company.")
                % {"user": to_user}
            },
            code="foreign_user",
        )
    _close_step(step, user=user, state=ApprovalStep.State.FORWARDED, comment=comment)
    invoice.steps.filter(position__gt=step.position).update(position=F("position") + 1)
    forwarded = ApprovalStep.objects.create(
        invoice=invoice, position=step.position + 1, role=step.role, assignee=to_user
    )
    _activate(forwarded)
    _log(invoice, user, "forward", comment)
    return forwarded


def send_reminders(*, now=None) -> int:
    """Remind people of invoices waiting for them too long, and tell the
    company's accountants of those waiting past the escalation time.
    Returns the number of emails sent; running it twice sends nothing new."""
    now = now or timezone.now()
    sent = 0
    due = ApprovalStep.objects.filter(
        state=ApprovalStep.State.PENDING, notified_at__lte=now - REMIND_AFTER
    ).filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMIND_AFTER))
    for step in due.select_related("invoice", "assignee"):
        with transaction.atomic():
            locked = (
                ApprovalStep.objects.select_for_update(skip_locked=True)
                .filter(pk=step.pk, state=ApprovalStep.State.PENDING)
                .first()
            )
            if locked is None or (
                locked.reminded_at and locked.reminded_at > now - REMIND_AFTER
            ):
                continue
            locked.reminded_at = now
            locked.save(update_fields=["reminded_at"])
            _notify(locked, reminder=True)
            sent += 1
            if locked.notified_at <= now - ESCALATE_AFTER:
                sent += _escalate(locked)
    return sent


def _escalate(step) -> int:
    users = (
        get_user_model()
        .objects.filter(
            memberships__company=step.invoice.company_id,
            memberships__role__in=[Role.ACCOUNTANT, Role.ADMINISTRATOR],
            is_active=True,
        )
        .exclude(email="")
    )
    recipients = sorted({user.email for user in users})
    if not recipients:
        return 0
    send_mail(
        _("Invoice %(invoice)s has waited for %(name)s since %(date)s")
        % {
            "invoice": step.invoice,
            "name": step.assignee.get_full_name() or step.assignee.username,
            "date": f"{timezone.localtime(step.notified_at):%d.%m.%Y}",
        },
        invoice_url(step.invoice),
        None,
        recipients,
    )
    return 1


def is_my_turn(*, user, invoice) -> bool:
    """Return whether the invoice's current step waits for `user` today."""
    step = current_step(invoice)
    return step is not None and may_act_for(
        user=user,
        assignee=step.assignee,
        company=invoice.company,
        day=timezone.localdate(),
    )


def is_involved(*, user, invoice) -> bool:
    """Return whether `user` may look at the invoice on the approval page:
    a person on its route (or their substitute) or a purchase clerk of
    the company."""
    if not user_can_access_company(user, invoice.company_id):
        return False
    if user.has_perm("purchases.view_purchaseinvoice"):
        return True
    today = timezone.localdate()
    return any(
        may_act_for(
            user=user, assignee=step.assignee, company=invoice.company, day=today
        )
        for step in invoice.steps.select_related("assignee")
    )


def colleagues(*, invoice, user):
    """People of the invoice's company an invoice may be forwarded to."""
    return (
        get_user_model()
        .objects.filter(memberships__company=invoice.company_id, is_active=True)
        .exclude(pk=user.pk)
        .order_by("last_name", "first_name", "username")
        .distinct()
    )
