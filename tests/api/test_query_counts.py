"""Nested lists cost a constant number of queries however long the list is."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.sample.models import Gadget, GadgetPart

GADGETS = """
{ gadgets(first: 200) { totalCount edges { node {
    code company { name } parts { name gadget { code } }
} } } }
"""
PARTS = """
{ gadgetParts(first: 200) { edges { node {
    name gadget { code company { name } parts { name } }
} } } }
"""


def _add_gadgets(company, count):
    start = Gadget.objects.count()
    for index in range(start, start + count):
        gadget = Gadget.objects.create(
            company=company, code=f"G-{index:04}", name=f"Gadget {index}"
        )
        GadgetPart.objects.bulk_create(
            GadgetPart(gadget=gadget, company=company, name=f"P{index}-{part}")
            for part in range(2)
        )


def _queries(graphql, query) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        answer = graphql(query)
    assert "errors" not in answer, answer
    return len(captured.captured_queries), answer


def test_gadget_list_with_parts_costs_the_same_for_10_and_100(as_reader, company_a):
    _add_gadgets(company_a, 10)
    _queries(as_reader, GADGETS)
    ten, answer_ten = _queries(as_reader, GADGETS)

    _add_gadgets(company_a, 90)
    hundred, answer_hundred = _queries(as_reader, GADGETS)

    assert answer_ten["data"]["gadgets"]["totalCount"] == 10
    assert answer_hundred["data"]["gadgets"]["totalCount"] == 100
    assert len(answer_hundred["data"]["gadgets"]["edges"][99]["node"]["parts"]) == 2
    assert hundred == ten


def test_child_list_with_parents_costs_the_same_for_10_and_100(as_reader, company_a):
    _add_gadgets(company_a, 5)
    _queries(as_reader, PARTS)
    ten, _answer = _queries(as_reader, PARTS)

    _add_gadgets(company_a, 45)
    hundred, answer = _queries(as_reader, PARTS)

    assert len(answer["data"]["gadgetParts"]["edges"]) == 100
    assert hundred == ten


def test_token_requests_cost_the_same_for_10_and_100(
    graphql, reader, company_a, make_token
):
    _token, plain = make_token(reader)
    _add_gadgets(company_a, 10)
    graphql(GADGETS, token=plain)
    with CaptureQueriesContext(connection) as ten:
        graphql(GADGETS, token=plain)

    _add_gadgets(company_a, 90)
    with CaptureQueriesContext(connection) as hundred:
        graphql(GADGETS, token=plain)

    assert len(hundred.captured_queries) == len(ten.captured_queries)
