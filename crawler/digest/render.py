"""The digest as words: a text and an HTML e-mail part and a short chat message (pure).

Scraped text (a mention's source, author, title, text) goes through `safe_text` and is
`html.escape`d in the HTML part; links are http(s) only, like the alert e-mail's.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from crawler.alerts.message import safe_text
from crawler.alerts.short import Link, ShortMessage, mention_link
from crawler.digest.facts import BrandFacts, DigestFacts
from crawler.digest.words import WORDS

SUBJECT_PREFIX = "[passaparola] "


@dataclass(frozen=True, slots=True)
class DigestText:
    subject: str
    text: str
    html: str
    short: ShortMessage

    def as_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "text": self.text,
            "html": self.html,
            "short": self.short.as_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DigestText:
        short = ShortMessage.from_dict(data["short"])
        return cls(data["subject"], data["text"], data["html"], short)


@dataclass(frozen=True, slots=True)
class _Section:
    brand: str
    page: str | None
    lines: list[str]  # the brand's sentences
    alerts: list[str]
    oldest_title: str
    oldest: list[Link]
    handled: str


def render_digest(facts: DigestFacts, *, lang: str, zone: str, site_url: str | None) -> DigestText:
    w = WORDS[lang if lang in WORDS else "en"]
    local = ZoneInfo(zone)
    start = _day(facts.start, local, lang)
    last = _day(facts.end - timedelta(microseconds=1), local, lang)
    key = "subject_week" if facts.period == "week" else "subject_day"
    subject = SUBJECT_PREFIX + w[key].format(start=start, end=last)
    base = site_url.rstrip("/") if site_url else None
    cmp, inside = w[f"{facts.period}_cmp"], w[f"{facts.period}_in"]
    lead = w["lead"].format(start=start, end=last, cmp=cmp)
    sections = [_section(b, w, lang, base, cmp, inside, local) for b in facts.brands]
    problems = [f"{safe_text(p.source)}: {safe_text(p.note)}" for p in facts.problems]
    report = Link(w["report_html"], base + "/index.html") if base else None
    text = _text(lead, sections, problems, report, facts.label, w)
    body = _html(subject, lead, sections, problems, report, facts.label, w, lang)
    short = ShortMessage(
        title=subject.removeprefix(SUBJECT_PREFIX),
        sentences=[_short_line(b, w, lang) for b in facts.brands]
        + ([f"{w['problems']} {'; '.join(problems)}"] if problems else []),
        report=report,
    )
    return DigestText(subject, text, body, short)


def _section(
    b: BrandFacts,
    w: dict[str, str],
    lang: str,
    base: str | None,
    cmp: str,
    inside: str,
    zone: ZoneInfo,
) -> _Section:
    if b.volume:
        if b.volume_before:
            change = w["change"].format(pct=_change(b.volume, b.volume_before, w), cmp=cmp)
        else:
            change = w["change_from_none"].format(inside=inside)
        volume = w["volume"].format(
            n=b.volume,
            noun=w["mention"] if b.volume == 1 else w["mentions"],
            change=change,
            share=_share(b.negative, b.volume, lang),
            before=_share(b.negative_before, b.volume_before, lang),
        )
    else:
        volume = w["no_mentions"].format(inside=inside, before=b.volume_before)
    rating = (
        w["rating"].format(stars=_number(1 + 4 * b.rating, lang), n=b.rated)
        if b.rating is not None
        else w["no_rating"]
    )
    if b.median_seconds is not None:
        median = _duration(b.median_seconds, w)
        handled = w["handled"].format(n=b.handled, median=median, ignored=b.ignored)
    else:
        handled = w["handled_none"].format(ignored=b.ignored)
    oldest = []
    for row in b.oldest:
        link = mention_link(row._mapping)
        oldest.append(Link(f"{_day(row.when, zone, lang)} · {link.label}", link.url))
    return _Section(
        brand=safe_text(b.brand),
        page=f"{base}/brands/{b.slug}.html" if base else None,
        lines=[f"{volume}; {rating}."],
        alerts=[safe_text(a) for a in b.alerts],
        oldest_title=_to_handle(b.to_handle, w),
        oldest=oldest,
        handled=handled,
    )


def _to_handle(n: int, w: dict[str, str]) -> str:
    if not n:
        return w["none_to_handle"]
    return w["to_handle_one"] if n == 1 else w["to_handle"].format(n=n)


def _short_line(b: BrandFacts, w: dict[str, str], lang: str) -> str:
    alerts = len(b.alerts)
    counted = {0: "short_alerts_none", 1: "short_alerts_one"}.get(alerts, "short_alerts_many")
    return w["short_brand"].format(
        brand=safe_text(b.brand),
        volume=f"{b.volume} {w['mention'] if b.volume == 1 else w['mentions']}",
        change=_change(b.volume, b.volume_before, w),
        share=_share(b.negative, b.volume, lang),
        open=b.to_handle,
        alerts=w[counted].format(n=alerts),
    )


def _text(
    lead: str,
    sections: list[_Section],
    problems: list[str],
    report: Link | None,
    label: str,
    w: dict[str, str],
) -> str:
    lines = [lead, ""]
    if report is not None:
        lines += [w["report"].format(url=report.url), ""]
    for s in sections:
        lines += [f"== {s.brand} ==", *s.lines]
        lines += (
            [w["alerts"].format(n=len(s.alerts)), *[f"  - {a}" for a in s.alerts]]
            if (s.alerts)
            else [w["no_alerts"]]
        )
        lines.append(s.oldest_title)
        for item in s.oldest:
            lines.append(f"  - {item.label}")
            if item.url:
                lines.append(f"    {item.url}")
        lines.append(s.handled)
        if s.page:
            lines.append(f"{w['brand_page']}: {s.page}")
        lines.append("")
    lines += [w["problems"], *[f"  - {p}" for p in problems]] if problems else [w["no_problems"]]
    lines += ["", "-- ", w["footer"].format(label=label)]
    return "\n".join(lines) + "\n"


def _html(
    subject: str,
    lead: str,
    sections: list[_Section],
    problems: list[str],
    report: Link | None,
    label: str,
    w: dict[str, str],
    lang: str,
) -> str:
    e = html.escape

    def link(item: Link) -> str:
        return f'<a href="{e(item.url)}">{e(item.label)}</a>' if item.url else e(item.label)

    out = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{e(subject)}</title></head>",
        '<body style="font-family: sans-serif; line-height: 1.4; color: #222">',
        f"<p>{e(lead)}</p>",
    ]
    if report is not None:
        out.append(f"<p>{link(report)}</p>")
    for s in sections:
        title = link(Link(s.brand, s.page)) if s.page else e(s.brand)
        out.append(f"<h3>{title}</h3>")
        out += [f"<p>{e(line)}</p>" for line in s.lines]
        if s.alerts:
            out.append(f"<p>{e(w['alerts'].format(n=len(s.alerts)))}</p><ul>")
            out += [f"<li>{e(a)}</li>" for a in s.alerts]
            out.append("</ul>")
        else:
            out.append(f"<p>{e(w['no_alerts'])}</p>")
        out.append(f"<p>{e(s.oldest_title)}</p>")
        if s.oldest:
            out.append("<ol>" + "".join(f"<li>{link(item)}</li>" for item in s.oldest) + "</ol>")
        out.append(f"<p>{e(s.handled)}</p>")
    if problems:
        out.append(f"<h3>{e(w['problems'])}</h3><ul>")
        out += [f"<li>{e(p)}</li>" for p in problems]
        out.append("</ul>")
    else:
        out.append(f"<p>{e(w['no_problems'])}</p>")
    footer = e(w["footer"].format(label=label))
    out.append(f'<p style="color: #777; font-size: small">{footer}</p></body></html>')
    return "\n".join(out) + "\n"


def _change(now: int, before: int, w: dict[str, str]) -> str:
    if before == 0:
        return w["short_new"] if now else "±0"
    percent = round(100 * (now - before) / before)
    return f"{percent:+d}%" if percent else "±0%"


def _share(part: int, whole: int, lang: str) -> str:
    if not whole:
        return "—"
    return _number(100 * part / whole, lang) + "%"


def _number(value: float, lang: str) -> str:
    text = f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",") if lang == "it" else text


def _duration(seconds: float, w: dict[str, str]) -> str:
    if seconds < 3600:
        return w["minutes"].format(n=max(1, round(seconds / 60)))
    if seconds < 2 * 86400:
        return w["hours"].format(n=round(seconds / 3600))
    return w["days"].format(n=round(seconds / 86400))


def _day(moment: datetime, zone: ZoneInfo, lang: str) -> str:
    return moment.astimezone(zone).strftime("%d/%m/%Y" if lang == "it" else "%Y-%m-%d")
