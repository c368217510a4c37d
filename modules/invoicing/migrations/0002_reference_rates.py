from django.db import migrations


def load_rates(apps, schema_editor):
    from modules.invoicing import rates

    rates.load(apps)


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0001_initial")]

    operations = [migrations.RunPython(load_rates, migrations.RunPython.noop)]
