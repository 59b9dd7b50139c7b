"""Label corrections made by the team (schema version 6).

A person who reads a mention knows its sentiment better than the analyzer: `passaparola serve`
stores their correction beside the label (`label_correction`, with the label it replaced, who and
when). The correction is then the mention's label, and `rescore` never overwrites it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ADDED = (
    sa.Column("label_correction", sa.String(16)),
    sa.Column("corrected_from", sa.String(16)),
    sa.Column("corrected_by", sa.String(80)),
    sa.Column("corrected_at", sa.DateTime),
)


def upgrade() -> None:
    connection = op.get_bind()
    inspector = sa.inspect(connection)
    present = {column["name"] for column in inspector.get_columns("mentions")}
    for column in ADDED:
        if column.name not in present:
            op.add_column("mentions", column)
    versions = sa.table("schema_version", sa.column("version"), sa.column("applied"))
    if connection.execute(sa.select(versions.c.version).where(versions.c.version == 6)).first():
        return
    now = datetime.now(UTC).replace(tzinfo=None)
    connection.execute(versions.insert().values(version=6, applied=now))
