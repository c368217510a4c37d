from django.db import migrations


def load_reference_data(apps, schema_editor):
    from fixtures import reference

    reference.load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_reference_data_banking_numbering"),
    ]

    operations = [
        migrations.RunPython(load_reference_data, migrations.RunPython.noop),
    ]
