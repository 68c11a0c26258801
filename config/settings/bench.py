"""Benchmarks: production-like settings (DEBUG off) on the machine's PostgreSQL and Redis."""

from ops.logs import logging_config

from .test import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
# No line per request: the benchmarks print their own table.
LOGGING = logging_config(json=False, levels={"qinqing.request": "WARNING"})
