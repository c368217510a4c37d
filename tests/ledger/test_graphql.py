"""R4 over GraphQL: posted vouchers and lines are refused with a message."""

import datetime

import pytest
from django.test import Client

from modules.ledger.models import JournalLine, Voucher
from modules.ledger.services import post_voucher


@pytest.fixture
def posted(books, accountant, series, sale):
    return post_voucher(
        company=books,
        user=accountant,
        series=series,
        date=datetime.date(2026, 4, 1),
        description="Cash sale",
        lines=sale(),
    )


@pytest.fixture
def api(make_user, books):
    perms = [
        f"ledger.{action}_{model}"
        for action in ("view", "change", "delete")
        for model in ("voucher", "journalline")
    ]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_user("integrator", books, perms=perms))

    def run(query, variables):
        response = client.post(
            "/graphql/",
            {"query": query, "variables": variables},
            content_type="application/json",
        )
        return response.json()["data"]

    return run


def test_posted_voucher_cannot_be_changed_or_deleted(api, posted):
    updated = api(
        "mutation($id: ID!) { updateVoucher(id: $id, "
        'input: {description: "Rewritten"}) { ok errors { code messages } } }',
        {"id": posted.pk},
    )["updateVoucher"]
    deleted = api(
        "mutation($id: ID!) { deleteVoucher(id: $id) { ok errors { code } } }",
        {"id": posted.pk},
    )["deleteVoucher"]

    assert updated["ok"] is False
    assert updated["errors"][0]["code"] == "posted"
    assert "reverse it" in updated["errors"][0]["messages"][0]
    assert deleted["ok"] is False
    assert Voucher.objects.get(pk=posted.pk).description == "Cash sale"


def test_posted_line_cannot_be_changed_or_deleted(api, posted):
    line = posted.lines.get(account__number="3000")

    updated = api(
        "mutation($id: ID!) { updateJournalLine(id: $id, "
        'input: {credit: "1.00"}) { ok errors { code } } }',
        {"id": line.pk},
    )["updateJournalLine"]
    deleted = api(
        "mutation($id: ID!) { deleteJournalLine(id: $id) { ok errors { code } } }",
        {"id": line.pk},
    )["deleteJournalLine"]

    assert updated == {"ok": False, "errors": [{"code": "line_write"}]}
    assert deleted["ok"] is False
    assert JournalLine.objects.get(pk=line.pk).credit == line.credit
