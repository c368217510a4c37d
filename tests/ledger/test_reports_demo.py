"""The demo books: loaded once, balanced, meaningful in the reports."""

import datetime

from fixtures import demo
from modules.consolidation.selectors import consolidated_statement
from modules.ledger.models import JournalLine, Voucher
from modules.ledger.reports.books import trial_balance
from modules.ledger.reports.periods import DateRange
from modules.ledger.reports.statements import balance_sheet, income_statement


def test_demo_books_load_once_and_make_sense(reference_data):
    companies = demo.load()["companies"]
    vouchers = Voucher.objects.count()
    lines = JournalLine.objects.count()
    demo.load()

    assert Voucher.objects.count() == vouchers
    assert 1000 < lines < 5000
    last_year = datetime.date.today().year - 1
    period = DateRange(datetime.date(last_year, 1, 1), datetime.date(last_year, 12, 31))
    main = companies["main"]
    balance = trial_balance(company=main, period=period)
    assert balance.debit == balance.credit
    statement = income_statement(company=main, period=period)
    assert statement.row("turnover").values[0] > 0
    assert statement.row("personnel").values[0] < 0
    sheet = balance_sheet(company=main, period=period)
    assert sheet.row("assets").values == sheet.row("liabilities").values
    group = consolidated_statement(group=main.group, statement="balance", period=period)
    eliminations = group.statement.columns.index(
        next(c for c in group.statement.columns if c.label == "Eliminations")
    )
    assert group.statement.row("liabilities_short").values[eliminations] < 0
    assert group.difference == 0
