"""Benchmarks: production-like settings (DEBUG off) on the machine's PostgreSQL and Redis."""

from .test import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
