"""Chat-channel deliveries and digests (schema version 5).

`deliveries` holds one row per alert or digest and target (a channel of `notify`, or a digest's
e-mail), with the states of the alert outbox; `digests` one row per period sent.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

VERSION = 5
_when = sa.DateTime  # stored as naive UTC (crawler.store.UTCDateTime)


def _tables(metadata: sa.MetaData) -> None:
    sa.Table(
        "deliveries",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("alert_id", sa.Integer, index=True),
        sa.Column("digest_id", sa.Integer, index=True),
        sa.Column("channel", sa.String(80), nullable=False),
        sa.Column("created", _when, nullable=False),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("next_attempt", _when),
        sa.Column("claimed_at", _when),
        sa.Column("handed_over", _when),
        sa.Column("sent_at", _when),
        sa.Column("message_id", sa.Text),
        sa.UniqueConstraint("alert_id", "channel", name="uq_deliveries_alert_channel"),
        sa.UniqueConstraint("digest_id", "channel", name="uq_deliveries_digest_channel"),
    )
    sa.Table(
        "digests",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("period_start", _when, nullable=False),
        sa.Column("period_end", _when, nullable=False),
        sa.Column("created", _when, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
    )


def upgrade() -> None:
    connection = op.get_bind()
    metadata = sa.MetaData()
    _tables(metadata)
    metadata.create_all(connection, checkfirst=True)
    versions = sa.table("schema_version", sa.column("version"), sa.column("applied"))
    recorded = sa.select(versions.c.version).where(versions.c.version == VERSION)
    if connection.execute(recorded).first():
        return
    now = datetime.now(UTC).replace(tzinfo=None)
    connection.execute(versions.insert().values(version=VERSION, applied=now))
