"""Serve the product for `make run`: a web server and a Celery worker."""

import atexit
import os
import signal
import socket
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the web server at 127.0.0.1:8000 together with a Celery worker."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start a Celery worker."
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Migrate and load the demo data first, in this same process.",
        )

    def handle(self, *args, addr, no_worker, demo, **options):
        # runserver leaves with os._exit() when the port is taken, which would
        # skip atexit and orphan the worker: check the port first.
        self._check_address_free(addr)
        if demo:
            # One process for all steps saves a Django start-up per step.
            call_command("migrate", interactive=False, verbosity=0)
            call_command("load_demo_data")
        if not no_worker:
            self._start_worker()
        # A plain SIGTERM would skip atexit too; leave through SystemExit.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        self.stdout.write(f"Serving at http://{addr}/ (admin: http://{addr}/admin/)")
        call_command("runserver", addr, use_reloader=False, skip_checks=demo)

    def _check_address_free(self, addr):
        host, _sep, port = addr.rpartition(":")
        host = host.strip("[]") or "127.0.0.1"
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, int(port)))
            except OSError as exc:
                raise CommandError(f"Cannot serve at {addr}: {exc.strerror}.") from exc

    def _start_worker(self):
        for folder in ("queue", "control", "processed"):
            (settings.VAR_DIR / "celery" / folder).mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "cms",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--without-gossip",
                "--without-mingle",
                # Embedded beat for the periodic tasks in CELERY_BEAT_SCHEDULE.
                "--beat",
            ],
            env=env,
        )
        self.stdout.write(f"Celery worker started (pid {worker.pid})")

        def stop():
            worker.terminate()
            try:
                worker.wait(10)
            except subprocess.TimeoutExpired:
                worker.kill()

        atexit.register(stop)
