"""`passaparola demo`: serve the bundled site, write a project for it, crawl it, show the summary.

The demo's project folder holds a `passaparola.toml` written here; a folder whose config is not
a demo config is refused, so the demo never overwrites a real project. Each run starts from a
fresh store: the site's port (and so every URL) changes from run to run.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape

from crawler.config import DEFAULT_CONFIG_NAME, Config, ConfigError, load_config
from crawler.demo.config import DEMO_HEADER, demo_config
from crawler.demo.server import DemoSite


def prepare_folder(folder: Path, base_url: str) -> Config:
    """Write the demo config into `folder` and remove the previous demo's database."""
    folder.mkdir(parents=True, exist_ok=True)
    config_path = folder / DEFAULT_CONFIG_NAME
    if config_path.exists():
        text = config_path.read_text(encoding="utf-8", errors="replace")
        if not text.startswith(DEMO_HEADER):
            raise ConfigError(
                f"{config_path}: exists and is not a demo config; run the demo in another "
                "folder with --dir (it writes its own passaparola.toml and database there)"
            )
    config_path.write_text(demo_config(base_url), encoding="utf-8")
    config = load_config(config_path)
    database = Path(config.database_url.removeprefix("sqlite:///"))
    for leftover in (database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    return config


def run_demo(folder: Path, *, out: Console, err: Console) -> None:
    """Serve the demo site on 127.0.0.1, crawl every source of the demo config, print the table."""
    from crawler.console import print_crawl_summary, progress_for_crawl
    from crawler.crawl import run_crawl

    with DemoSite() as site:
        config = prepare_folder(folder, site.url)
        err.print(f"Demo site served at {escape(site.url)}; project in {escape(str(config.root))}")
        with progress_for_crawl(err, config.sources) as on_progress:
            results = run_crawl(config, on_progress=on_progress)
    print_crawl_summary(out, results)
    out.print(
        f"Mentions stored in {escape(config.database_url)}. Try: passaparola export "
        f"--config {escape(str(config.root / DEFAULT_CONFIG_NAME))} --format csv"
    )
