"""A real Scrapyd node on a free port of 127.0.0.1, and the project deployed to it from a copy of
the repository with the real `scrapyd-deploy`.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "passaparola"


def scrapyd_installed() -> bool:
    """Scrapyd and scrapyd-client (`scrapyd-deploy`) in this Python's environment."""
    bin_dir = Path(sys.executable).parent
    try:
        import scrapyd  # noqa: F401
    except ImportError:
        return False
    return (bin_dir / "scrapyd-deploy").exists() or shutil.which("scrapyd-deploy") is not None


def require_scrapyd() -> None:
    """Skip the calling test module without Scrapyd, unless CI requires it."""
    import pytest

    if scrapyd_installed():
        return
    if os.environ.get("PASSAPAROLA_REQUIRE_SCRAPYD") == "1":
        raise RuntimeError("scrapyd is required (PASSAPAROLA_REQUIRE_SCRAPYD=1) but not installed")
    pytest.skip(
        "scrapyd and scrapyd-client are not installed (pip install -e '.[scrapyd]')",
        allow_module_level=True,
    )


def deployed_node(folder: Path, **options: Any) -> ScrapydNode:
    """A started node in `folder` with the project deployed; stop it with `__exit__()`."""
    node = ScrapydNode(folder / "node", **options).__enter__()
    done = node.deploy(folder)
    if done.returncode != 0:
        node.__exit__()
        raise AssertionError(f"scrapyd-deploy failed:\n{done.stdout}{done.stderr}")
    return node


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ScrapydNode:
    """`python -m scrapyd` in `folder` (its eggs, logs and job database live there); with
    `auth` (username, password) it asks for them, as Scrapyd's `username`/`password` keys do."""

    def __init__(self, folder: Path, *, auth: tuple[str, str] | None = None) -> None:
        self.folder = folder
        self.port = free_port()
        self.auth = auth
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> ScrapydNode:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "scrapyd.conf").write_text(
            "[scrapyd]\n"
            f"bind_address = 127.0.0.1\nhttp_port = {self.port}\n"
            "eggs_dir = eggs\nlogs_dir = logs\nitems_dir =\ndbs_dir = dbs\n"
            "max_proc = 2\npoll_interval = 0.2\n"
            + (f"username = {self.auth[0]}\npassword = {self.auth[1]}\n" if self.auth else ""),
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scrapyd"],
            cwd=self.folder,
            stdout=(self.folder / "scrapyd.out").open("wb"),
            stderr=subprocess.STDOUT,
        )
        self._wait(lambda: self._answers(), "Scrapyd to answer", 60)
        return self

    def __exit__(self, *_: object) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def get(self, endpoint: str, **query: str) -> dict[str, Any]:
        url = self.url + endpoint + ("?" + urllib.parse.urlencode(query) if query else "")
        with urllib.request.urlopen(self._request(url), timeout=30) as answer:
            return json.load(answer)

    def post(self, endpoint: str, fields: list[tuple[str, str]]) -> dict[str, Any]:
        data = urllib.parse.urlencode(fields).encode()
        with urllib.request.urlopen(self._request(self.url + endpoint, data), timeout=30) as answer:
            return json.load(answer)

    def _request(self, url: str, data: bytes | None = None) -> urllib.request.Request:
        request = urllib.request.Request(url, data=data)
        if self.auth:
            token = base64.b64encode(":".join(self.auth).encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        return request

    def jobs(self) -> dict[str, list[dict[str, Any]]]:
        """The project's jobs by state, as listjobs.json gives them."""
        return self.get("listjobs.json", project=PROJECT)

    def deploy(self, workdir: Path) -> subprocess.CompletedProcess[str]:
        """`scrapyd-deploy` from a copy of the repository, to this node as target `test`."""
        source = workdir / "source"
        shutil.copytree(
            ROOT,
            source,
            ignore=shutil.ignore_patterns(
                ".venv", ".git", "site", "reports", "build", "dist", "*.egg-info", "__pycache__"
            ),
        )
        config_home = workdir / "config"
        config_home.mkdir()
        credentials = f"username = {self.auth[0]}\npassword = {self.auth[1]}\n" if self.auth else ""
        (config_home / "scrapy.cfg").write_text(
            f"[deploy:test]\nurl = {self.url}\nproject = {PROJECT}\n{credentials}",
            encoding="utf-8",
        )
        deploy = Path(sys.executable).with_name("scrapyd-deploy")
        command = [str(deploy) if deploy.exists() else "scrapyd-deploy", "test"]
        return subprocess.run(
            command,
            cwd=source,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "XDG_CONFIG_HOME": str(config_home)},
        )

    def run_job(self, spider: str, *, url: str, settings: dict[str, str]) -> str:
        """Schedule a job and wait for it to finish; its log."""
        fields = [("project", PROJECT), ("spider", spider), ("url", url)]
        fields += [("setting", f"{name}={value}") for name, value in settings.items()]
        job = self.post("schedule.json", fields)
        assert job["status"] == "ok", job
        self._wait(lambda: self._finished(job["jobid"]), f"job {spider} to finish", 240)
        log = self.folder / "logs" / PROJECT / spider / f"{job['jobid']}.log"
        return log.read_text(encoding="utf-8", errors="replace")

    def _answers(self) -> bool:
        try:
            return self.get("daemonstatus.json")["status"] == "ok"
        except OSError:
            return False

    def _finished(self, job: str) -> bool:
        jobs = self.get("listjobs.json", project=PROJECT)
        return any(entry["id"] == job for entry in jobs["finished"])

    def _wait(self, condition: Any, what: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process is not None and self.process.poll() is not None:
                output = (self.folder / "scrapyd.out").read_text(errors="replace")
                raise AssertionError(f"Scrapyd exited while waiting for {what}:\n{output}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.2)
