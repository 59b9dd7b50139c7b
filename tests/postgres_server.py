"""A throwaway PostgreSQL server for the tests: `initdb` into a temporary folder, `pg_ctl` on a
free port of 127.0.0.1, one fresh database per test.

Run as root (CI containers), the cluster belongs to the `postgres` user (PostgreSQL refuses to
run as root). As a script it starts or stops one for CI:

    python tests/postgres_server.py start DIR   # prints the server's URL
    python tests/postgres_server.py stop DIR
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROLE = "passaparola"
# Tests do not need durability; these make a fresh database and every commit cheap.
FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"


def server_binaries() -> Path | None:
    """The folder holding `initdb` and `pg_ctl`: on PATH, else Debian's newest version."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)
    return next((Path(v) for v in versions if Path(v, "initdb").exists()), None)


def _version(folder: str) -> float:
    try:
        return float(Path(folder).parent.name)
    except ValueError:
        return 0.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _owner() -> pwd.struct_passwd | None:
    """Whom the cluster runs as: nobody else when not root, else the `postgres` user."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root and no postgres or nobody user to run PostgreSQL as")


class PostgresServer:
    """A PostgreSQL cluster in `folder` (a new temporary one by default), trust auth on 127.0.0.1."""

    def __init__(self, binaries: Path, folder: Path | None = None) -> None:
        self.binaries = binaries
        self.folder = folder
        self.port = 0

    @property
    def url(self) -> str:
        """The server's maintenance database, as a SQLAlchemy URL."""
        return f"postgresql+psycopg://{ROLE}@127.0.0.1:{self.port}/postgres"

    def start(self) -> str:
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="passaparola-postgres-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        owner = _owner()
        if owner is not None:
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
        data = self.folder / "data"
        self._run(
            "initdb", "-D", data, "-U", ROLE, "--auth=trust", "-E", "UTF8", "--locale=C",
            "--no-sync",
        )  # fmt: skip
        self.port = _free_port()
        options = f"-h 127.0.0.1 -p {self.port} -k {self.folder} {FAST}"
        self._run("pg_ctl", "-D", data, "-l", self.folder / "server.log", "-o", options, "-w",
                  "start")  # fmt: skip
        (self.folder / "port").write_text(str(self.port))
        return self.url

    def stop(self) -> None:
        if self.folder is None:
            return
        data = self.folder / "data"
        if data.exists():
            self._run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: object, check: bool = True) -> None:
        command = [str(self.binaries / program), *map(str, args)]
        owner = _owner()
        if owner is not None:
            command = ["runuser", "-u", owner.pw_name, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.folder)
        if check and done.returncode != 0:
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr.strip()}")

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


_names = itertools.count()


def fresh_database(server_url: str) -> str:
    """A new, empty database on the server at `server_url`; its SQLAlchemy URL."""
    from sqlalchemy import make_url

    name = f"test_{os.getpid()}_{next(_names)}"
    _maintenance(server_url, f'CREATE DATABASE "{name}"')
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, url: str) -> None:
    """Drop a test database, ending the connections a test's engines left open."""
    from sqlalchemy import make_url

    _maintenance(server_url, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def _maintenance(server_url: str, statement: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


def main() -> None:
    action, folder = sys.argv[1], Path(sys.argv[2])
    binaries = server_binaries()
    if binaries is None:
        raise SystemExit("no PostgreSQL server binaries (initdb, pg_ctl) found")
    server = PostgresServer(binaries, folder)
    if action == "start":
        print(server.start())
    elif action == "stop":
        server.stop()
    else:
        raise SystemExit(f"usage: {sys.argv[0]} start|stop DIR")


if __name__ == "__main__":
    main()
