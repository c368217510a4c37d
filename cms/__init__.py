"""The Django project: settings, URLs, Celery app and the module registry."""

from cms.celery import app as celery_app

__all__ = ["celery_app"]
