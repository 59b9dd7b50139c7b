"""Handing a short message to one chat channel through Apprise, each failure classified.

Apprise answers only "delivered" or "not delivered"; the outbox needs to know whether a failed
attempt *may* have delivered the message. Its per-service log says why an attempt failed, and
that is read here (never stored or shown: it holds the URL):

- the service answered with an HTTP error status (`error=500`): it refused, nothing was
  delivered, retry later;
- the connection could not be made (refused, no route, name unknown, connect timeout): nothing
  was sent, retry later;
- anything else (no answer before the read timeout, the connection closed after the request
  went out, Apprise's own deadline): the service may have acted on it, so `ambiguous`.

Apprise is kept hermetic: no plugin paths (nothing loaded from the user's home), persistent
storage in memory only, no retries of its own (at most once is ours to keep), and its logger
does not propagate, so no URL reaches passaparola's logs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from crawler.alerts.channels import Channel, redact
from crawler.alerts.errors import AlertConfigError, DeliveryError
from crawler.alerts.short import ShortMessage

_HTTP_STATUS = re.compile(r"\berror=(\d{3})\b")
_NOT_CONNECTED = (
    "NewConnectionError",
    "Failed to establish a new connection",
    "ConnectTimeoutError",
    "NameResolutionError",
    "Name or service not known",
    "nodename nor servname",
    "Connection refused",
)
_READ_TIMEOUT = ("Read timed out", "ReadTimeout")
_HTTP_LOGGERS = ("urllib3", "urllib3.connectionpool", "requests", "requests_oauthlib")


@contextmanager
def _http_logs_muted() -> Iterator[None]:
    """urllib3 logs each request line with its path, where tokens live: not while we send."""
    muted = [logging.getLogger(name) for name in _HTTP_LOGGERS]
    before = [(log.propagate, log.disabled) for log in muted]
    for log in muted:
        log.propagate, log.disabled = False, True
    try:
        yield
    finally:
        for log, (propagate, disabled) in zip(muted, before, strict=True):
            log.propagate, log.disabled = propagate, disabled


def _isolate_apprise_log() -> None:
    log = logging.getLogger("apprise")
    log.propagate = False  # its debug lines name URLs: they stay in its per-call capture
    log.setLevel(logging.DEBUG)
    if not log.handlers:
        log.addHandler(logging.NullHandler())


class ChannelSender:
    """Sends to channels one at a time; `timeout` bounds connecting and waiting for an answer."""

    def __init__(self, timeout: float, env: Mapping[str, str]) -> None:
        import apprise

        _isolate_apprise_log()
        self._apprise = apprise
        self.timeout = timeout
        self.env = env
        self.asset = apprise.AppriseAsset(
            storage_mode="memory",
            secure_logging=True,
            service_timeout=2 * timeout + 5,
            default_service_retry=0,
        )

    def send(self, channel: Channel, message: ShortMessage, before: Callable[[], None]) -> str:
        """Deliver `message`; returns a short acceptance line. `before` runs just before any
        byte may leave (the outbox records "handed over" there).

        Raises AlertConfigError (unset variable, URL Apprise cannot use) or DeliveryError.
        """
        url = channel.resolve(self.env)
        secrets = [url, *(self.env.get(name, "") for name in channel.variables)]
        service = self._apprise.Apprise.instantiate(url, asset=self.asset)
        if service is None:
            raise AlertConfigError(
                f"{channel.name}: Apprise cannot use this URL (unknown scheme or missing parts; "
                "see https://appriseit.com/services/)"
            )
        service.socket_connect_timeout = self.timeout
        service.socket_read_timeout = self.timeout
        fmt = str(getattr(service.resolve_format(), "value", service.resolve_format()))
        fmt = fmt if fmt in ("text", "markdown", "html") else "text"
        sender = self._apprise.Apprise(asset=self.asset)
        sender.add(service)
        before()
        with _http_logs_muted():
            result = sender.notify(
                body=message.body(fmt),
                title=message.title_for(fmt),
                body_format=fmt,
                timeout=2 * self.timeout + 5,
                log_level=logging.DEBUG,
            )
        if result:
            return "accepted"
        said = [redact(entry.message, secrets) for entry in result.logs()]
        raise _failure(channel, str(result.status.name), said, self.timeout)


def _failure(channel: Channel, status: str, said: list[str], timeout: float) -> DeliveryError:
    """The DeliveryError for a failed attempt, from what the service logged."""
    joined = "\n".join(said)
    if status == "TIMEOUT":
        return DeliveryError(
            f"{channel.name}: no answer within {2 * timeout + 5:g} s; it may have been delivered, "
            "so it is not sent again",
            ambiguous=True,
        )
    code = _HTTP_STATUS.search(joined)
    if code is not None:
        return DeliveryError(f"{channel.name} refused the message: HTTP {code.group(1)}")
    if any(marker in joined for marker in _NOT_CONNECTED):
        return DeliveryError(f"{channel.name}: cannot connect to the service", connection=True)
    if any(marker in joined for marker in _READ_TIMEOUT):
        why = f"no answer within {timeout:g} s"
    elif "Connection aborted" in joined or "RemoteDisconnected" in joined:
        why = "the connection closed before the service answered"
    else:
        why = "the service did not confirm it"
    return DeliveryError(
        f"{channel.name}: {why}; it may have been delivered, so it is not sent again",
        ambiguous=True,
    )
