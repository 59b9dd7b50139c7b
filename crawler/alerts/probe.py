"""`passaparola alert --test`: one test message to the e-mail and every channel, and what worked.

Nothing is recorded: a test message is not an alert. Each target is tried on its own, so the
answer lists every one of them, working or not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from crawler.alerts.channels import channels_of
from crawler.alerts.errors import AlertError
from crawler.alerts.message import RenderedMessage, new_message_id, report_url, safe_text
from crawler.alerts.short import Link, ShortMessage
from crawler.config import Config

WORDS = {
    "en": {
        "title": "passaparola: test message",
        "body": "This is a test message from passaparola ({site}). Alerts about {brands} "
        "will arrive here.",
        "report": "Open the report",
    },
    "it": {
        "title": "passaparola: messaggio di prova",
        "body": "Questo è un messaggio di prova di passaparola ({site}). Gli allarmi su "
        "{brands} arriveranno qui.",
        "report": "Apri il report",
    },
}


@dataclass(frozen=True, slots=True)
class ProbeResult:
    target: str  # "e-mail to a@b, c@d" or "[alerts] notify[1] (slack)"
    ok: bool
    detail: str


def probe_message(config: Config) -> ShortMessage:
    w = WORDS[config.site.language if config.site.language in WORDS else "en"]
    brands = ", ".join(safe_text(brand.name) for brand in config.brands)
    url = report_url(config)
    return ShortMessage(
        title=w["title"],
        sentences=[w["body"].format(site=safe_text(config.site.title), brands=brands)],
        report=Link(w["report"], url) if url else None,
    )


def send_test(config: Config, env: Mapping[str, str], now: datetime) -> list[ProbeResult]:
    """Send the test message to [alerts] to (one e-mail) and to each [alerts] notify channel."""
    from crawler.alerts.apprise_send import ChannelSender
    from crawler.alerts.smtp import SmtpSession

    message = probe_message(config)
    results: list[ProbeResult] = []
    if config.alerts.to:
        target = "e-mail to " + ", ".join(config.alerts.to)
        email = RenderedMessage(
            alert_id=None,
            subject="[passaparola] " + message.title.removeprefix("passaparola: "),
            sender=config.alerts.from_,
            to=list(config.alerts.to),
            text=message.body("text") + "\n",
            html=f"<!DOCTYPE html><html><body><p>{message.body('html')}</p></body></html>\n",
            message_id=new_message_id(config.alerts.from_),
            headers={"X-Passaparola-Alert": "test"},
        )
        try:
            with SmtpSession(config.alerts, env) as session:
                reply = session.send(email.email(now), before_data=lambda: None)
            results.append(ProbeResult(target, True, reply))
        except AlertError as error:
            results.append(ProbeResult(target, False, str(error)))
    channels = channels_of("alerts", config.alerts.notify)
    if channels:
        sender = ChannelSender(config.alerts.timeout, env)
        for channel in channels:
            try:
                results.append(
                    ProbeResult(channel.name, True, sender.send(channel, message, lambda: None))
                )
            except AlertError as error:
                why = str(error).removeprefix(channel.name).lstrip(": ")
                results.append(ProbeResult(channel.name, False, why))
    return results
