"""Import a large customer register file through the bulk path.

    manage.py import_register 2077474-0 register.csv --user admin

Columns: name, business_id, city, email, phone and, for a contact person,
first_name, last_name, person_email, person_phone, title. The file is
checked whole first; a bad row stops the import and nothing is written.
"""

import csv
import io
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cms.importing import ImportFileError, read_table
from modules.core.models import Company
from modules.crm.bulk import bulk_import_register


class Command(BaseCommand):
    help = "Import organisations with their contact persons from CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("business_id", help="The business ID of our company.")
        parser.add_argument("path", help="A CSV or XLSX file.")
        parser.add_argument("--user", required=True, help="Who imports it.")

    def handle(self, *args, business_id, path, user, **options):
        company = Company.objects.filter(business_id=business_id).first()
        if company is None:
            raise CommandError(f"No company with the business ID {business_id}.")
        importer = get_user_model().objects.filter(username=user).first()
        if importer is None:
            raise CommandError(f"No user {user}.")
        file = Path(path)
        if file.suffix.lower() == ".csv":
            text = file.read_text(encoding="utf-8-sig")
            delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
            rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
        else:
            try:
                rows = read_table(file.read_bytes(), file.name).dict
            except ImportFileError as error:
                raise CommandError(str(error)) from error
        try:
            result = bulk_import_register(company=company, user=importer, rows=rows)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(
            f"{result.organisations} organisations, {result.persons} persons imported."
        )
