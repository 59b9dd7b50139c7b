"""Who handled a mention; what a crawl run found and its last error (schema version 2).

Version 2 was first applied without Alembic (columns added when missing, its number recorded in
`schema_version`); this migration does the same, so a store that got there that way is adopted
as it is.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ADDED = (
    ("mentions", sa.Column("handled_by", sa.String(80))),
    ("crawl_runs", sa.Column("found", sa.Integer)),
    ("crawl_runs", sa.Column("last_error", sa.Text)),
)


def upgrade() -> None:
    connection = op.get_bind()
    inspector = sa.inspect(connection)
    for table, column in ADDED:
        if column.name not in {c["name"] for c in inspector.get_columns(table)}:
            op.add_column(table, column)
    versions = sa.table("schema_version", sa.column("version"), sa.column("applied"))
    if connection.execute(sa.select(versions.c.version).where(versions.c.version == 2)).first():
        return
    now = datetime.now(UTC).replace(tzinfo=None)
    connection.execute(versions.insert().values(version=2, applied=now))
