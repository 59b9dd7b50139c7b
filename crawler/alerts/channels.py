"""Chat channels of `notify` as configured: placeholders, and the names that never hold a secret.

A channel URL (an Apprise URL such as `slack://…` or `json://…`) usually carries a token, so the
config holds `${NAME}` placeholders, replaced by environment variables only when a message is
sent. Nothing of the resolved URL is logged, stored or shown: the store and the terminal know a
channel by its identity, the scheme and a hash of the URL *as configured* (so rotating the token
in the environment keeps the channel's history), and people by its position in the list.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crawler.alerts.errors import AlertConfigError

_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
EMAIL = "email"  # the `deliveries.channel` of a digest's e-mail


def check_channel_url(url: str, index: int) -> None:
    """Refuse what cannot be a channel URL, in words that do not repeat the URL."""
    scheme = _SCHEME.match(url.strip())
    if scheme is None:
        raise ValueError(
            f"notify[{index}] is not an Apprise URL; write it as scheme://…, "
            'e.g. "slack://${SLACK_TOKEN}" or "json://hooks.example.org/passaparola"'
        )
    if any(ch.isspace() or ord(ch) < 32 for ch in url.strip()):
        raise ValueError(f"notify[{index}] ({scheme.group(1)}://…) contains spaces or line breaks")
    for match in _PLACEHOLDER.finditer(url):
        if not _NAME.fullmatch(match.group(1)):
            raise ValueError(
                f"notify[{index}] ({scheme.group(1)}://…) has a placeholder that is not "
                "${NAME} with NAME made of letters, digits and _"
            )
    if "${" in _PLACEHOLDER.sub("", url):
        raise ValueError(f"notify[{index}] ({scheme.group(1)}://…) has an unclosed ${{")


@dataclass(frozen=True, slots=True)
class Channel:
    """One configured channel: where it is in the list, and the URL as written (placeholders)."""

    section: str  # "alerts" or "digest": the config section it was read from
    index: int
    template: str

    @property
    def scheme(self) -> str:
        found = _SCHEME.match(self.template.strip())
        return found.group(1).lower() if found else "?"

    @property
    def identity(self) -> str:
        """What the store keeps: the scheme and a hash of the configured URL, never a secret."""
        digest = hashlib.sha256(self.template.strip().encode("utf-8")).hexdigest()[:16]
        return f"{self.scheme}:{digest}"

    @property
    def name(self) -> str:
        """How people are told about it: `[alerts] notify[1] (slack)`."""
        return f"[{self.section}] notify[{self.index}] ({self.scheme})"

    @property
    def variables(self) -> list[str]:
        return [match.group(1) for match in _PLACEHOLDER.finditer(self.template)]

    def resolve(self, env: Mapping[str, str]) -> str:
        """The URL to hand to Apprise; AlertConfigError naming an unset variable."""
        for variable in self.variables:
            if not env.get(variable):
                raise AlertConfigError(
                    f"{self.name}: the environment variable {variable} is not set"
                )
        return _PLACEHOLDER.sub(lambda match: env[match.group(1)], self.template.strip())


def channels_of(section: str, urls: Sequence[str]) -> list[Channel]:
    return [Channel(section, index, url) for index, url in enumerate(urls)]


def redact(text: str, secrets: Sequence[str]) -> str:
    """`text` with every secret (a resolved URL, an environment value) replaced by `***`.

    A last guard on error text from a library before it is stored or shown.
    """
    for secret in sorted((s for s in secrets if len(s) >= 4), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text
