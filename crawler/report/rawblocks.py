"""Carry the report's prebuilt HTML blocks past Markdown, untouched and unparsed.

Mention lists are HTML the report escaped itself. MkDocs and Python-Markdown would each parse
every tag of them again (to find anchors, to find where raw HTML ends) only to pass them through
unchanged; at 100,000 mentions that was most of the build. This plugin, added in-process by
`passaparola report` (mkdocs.yml stays plain), swaps each marked block for a placeholder before
Markdown runs and puts it back after. Without the plugin (a plain `mkdocs build`) the blocks are
ordinary raw HTML and render the same, only slower.

Scraped text cannot forge a marker or a placeholder: in the blocks every `<` is escaped.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.plugins import BasePlugin

START = "<!-- pp:raw -->"
END = "<!-- /pp:raw -->"
_BLOCK = re.compile(re.escape(START) + r"\n(.*?)\n" + re.escape(END), re.DOTALL)
_PLACEHOLDER = re.compile(r'<p data-pp-raw="(\d+)"></p>')


class RawBlocks(BasePlugin):
    def __init__(self) -> None:
        super().__init__()
        self._blocks: dict[str, list[str]] = {}

    def on_page_markdown(self, markdown: str, /, *, page: Any, **_: Any) -> str:
        blocks: list[str] = []

        def stash(match: re.Match[str]) -> str:
            blocks.append(match.group(1))
            return f'<p data-pp-raw="{len(blocks) - 1}"></p>'

        markdown = _BLOCK.sub(stash, markdown)
        self._blocks[page.file.src_uri] = blocks
        return markdown

    def on_page_content(self, html: str, /, *, page: Any, **_: Any) -> str:
        blocks = self._blocks.pop(page.file.src_uri, [])
        if not blocks:
            return html
        return _PLACEHOLDER.sub(lambda match: blocks[int(match.group(1))], html)
