"""A mail backend for tests: the locmem outbox, with a server that refuses some.

It stands in for an SMTP server that rejects a recipient, which is outside
the machine; every other message lands in `django.core.mail.outbox`.
"""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            for address in message.to:
                if address.startswith("refused"):
                    raise smtplib.SMTPRecipientsRefused(
                        {address: (550, b"5.1.1 Mailbox does not exist")}
                    )
        return super().send_messages(messages)
