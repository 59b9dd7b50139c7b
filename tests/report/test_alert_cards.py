"""Alerts come first and explain themselves: the e-mail's own why, the day, every mention."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import lxml.html
from sqlalchemy import select

from crawler.alerts.backtest import calendar_for
from crawler.alerts.message import explanation
from crawler.alerts.outbox import AlertRecord
from crawler.alerts.windows import Calendar
from crawler.report.alert_cards import window_words
from crawler.report.labels import Words
from crawler.store import alerts

ROME = Words("it", Calendar.named("day", "Europe/Rome").zone)


def page(path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def alert_rows(built) -> dict[str, object]:
    with built.store.engine.connect() as conn:
        return {str(row.id): row for row in conn.execute(select(alerts))}


def cards(tree) -> dict[str, lxml.html.HtmlElement]:
    return {c.get("data-alert"): c for c in tree.xpath('//section[contains(@class, "pp-alert")]')}


def test_open_alerts_come_before_every_brand_on_the_home_page(built):
    home = page(built.site / "index.html")
    content = home.xpath('//*[contains(@class, "md-content")]')[0]
    order = content.xpath(
        './/*[contains(@class, "pp-alert ") or contains(@class, "pp-brand-summary")]'
    )
    assert "pp-alert" in order[0].get("class"), "the first thing after the warnings is an alert"


def test_each_alert_says_why_in_the_e_mails_own_words(built):
    rows = alert_rows(built)
    calendar = calendar_for(built.store.config)
    for name in ("index.html", "alerts.html"):
        for ident, card in cards(page(built.site / name)).items():
            record = AlertRecord.from_row(rows[ident])
            first = record.mention_ids[0]
            source = next((m.source for m in built_mentions(built) if m.id == first), None)
            expected = explanation(record, calendar, "it", source=source, now=built.store.now)
            shown = [p.text_content() for p in card.find_class("pp-why")]
            assert shown == expected
    # The open spike: its count, the usual level with a decimal comma, and how rare it is.
    (spike,) = [
        c for c in cards(page(built.site / "index.html")).values() if "picco" in c.text_content()
    ]
    why = " ".join(p.text_content() for p in spike.find_class("pp-why"))
    assert "6 menzioni negative ieri" in why
    assert "il livello abituale è 1,2 al giorno" in why
    assert "circa una volta ogni 2\u202f500 giorni" in why


def built_mentions(built):
    from crawler.store import mentions

    with built.store.engine.connect() as conn:
        return conn.execute(select(mentions.c.id, mentions.c.source)).all()


def test_a_one_day_window_reads_as_that_day(built):
    rows = alert_rows(built)
    for ident, card in cards(page(built.site / "alerts.html")).items():
        row = rows[ident]
        windows = card.find_class("pp-alert-window")
        if row.window_start is None:
            assert not windows  # an instant alert counts no window
            continue
        (window,) = windows
        assert window.text_content() == ROME.date(row.window_start)
        assert "–" not in window.text_content()


def test_every_mention_of_an_alert_is_a_link_to_its_card(built):
    rows = alert_rows(built)
    stored = {m.id for m in built_mentions(built)}
    for ident, card in cards(page(built.site / "alerts.html")).items():
        ids = AlertRecord.from_row(rows[ident]).mention_ids
        links = card.xpath('.//*[contains(@class, "pp-alert-mentions")]//a')
        assert len(links) == len([i for i in ids if i in stored])
        assert (
            "+"
            not in card.xpath('.//*[contains(@class, "pp-alert-mentions")]')[0].text_content()[:1]
        )


def test_a_week_window_reads_as_its_first_and_last_day():
    weeks = Calendar.named("week", "Europe/Rome")
    window = weeks.index(datetime(2026, 11, 25, 12, tzinfo=UTC))
    text = window_words(weeks.start(window), weeks.end(window), ROME)
    assert text == "23 nov 2026 – 29 nov 2026"
    days = Calendar.named("day", "Europe/Rome")
    day = days.index(datetime(2026, 3, 29, 12, tzinfo=UTC))  # 23 hours long: clocks go forward
    assert window_words(days.start(day), days.end(day), ROME) == "29 mar 2026"


def test_each_chat_copy_of_an_alert_says_where_it_stands_by_the_service_s_name(built):
    (spike,) = [
        c
        for c in cards(page(built.site / "alerts.html")).values()
        if "picco" in c.text_content() and not c.get("class").endswith("pp-alert-closed")
    ]
    facts = spike.find_class("pp-alert-facts")[0].text_content()
    assert re.search(r"Slack: inviato il \d{1,2} \w{3} \d{4} \d\d:\d\d", facts), facts
    assert "webhook: da inviare" in facts
    assert "5a1b2c3d" not in facts and "json:" not in facts  # the stored identity stays inside
