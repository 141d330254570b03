"""The suite runs where it says it runs: on PostgreSQL when DATABASE_URL is set."""

import os

import pytest
from django.db import connection

from tests.conftest import require


@pytest.mark.needs_postgres
@pytest.mark.django_db
def test_database_is_postgresql_when_configured():
    url = os.environ.get("DATABASE_URL", "")
    require(url.startswith(("postgres://", "postgresql://")), "DATABASE_URL is not PostgreSQL")
    require("postgresql")
    with connection.cursor() as cursor:
        cursor.execute("SHOW TimeZone")
        assert cursor.fetchone()[0] in {"UTC", "Etc/UTC"}  # Django stores UTC, shows Europe/Tirane
