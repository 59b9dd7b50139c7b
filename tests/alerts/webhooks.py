"""A real HTTP endpoint on 127.0.0.1 that records what Apprise's json:// and form:// send.

Each hook path (`/hook/<name>`) answers from a script of behaviours, one per request, then
"200" for the rest: "200", "500" (refused), "hang" (reads the request, never answers until the
test ends), "close" (reads the request, closes the connection without an answer).
"""

from __future__ import annotations

import json
import socket
import threading
from collections import defaultdict
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass(frozen=True)
class Received:
    path: str
    content_type: str
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8")).items()}


class Hooks:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.scripts: dict[str, list[str]] = defaultdict(list)
        self.changed = threading.Condition()
        self.release = threading.Event()  # ends every "hang"

    def script(self, name: str, *behaviours: str) -> None:
        self.scripts[name] = list(behaviours)

    def to(self, name: str) -> list[Received]:
        return [r for r in self.received if r.path.split("?")[0].rstrip("/").endswith(name)]

    def next_behaviour(self, path: str) -> str:
        name = path.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        with self.changed:
            script = self.scripts.get(name)
            return script.pop(0) if script else "200"

    def wait_for(self, count: int, timeout: float = 30) -> None:
        with self.changed:
            if not self.changed.wait_for(lambda: len(self.received) >= count, timeout):
                raise AssertionError(f"expected {count} requests, got {len(self.received)}")

    def reset(self) -> None:
        self.release.set()
        with self.changed:
            self.received.clear()
            self.scripts.clear()
        self.release = threading.Event()


def serve(hooks: Hooks) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            behaviour = hooks.next_behaviour(self.path)
            with hooks.changed:
                hooks.received.append(
                    Received(self.path, self.headers.get("Content-Type", ""), body)
                )
                hooks.changed.notify_all()
            if behaviour == "hang":
                hooks.release.wait(60)
                self.close_connection = True
                return
            if behaviour == "close":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.send_response(int(behaviour))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
