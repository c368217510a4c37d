"""Reading registered models: connection, filters, search, ordering, pages."""

LIST = """
query($first: Int, $after: String, $last: Int, $before: String,
      $active: Boolean, $search: String, $orderBy: [String!]) {
  gadgets(first: $first, after: $after, last: $last, before: $before,
          active: $active, search: $search, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
    edges { node { id code name price active extra company { name } } }
  }
}
"""


def codes(answer):
    return [edge["node"]["code"] for edge in answer["data"]["gadgets"]["edges"]]


def test_connection_lists_the_companys_gadgets_in_model_order(as_reader, catalogue):
    answer = as_reader(LIST)

    assert "errors" not in answer
    assert codes(answer) == ["D-1", "O-1", "S-1"]
    assert answer["data"]["gadgets"]["totalCount"] == 3
    drill = answer["data"]["gadgets"]["edges"][0]["node"]
    assert drill["id"] == str(catalogue["drill"].pk)
    assert drill["price"] == "99.90"
    assert drill["company"] == {"name": "Alfa Oy"}


def test_extra_values_are_read_as_json(as_reader, company_a, make_gadget):
    make_gadget(company_a, "X-1", extra={"colour": "red", "sizes": [1, 2]})

    answer = as_reader(LIST)

    assert answer["data"]["gadgets"]["edges"][0]["node"]["extra"] == {
        "colour": "red",
        "sizes": [1, 2],
    }


def test_list_filter_fields_filter_the_connection(as_reader, catalogue):
    answer = as_reader(LIST, {"active": False})

    assert codes(answer) == ["O-1"]
    assert answer["data"]["gadgets"]["totalCount"] == 1


def test_search_matches_every_word_in_any_search_field(as_reader, catalogue):
    by_name = as_reader(LIST, {"search": "hammer"})
    by_code = as_reader(LIST, {"search": "s-1"})
    two_words = as_reader(LIST, {"search": "old ham"})
    no_match = as_reader(LIST, {"search": "old drill"})

    assert codes(by_name) == ["O-1"]
    assert codes(by_code) == ["S-1"]
    assert codes(two_words) == ["O-1"]
    assert codes(no_match) == []


def test_order_by_accepts_fields_and_descending(as_reader, catalogue):
    cheapest_first = as_reader(LIST, {"orderBy": ["price"]})
    dearest_first = as_reader(LIST, {"orderBy": ["-price"]})

    assert codes(cheapest_first) == ["O-1", "S-1", "D-1"]
    assert codes(dearest_first) == ["D-1", "S-1", "O-1"]


def test_order_by_an_unknown_field_is_an_error(as_reader, catalogue):
    answer = as_reader(LIST, {"orderBy": ["-secret"]})

    assert answer["data"]["gadgets"] is None
    assert answer["errors"][0]["extensions"]["code"] == "invalid_ordering"
    assert "price" in answer["errors"][0]["message"]


def test_cursor_pagination_walks_forward_and_back(as_reader, catalogue):
    first_page = as_reader(LIST, {"first": 2})
    cursor = first_page["data"]["gadgets"]["pageInfo"]["endCursor"]
    second_page = as_reader(LIST, {"first": 2, "after": cursor})
    back = second_page["data"]["gadgets"]["pageInfo"]["startCursor"]
    before = as_reader(LIST, {"last": 1, "before": back})

    assert codes(first_page) == ["D-1", "O-1"]
    assert first_page["data"]["gadgets"]["pageInfo"]["hasNextPage"] is True
    assert codes(second_page) == ["S-1"]
    assert second_page["data"]["gadgets"]["pageInfo"]["hasNextPage"] is False
    assert codes(before) == ["O-1"]


def test_page_size_over_the_maximum_is_refused(as_reader, catalogue):
    answer = as_reader(LIST, {"first": 201})

    assert answer["data"]["gadgets"] is None
    assert answer["errors"][0]["extensions"]["code"] == "invalid_page_size"


def test_one_gadget_by_id(as_reader, catalogue):
    answer = as_reader(
        "query($id: ID!) { gadget(id: $id) { code parts { name } } }",
        {"id": catalogue["drill"].pk},
    )

    assert answer["data"]["gadget"] == {
        "code": "D-1",
        "parts": [{"name": "D-1 part 1"}, {"name": "D-1 part 2"}],
    }


def test_unknown_or_malformed_id_gives_null(as_reader, catalogue):
    missing = as_reader("{ gadget(id: 999999) { code } }")
    malformed = as_reader('{ gadget(id: "abc") { code } }')

    assert missing == {"data": {"gadget": None}}
    assert malformed == {"data": {"gadget": None}}


def test_child_list_links_back_to_parent(as_reader, catalogue):
    answer = as_reader("{ gadgetParts { edges { node { name gadget { code } } } } }")

    names = [
        (edge["node"]["name"], edge["node"]["gadget"]["code"])
        for edge in answer["data"]["gadgetParts"]["edges"]
    ]
    assert names == [("D-1 part 1", "D-1"), ("D-1 part 2", "D-1")]


def test_negative_offset_is_refused(as_reader, catalogue):
    answer = as_reader("{ gadgets(offset: -5) { totalCount } }")

    assert answer["data"]["gadgets"] is None
    assert answer["errors"][0]["extensions"]["code"] == "invalid_page_size"
