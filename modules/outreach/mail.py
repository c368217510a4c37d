"""Composing and handing over the emails of mailings and events.

`send_message` is the one place mail leaves the product: it goes through
Django's email backend (SMTP in production, locmem in tests), so a mail
service with an API of its own only needs another backend. Unsubscribe
tokens are signed with the secret key and name the person and mailing.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.urls import reverse

from modules.outreach.models import PLACEHOLDER

logger = logging.getLogger(__name__)

_UNSUBSCRIBE_SALT = "outreach.unsubscribe"


@dataclass(frozen=True)
class OutgoingMessage:
    to: str
    subject: str
    body: str
    from_email: str = ""
    headers: dict = field(default_factory=dict)


def send_message(message: OutgoingMessage) -> None:
    """Hand one message to the email backend; raise if it refuses it."""
    EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers=message.headers,
    ).send(fail_silently=False)


def fill_placeholders(text: str, values: dict) -> str:
    """Replace each {name} in `text` with values[name]; leave others as they are."""
    return PLACEHOLDER.sub(
        lambda match: str(values.get(match.group(1), match.group(0))), text
    )


def absolute_url(path: str) -> str:
    """Return `path` on the product's public address (BASE_URL)."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def unsubscribe_token(*, person, mailing=None) -> str:
    """Return a signed token that lets the holder withdraw `person`'s consent."""
    value = {"p": person.pk, "m": mailing.pk if mailing else None}
    return signing.dumps(value, salt=_UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, int | None]:
    """Return (person id, mailing id) of a token; raise BadSignature if forged."""
    value = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    if not isinstance(value, dict) or not isinstance(value.get("p"), int):
        raise signing.BadSignature("malformed unsubscribe token")
    return value["p"], value.get("m")


def unsubscribe_url(*, person, mailing=None) -> str:
    """Return the public one-click unsubscribe address for `person`."""
    token = unsubscribe_token(person=person, mailing=mailing)
    return absolute_url(reverse("outreach_unsubscribe", args=[token]))


def unsubscribe_headers(url: str) -> dict:
    """Return the List-Unsubscribe headers (RFC 2369 and one-click RFC 8058)."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
