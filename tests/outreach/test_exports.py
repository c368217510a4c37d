"""A segment's persons exported as CSV and as vCard 4.0."""

import csv
import io

from django.urls import reverse

from modules.outreach.exports import escape_text, fold, person_vcard


def test_vcard_escapes_text_and_uses_crlf(make_person, make_organisation):
    person = make_person(
        "ake@example.fi",
        first_name="Åke",
        last_name="Öst, Jr.",
        phone="+358 40 123 4567",
        language="sv",
    )
    make_organisation("Back\\slash; Comma, Oy", person=person, title="Chef\nsäljare")

    card = person_vcard(person)

    lines = card.split("\r\n")
    assert lines[0] == "BEGIN:VCARD"
    assert lines[1] == "VERSION:4.0"
    assert lines[-2:] == ["END:VCARD", ""]
    assert "\n" not in card.replace("\r\n", "")
    assert "FN:Åke Öst\\, Jr." in lines
    assert "N:Öst\\, Jr.;Åke;;;" in lines
    assert "EMAIL;TYPE=work:ake@example.fi" in lines
    assert "TEL;VALUE=uri;TYPE=work:tel:+358401234567" in lines
    assert "LANG:sv" in lines
    assert "ORG:Back\\\\slash\\; Comma\\, Oy" in lines
    assert "TITLE:Chef\\nsäljare" in lines


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    line = "NOTE:" + "ä" * 100

    folded = fold(line)

    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece.removeprefix(" ") for piece in pieces) == line


def test_escape_text_handles_every_special_character():
    assert escape_text("a\\b,c;d\r\ne\nf") == "a\\\\b\\,c\\;d\\ne\\nf"


def test_a_person_keeps_one_uid_across_exports(make_person):
    person = make_person("same@example.fi")

    assert person_vcard(person) == person_vcard(person)


def test_segment_exports_download_for_the_marketer(
    client, marketer, make_person, make_segment, company_b
):
    make_person("märta.åberg@example.fi", language="sv", phone="=1+2")
    make_person("intruder@example.fi", company=company_b)
    segment = make_segment()
    client.force_login(marketer)

    csv_response = client.get(
        reverse("outreach_segment_export", args=[segment.pk, "csv"])
    )
    vcard_response = client.get(
        reverse("outreach_segment_export", args=[segment.pk, "vcard"])
    )

    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert [row["email"] for row in rows] == ["märta.åberg@example.fi"]
    assert rows[0]["first_name"] == "Märta"
    assert rows[0]["phone"] == "'=1+2"
    assert vcard_response["Content-Type"] == "text/vcard; charset=utf-8"
    cards = vcard_response.content.decode("utf-8")
    assert cards.count("BEGIN:VCARD") == 1
    assert "FN:Märta Åberg" in cards
    assert "intruder" not in cards
