"""Crawl runs say which process wrote them: host and PID (schema version 3).

A run left `running` by a process that no longer exists was killed half-way: the next crawl on
that host marks it `interrupted`. A cycle counts only the runs its own crawl process wrote.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    present = {column["name"] for column in sa.inspect(connection).get_columns("crawl_runs")}
    if "host" not in present:
        op.add_column("crawl_runs", sa.Column("host", sa.String(255)))
    if "pid" not in present:
        op.add_column("crawl_runs", sa.Column("pid", sa.Integer))
    versions = sa.table("schema_version", sa.column("version"), sa.column("applied"))
    if connection.execute(sa.select(versions.c.version).where(versions.c.version == 3)).first():
        return
    now = datetime.now(UTC).replace(tzinfo=None)
    connection.execute(versions.insert().values(version=3, applied=now))
