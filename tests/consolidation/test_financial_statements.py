"""The financial statements document: cover, statements, notes, signatures."""

import io

from django.test import Client
from pypdf import PdfReader

from modules.consolidation.models import StatementNote
from modules.ledger.models import FiscalYear


def test_financial_statements_pdf_has_every_part(group, company_a, group_accountant):
    year = FiscalYear.objects.get(company=company_a, start__year=2026)
    StatementNote.objects.create(
        company=company_a,
        fiscal_year=year,
        personnel="Average 3 employees.",
        board="Anna Virtanen, chair\nBertil Ek",
        signing_place="Helsinki",
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(group_accountant)

    response = client.get(
        f"/admin/ledger/reports/financial-statements/?fiscal_year={year.pk}"
        "&layout=pma_small&format=pdf"
    )

    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 6
    assert "Alfa Oy" in text and "2077474-0" in text
    assert "Income statement" in text and "Balance sheet" in text
    assert "6,000.00" in text  # net turnover 2026
    assert "700.00" in text  # the previous year beside it
    assert "Average 3 employees." in text
    assert "Anna Virtanen, chair" in text and "Helsinki" in text
    assert "Auditor's note" in text
    assert "List of books and voucher types" in text
    assert "MU" in text and "Muistiotositteet" in text


def test_financial_statements_screen_without_notes_uses_defaults(
    group, company_a, group_accountant
):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(group_accountant)

    page = client.get("/admin/ledger/reports/financial-statements/").content.decode()

    assert "Notes to the financial statements" in page
    assert "1753/2015" in page
    assert "Voucher types" in page
