"""What went wrong on a source, recorded as a small code the report puts into plain words.

A spider's errback sees a Twisted `Failure`; the team reading the report wants "the server
refused the connection", not `twisted.internet.error.ConnectionRefusedError`. So the crawl keeps
one short record per run (kind of problem, HTTP status, URL) in its stats under `LAST_ERROR`,
the run recorder stores it in `crawl_runs.last_error`, and the report and the crawl summary turn
it into a sentence in their language.

Likewise `FOUND` counts what a spider looks for on the pages it fetched (reviews, comments, feed
entries): a run that fetched pages but found none of them is a source to check, not a quiet one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

LAST_ERROR = "passaparola/last_error"  # Scrapy stats key: the run's last failure (JSON)
FOUND = "passaparola/found"  # Scrapy stats key: reviews, comments or entries seen on the pages

# Exception class names (Twisted, Scrapy, OpenSSL) by the problem they mean to a person.
_KINDS = {
    "refused": ("ConnectionRefusedError", "DownloadConnectionRefusedError"),
    "dns": ("DNSLookupError", "NoResolverError", "CannotResolveHostError"),
    "timeout": ("TimeoutError", "TCPTimedOutError", "UserTimeoutError", "DownloadTimeoutError"),
    "lost": (
        "ResponseDataLossError",
        "DownloadFailedError",
        "ConnectionLost",
        "ConnectionDone",
        "ResponseNeverReceived",
        "ResponseFailed",
        "PotentialDataLoss",
        "ConnectionAborted",
    ),
    "tls": ("SSLError", "CertificateError", "VerificationError"),
}
CODES = (
    "refused",
    "dns",
    "timeout",
    "lost",
    "tls",
    "http",
    "not_feed",
    "parse",
    "unstored",
    "other",
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One failure: its kind (one of `CODES`), the URL it happened on, HTTP status, detail."""

    code: str
    url: str = ""
    status: int | None = None
    detail: str = ""

    def to_json(self) -> str:
        return json.dumps(
            {"code": self.code, "url": self.url, "status": self.status, "detail": self.detail},
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str | None) -> Problem | None:
        """The stored record, or None; anything unreadable is an `other` problem."""
        if not text:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            return cls("other", detail=text[:300])
        if not isinstance(data, dict):
            return cls("other", detail=text[:300])
        code = data.get("code") if data.get("code") in CODES else "other"
        status = data.get("status")
        return cls(
            code=code,
            url=str(data.get("url") or ""),
            status=status if isinstance(status, int) else None,
            detail=str(data.get("detail") or "")[:300],
        )


def problem_of(failure: Any) -> Problem:
    """The problem a Twisted `Failure` (from a request's errback) stands for."""
    error = failure.value
    request = getattr(failure, "request", None)
    url = getattr(request, "url", "") or ""
    response = getattr(error, "response", None)
    if response is not None and getattr(response, "status", None):
        return Problem("http", url or response.url, int(response.status))
    name, message = type(error).__name__, _message(failure)
    if any(word in message.lower() for word in ("ssl", "certificate", "tls")):
        return Problem("tls", url, detail=message)  # a TLS failure surfaces as a lost connection
    lineage = {cls.__name__ for cls in type(error).__mro__}
    for code, names in _KINDS.items():
        if lineage.intersection(names):
            return Problem(code, url, detail=message)
    return Problem("other", url, detail=f"{name}: {message}"[:300])


def not_a_feed(url: str) -> str:
    """The stats value of a feed source whose URL answers with something else."""
    return Problem("not_feed", url).to_json()


def _message(failure: Any) -> str:
    try:
        return " ".join(str(failure.getErrorMessage()).split())[:300]
    except Exception:  # a Failure whose message cannot be rendered
        return ""


_WORDS = {
    "en": {
        "refused": "the server refused the connection",
        "dns": "the address does not exist (DNS lookup failed)",
        "timeout": "no answer within the time limit",
        "lost": "the connection broke off before the page arrived",
        "tls": "the secure connection failed (certificate or TLS)",
        "http": "the page answered {status} ({meaning})",
        "not_feed": "this address is not an RSS or Atom feed",
        "parse": "a page could not be read ({detail})",
        "unstored": "{detail} mentions could not be stored (see the log)",
        "unstored_one": "1 mention could not be stored (see the log)",
        "other": "unexpected error ({detail})",
        "http_401": "login required",
        "http_403": "access denied",
        "http_404": "not found",
        "http_410": "removed",
        "http_429": "too many requests",
        "http_5xx": "server error",
        "http_other": "error",
        "no_page": "no page could be fetched",
        "no_pages": "no page was fetched (does robots.txt forbid it?)",
        "found_reviews": "no schema.org reviews {read}",
        "found_blog": "no comments recognised {read}",
        "found_feed": "the feed has no entries",
        "found_forum": "no forum posts recognised {read}",
        "found_other": "nothing recognised {read}",
        "read_one": "on the one page read",
        "read_many": "on the {n} pages read",
        "some_failed": "{n} of the pages could not be fetched; the last: {problem}",
        "one_failed": "one page could not be fetched: {problem}",
    },
    "it": {
        "refused": "il server ha rifiutato la connessione",
        "dns": "l'indirizzo non esiste (DNS non risolto)",
        "timeout": "nessuna risposta entro il tempo limite",
        "lost": "la connessione si è interrotta prima che la pagina arrivasse",
        "tls": "la connessione sicura non è riuscita (certificato o TLS)",
        "http": "la pagina ha risposto {status} ({meaning})",
        "not_feed": "questo indirizzo non è un feed RSS o Atom",
        "parse": "una pagina non è stata letta ({detail})",
        "unstored": "{detail} menzioni non salvate nel database (vedi il log)",
        "unstored_one": "1 menzione non salvata nel database (vedi il log)",
        "other": "errore imprevisto ({detail})",
        "http_401": "serve un accesso",
        "http_403": "accesso negato",
        "http_404": "non trovata",
        "http_410": "rimossa",
        "http_429": "troppe richieste",
        "http_5xx": "errore del server",
        "http_other": "errore",
        "no_page": "nessuna pagina raggiungibile",
        "no_pages": "nessuna pagina letta (il robots.txt del sito lo vieta?)",
        "found_reviews": "nessuna recensione schema.org {read}",
        "found_blog": "nessun commento riconosciuto {read}",
        "found_feed": "il feed non contiene voci",
        "found_forum": "nessun messaggio del forum riconosciuto {read}",
        "found_other": "niente di riconoscibile {read}",
        "read_one": "nell'unica pagina letta",
        "read_many": "nelle {n} pagine lette",
        "some_failed": "{n} pagine non raggiungibili; l'ultima: {problem}",
        "one_failed": "una pagina non raggiungibile: {problem}",
    },
}


def in_words(problem: Problem, lang: str) -> str:
    """The problem as a person says it, in `lang` ("it" or "en")."""
    words = _WORDS.get(lang, _WORDS["en"])
    if problem.code == "http":
        status = problem.status or 0
        key = f"http_{status}" if f"http_{status}" in words else None
        key = key or ("http_5xx" if 500 <= status < 600 else "http_other")
        return words["http"].format(status=status, meaning=words[key])
    if problem.code == "unstored" and problem.detail == "1":
        return words["unstored_one"]
    return words[problem.code].format(detail=problem.detail or "?")


def run_note(
    kind: str,
    *,
    pages: int,
    found: int | None,
    errors: int,
    status: str,
    last_error: str | None,
    lang: str,
) -> str | None:
    """What a person should know about one run of a source, or None when it went well.

    `kind` is the source's kind (`reviews`, `blog`, `feed`, …). In order: it failed (nothing
    fetched), it fetched no page, it fetched pages but found nothing on them, some pages failed.
    """
    words = _WORDS.get(lang, _WORDS["en"])
    problem = Problem.from_json(last_error)
    if status == "failed":
        return in_words(problem, lang) if problem else words["no_page"]
    if status in ("running", "not run"):
        return None
    if pages == 0:
        return words["no_pages"]
    if found == 0:
        read = words["read_one"] if pages == 1 else words["read_many"].format(n=pages)
        key = f"found_{kind}" if f"found_{kind}" in words else "found_other"
        return words[key].format(read=read)
    if errors and problem:
        said = in_words(problem, lang)
        if errors == 1:
            return words["one_failed"].format(problem=said)
        return words["some_failed"].format(n=errors, problem=said)
    return None
