from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StockConfig(AppConfig):
    name = "modules.stock"
    label = "stock"
    verbose_name = _("Stock")

    def ready(self):
        from celery.schedules import crontab

        from cms.celery import app

        app.conf.beat_schedule = {
            **(app.conf.beat_schedule or {}),
            "stock-rolling-counts": {
                "task": "modules.stock.tasks.schedule_rolling_counts",
                "schedule": crontab(hour=5, minute=30),
            },
        }
