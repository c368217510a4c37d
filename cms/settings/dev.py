"""Settings for a developer's machine and the one-command demo run."""

from cms.settings.base import *  # noqa: F403
from cms.settings.env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "") or "dev-only-insecure-key-change-me"
