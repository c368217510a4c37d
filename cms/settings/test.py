"""Settings for the test suite: PostgreSQL as always, fast password hashing."""

from cms.settings.base import *  # noqa: F403
from cms.settings.env import env_bool, env_str

SECRET_KEY = env_str("SECRET_KEY", "") or "test-only-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in the test process unless a test starts a real worker with
# CELERY_TASK_ALWAYS_EAGER=0 (tests/jobs/test_worker.py).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
CELERY_TASK_EAGER_PROPAGATES = True
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [*INSTALLED_APPS, "tests.sample"]
