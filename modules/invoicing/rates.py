"""The Bank of Finland's published reference rates (Interest Act, 12 §).

Each rate is the ECB main refinancing rate on the last day of the
preceding half-year. The 0002 migration loads them; later rates are added
in the admin (Invoicing settings > Reference rates) as they are published.
"""

import datetime
from decimal import Decimal

from django.apps import apps as global_apps

RATES = [
    (datetime.date(2022, 7, 1), "0.00"),
    (datetime.date(2023, 1, 1), "2.50"),
    (datetime.date(2023, 7, 1), "4.00"),
    (datetime.date(2024, 1, 1), "4.50"),
    (datetime.date(2024, 7, 1), "4.25"),
    (datetime.date(2025, 1, 1), "3.15"),
    (datetime.date(2025, 7, 1), "2.15"),
    (datetime.date(2026, 1, 1), "2.15"),
]


def load(apps=global_apps) -> None:
    """Insert the published rates that are missing."""
    ReferenceRate = apps.get_model("invoicing", "ReferenceRate")
    ReferenceRate.objects.bulk_create(
        [ReferenceRate(valid_from=day, rate=Decimal(rate)) for day, rate in RATES],
        ignore_conflicts=True,
    )
