"""`passaparola demo`: the whole cycle on the bundled site, with nothing leaving 127.0.0.1.

It serves the demo site and a mail sink on 127.0.0.1, writes a project for them, crawls every
source (mentions are scored as they are stored), runs the alert check (the demo data holds a
burst of complaints, so one e-mail reaches the sink and is saved as an `.eml` file) and builds
the report site. A folder whose config is not a demo config is refused, so the demo never
overwrites a real project. Each run starts from a fresh store: the site's port (and so every URL)
changes from run to run.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape

from crawler.config import DEFAULT_CONFIG_NAME, Config, ConfigError, load_config
from crawler.demo.config import DEMO_HEADER, demo_config
from crawler.demo.mailbox import DemoMailbox
from crawler.demo.server import DemoSite


def prepare_folder(folder: Path, base_url: str, *, smtp_port: int | None = None) -> Config:
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
    config_path.write_text(demo_config(base_url, smtp_port=smtp_port), encoding="utf-8")
    config = load_config(config_path)
    database = Path(config.database_url.removeprefix("sqlite:///"))
    for leftover in (database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    return config


def run_demo(folder: Path, *, out: Console, err: Console) -> None:
    """Crawl, score, alert and report on the demo site; say where to look at the results."""
    from crawler.alerts import run_alerts
    from crawler.console import print_alert_run, print_crawl_summary, progress_for_crawl
    from crawler.crawl import run_crawl
    from crawler.report import build_report
    from crawler.store import open_engine

    folder = folder.resolve()
    with DemoSite() as site, DemoMailbox(folder / "mail") as mailbox:
        config = prepare_folder(folder, site.url, smtp_port=mailbox.port)
        config_file = config.root / DEFAULT_CONFIG_NAME
        err.print(f"Demo site served at {escape(site.url)}; project in {escape(str(config.root))}")
        with progress_for_crawl(err, config.sources) as on_progress:
            results = run_crawl(config, on_progress=on_progress)
        print_crawl_summary(out, results)
        engine = open_engine(config.database_url)
        out.rule("Alerts")
        print_alert_run(out, run_alerts(config, engine))
        for message, path in mailbox.received:
            out.print(
                f"e-mail received by the demo's mail sink: [bold]{escape(str(message['Subject']))}"
                f"[/]\n  saved as {escape(str(path))} (open it with a mail client)"
            )
    out.rule("Report")
    with err.status("building the report with mkdocs…"):
        report = build_report(config, engine)
    engine.dispose()
    out.print(f"Report built: {report.pages} pages from {report.mentions} mentions.")
    # Soft wrap: a path broken over two lines could not be copied.
    out.print(f"Open {escape(report.index.as_uri())} in a browser, or run:", soft_wrap=True)
    out.print(f"  passaparola report --serve --config {escape(str(config_file))}", soft_wrap=True)
