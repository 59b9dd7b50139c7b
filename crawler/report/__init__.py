"""The report: Markdown pages, SVG charts and an Atom feed from the store, built by MkDocs."""

from crawler.report.build import ReportResult, build_report
from crawler.report.site import ReportError

__all__ = ["ReportError", "ReportResult", "build_report"]
