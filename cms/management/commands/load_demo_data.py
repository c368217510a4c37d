"""Load the Finnish demo company, its group company, users and pages."""

from django.core.management.base import BaseCommand

from fixtures import demo


class Command(BaseCommand):
    help = "Create the demo companies, users and pages; safe to run again."

    def handle(self, *args, **options):
        result = demo.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(result['users'])} users, "
                f"{len(result['companies'])} companies."
            )
        )
