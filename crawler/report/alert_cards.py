"""Alerts as the report shows them: why (the e-mail's own sentences), when, and every mention.

The why is `crawler.alerts.message.explanation`, the same sentences the e-mail opens with (the
count, the usual level, how rare at that level), so the page and the inbox never disagree.
Each mention an alert names is a link to its card in the archive, labelled so a person knows
which one it is before clicking.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crawler.alerts.outbox import AlertRecord
from crawler.alerts.windows import Calendar
from crawler.extract.text import excerpt
from crawler.report.escape import one_line, plain
from crawler.report.labels import Words
from crawler.report.views import SHORT_ID

LABEL_CHARS = 70  # of a mention's title or text in an alert's list

# The chat services people know by name; any other Apprise scheme is shown as it is written.
CHANNEL_NAMES = {
    "slack": "Slack",
    "msteams": "Teams",
    "tgram": "Telegram",
    "whatsapp": "WhatsApp",
    "discord": "Discord",
    "mattermost": "Mattermost",
    "rocket": "Rocket.Chat",
    "matrix": "Matrix",
    "ntfy": "ntfy",
    "mailto": "e-mail",
    "json": "webhook",
    "form": "webhook",
    "xml": "webhook",
}


@dataclass(frozen=True, slots=True)
class AlertMention:
    """A mention an alert names: the archive page showing it (None if none does) and a label."""

    short_id: str
    page: str | None
    label: str


@dataclass(frozen=True, slots=True)
class AlertCard:
    id: int
    brand: str
    kind: str  # spike or instant
    stage: int
    window: str  # the day (or days) counted, in words; "" for an instant alert
    count: int
    why: list[str]
    state: str
    created: datetime
    sent_at: datetime | None
    closed: datetime | None
    mentions: list[AlertMention]
    channels: tuple[ChannelState, ...] = ()


@dataclass(frozen=True, slots=True)
class ChannelState:
    """Where a chat copy of the alert stands: `name` as people say it, the outbox state."""

    name: str
    state: str
    sent_at: datetime | None


def channel_states(rows: Iterable[Any]) -> tuple[ChannelState, ...]:
    """The deliveries' channels (stored as `scheme:hash`, never a URL) in people's words."""
    states = []
    for row in rows:
        scheme = str(row.channel).partition(":")[0]
        name = CHANNEL_NAMES.get(scheme, one_line(scheme) or "chat")
        states.append(ChannelState(name, one_line(row.state), row.sent_at))
    return tuple(states)


def alert_mention_ids(row: Any) -> list[str]:
    """The ids stored in an alert row's JSON list; anything malformed is skipped."""
    try:
        ids = json.loads(row.mention_ids or "[]")
    except ValueError:
        return []
    return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []


def mention_label(row: Any, words: Words) -> str:
    """Where and when a mention was found, and how it begins: enough to recognise it."""
    said = one_line(row.title or "") or excerpt(plain(row.text or ""), LABEL_CHARS)
    said = said if len(said) <= LABEL_CHARS else said[: LABEL_CHARS - 1] + "…"
    return f"{one_line(row.source)} · {words.date(row.when)} · “{said}”"


def alert_card(
    row: Any,
    *,
    locations: Mapping[str, str],
    known: Mapping[str, Any],
    words: Words,
    calendar: Calendar,
    now: datetime,
    channels: Iterable[Any] = (),
) -> AlertCard:
    """`locations` maps a mention id to its archive page; `known` to its stored row;
    `channels` are the alert's chat deliveries."""
    from crawler.alerts.message import explanation

    ids = alert_mention_ids(row)
    record = AlertRecord.from_row(row)
    first = known.get(ids[0]) if ids else None
    why = explanation(
        record, calendar, words.language, source=first.source if first else None, now=now
    )
    listed = []
    for ident in ids:
        stored = known.get(ident)
        label = mention_label(stored, words) if stored else words.mention_gone
        listed.append(AlertMention(one_line(ident)[:SHORT_ID], locations.get(ident), label))
    return AlertCard(
        id=row.id,
        brand=one_line(row.brand),
        kind=one_line(row.kind),
        stage=row.stage or 0,
        window=window_words(row.window_start, row.window_end, words),
        count=row.count,
        why=why,
        state=one_line(row.state),
        created=row.created,
        sent_at=row.sent_at,
        closed=row.closed,
        mentions=listed,
        channels=channel_states(channels),
    )


def window_words(start: datetime | None, end: datetime | None, words: Words) -> str:
    """The counted window: one day as one date, a week as its first and last day."""
    if start is None or end is None:
        return ""
    first = words.local(start).date()
    last = words.local(end - timedelta(microseconds=1)).date()  # the window is [start, end)
    if last <= first:
        return words.date(start)
    noon = datetime(last.year, last.month, last.day, 12, tzinfo=words.zone)
    return f"{words.date(start)} – {words.date(noon)}"


def all_ids(rows: Iterable[Any]) -> set[str]:
    return {ident for row in rows for ident in alert_mention_ids(row)}
