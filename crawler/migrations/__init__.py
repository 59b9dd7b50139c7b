"""The store's schema history as Alembic migrations, applied by `crawler.schema.ensure_schema`."""
