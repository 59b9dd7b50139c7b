"""The I/O shell around MkDocs: load the project's mkdocs.yml and build the site in-process.

The project's `mkdocs.yml` (or the packaged default) stays plain; what passaparola owns is set at
build time: the folders beside the config file, the site title and language from
`passaparola.toml`, the small fixed nav (linear build time), `use_directory_urls: false` (links
work from `file://`) and the footer's refresh time.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crawler.config import Config
from crawler.report.escape import title_text

PACKAGED_MKDOCS_YML = Path(__file__).with_name("mkdocs.yml")
EXTRA_CSS = "assets/passaparola.css"
FILE_WORKER = "assets/file-worker.js"
OVERRIDES = Path(__file__).with_name("overrides")
FILTER_SCRIPT = "assets/filter.js"  # the archive's filters, over each page's own cards
SEARCH_SCRIPT = "assets/mention-search.js"  # the archive's search over every mention
ASSETS = (
    EXTRA_CSS,
    FILE_WORKER,
    FILTER_SCRIPT,
    SEARCH_SCRIPT,
)  # copied from the package into reports/


class ReportError(Exception):
    """The report or its site could not be built or served; one line for the terminal."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(record.getMessage().split()))


@contextlib.contextmanager
def _mkdocs_warnings() -> Iterator[_Collect]:
    """Collect MkDocs' warnings (and keep them off the terminal) while building."""
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def mkdocs_yml(config: Config) -> Path:
    """The project's mkdocs.yml, or the packaged default when the project has none."""
    own = config.path("mkdocs.yml")
    return own if own.is_file() else PACKAGED_MKDOCS_YML


def _load(
    config: Config, nav: list[dict[str, str]], strict: bool, footer: str, site_dir: Path
) -> Any:
    from mkdocs.config import load_config

    from crawler.report.labels import LABELS
    from crawler.report.rawblocks import RawBlocks

    mkdocs_config = load_config(
        str(mkdocs_yml(config)),
        docs_dir=str(config.path("reports").resolve()),
        site_dir=str(site_dir.resolve()),
        site_name=title_text(config.site.title) or "passaparola",
        site_url=config.site.url or None,
        nav=nav,
        use_directory_urls=False,
        strict=strict,
        copyright=title_text(footer),
    )
    # Material's own interface words (search box, "table of contents"); the report's follow
    # site.language too, so the whole page speaks one language.
    mkdocs_config.theme["language"] = config.site.language
    # No "Made with Material for MkDocs" under the report: English, and not the reader's concern.
    mkdocs_config.extra["generator"] = False
    # Material's 404 page is English whatever the language: ours says it in the report's.
    words = LABELS[config.site.language]
    mkdocs_config.theme.dirs.insert(0, str(OVERRIDES))
    mkdocs_config.extra["passaparola_not_found_title"] = words["not_found_title"]
    mkdocs_config.extra["passaparola_not_found_text"] = words["not_found_text"]
    mkdocs_config.plugins["passaparola-raw-blocks"] = RawBlocks()
    # Search from file:// (see assets/file-worker.js); loaded before Material's own script.
    polyfills = list(mkdocs_config.extra.get("polyfills") or [])
    mkdocs_config.extra["polyfills"] = [*polyfills, FILE_WORKER]
    if EXTRA_CSS not in [str(css) for css in mkdocs_config.extra_css]:
        mkdocs_config.extra_css.append(EXTRA_CSS)
    for script in (FILTER_SCRIPT, SEARCH_SCRIPT):
        if script not in [str(js) for js in mkdocs_config.extra_javascript]:
            mkdocs_config.extra_javascript.append(script)
    return mkdocs_config


def build_site(
    config: Config,
    *,
    nav: list[dict[str, str]],
    strict: bool,
    footer: str,
    swap_lock: contextlib.AbstractContextManager[Any] | None = None,
) -> list[str]:
    """Run the real `mkdocs build` in this process; return its warnings.

    The site is built beside `site/` and swapped in when complete, so a build that fails or is
    killed leaves the previous site whole. Raises `ReportError` with the first problem MkDocs
    reported when the build fails (in strict mode any warning fails it). `swap_lock` is held
    while the new site replaces the old (`passaparola serve` reads files under it).
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    site = config.path("site")
    building = site.with_name(site.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    with _mkdocs_warnings() as collected:
        try:
            build(_load(config, nav, strict, footer, building))
        except (MkDocsException, SystemExit) as error:
            first = collected.messages[0] if collected.messages else str(error)
            raise ReportError(f"mkdocs build failed: {first}") from None
        except (OSError, ValueError, LookupError, TypeError) as error:
            raise ReportError(f"mkdocs build failed: {error}") from None
    _search_index_script(building)
    with swap_lock or contextlib.nullcontext():
        _swap_in(building, site)
    return collected.messages


def _swap_in(built: Path, site: Path) -> None:
    """Replace `site` with `built`: two renames, so the site is whole but for an instant."""
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    built.rename(site)
    shutil.rmtree(old, ignore_errors=True)


def _search_index_script(site_dir: Path) -> None:
    """search/search_index.js: the index as a script, which Material loads on file:// pages
    (where it cannot fetch the JSON)."""
    index = site_dir / "search" / "search_index.json"
    if not index.is_file():
        return
    with index.open("rb") as source, (index.with_suffix(".js")).open("wb") as target:
        target.write(b"var __index = ")
        shutil.copyfileobj(source, target, 1 << 20)
        target.write(b";\n")
