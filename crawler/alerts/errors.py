"""What can go wrong when alerting, as typed exceptions with one-line messages."""

from __future__ import annotations


class AlertError(Exception):
    """Base of alert errors; the message is one line meant for the terminal."""


class AlertConfigError(AlertError):
    """Delivery cannot work until the user changes the config or the environment."""


class DeliveryError(AlertError):
    """One delivery attempt failed; the alert stays in the outbox.

    `ambiguous` means the server may have accepted the message (the connection broke while it
    was receiving it), so it must not be sent again automatically. `connection` means nothing
    can be sent in this run (server unreachable, TLS failed), so the run stops trying.
    """

    def __init__(self, message: str, *, ambiguous: bool = False, connection: bool = False):
        super().__init__(message)
        self.ambiguous = ambiguous
        self.connection = connection
