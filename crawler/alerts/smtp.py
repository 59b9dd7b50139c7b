"""Handing a message to an SMTP server, with each failure classified for the outbox.

The conversation is split so the outbox can record the one moment that matters: `before_data` is
called after the server has agreed to sender and recipients and just before the message text is
sent. A failure before that moment certainly delivered nothing (retry later); a broken connection
after it may have delivered the message (never retry automatically).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from crawler.alerts.errors import AlertConfigError, DeliveryError
from crawler.config import AlertsConfig

USER_VARIABLE = "PASSAPAROLA_SMTP_USER"
PASSWORD_VARIABLE = "PASSAPAROLA_SMTP_PASSWORD"
_SET_BOTH = f"set {USER_VARIABLE} and {PASSWORD_VARIABLE}"


def credentials(env: Mapping[str, str]) -> tuple[str, str] | None:
    """User and password from the environment, or None when neither is set."""
    user = env.get(USER_VARIABLE, "")
    password = env.get(PASSWORD_VARIABLE, "")
    if not user and not password:
        return None
    if not user or not password:
        missing = USER_VARIABLE if not user else PASSWORD_VARIABLE
        raise AlertConfigError(f"{missing} is not set; {_SET_BOTH} (both, or neither)")
    return user, password


def plaintext_login_warning(config: AlertsConfig, env: Mapping[str, str]) -> str | None:
    """A warning when the SMTP password would cross the network unencrypted, else None."""
    if config.security != "none" or not (env.get(USER_VARIABLE) or env.get(PASSWORD_VARIABLE)):
        return None
    return (
        f'alerts.security is "none": the SMTP login ({USER_VARIABLE}) goes to '
        f'{config.smtp_host}:{config.port} unencrypted; use "starttls" or "ssl" unless '
        "that server is on a network you trust"
    )


class SmtpSession:
    """One connection to the configured server, used for every alert of a run."""

    def __init__(
        self,
        config: AlertsConfig,
        env: Mapping[str, str],
        *,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self.config = config
        self.where = f"{config.smtp_host}:{config.port}"
        self._login = credentials(env)
        self._tls = tls_context
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpSession:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._smtp is None:
            return
        try:
            self._smtp.quit()
        except (smtplib.SMTPException, OSError):
            self._smtp.close()
        self._smtp = None

    def open(self) -> None:
        """Connect, secure and log in; raises DeliveryError(connection=True) or AlertConfigError."""
        if self._smtp is not None:
            return
        config = self.config
        context = self._tls or ssl.create_default_context()
        try:
            if config.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    config.smtp_host, config.port, timeout=config.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(config.smtp_host, config.port, timeout=config.timeout)
            self._smtp = smtp
            smtp.ehlo()
            if config.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise AlertConfigError(
                        f"the SMTP server {self.where} does not offer STARTTLS; set "
                        'alerts.security = "ssl" (usually port 465) or "none" (trusted network)'
                    )
                smtp.starttls(context=context)
                smtp.ehlo()
            if self._login is not None:
                self._authenticate(smtp, *self._login)
        except AlertConfigError:
            self.close()
            raise
        except ssl.SSLError as error:
            self.close()
            raise DeliveryError(
                f"TLS with SMTP server {self.where} failed: {_one_line(error)}", connection=True
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise DeliveryError(
                f"cannot reach SMTP server {self.where}: {_one_line(error)}", connection=True
            ) from None

    def _authenticate(self, smtp: smtplib.SMTP, user: str, password: str) -> None:
        try:
            smtp.login(user, password)
        except smtplib.SMTPAuthenticationError:
            raise AlertConfigError(
                f"SMTP authentication failed for user {user!r} at {self.where}; {_SET_BOTH}"
            ) from None
        except smtplib.SMTPNotSupportedError:
            hint = ' (many servers offer it only with security = "starttls")'
            raise AlertConfigError(
                f"the SMTP server {self.where} does not offer authentication"
                f"{hint if self.config.security == 'none' else ''}; unset {USER_VARIABLE} and "
                f"{PASSWORD_VARIABLE} or change alerts.smtp_host"
            ) from None

    def send(self, message: EmailMessage, before_data: Callable[[], None]) -> str:
        """Send one message; returns the server's acceptance line; refused recipients noted."""
        self.open()
        smtp = self._smtp
        assert smtp is not None
        sender = parseaddr(str(message["From"]))[1]
        recipients = [address for _, address in getaddresses([str(message["To"])])]
        # Long header lines are legal up to 998 characters; 78-column folding garbles subjects
        # like "… (usually 0.1)" into a first line holding only "Subject:".
        payload = message.as_bytes(policy=message.policy.clone(linesep="\r\n", max_line_length=998))
        try:
            code, reply = smtp.mail(sender)
            if code != 250:
                self._refused(code, reply, f"the sender {sender}")
            refused = {}
            for recipient in recipients:
                code, reply = smtp.rcpt(recipient)
                if code == 530:
                    self._refused(code, reply, recipient)
                if code not in (250, 251):
                    refused[recipient] = f"{code} {_text(reply)}"
            if len(refused) == len(recipients):
                smtp.rset()
                raise DeliveryError(
                    f"SMTP server {self.where} refused every recipient: "
                    + "; ".join(f"{r}: {why}" for r, why in refused.items())
                )
        except (smtplib.SMTPException, OSError) as error:
            self._drop()
            raise DeliveryError(f"SMTP server {self.where}: {_one_line(error)}") from None
        before_data()
        try:
            code, reply = smtp.data(payload)
        except smtplib.SMTPDataError as error:  # DATA itself refused: nothing was delivered
            raise DeliveryError(
                f"SMTP server {self.where} refused the message: "
                f"{error.smtp_code} {_text(error.smtp_error)}"
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            self._drop()
            raise DeliveryError(
                f"connection to {self.where} broke while the server was receiving the message "
                f"({_one_line(error)})",
                ambiguous=True,
            ) from None
        if code != 250:  # the server answered "no" after reading it: nothing was delivered
            raise DeliveryError(
                f"SMTP server {self.where} refused the message: {code} {_text(reply)}"
            )
        accepted = f"{code} {_text(reply)}"
        if refused:
            accepted += " (refused: " + "; ".join(f"{r}: {w}" for r, w in refused.items()) + ")"
        return accepted

    def _refused(self, code: int, reply: bytes, what: str) -> None:
        if code == 530:
            raise AlertConfigError(
                f"the SMTP server {self.where} requires authentication; {_SET_BOTH}"
            )
        raise DeliveryError(f"SMTP server {self.where} refused {what}: {code} {_text(reply)}")

    def _drop(self) -> None:
        """Forget a connection in an unknown state; the next message opens a new one."""
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
