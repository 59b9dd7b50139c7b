"""Crawl runs say which crawl they belong to: a crawl id (schema version 4).

Every `passaparola crawl` — run by hand, by a cycle, or dispatched to Scrapyd nodes as one job
per source — tags the runs it starts with one id, so a cycle counts exactly its own runs, also
when they were written by other processes or other machines. Runs from before have none.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    inspector = sa.inspect(connection)
    if "crawl_id" not in {column["name"] for column in inspector.get_columns("crawl_runs")}:
        op.add_column("crawl_runs", sa.Column("crawl_id", sa.String(32)))
    if "ix_crawl_runs_crawl_id" not in {
        index["name"] for index in inspector.get_indexes("crawl_runs")
    }:
        op.create_index("ix_crawl_runs_crawl_id", "crawl_runs", ["crawl_id"])
    versions = sa.table("schema_version", sa.column("version"), sa.column("applied"))
    if connection.execute(sa.select(versions.c.version).where(versions.c.version == 4)).first():
        return
    now = datetime.now(UTC).replace(tzinfo=None)
    connection.execute(versions.insert().values(version=4, applied=now))
