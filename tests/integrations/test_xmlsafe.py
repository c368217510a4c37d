"""R7: hostile XML is refused with a clear message, touching nothing outside."""

import resource
import socket
import threading

import pytest
from django.utils import translation

from integrations.camt import parse_camt
from integrations.xmlsafe import (
    ForbiddenXMLError,
    MalformedXMLError,
    UnsafeXMLError,
    XMLTooLargeError,
    parse_xml,
)

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Document>&lol9;</Document>"""


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_entity_expansion_is_refused_without_expanding():
    before = _peak_rss_mb()

    with pytest.raises(ForbiddenXMLError) as refused:
        parse_xml(BILLION_LAUGHS)

    assert "document type or entities" in refused.value.messages[0]
    assert _peak_rss_mb() - before < 256


def test_external_file_entity_is_refused_and_the_file_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-PAYROLL")
    hostile = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<Document>&x;</Document>"
    ).encode()

    with pytest.raises(ForbiddenXMLError) as refused:
        parse_xml(hostile)

    assert "TOP-SECRET" not in str(refused.value)


@pytest.fixture
def listening_server():
    """A TCP server on localhost that counts the connections it receives."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.5)
    connections = []

    def accept():
        try:
            connection, _address = server.accept()
        except OSError:
            return
        connections.append(connection)
        connection.close()

    thread = threading.Thread(target=accept)
    thread.start()
    yield server.getsockname()[1], connections
    thread.join()
    server.close()


def test_external_network_entity_and_dtd_never_reach_the_network(listening_server):
    port, connections = listening_server
    for hostile in (
        f'<!DOCTYPE d [<!ENTITY x SYSTEM "http://127.0.0.1:{port}/x">]><d>&x;</d>',
        f'<!DOCTYPE d SYSTEM "http://127.0.0.1:{port}/d.dtd"><d/>',
        f'<?xml version="1.0"?><!DOCTYPE d PUBLIC "-//x" "http://127.0.0.1:{port}/"><d/>',
    ):
        with pytest.raises(ForbiddenXMLError):
            parse_xml(hostile.encode())

    assert connections == []


def test_utf16_document_type_is_refused_too():
    hostile = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d><d/>'.encode("utf-16")

    with pytest.raises(ForbiddenXMLError):
        parse_xml(hostile)


def test_huge_file_is_refused_before_it_is_read_whole():
    class EndlessFile:
        """A file that would never end; counts what was read from it."""

        read_bytes = 0

        def read(self, size):
            self.read_bytes += size
            return b"<a>" + b"x" * (size - 3)

    source = EndlessFile()

    with pytest.raises(XMLTooLargeError) as refused:
        parse_xml(source, max_bytes=1024 * 1024)

    assert source.read_bytes == 1024 * 1024 + 1
    assert "larger than 1.0 MB" in refused.value.messages[0]


def test_deep_nesting_is_refused():
    hostile = b"<a>" * 100_000 + b"</a>" * 100_000

    with pytest.raises(MalformedXMLError):
        parse_xml(hostile)


@pytest.mark.parametrize(
    "broken",
    [b"<Document><Unclosed></Document>", b"not xml at all", b"", b"<a>&undefined;</a>"],
)
def test_malformed_xml_gets_a_typed_error(broken):
    with pytest.raises(UnsafeXMLError):
        parse_xml(broken)


def test_refusal_is_translated_for_a_finnish_user():
    with translation.override("fi"):
        with pytest.raises(UnsafeXMLError) as refused:
            parse_camt(BILLION_LAUGHS)
        message = refused.value.messages[0]

    assert "dokumenttityyp" in message


def test_a_plain_document_parses():
    root = parse_xml(
        b'<?xml version="1.0"?><Document xmlns="urn:x"><A>1</A></Document>'
    )

    assert root.findtext("{urn:x}A") == "1"
