"""The alert e-mail: a plain-text and an HTML part saying what happened and listing the mentions.

Everything scraped (author, title, text, source, URL) is hostile: in the HTML part it is escaped
with `html.escape`, only http(s) URLs become links, and control and bidi characters are removed
from every part (they could fake lines or reverse text). The language follows `[site] language`.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from crawler.alerts.windows import Calendar
from crawler.extract.text import excerpt
from crawler.sentiment.labels import tone_of

if TYPE_CHECKING:
    from crawler.alerts.outbox import AlertRecord
    from crawler.config import Config

MAX_LISTED = 20  # mentions listed in one e-mail; the report has the rest
EXCERPT_CHARS = 280

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "mention": "negative mention",
        "mentions": "negative mentions",
        "today": "today",
        "yesterday": "yesterday",
        "on": "on {date}",
        "this_week": "this week",
        "last_week": "last week",
        "week_of": "in the week of {date}",
        "per_day": "a day",
        "per_week": "a week",
        "usually": "usually {n}",
        "none_usually": "usually none",
        "growing": "still growing",
        "spike_subject": "{brand}: {count} {noun} {when} ({usual})",
        "spike_growing_subject": "{brand}: {count} {noun} {when}, {growing} ({usual})",
        "instant_subject": "{brand}: very negative review on {source} (rating {stars})",
        "instant_subject_no_rating": "{brand}: very negative review on {source}",
        "spike_lead": "{brand} got {count} {noun} {when}; the usual level is {usual_n} {per}.",
        "chance": "At the usual level that many would happen about once in {odds} {unit}.",
        "chance_tiny": "At the usual level that many would happen less than once "
        "in a million {unit}.",
        "growing_lead": "The spike that started {start} is still growing: "
        "the count has at least doubled since the previous alert.",
        "instant_lead": "A single very negative mention of {brand} was found on {source}.",
        "days": "days",
        "weeks": "weeks",
        "list": "The mentions",
        "more": "…and {n} more in the report.",
        "tone_very_negative": "very negative tone",
        "tone_negative": "negative tone",
        "tone_neutral": "neutral tone",
        "tone_positive": "positive tone",
        "tone_very_positive": "very positive tone",
        "stars_one": "{stars} star of 5",
        "stars_many": "{stars} stars of 5",
        "found": "found {date}",
        "anonymous": "anonymous",
        "open": "open",
        "report": "Report: {url}",
        "report_html": "Open the report",
        "footer": "Sent by passaparola because this address receives this project's alerts. "
        "Alert #{id}.",
    },
    "it": {
        "mention": "menzione negativa",
        "mentions": "menzioni negative",
        "today": "oggi",
        "yesterday": "ieri",
        "on": "il {date}",
        "this_week": "questa settimana",
        "last_week": "la settimana scorsa",
        "week_of": "nella settimana del {date}",
        "per_day": "al giorno",
        "per_week": "a settimana",
        "usually": "di solito {n}",
        "none_usually": "di solito nessuna",
        "growing": "in crescita",
        "spike_subject": "{brand}: {count} {noun} {when} ({usual})",
        "spike_growing_subject": "{brand}: {count} {noun} {when}, {growing} ({usual})",
        "instant_subject": "{brand}: recensione molto negativa su {source} (voto {stars})",
        "instant_subject_no_rating": "{brand}: recensione molto negativa su {source}",
        "spike_lead": "{brand} ha ricevuto {count} {noun} {when}; "
        "il livello abituale è {usual_n} {per}.",
        "chance": "Al livello abituale succederebbe circa una volta ogni {odds} {unit}.",
        "chance_tiny": "Al livello abituale succederebbe meno di una volta "
        "su un milione di {unit}.",
        "growing_lead": "Il picco iniziato {start} è ancora in crescita: "
        "il numero è almeno raddoppiato dall'allarme precedente.",
        "instant_lead": "È stata trovata una singola menzione molto negativa "
        "di {brand} su {source}.",
        "days": "giorni",
        "weeks": "settimane",
        "list": "Le menzioni",
        "more": "…e altre {n} nel report.",
        "tone_very_negative": "tono molto negativo",
        "tone_negative": "tono negativo",
        "tone_neutral": "tono neutro",
        "tone_positive": "tono positivo",
        "tone_very_positive": "tono molto positivo",
        "stars_one": "{stars} stella su 5",
        "stars_many": "{stars} stelle su 5",
        "found": "trovata il {date}",
        "anonymous": "anonimo",
        "open": "apri",
        "report": "Report: {url}",
        "report_html": "Apri il report",
        "footer": "Inviato da passaparola perché questo indirizzo riceve gli allarmi del "
        "progetto. Allarme n. {id}.",
    },
}

SUBJECT_PREFIX = "[passaparola] "


@dataclass(frozen=True, slots=True)
class RenderedMessage:
    """An alert e-mail ready to send (or to print on a dry run)."""

    alert_id: int | None
    subject: str
    sender: str
    to: list[str]
    text: str
    html: str
    message_id: str
    headers: dict[str, str] = field(default_factory=dict)

    def email(self, date: datetime) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = self.subject
        message["From"] = self.sender
        message["To"] = ", ".join(self.to)
        message["Date"] = format_datetime(date)
        message["Message-ID"] = self.message_id
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies
        for name, value in self.headers.items():
            message[name] = value
        message.set_content(self.text, cte="quoted-printable")
        message.add_alternative(self.html, subtype="html", cte="quoted-printable")
        return message

    def __str__(self) -> str:
        to = ", ".join(self.to) or "(no recipients: set [alerts] to)"
        return f"From: {self.sender}\nTo: {to}\nSubject: {self.subject}\n\n{self.text}"


def new_message_id(sender: str) -> str:
    domain = parseaddr(sender)[1].rpartition("@")[2] or "passaparola.localhost"
    return make_msgid("passaparola", domain=domain)


def safe_text(value: object) -> str:
    """Scraped text on one line, without control or format (bidi) characters."""
    text = "" if value is None else str(value)
    kept = (
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf")
    )
    return " ".join("".join(kept).split())


def http_url(value: object) -> str | None:
    """The URL if it is a plain http(s) link, else None (javascript:, data:, mailto: …)."""
    url = safe_text(value)
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def report_url(config: Config) -> str | None:
    """The report's alerts page, when `[site] url` says where the site is published."""
    if not config.site.url:
        return None
    return config.site.url.rstrip("/") + "/alerts.html"


def render(
    alert: AlertRecord,
    mentions: Sequence[Mapping[str, Any]],
    config: Config,
    calendar: Calendar,
) -> RenderedMessage:
    """The e-mail for one alert, in the site's language, listing its worst mentions first."""
    lang = config.site.language if config.site.language in WORDS else "en"
    w = WORDS[lang]
    listed = worst_first(mentions)[:MAX_LISTED]
    more = max(0, len(mentions) - len(listed))
    first = mentions[0] if mentions else {}
    leads = explanation(alert, calendar, lang, source=first.get("source"))
    subject = headline(alert, mentions, calendar, lang)
    link = report_url(config)
    items = [_item(m, calendar, lang) for m in listed]
    text = _text_part(leads, items, more, link, alert.id, w)
    body = _html_part(subject, leads, items, more, link, alert.id, w, lang)
    return RenderedMessage(
        alert_id=alert.id,
        subject=SUBJECT_PREFIX + safe_text(subject),
        sender=config.alerts.from_,
        to=list(config.alerts.to),
        text=text,
        html=body,
        message_id=alert.message_id or new_message_id(config.alerts.from_),
        headers={"X-Passaparola-Alert": f"{alert.kind} {alert.id or 'dry-run'}"},
    )


def headline(
    alert: AlertRecord, mentions: Sequence[Mapping[str, Any]], calendar: Calendar, lang: str
) -> str:
    """The alert in one line (the e-mail's subject without its prefix; a chat message's title)."""
    lang = lang if lang in WORDS else "en"
    w = WORDS[lang]
    if alert.kind == "instant":
        first = mentions[0] if mentions else {}
        source = safe_text(first.get("source")) or "?"
        stars = _stars(first.get("rating"), lang)
        subject_key = "instant_subject" if stars else "instant_subject_no_rating"
        return w[subject_key].format(brand=alert.brand, source=source, stars=stars)
    key = "spike_growing_subject" if alert.stage else "spike_subject"
    return w[key].format(growing=w["growing"], **_facts(alert, calendar, lang))


def worst_first(mentions: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The mentions in the order a message lists them: most negative, then newest, first."""
    return sorted(mentions, key=_worst_first)


def explanation(
    alert: AlertRecord,
    calendar: Calendar,
    lang: str,
    *,
    source: object = None,
    now: datetime | None = None,
) -> list[str]:
    """Why the alert was raised, in the e-mail's sentences: the count, the usual level, how rare.

    The report shows the same sentences. `source` names where an instant alert's mention was
    found; `now` is the moment "today" and "yesterday" are relative to (the alert's creation,
    as in its e-mail, unless given).
    """
    w = WORDS[lang if lang in WORDS else "en"]
    if alert.kind == "instant":
        where = safe_text(source) or "?"
        return [w["instant_lead"].format(brand=safe_text(alert.brand), source=where)]
    facts = _facts(alert, calendar, lang if lang in WORDS else "en", now=now)
    leads = [w["spike_lead"].format(**facts), _chance(alert.p_value, calendar, w)]
    if alert.stage:
        leads.append(w["growing_lead"].format(start=facts["start"]))
    return leads


def _facts(
    alert: AlertRecord, calendar: Calendar, lang: str, now: datetime | None = None
) -> dict[str, Any]:
    w = WORDS[lang]
    window = calendar.index(alert.window_start) if alert.window_start else 0
    raised = calendar.index(now or alert.created)
    try:
        episode = calendar.parse_label(alert.episode)
    except ValueError:
        episode = window
    baseline = alert.baseline or 0.0
    usual = _number(baseline, lang)
    return {
        "brand": safe_text(alert.brand),
        "count": alert.count,
        "noun": w["mention"] if alert.count == 1 else w["mentions"],
        "when": _when(window, raised, calendar, w, lang),
        "start": _when(episode, raised, calendar, w, lang),
        "usual": w["usually"].format(n=usual) if baseline >= 0.05 else w["none_usually"],
        "usual_n": usual,
        "per": w["per_day"] if calendar.unit == "day" else w["per_week"],
    }


def _when(window: int, raised: int, calendar: Calendar, w: dict[str, str], lang: str) -> str:
    date = _date(calendar.start(window).astimezone(calendar.zone), lang, with_time=False)
    if calendar.unit == "day":
        relative = {raised: w["today"], raised - 1: w["yesterday"]}
        return relative.get(window, w["on"].format(date=date))
    relative = {raised: w["this_week"], raised - 1: w["last_week"]}
    return relative.get(window, w["week_of"].format(date=date))


def _chance(p_value: float | None, calendar: Calendar, w: dict[str, str]) -> str:
    unit = w["days"] if calendar.unit == "day" else w["weeks"]
    if not p_value or p_value < 1e-6:
        return w["chance_tiny"].format(unit=unit)
    odds = round(1 / p_value, -1 if p_value > 1e-3 else -2)
    return w["chance"].format(odds=f"{int(odds):,}".replace(",", "\u202f"), unit=unit)


def _worst_first(mention: Mapping[str, Any]) -> tuple[float, float]:
    score = mention.get("score")
    when = mention.get("published") or mention.get("first_seen")
    return (score if score is not None else 2.0, -(when.timestamp() if when else 0.0))


@dataclass(frozen=True, slots=True)
class _Item:
    facts: list[str]  # date, source, author, score, rating: already safe text
    title: str
    excerpt: str
    url: str | None


def _item(mention: Mapping[str, Any], calendar: Calendar, lang: str) -> _Item:
    w = WORDS[lang]
    published = mention.get("published")
    if published is not None:
        date = _date(published.astimezone(calendar.zone), lang)
    else:
        seen = mention["first_seen"].astimezone(calendar.zone)
        date = w["found"].format(date=_date(seen, lang))
    facts = [date, safe_text(mention.get("source")) or "?"]
    facts.append(safe_text(mention.get("author")) or w["anonymous"])
    if mention.get("score") is not None:  # in words: a bare "-0,94" means nothing to a reader
        facts.append(w[f"tone_{tone_of(mention['score'])}"])
    rating = mention.get("rating")
    if isinstance(rating, int | float):
        stars = 1 + 4 * float(rating)
        noun = "stars_one" if stars == 1 else "stars_many"
        facts.append(w[noun].format(stars=_number(stars, lang)))
    return _Item(
        facts=facts,
        title=safe_text(mention.get("title")),
        excerpt=excerpt(safe_text(mention.get("text")), EXCERPT_CHARS),
        url=http_url(mention.get("url")),
    )


def _text_part(
    leads: list[str],
    items: list[_Item],
    more: int,
    link: str | None,
    alert_id: int | None,
    w: dict[str, str],
) -> str:
    lines = [*leads, ""]
    if link:
        lines += [w["report"].format(url=link), ""]
    lines += [w["list"] + ":", ""]
    for number, item in enumerate(items, 1):
        lines.append(f"{number}. " + " · ".join(item.facts))
        if item.title:
            lines.append(f"   {item.title}")
        lines.append(f"   “{item.excerpt}”")
        if item.url:
            lines.append(f"   {item.url}")
        lines.append("")
    if more:
        lines += [w["more"].format(n=more), ""]
    lines += ["-- ", w["footer"].format(id=alert_id or "—")]
    return "\n".join(lines) + "\n"


def _html_part(
    subject: str,
    leads: list[str],
    items: list[_Item],
    more: int,
    link: str | None,
    alert_id: int | None,
    w: dict[str, str],
    lang: str,
) -> str:
    e = html.escape
    out = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{e(safe_text(subject))}</title></head>",
        '<body style="font-family: sans-serif; line-height: 1.4; color: #222">',
    ]
    out += [f"<p>{e(lead)}</p>" for lead in leads]
    if link:
        out.append(f'<p><a href="{e(link)}">{e(w["report_html"])}</a></p>')
    out.append(f"<h3>{e(w['list'])}</h3><ol>")
    for item in items:
        out.append('<li style="margin-bottom: 1em">')
        out.append(f'<div style="color: #555">{e(" · ".join(item.facts))}</div>')
        if item.title:
            out.append(f"<div><strong>{e(item.title)}</strong></div>")
        out.append(f'<blockquote style="margin: .3em 0 .3em 1em">{e(item.excerpt)}</blockquote>')
        if item.url:
            out.append(f'<div><a href="{e(item.url)}">{e(item.url)}</a></div>')
        out.append("</li>")
    out.append("</ol>")
    if more:
        out.append(f"<p>{e(w['more'].format(n=more))}</p>")
    footer = w["footer"].format(id=alert_id or "—")
    out.append(f'<p style="color: #777; font-size: small">{e(footer)}</p></body></html>')
    return "\n".join(out) + "\n"


def _number(value: float, lang: str, digits: int = 1) -> str:
    text = f"{value:.{digits}f}"
    if digits == 1 and text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",") if lang == "it" else text


def _stars(rating: object, lang: str) -> str:
    """A 0–1 rating shown on the familiar 1–5 star scale (0 is one star, 1 is five)."""
    if not isinstance(rating, int | float):
        return ""
    return _number(1 + 4 * float(rating), lang) + "/5"


def _date(moment: datetime, lang: str, *, with_time: bool = True) -> str:
    pattern = "%d/%m/%Y" if lang == "it" else "%Y-%m-%d"
    return moment.strftime(pattern + (" %H:%M" if with_time else ""))
