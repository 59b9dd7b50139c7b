"""The demo's mail sink: a real SMTP server on 127.0.0.1 that keeps what it receives.

`passaparola demo` sends its alert e-mails here instead of to anybody's inbox, saves each one as
an `.eml` file the user can open in a mail client, and prints its subject.
"""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Keeper:
    """aiosmtpd handler: accept every message and keep it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.messages: list[EmailMessage] = []
        self.files: list[Path] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"alert-{len(self.files) + 1}.eml"
            path.write_bytes(envelope.content)
            self.messages.append(message)  # type: ignore[arg-type]
            self.files.append(path)
        return "250 Message accepted for delivery"


class DemoMailbox:
    """`with DemoMailbox(folder) as mailbox:` an SMTP sink on `mailbox.port` of 127.0.0.1."""

    def __init__(self, folder: Path) -> None:
        self.port = _free_port()
        self._keeper = _Keeper(folder)
        self._controller = Controller(self._keeper, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> DemoMailbox:
        self._controller.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._controller.stop()

    @property
    def received(self) -> list[tuple[EmailMessage, Path]]:
        """Every message received so far, with the file it was saved to."""
        with self._keeper.lock:
            return list(zip(self._keeper.messages, self._keeper.files, strict=True))
