"""Alembic's entry point: migrate on the connection `crawler.schema` hands over (under its lock).

Run only through `crawler.schema.ensure_schema`, never with the `alembic` command: the lock that
keeps two first starts from racing is taken there.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None)
with context.begin_transaction():
    context.run_migrations()
