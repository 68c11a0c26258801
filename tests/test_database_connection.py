"""How the app's connections to PostgreSQL are set up."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_never_compiles_the_apps_queries_just_in_time():
    """A week's counts at ten million tickets spent a quarter of their time in JIT compilation
    (README "Database connections"): every connection switches it off."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
