"""Statements sent to PostgreSQL together, in one round trip.

Code that holds a lock others wait for (the ledger's hash chain, a number
series) should hold it for as few round trips as it can: every wait for
the server is time the others wait too. `run_together` sends a handful of
statements in psycopg's pipeline mode and waits once for all of them.
"""

import logging

from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

logger = logging.getLogger(__name__)


def require_atomic(message: str) -> None:
    """Raise `TransactionManagementError` with `message` outside a transaction.

    For steps whose writes or locks only make sense together with what the
    caller does next in the same transaction.
    """
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError(message)


def run_together(*statements) -> list[list[tuple]]:
    """Run (sql, params) statements in order, waiting for the server once.

    Each statement still runs on its own, with its own snapshot, so one
    that waits for a lock makes the later ones see what the lock holder
    committed. Return the rows of each statement (an empty list for
    statements that return none). If one fails, its error is raised as
    Django's database error and the later ones are not run; the caller's
    transaction is then to be rolled back.
    """
    require_atomic("Statements run together must be inside the caller's transaction.")
    connection.ensure_connection()
    cursors = []
    with connection.wrap_database_errors, connection.connection.pipeline():
        for sql, params in statements:
            cursor = connection.cursor()
            cursor.execute(sql, params)
            cursors.append(cursor)
    results = []
    for cursor in cursors:
        with cursor:
            results.append(cursor.fetchall() if cursor.description else [])
    logger.debug("%s statements run together", len(statements))
    return results
