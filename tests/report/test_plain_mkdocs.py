"""The generated reports/ also build with the plain `mkdocs build --strict` and the repository's
top-level mkdocs.yml: the file stays plain, and the pages need nothing passaparola adds in-process
(its raw-block shortcut, the nav, the footer) to render safely."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html

from .conftest import REPO


def test_plain_mkdocs_build_of_the_generated_pages(built, tmp_path: Path):
    shutil.copytree(built.reports, tmp_path / "reports")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    site = tmp_path / "site"
    ours = built.site
    for name in ("index.html", "alerts.html", "archive/index.html"):
        plain = lxml.html.fromstring((site / name).read_bytes())
        theirs = lxml.html.fromstring((ours / name).read_bytes())
        cards = '//article[contains(@class, "pp-mention")]/@data-id'
        assert plain.xpath(cards) == theirs.xpath(cards), name
    for path in sorted(site.rglob("*.html")):
        doc = lxml.html.fromstring(path.read_bytes())
        assert not doc.xpath("//@*[starts-with(name(), 'on')]"), path.name
        assert not doc.xpath('//a[starts-with(normalize-space(@href), "javascript")]'), path.name
        assert all("__pwned" not in (s.text or "") for s in doc.xpath("//script")), path.name
