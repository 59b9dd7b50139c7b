"""The store: mentions, crawl runs and the schema version, in any SQLAlchemy database.

SQLite is the embedded default (WAL, so the report can read while a crawl writes). Every write is
one transaction and every mention write is an idempotent upsert keyed by the mention id, so a crawl
killed at any moment leaves what it stored intact and a re-run creates no duplicate. The schema is
created and upgraded by `crawler.schema` (migrations, under a lock).

The package's parts: `tables` (the tables and the UTC time type), `identity` (mention ids and
text fingerprints), `upsert` (writing mentions), `insert` (new ones, through the database's
driver), `queries` (reading them), `handling` (the team's status changes). Everything is
imported from here, `from crawler.store import …`.
"""

from crawler.schema import SCHEMA_VERSION as SCHEMA_VERSION  # the store's interface, too
from crawler.schema import StoreError as StoreError
from crawler.schema import open_engine as open_engine
from crawler.store.handling import BY_MAX as BY_MAX
from crawler.store.handling import NOTE_MAX as NOTE_MAX
from crawler.store.handling import STATUSES as STATUSES
from crawler.store.handling import StatusChange as StatusChange
from crawler.store.handling import change_status as change_status
from crawler.store.handling import set_status as set_status
from crawler.store.identity import fingerprint as fingerprint
from crawler.store.identity import mention_id as mention_id
from crawler.store.identity import normalise_text as normalise_text
from crawler.store.queries import iter_mentions as iter_mentions
from crawler.store.queries import mention_by_prefix as mention_by_prefix
from crawler.store.queries import stored_brands as stored_brands
from crawler.store.tables import SOURCE_MAX_CHARS as SOURCE_MAX_CHARS
from crawler.store.tables import UTCDateTime as UTCDateTime
from crawler.store.tables import alerts as alerts
from crawler.store.tables import crawl_runs as crawl_runs
from crawler.store.tables import deliveries as deliveries
from crawler.store.tables import digests as digests
from crawler.store.tables import mentions as mentions
from crawler.store.tables import metadata as metadata
from crawler.store.tables import now as now
from crawler.store.tables import schema_version as schema_version
from crawler.store.upsert import SYNDICATION_MIN_CHARS as SYNDICATION_MIN_CHARS
from crawler.store.upsert import UpsertResult as UpsertResult
from crawler.store.upsert import lock_brands as lock_brands
from crawler.store.upsert import upsert_mentions as upsert_mentions
