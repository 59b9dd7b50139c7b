"""The built site kept current while `passaparola serve` runs: cards patched, pages rebuilt.

A status change must show at once, but a rebuild takes seconds (minutes at 100,000 mentions).
So the change is made in two steps: the cards of that mention are patched in the built pages
right away (a card is one line of HTML with a known shape), then the whole report is rebuilt in
the background so counts and to-handle lists follow. Changes made while a rebuild runs are
patched again into the site it swaps in, and trigger one more rebuild; several changes during
one rebuild cost one more rebuild, not several.

Files of `site/` are read, patched and swapped under one lock, so no request ever sees half a
file or a site between its two renames.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Engine, select

from crawler.config import Config
from crawler.report import queries
from crawler.report.build import build_report
from crawler.report.labels import Words
from crawler.report.site import ReportError
from crawler.report.views import mention_card, patch_card
from crawler.store import mentions

_CARD_ID = re.compile(rb'<article class="pp-mention[^"]*" id="m-[0-9a-f]+" data-id="([0-9a-f]+)"')


class LiveSite:
    """The served site: where each mention's cards are, patching them, rebuilding in the back."""

    def __init__(
        self, config: Config, engine: Engine, words: Words, log: Callable[[str], None]
    ) -> None:
        self.config, self.engine, self.words, self.log = config, engine, words, log
        self.root = config.path("site")
        self.lock = threading.RLock()
        self._pages: dict[str, set[str]] | None = None  # mention id -> pages showing it
        self._changed: list[tuple[int, str]] = []  # (sequence number, mention id)
        self._sequence = 0
        self._wanted = threading.Event()
        self.builds = 0
        self._builder: threading.Thread | None = None

    # --- reading ---
    def open(self, relative: str) -> BinaryIO | None:
        """The file at a site path, opened under the lock (a swap cannot split it); None if
        there is none. The open file stays whole even if a rebuild replaces it meanwhile."""
        with self.lock:
            path = self.root / relative
            try:
                if path.is_dir():
                    path = path / "index.html"
                return path.open("rb")
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                return None

    def current(self, ids: Iterable[str]) -> dict[str, tuple[str, str, str]]:
        """The stored status, note and label of these mentions (one query per page shown)."""
        wanted = sorted(set(ids))
        found: dict[str, tuple[str, str, str]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                query = select(
                    mentions.c.id, mentions.c.status, mentions.c.note, queries.label_or_unknown
                ).where(mentions.c.id.in_(wanted[start : start + 500]))
                for ident, status, note, label in conn.execute(query):
                    found[ident] = (status, note or "", label)
        return found

    # --- patching ---
    def _index(self) -> dict[str, set[str]]:
        """Which built pages show each mention, by reading them once per build."""
        if self._pages is None:
            pages: dict[str, set[str]] = {}
            for path in self.root.rglob("*.html"):
                relative = path.relative_to(self.root).as_posix()
                for match in _CARD_ID.finditer(path.read_bytes()):
                    pages.setdefault(match[1].decode(), set()).add(relative)
            self._pages = pages
        return self._pages

    def patch(self, mention: str) -> int:
        """Show a mention's stored status on every built page that has its card; how many."""
        row = queries.mention_by_id(self.engine, mention)
        if row is None:
            return 0
        card = mention_card(row)
        patched = 0
        with self.lock:
            for relative in sorted(self._index().get(mention, ())):
                path = self.root / relative
                try:
                    text = path.read_text(encoding="utf-8")
                except FileNotFoundError:
                    continue
                changed = patch_card(text, card, self.words)
                if changed != text:
                    _write_atomically(path, changed)
                    patched += 1
        return patched

    def changed(self, mention: str) -> None:
        """A mention's status or label changed in the store: patch its cards now, rebuild
        soon."""
        with self.lock:
            self._sequence += 1
            self._changed.append((self._sequence, mention))
        self.patch(mention)
        self._wanted.set()

    # --- rebuilding ---
    def start(self) -> None:
        self._builder = threading.Thread(target=self._rebuild_forever, daemon=True)
        self._builder.start()

    def _rebuild_forever(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            try:
                self.rebuild()
            except Exception as error:  # the server keeps serving the last good site
                self.log(f"rebuild failed: {type(error).__name__}: {error}")

    def rebuild(self) -> None:
        """Build the report again; patch in what changed while it was being built."""
        with self.lock:
            since = self._sequence
        started = time.monotonic()
        try:
            result = build_report(self.config, self.engine, swap_lock=self.lock)
        except ReportError as error:
            self.log(f"rebuild failed: {error}")
            return
        with self.lock:
            self._pages = None
            late = {ident for number, ident in self._changed if number > since}
            self._changed = [(n, ident) for n, ident in self._changed if n > since]
        for ident in sorted(late):
            self.patch(ident)
        self.builds += 1
        self.log(f"rebuilt the site ({result.pages} pages) in {time.monotonic() - started:.1f} s")


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".patch-", suffix=".html")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
