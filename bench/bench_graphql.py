"""B7: GraphQL list of 100 documents x 10 lines with their company.

Uses the test-only sample module (Gadget with GadgetParts stands in for an
invoice with lines) in a scratch test database. Reports the query counts
for 10 and 100 rows and the time per request against a hand-written JSON
view (bench/_json_view.py) that reads the same data with two queries,
served through the same middleware (the yardstick).
Usage: python bench/bench_graphql.py
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ.setdefault("TEST_DATABASE_NAME", "erp_bench_graphql")

import django

django.setup()

from _common import append_row  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

QUERY = """query($first: Int) { gadgets(first: $first) { edges { node {
  code name price company { name } parts { name count } } } } }"""
ROUNDS = 30


def _populate():
    from modules.core.models import Company, Membership, Role
    from tests.sample.models import Gadget, GadgetPart

    company = Company.objects.create(name="Bench Oy", business_id="2077474-0")
    user = get_user_model().objects.create_superuser("bench", password="bench-pw-1")
    Membership.objects.create(user=user, company=company, role=Role.ADMINISTRATOR)
    for number in range(100):
        gadget = Gadget.objects.create(
            company=company, code=f"G{number:03d}", name=f"Gadget {number}", price=10
        )
        GadgetPart.objects.bulk_create(
            GadgetPart(gadget=gadget, company=company, name=f"Part {i}", count=i)
            for i in range(10)
        )
    return user


def _time(function) -> float:
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main():
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        user = _populate()
        client = Client()
        client.force_login(user)

        def graphql(first):
            response = client.post(
                "/graphql/",
                json.dumps({"query": QUERY, "variables": {"first": first}}),
                content_type="application/json",
            )
            assert "errors" not in response.json(), response.content[:500]

        counts = {}
        for first in (10, 100):
            with CaptureQueriesContext(connection) as queries:
                graphql(first)
            counts[first] = len(queries)
        graphql_seconds = _time(lambda: graphql(100))
        with override_settings(ROOT_URLCONF="_json_view"):
            yardstick_seconds = _time(lambda: client.get("/bench/gadgets.json"))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    ratio = graphql_seconds / yardstick_seconds
    same = counts[10] == counts[100]
    print(f"queries: 10 rows {counts[10]}, 100 rows {counts[100]}")
    print(
        f"GraphQL {graphql_seconds * 1000:.1f} ms, JSON view "
        f"{yardstick_seconds * 1000:.1f} ms, ratio {ratio:.1f}"
    )
    append_row(
        "B7",
        "100 x 10 lines + company (sample Gadget/Part)",
        f"{graphql_seconds * 1000:.1f} ms/request; queries {counts[10]} (10 rows)"
        f" = {counts[100]} (100 rows)",
        f"JSON view {yardstick_seconds * 1000:.1f} ms",
        f"{ratio:.1f} x",
        "same counts; <= 2 x",
        same and ratio <= 2,
    )


if __name__ == "__main__":
    main()
