"""Every word the report prints, in Italian and English, and numbers and dates in each style.

One language per site (`site.language`): a page never mixes the two.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from types import MappingProxyType

LABEL_KEYS = ("negative", "neutral", "positive", "unknown")

_IT = {
    "home": "Panoramica",
    "brands": "Marchi",
    "sources": "Fonti",
    "archive": "Archivio",
    "alerts": "Allarmi",
    "comparison": "Confronto",
    "negative": "negativa",
    "neutral": "neutra",
    "positive": "positiva",
    "unknown": "non valutata",
    "negative_plural": "negative",
    "neutral_plural": "neutre",
    "positive_plural": "positive",
    "unknown_plural": "non valutate",
    "data_refreshed": "Dati aggiornati al",
    "never_refreshed": "nessuna raccolta completata",
    "mentions": "Menzioni",
    "mentions_lower": "menzioni",
    "negative_share": "Quota negative",
    "net_sentiment": "Sentiment netto",
    "last_days": "Ultimi {n} giorni",
    "previous": "Periodo prima",
    "change": "Variazione",
    "open_negatives": "Negative da gestire",
    "median_handling": "Tempo mediano di gestione",
    "handled_count": "{n} gestite",
    "to_handle_first": "Da gestire per prime",
    "nothing_to_handle": "Nessuna menzione negativa da gestire.",
    "handle_hint": "Per segnare una menzione come gestita o ignorata apri il report con "
    "`passaparola serve`: ogni menzione ha i suoi pulsanti. Da terminale: "
    "`passaparola handle ID`.",
    "open_alerts": "Allarmi aperti",
    "no_open_alerts": "Nessun allarme aperto.",
    "no_alerts": "Nessun allarme registrato finora.",
    "all_alerts": "Tutti gli allarmi",
    "trend_weekly": "Menzioni per settimana",
    "trend_daily": "Menzioni per giorno",
    "details": "Dettagli",
    "original": "Originale",
    "no_link": "link non sicuro, non reso cliccabile",
    "source": "Fonte",
    "author": "Autore",
    "date_heading": "Data",
    "date_unknown": "data sconosciuta",
    "first_seen_on": "vista il {date}",
    "score_heading": "Punteggio",
    "status_handled": "gestita",
    "status_ignored": "ignorata",
    "state_pending": "da inviare",
    "state_sending": "in invio",
    "state_sent": "inviato",
    "state_unconfirmed": "invio non confermato",
    "kind_spike": "picco",
    "kind_instant": "immediato",
    "brand": "Marchio",
    "id": "ID",
    "all_time": "In totale",
    "latest_mentions": "Ultime menzioni",
    "sources_ranked": "Fonti per menzioni negative (ultimi 30 giorni)",
    "more_sources": "e altre {n} fonti con meno menzioni.",
    "trend": "Andamento",
    "month_pages": "Pagine",
    "page_of": "pagina {page} di {pages}",
    "previous_page": "← Precedente",
    "next_page": "Successiva →",
    "archive_intro": "Tutte le menzioni, mese per mese, dalla più recente.",
    "no_mentions": "Ancora nessuna menzione: esegui `passaparola crawl`.",
    "share_of_voice": "Quota di voce",
    "period": "Periodo",
    "kind": "Tipo",
    "window": "Finestra",
    "count": "Conteggio",
    "baseline": "Riferimento",
    "created": "Creato",
    "state": "Stato",
    "sent": "Inviato",
    "closed": "Chiuso",
    "feed": "Feed Atom delle nuove menzioni negative",
    "feed_title": "Nuove menzioni negative",
    "not_scored": "Sentiment non ancora valutato per queste menzioni.",
    "weeks": "settimane",
    "days_unit": "giorni",
    "total": "Totale",
    "legend": "Legenda",
    "per_brand": "Per marchio",
    "in_archive": "menzioni in archivio",
    "alert_mentions": "Menzioni",
    "shown_latest": "Mostrati gli ultimi {n} allarmi.",
    "comparison_intro": "I marchi a confronto negli stessi periodi.",
    "to_brand_page": "Tutti i dettagli del marchio",
    "points": "pp",
    "by": "da {name}",
    "mention_kind_review": "recensione",
    "mention_kind_comment": "commento",
    "mention_kind_post": "articolo",
    "mention_kind_feed": "notizia da feed",
    "mention_kind_page": "pagina",
    "mention_kind_forum": "messaggio nel forum",
    "action_handled": "Segna gestita",
    "action_ignored": "Ignora",
    "action_new": "Riapri",
    "note_label": "Nota",
    "by_label": "Il tuo nome",
    "page_not_found": "Pagina non trovata",
    "page_not_found_text": "Questa pagina non esiste nel report.",
    "mention_not_found": "Menzione non trovata",
    "mention_not_found_text": "Nessuna menzione ha l'ID {id}: forse il link è incompleto.",
    "refused": "Richiesta rifiutata",
    "refused_origin": "La richiesta non arriva da una pagina di questo report, quindi non è "
    "stata eseguita.",
    "refused_host": "Questo indirizzo non è quello su cui il report è servito.",
    "bad_request": "Richiesta non valida",
    "not_allowed": "Operazione non consentita",
    "back_home": "Torna alla panoramica",
    "login_title": "Accesso al report",
    "login_text": "Inserisci il codice di accesso del report (chiedilo a chi lo gestisce). "
    "Resta memorizzato in questo browser.",
    "token_label": "Codice di accesso",
    "login_button": "Entra",
    "wrong_token": "Codice non valido.",
    "form_status": "lo stato deve essere handled, ignored o new",
    "form_by": "scrivi il tuo nome, così il team sa chi ha gestito la menzione",
    "form_too_long": "il campo {field} è troppo lungo (al massimo {n} caratteri)",
    "form_field": "campo sconosciuto o ripetuto: {field}",
    "form_encoding": "il modulo va inviato come application/x-www-form-urlencoded in UTF-8",
    "form_size": "il modulo è troppo grande",
}

_EN = {
    "home": "Overview",
    "brands": "Brands",
    "sources": "Sources",
    "archive": "Archive",
    "alerts": "Alerts",
    "comparison": "Comparison",
    "negative": "negative",
    "neutral": "neutral",
    "positive": "positive",
    "unknown": "not scored",
    "negative_plural": "negative",
    "neutral_plural": "neutral",
    "positive_plural": "positive",
    "unknown_plural": "not scored",
    "data_refreshed": "Data last refreshed",
    "never_refreshed": "no crawl finished yet",
    "mentions": "Mentions",
    "mentions_lower": "mentions",
    "negative_share": "Negative share",
    "net_sentiment": "Net sentiment",
    "last_days": "Last {n} days",
    "previous": "Period before",
    "change": "Change",
    "open_negatives": "Negative to handle",
    "median_handling": "Median time to handle",
    "handled_count": "{n} handled",
    "to_handle_first": "To handle first",
    "nothing_to_handle": "No negative mention left to handle.",
    "handle_hint": "To mark mentions handled or ignored, open the report with "
    "`passaparola serve`: every mention has its buttons. From a terminal: "
    "`passaparola handle ID`.",
    "open_alerts": "Open alerts",
    "no_open_alerts": "No open alert.",
    "no_alerts": "No alert recorded so far.",
    "all_alerts": "All alerts",
    "trend_weekly": "Mentions per week",
    "trend_daily": "Mentions per day",
    "details": "Details",
    "original": "Original",
    "no_link": "unsafe link, not made clickable",
    "source": "Source",
    "author": "Author",
    "date_heading": "Date",
    "date_unknown": "date unknown",
    "first_seen_on": "seen {date}",
    "score_heading": "Score",
    "status_handled": "handled",
    "status_ignored": "ignored",
    "state_pending": "to send",
    "state_sending": "sending",
    "state_sent": "sent",
    "state_unconfirmed": "delivery unconfirmed",
    "kind_spike": "spike",
    "kind_instant": "instant",
    "brand": "Brand",
    "id": "ID",
    "all_time": "All time",
    "latest_mentions": "Latest mentions",
    "sources_ranked": "Sources by negative mentions (last 30 days)",
    "more_sources": "and {n} more sources with fewer mentions.",
    "trend": "Trend",
    "month_pages": "Pages",
    "page_of": "page {page} of {pages}",
    "previous_page": "← Previous",
    "next_page": "Next →",
    "archive_intro": "Every mention, month by month, newest first.",
    "no_mentions": "No mention yet: run `passaparola crawl`.",
    "share_of_voice": "Share of voice",
    "period": "Period",
    "kind": "Kind",
    "window": "Window",
    "count": "Count",
    "baseline": "Baseline",
    "created": "Created",
    "state": "State",
    "sent": "Sent",
    "closed": "Closed",
    "feed": "Atom feed of new negative mentions",
    "feed_title": "New negative mentions",
    "not_scored": "Sentiment not scored yet for these mentions.",
    "weeks": "weeks",
    "days_unit": "days",
    "total": "Total",
    "legend": "Legend",
    "per_brand": "Per brand",
    "in_archive": "mentions in the archive",
    "alert_mentions": "Mentions",
    "shown_latest": "Showing the latest {n} alerts.",
    "comparison_intro": "The brands side by side over the same periods.",
    "to_brand_page": "All the brand's details",
    "points": "pp",
    "by": "by {name}",
    "mention_kind_review": "review",
    "mention_kind_comment": "comment",
    "mention_kind_post": "blog post",
    "mention_kind_feed": "feed entry",
    "mention_kind_page": "web page",
    "mention_kind_forum": "forum post",
    "action_handled": "Mark handled",
    "action_ignored": "Ignore",
    "action_new": "Reopen",
    "note_label": "Note",
    "by_label": "Your name",
    "page_not_found": "Page not found",
    "page_not_found_text": "This page does not exist in the report.",
    "mention_not_found": "Mention not found",
    "mention_not_found_text": "No mention has the id {id}: the link may be incomplete.",
    "refused": "Request refused",
    "refused_origin": "The request did not come from a page of this report, so it was not "
    "carried out.",
    "refused_host": "This address is not the one the report is served on.",
    "bad_request": "Bad request",
    "not_allowed": "Not allowed",
    "back_home": "Back to the overview",
    "login_title": "Report sign-in",
    "login_text": "Enter the report's access code (ask whoever runs it). This browser "
    "remembers it.",
    "token_label": "Access code",
    "login_button": "Sign in",
    "wrong_token": "Wrong access code.",
    "form_status": "status must be handled, ignored or new",
    "form_by": "give your name, so the team knows who handled the mention",
    "form_too_long": "the {field} field is too long (at most {n} characters)",
    "form_field": "unknown or repeated field: {field}",
    "form_encoding": "the form must be sent as application/x-www-form-urlencoded in UTF-8",
    "form_size": "the form is too large",
}

_MONTHS = {
    "it": [
        "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
        "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
    ],
    "en": [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ],
}  # fmt: skip

LABELS = MappingProxyType({"it": MappingProxyType(_IT), "en": MappingProxyType(_EN)})


class Words:
    """The labels and number/date formats of one language, for templates and charts."""

    def __init__(self, language: str, zone: tzinfo) -> None:
        if language not in LABELS:
            raise ValueError(f"no labels for language {language!r}")
        self.language = language
        self.zone = zone
        self._labels = LABELS[language]

    def __getattr__(self, key: str) -> str:
        try:
            return self._labels[key]
        except KeyError:
            raise AttributeError(key) from None

    def __getitem__(self, key: str) -> str:
        return self._labels[key]

    def word(self, key: str) -> str:
        """The label for `key`, or the key itself for a value the report has no word for."""
        return self._labels.get(key, key)

    # --- numbers ---
    def _decimal(self, text: str) -> str:
        if self.language == "it":
            return text.replace(",", "_").replace(".", ",").replace("_", ".")
        return text

    def integer(self, value: int) -> str:
        return self._decimal(f"{value:,d}")

    def percent(self, value: float | None, digits: int = 1) -> str:
        """A share in [0, 1] as a percentage, or a dash when undefined."""
        if value is None:
            return "—"
        return self._decimal(f"{value * 100:.{digits}f}") + "%"

    def change_percent(self, now: int, before: int) -> str:
        """Relative change of a count; a dash when there is nothing to compare with."""
        if before == 0:
            return "—"
        change = (now - before) / before * 100
        return ("+" if change > 0 else "") + self._decimal(f"{change:.0f}") + "%"

    def change_points(self, now: float | None, before: float | None) -> str:
        """Change of a share in percentage points."""
        if now is None or before is None:
            return "—"
        change = (now - before) * 100
        return ("+" if change > 0 else "") + self._decimal(f"{change:.1f}") + " " + self.points

    def net(self, value: float | None) -> str:
        """Net sentiment in [-1, 1] shown on a -100…+100 scale."""
        if value is None:
            return "—"
        scaled = round(value * 100)
        return ("+" if scaled > 0 else "") + str(scaled)

    def change_net(self, now: float | None, before: float | None) -> str:
        if now is None or before is None:
            return "—"
        change = round(now * 100) - round(before * 100)
        return ("+" if change > 0 else "") + str(change)

    def score(self, value: float | None) -> str:
        if value is None:
            return "—"
        return ("+" if value > 0 else "") + self._decimal(f"{value:.2f}")

    def stars(self, rating: float) -> str:
        """A rating normalised to 0-1 as the five-star scale people know (0 is 1 star)."""
        stars = 1 + 4 * min(1.0, max(0.0, rating))
        return "★ " + self._decimal(f"{stars:.1f}".removesuffix(".0")) + "/5"

    def duration(self, seconds: float | None) -> str:
        if seconds is None:
            return "—"
        if seconds < 3600:
            return f"{max(1, round(seconds / 60))} min"
        if seconds < 2 * 86400:
            return self._decimal(f"{seconds / 3600:.1f}") + " h"
        return self._decimal(f"{seconds / 86400:.1f}") + f" {self.days_unit}"

    # --- dates (shown in the report's time zone) ---
    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def date(self, moment: datetime | None) -> str:
        if moment is None:
            return "—"
        local = self.local(moment)
        month = _MONTHS[self.language][local.month - 1]
        return f"{local.day} {month[:3]} {local.year}"

    def short_date(self, moment: datetime) -> str:
        local = self.local(moment)
        return f"{local.day} {_MONTHS[self.language][local.month - 1][:3]}"

    def datetime(self, moment: datetime | None) -> str:
        if moment is None:
            return "—"
        return f"{self.date(moment)} {self.local(moment):%H:%M}"

    def undated(self, first_seen: datetime) -> str:
        """A mention whose page gave no date: said so, with when it was first seen."""
        seen = self["first_seen_on"].format(date=self.date(first_seen))
        return f"{self['date_unknown']} ({seen})"

    def month(self, year: int, month: int) -> str:
        name = _MONTHS[self.language][month - 1]
        return f"{name.capitalize()} {year}"
