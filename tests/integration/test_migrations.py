"""The schema comes from the migrations alone, and they match the models exactly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from models import db
from models.listings import PG_ONLY


def include_object(obj, name, type_, reflected, compare_to):
    # migrations/env.py leaves the same PostgreSQL-only search objects out of autogenerate.
    if type_ == "index" and name in PG_ONLY["indexes"]:
        return False
    return not (type_ == "column" and (obj.table.name, name) in PG_ONLY["columns"])


def test_models_and_migrations_agree(app):
    """Autogenerate against the migrated database finds nothing to add, drop or alter."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_postgresql_gets_french_full_text_search_and_trigram_indexes(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only (TEST_DATABASE_URL)")
    inspector = inspect(db.engine)
    indexes = {
        i["name"] for t in ("listings", "search_vocabulary") for i in inspector.get_indexes(t)
    }
    assert PG_ONLY["indexes"] <= indexes
    assert "search_vector" in {c["name"] for c in inspector.get_columns("listings")}


def test_every_model_table_was_created_by_the_migrations(app):
    tables = set(inspect(db.engine).get_table_names())
    assert {t.name for t in db.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables
