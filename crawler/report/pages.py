"""Markdown pages from Jinja templates, with escaping on by default.

Autoescape is on and every value first loses the characters HTML, XML and YAML refuse, so a
template cannot forget to escape; the `md` and `yaml` filters cover the few Markdown headings and
front-matter titles. Pages are written as they are rendered, one at a time, so memory stays flat
however many there are.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from crawler.report.escape import markdown_text, plain, yaml_string
from crawler.report.views import mention_html


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return plain(value)
    return value


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("crawler.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters["md"] = lambda value: Markup(markdown_text(value))
    env.filters["yaml"] = lambda value: Markup(yaml_string(value))
    env.globals["mention_html"] = lambda card, words: Markup(mention_html(card, words))
    return env


def site_href(page: str, target: str) -> str:
    """The relative link from one docs page to another file, as built (`.md` becomes `.html`).

    The site is built with `use_directory_urls: false` so the same links work from `file://`.
    """
    if target.endswith(".md"):
        target = target[: -len(".md")] + ".html"
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


class PageWriter:
    """Renders templates into files under the docs folder and counts what it wrote."""

    def __init__(self, docs_dir: Path, context: dict[str, Any]) -> None:
        self.docs_dir = docs_dir
        self.context = context
        self.env = _environment()
        self.pages: list[str] = []

    def write(self, page: str, template: str, **values: Any) -> None:
        """Render `template` into docs path `page` (e.g. ``brands/acme.md``)."""
        text = self.env.get_template(template).render(
            **self.context, **values, href=lambda target: site_href(page, target)
        )
        path = self.docs_dir / page
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", errors="replace")
        self.pages.append(page)


def as_markup(svg: str) -> Markup:
    """Mark chart SVG (built by `charts`, which escapes its own text) as safe to insert."""
    return Markup(svg)
