"""Serve the product for `make run`: a web server and a Celery worker."""

import atexit
import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server at 127.0.0.1:8000 together with a Celery worker."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start a Celery worker."
        )

    def handle(self, *args, addr, no_worker, **options):
        if not no_worker:
            self._start_worker()
        self.stdout.write(f"Serving at http://{addr}/ (admin: http://{addr}/admin/)")
        call_command("runserver", addr, use_reloader=False)

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
