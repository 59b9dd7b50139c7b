"""A Scrapyd node's HTTP API, with the standard library: status, projects, schedule, jobs, cancel.

Every failure that is the node's (unreachable, wrong credentials, no passaparola project, an
answer that is not Scrapyd's) is a `NodeError` whose message is one line naming the node and
what to fix. Credentials for Scrapyd's HTTP basic auth come from the environment only.
"""

from __future__ import annotations

import base64
import json
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PROJECT = "passaparola"  # the project name `scrapyd-deploy` gives it (scrapy.cfg [deploy])
USERNAME_VARIABLE = "PASSAPAROLA_SCRAPYD_USERNAME"
PASSWORD_VARIABLE = "PASSAPAROLA_SCRAPYD_PASSWORD"
HTTP_TIMEOUT = 30.0  # seconds for one request to a node


# What a log says at ERROR level that is never the reason, only its echo.
_ECHOES = ("Task exception was never retrieved", "Error caught on signal handler")
_RAISED = re.compile(r"^(?:[A-Za-z_][\w.]*\.)?([A-Z]\w*(?:Error|Exception)): (.+)$")


def reason_in_log(log: str) -> str | None:
    """The last failure a Scrapy log tells: an exception a traceback ends with, or an ERROR or
    CRITICAL line (without its time stamp); passaparola's own one-line errors as they are."""
    for line in reversed(log.splitlines()):
        raised = _RAISED.match(line)
        if raised:
            name, message = raised.groups()
            return (message if name in ("StoreError", "ConfigError") else line)[:300]
        for level in (" ERROR: ", " CRITICAL: "):
            said = line.partition(level)[2].strip()
            if said and not said.startswith(_ECHOES):
                return said[:300]
    return None


class NodeError(Exception):
    """A Scrapyd node cannot be used; the message is one line naming the node and the fix."""


@dataclass(frozen=True, slots=True)
class Jobs:
    """A node's jobs of the project, by state: job ids."""

    pending: frozenset[str]
    running: frozenset[str]
    finished: frozenset[str]


class ScrapydNode:
    """One node, e.g. `ScrapydNode("http://node1:6800")`."""

    def __init__(self, url: str, environ: Mapping[str, str] | None = None) -> None:
        self.url = url.rstrip("/") + "/"
        environ = os.environ if environ is None else environ
        user, password = environ.get(USERNAME_VARIABLE), environ.get(PASSWORD_VARIABLE)
        self._auth = None
        if user or password:
            token = base64.b64encode(f"{user or ''}:{password or ''}".encode()).decode()
            self._auth = f"Basic {token}"

    def __repr__(self) -> str:
        return f"ScrapydNode({self.url!r})"

    def load(self) -> int:
        """Jobs pending and running on the node (every project's): what balancing weighs."""
        status = self._call("daemonstatus.json")
        return int(status.get("pending", 0)) + int(status.get("running", 0))

    def check_project(self) -> None:
        """Raise `NodeError` unless the passaparola project is deployed on the node."""
        projects = self._call("listprojects.json").get("projects", [])
        if PROJECT not in projects:
            raise NodeError(
                f"Scrapyd node {self.url}: the {PROJECT} project is not deployed there; "
                f"deploy it with `scrapyd-deploy` (see README, 'Beyond one machine')"
            )

    def schedule(
        self, spider: str, *, job_id: str, args: Mapping[str, str], settings: Mapping[str, str]
    ) -> str:
        """Queue a job; its id."""
        fields = [("project", PROJECT), ("spider", spider), ("jobid", job_id)]
        fields += [(name, value) for name, value in args.items()]
        fields += [("setting", f"{name}={value}") for name, value in settings.items()]
        return str(self._call("schedule.json", fields)["jobid"])

    def jobs(self) -> Jobs:
        listed = self._call("listjobs.json", query={"project": PROJECT})

        def ids(state: str) -> frozenset[str]:
            return frozenset(str(job["id"]) for job in listed.get(state, []))

        return Jobs(ids("pending"), ids("running"), ids("finished"))

    def cancel(self, job_id: str) -> None:
        self._call("cancel.json", [("project", PROJECT), ("job", job_id)])

    def log_url(self, spider: str, job_id: str) -> str:
        """Where the node serves a job's log (Scrapyd's default logs_dir layout)."""
        return f"{self.url}logs/{PROJECT}/{spider}/{job_id}.log"

    def last_error(self, spider: str, job_id: str) -> str | None:
        """Why a job failed, from its log (`reason_in_log`); None when the log cannot be read
        (the node keeps no logs, or is gone) or says nothing."""
        try:
            with urllib.request.urlopen(self._request(self.log_url(spider, job_id)),
                                        timeout=HTTP_TIMEOUT) as answer:  # fmt: skip
                text = answer.read().decode("utf-8", errors="replace")
        except (urllib.error.URLError, OSError):
            return None
        return reason_in_log(text)

    def _request(self, url: str, data: bytes | None = None) -> urllib.request.Request:
        request = urllib.request.Request(url, data=data)
        if self._auth:
            request.add_header("Authorization", self._auth)
        return request

    def _call(
        self,
        endpoint: str,
        fields: Sequence[tuple[str, str]] | None = None,
        *,
        query: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        url = self.url + endpoint + ("?" + urllib.parse.urlencode(query) if query else "")
        data = None if fields is None else urllib.parse.urlencode(fields).encode()
        try:
            with urllib.request.urlopen(self._request(url, data), timeout=HTTP_TIMEOUT) as answer:
                body = answer.read()
        except urllib.error.HTTPError as error:
            raise NodeError(self._http_problem(endpoint, error.code)) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, socket.timeout | TimeoutError):
                reason = f"no answer in {HTTP_TIMEOUT:g} s"
            raise NodeError(
                f"Scrapyd node {self.url}: cannot connect ({reason}); check that scrapyd runs "
                "there and the address in [crawl] scrapyd or --scrapyd"
            ) from None
        try:
            answer = json.loads(body)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise NodeError(
                f"Scrapyd node {self.url}: {endpoint} did not answer Scrapyd's JSON; "
                "is this address a Scrapyd node?"
            )
        if answer.get("status") != "ok":
            message = " ".join(str(answer.get("message", "no reason given")).split())
            raise NodeError(f"Scrapyd node {self.url}: {endpoint} refused: {message[:300]}")
        return answer

    def _http_problem(self, endpoint: str, code: int) -> str:
        if code == 401:
            given = "the credentials given" if self._auth else "no credentials"
            return (
                f"Scrapyd node {self.url}: refused {given} (HTTP 401); set "
                f"{USERNAME_VARIABLE} and {PASSWORD_VARIABLE} to the username and password "
                "of its scrapyd.conf"
            )
        return (
            f"Scrapyd node {self.url}: {endpoint} answered HTTP {code}; "
            "is this address a Scrapyd node?"
        )
