"""Move the order pages' handheld submissions into stock's shared table.

Picking and goods receipt used a table of their own; they now keep their
keys with the stock pages in `stock.HandheldSubmission`. Existing rows are
copied (the message becomes the stored result) before the table goes, so
a form still queued on a phone is not booked twice after the upgrade.
"""

from django.db import migrations


def copy_submissions(apps, schema_editor):
    old = apps.get_model("orders", "HandheldSubmission")
    shared = apps.get_model("stock", "HandheldSubmission")
    for row in old.objects.all().iterator():
        copied, _created = shared.objects.get_or_create(
            company_id=row.company_id,
            key=row.key,
            defaults={
                "action": "order",
                "user_id": row.user_id,
                "result": {"message": row.message},
            },
        )
        # auto_now_add stamped the copy with today; keep the original time.
        shared.objects.filter(pk=copied.pk).update(created_at=row.created_at)


def copy_back(apps, schema_editor):
    old = apps.get_model("orders", "HandheldSubmission")
    shared = apps.get_model("stock", "HandheldSubmission")
    for row in shared.objects.filter(action__in=("order", "pick", "receive")):
        old.objects.get_or_create(
            company_id=row.company_id,
            key=row.key,
            defaults={
                "user_id": row.user_id,
                "message": str(row.result.get("message", ""))[:300],
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("stock", "0003_handheld_submission_key_per_company"),
    ]

    operations = [
        migrations.RunPython(copy_submissions, copy_back),
        migrations.DeleteModel(name="HandheldSubmission"),
    ]
