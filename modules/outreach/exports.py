"""A segment's persons as a CSV file or as vCard 4.0 cards (RFC 6350).

The CSV file is UTF-8 with a byte order mark, so that spreadsheet programs
read ä and ö right, and cells that would start a formula are quoted with an
apostrophe. vCards are UTF-8 with CRLF line ends, text escaped as section
3.4 of the RFC says and lines folded at 75 octets without splitting a
character.
"""

import csv
import io
import uuid

from django.utils.translation import gettext as _

CSV_COLUMNS = (
    ("first_name", lambda person: person.first_name),
    ("last_name", lambda person: person.last_name),
    ("email", lambda person: person.email),
    ("phone", lambda person: person.phone),
    ("language", lambda person: person.language),
    ("marketing_consent", lambda person: "1" if person.marketing_consent else "0"),
    (
        "consent_date",
        lambda person: person.consent_date.isoformat() if person.consent_date else "",
    ),
    (
        "organisations",
        lambda person: "; ".join(
            contact.organisation.name for contact in person.contacts.all()
        ),
    ),
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FOLD_OCTETS = 75
# Namespace of the cards' UIDs, so that a person keeps one UID across exports.
UID_NAMESPACE = uuid.UUID("6f1d7a52-58a4-4c1e-9f0e-2f5f8d1f3b7a")


def csv_cell(value) -> str:
    """Return a CSV cell; text that would start a formula gets an apostrophe."""
    value = str(value or "")
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def persons_csv(persons) -> bytes:
    """Return the persons as CSV: a header row, then one row per person."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _value in CSV_COLUMNS])
    for person in persons:
        writer.writerow([csv_cell(value(person)) for _name, value in CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def escape_text(value: str) -> str:
    """Escape a vCard text value: backslash, comma, semicolon and newlines."""
    value = str(value or "")
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (RFC 6350 3.2)."""
    pieces = []
    current = ""
    limit = FOLD_OCTETS
    for character in line:
        if len((current + character).encode("utf-8")) > limit:
            pieces.append(current)
            current = ""
            # A continuation line starts with a space, which counts.
            limit = FOLD_OCTETS - 1
        current += character
    pieces.append(current)
    return "\r\n ".join(pieces)


def _telephone(phone: str) -> str:
    digits = "".join(
        character for character in phone if character.isdigit() or character == "+"
    )
    return f"tel:{digits}"


def person_vcard(person) -> str:
    """Return one person as a vCard 4.0, ending in CRLF."""
    uid = uuid.uuid5(UID_NAMESPACE, f"{person.company_id}:{person.pk}")
    name = str(person) or person.email or _("Unnamed person")
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"UID:urn:uuid:{uid}",
        f"FN:{escape_text(name)}",
        f"N:{escape_text(person.last_name)};{escape_text(person.first_name)};;;",
    ]
    if person.email:
        lines.append(f"EMAIL;TYPE=work:{escape_text(person.email)}")
    if person.phone:
        lines.append(f"TEL;VALUE=uri;TYPE=work:{_telephone(person.phone)}")
    if person.language:
        lines.append(f"LANG:{person.language}")
    for contact in person.contacts.all():
        lines.append(f"ORG:{escape_text(contact.organisation.name)}")
        if contact.title:
            lines.append(f"TITLE:{escape_text(contact.title)}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def persons_vcards(persons) -> bytes:
    """Return the persons as one UTF-8 vCard file."""
    return "".join(person_vcard(person) for person in persons).encode("utf-8")
