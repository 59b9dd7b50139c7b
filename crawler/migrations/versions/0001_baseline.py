"""Baseline: the tables of schema version 1 (mentions, crawl runs, the alert outbox).

Each table is created only when missing, so this also adopts a store created before migrations
existed (by `create_all`, schema_version 1) and finishes a first start that was killed half-way.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_when = sa.DateTime  # stored as naive UTC (crawler.store.UTCDateTime)


def _tables(metadata: sa.MetaData) -> None:
    sa.Table(
        "mentions",
        metadata,
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("brand", sa.String(200), nullable=False, index=True),
        sa.Column("source", sa.String(255), nullable=False, index=True),
        sa.Column("source_url", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("published", _when, index=True),
        sa.Column("first_seen", _when, nullable=False, index=True),
        sa.Column("last_seen", _when, nullable=False),
        sa.Column("lang", sa.String(8)),
        sa.Column("rating", sa.Float),
        sa.Column("score", sa.Float),
        sa.Column("label", sa.String(16), index=True),
        sa.Column("analyzer", sa.String(64)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("handled_at", _when),
        sa.Column("note", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False, index=True),
        sa.Column("page_url", sa.Text, nullable=False),
        sa.Column("page_sha256", sa.String(64), nullable=False),
        sa.Column("fetched_at", _when),
    )
    sa.Table(
        "crawl_runs",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source_url", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("started", _when, nullable=False),
        sa.Column("finished", _when),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("new", sa.Integer, nullable=False),
        sa.Column("updated", sa.Integer, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
    )
    sa.Table(
        "alerts",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(320), nullable=False, unique=True),
        sa.Column("brand", sa.String(200), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("episode", sa.String(64), nullable=False),
        sa.Column("stage", sa.Integer, nullable=False),
        sa.Column("window_start", _when),
        sa.Column("window_end", _when),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("baseline", sa.Float),
        sa.Column("p_value", sa.Float),
        sa.Column("mention_ids", sa.Text, nullable=False),
        sa.Column("created", _when, nullable=False),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("next_attempt", _when),
        sa.Column("claimed_at", _when),
        sa.Column("handed_over", _when),
        sa.Column("sent_at", _when),
        sa.Column("message_id", sa.Text),
        sa.Column("closed", _when),
    )
    sa.Table(
        "schema_version",
        metadata,
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("applied", _when, nullable=False),
    )


def upgrade() -> None:
    connection = op.get_bind()
    metadata = sa.MetaData()
    _tables(metadata)
    metadata.create_all(connection, checkfirst=True)
    versions = metadata.tables["schema_version"]
    if connection.execute(sa.select(versions.c.version).where(versions.c.version == 1)).first():
        return
    now = datetime.now(UTC).replace(tzinfo=None)
    connection.execute(versions.insert().values(version=1, applied=now))
