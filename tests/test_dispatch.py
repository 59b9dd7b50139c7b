"""`passaparola crawl --scrapyd URL …`: one Scrapyd job per source, spread over the nodes by
their load, waited for, and summed up from the runs the jobs recorded in the shared store.

Real Scrapyd nodes on 127.0.0.1 with the project deployed by the real `scrapyd-deploy`; skipped
when they are not installed (CI installs them, `PASSAPAROLA_REQUIRE_SCRAPYD=1`).
"""

from __future__ import annotations

import sqlite3

import pytest
from cli_runner import run_cli
from scrapyd_node import ScrapydNode, deployed_node, free_port, require_scrapyd

from crawler.demo import expected

require_scrapyd()

CREDENTIALS = ("crawler", "s3cret-on-the-node")


@pytest.fixture(scope="module")
def nodes(scrapyd_nodes):
    return scrapyd_nodes


@pytest.fixture(scope="module")
def locked_node(tmp_path_factory):
    """A node that asks for a username and password, with the project deployed."""
    node = deployed_node(tmp_path_factory.mktemp("locked"), auth=CREDENTIALS)
    yield node
    node.__exit__()


@pytest.fixture(scope="module")
def bare_node(tmp_path_factory):
    """A node nobody deployed the project to."""
    with ScrapydNode(tmp_path_factory.mktemp("bare") / "node") as node:
        yield node


def project(folder, site_url: str, paths: list[tuple[str, str]]) -> None:
    sources = "".join(
        f'[[sources]]\nkind = "{kind}"\nurl = "{site_url}{path}"\n'
        + (f'brand = "{expected.ROSSI}"\n' if kind == "reviews" else "")
        + ("depth = 2\n" if kind == "blog" else "")
        + "\n"
        for kind, path in paths
    )
    (folder / "passaparola.toml").write_text(
        f'[[brands]]\nname = "{expected.ROSSI}"\n\n[[brands]]\nname = "{expected.AURORA}"\n\n'
        f'{sources}[crawl]\nuser_agent = "passaparola-test (+https://example.org/)"\ndelay = 0\n',
        encoding="utf-8",
    )


def runs(folder) -> list[tuple[str, str, str, int]]:
    with sqlite3.connect(folder / "passaparola.db") as db:
        return db.execute(
            "SELECT kind, source_url, status, new, crawl_id FROM crawl_runs ORDER BY id"
        ).fetchall()


def summary_rows(stdout: str) -> list[list[str]]:
    """The cells of the summary table's rows."""
    return [
        [cell.strip() for cell in line.split("│")[1:-1]]
        for line in stdout.splitlines()
        if line.startswith("│")
    ]


FOUR = [
    ("feed", expected.RSS),
    ("feed", expected.ATOM),
    ("reviews", expected.REVIEW_PAGES[0]),
    ("blog", expected.BLOG_INDEX),
]


def test_a_crawl_on_two_nodes_spreads_the_jobs_and_sums_up_their_runs(tmp_path, nodes, demo_site):
    project(tmp_path, demo_site.url, FOUR)
    before = [len(node.jobs()["finished"]) for node in nodes]
    done = run_cli("crawl", *(f"--scrapyd={node.url}" for node in nodes), cwd=tmp_path)
    recorded = runs(tmp_path)
    assert sorted((kind, url) for kind, url, *_ in recorded) == sorted(
        (kind, demo_site.url + path) for kind, path in FOUR
    )
    assert {status for _, _, status, _, _ in recorded} == {"finished"}
    assert len({crawl_id for *_, crawl_id in recorded}) == 1  # one crawl, one id
    # Both nodes were idle: two jobs each.
    assert [len(node.jobs()["finished"]) - n for node, n in zip(nodes, before, strict=True)] == [
        2,
        2,
    ]
    assert f"jobs per node: {nodes[0].url} 2, {nodes[1].url} 2" in done.stdout
    # The summary is the local crawl's: a row per source from its run, and the total.
    new = {url: count for _, url, _, count, _ in recorded}
    reviews = expected.MENTIONS[(expected.ROSSI, "review")]
    assert new[demo_site.url + expected.REVIEW_PAGES[0]] == reviews
    table = {row[0]: row[1:] for row in summary_rows(done.stdout)}
    assert table[demo_site.url + expected.REVIEW_PAGES[0]] == [
        "reviews", "3", str(reviews), "0", "0", "0", "finished"
    ]  # fmt: skip
    assert table["total"][2] == str(sum(new.values()))


def test_bad_nodes_are_one_line_each_and_the_others_crawl_every_source(
    tmp_path, nodes, bare_node, locked_node, demo_site
):
    project(tmp_path, demo_site.url, FOUR[:2])
    dead = f"http://127.0.0.1:{free_port()}"
    given = [dead, bare_node.url, locked_node.url, nodes[0].url]
    done = run_cli(
        "crawl", *(f"--scrapyd={url}" for url in given), cwd=tmp_path, check=False,
        env={"PASSAPAROLA_SCRAPYD_USERNAME": "crawler", "PASSAPAROLA_SCRAPYD_PASSWORD": "guess"},
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3, done.stderr
    dead_line, bare_line, locked_line = errors
    assert dead.rstrip("/") in dead_line and "cannot connect" in dead_line
    assert "check that scrapyd runs there" in dead_line
    assert bare_node.url in bare_line and "not deployed" in bare_line
    assert "scrapyd-deploy" in bare_line
    assert locked_node.url in locked_line and "HTTP 401" in locked_line
    assert "PASSAPAROLA_SCRAPYD_PASSWORD" in locked_line
    assert "Traceback" not in done.stderr
    assert [(kind, status) for kind, _, status, _, _ in runs(tmp_path)] == [
        ("feed", "finished"),
        ("feed", "finished"),
    ]
    assert f"jobs per node: {nodes[0].url} 2" in done.stdout


def test_the_right_credentials_open_a_node_that_asks_for_them(tmp_path, locked_node, demo_site):
    project(tmp_path, demo_site.url, FOUR[:1])
    user, password = CREDENTIALS
    run_cli(
        "crawl", f"--scrapyd={locked_node.url}", cwd=tmp_path,
        env={"PASSAPAROLA_SCRAPYD_USERNAME": user, "PASSAPAROLA_SCRAPYD_PASSWORD": password},
    )  # fmt: skip
    assert [status for _, _, status, _, _ in runs(tmp_path)] == ["finished"]


def test_a_crawl_with_no_usable_node_fails_every_source(tmp_path, bare_node, demo_site):
    project(tmp_path, demo_site.url, FOUR[:2])
    done = run_cli("crawl", f"--scrapyd={bare_node.url}", cwd=tmp_path, check=False)
    assert done.returncode == 1
    assert done.stdout.count("failed") >= 2, done.stdout
    assert "no Scrapyd node could take the job" in done.stderr
    assert runs(tmp_path) == []


def test_a_scrapyd_option_that_is_not_a_url_is_one_line(tmp_path, demo_site):
    project(tmp_path, demo_site.url, FOUR[:1])
    done = run_cli("crawl", "--scrapyd=node1:6800", cwd=tmp_path, check=False)
    assert done.returncode == 2
    assert "--scrapyd 'node1:6800': must be an http:// or https:// URL" in done.stderr


def test_a_job_that_ends_without_its_run_is_a_failed_source_with_the_nodes_reason(
    tmp_path, nodes, demo_site, postgres_server_url
):
    """The store is a PostgreSQL server named by PGHOST/PGPORT in the scheduler's environment,
    which the nodes do not have: every job ends, and none could record its run."""
    from postgres_server import drop_database, fresh_database
    from sqlalchemy import make_url

    url = make_url(fresh_database(postgres_server_url))
    try:
        project(tmp_path, demo_site.url, FOUR[:1])
        config = tmp_path / "passaparola.toml"
        unnamed = f"postgresql+psycopg://{url.username}@/{url.database}"
        config.write_text(
            config.read_text(encoding="utf-8") + f'\n[storage]\nurl = "{unnamed}"\n',
            encoding="utf-8",
        )
        done = run_cli(
            "crawl", f"--scrapyd={nodes[0].url}", cwd=tmp_path, check=False,
            env={"PGHOST": url.host, "PGPORT": str(url.port)},
        )  # fmt: skip
        assert done.returncode == 1, done.stdout + done.stderr
        [line] = [line for line in done.stderr.splitlines() if line.startswith("error:")]
        assert f"feed {demo_site.url}{expected.RSS} on {nodes[0].url}" in line
        assert "ended without recording a finished run" in line
        assert "connection" in line.lower(), line  # the node's own last error, from its log
        [log] = (nodes[0].folder / "logs").rglob(f"*{line.split('the job ')[1].split()[0]}.log")
        assert "Traceback" not in log.read_text(encoding="utf-8"), "not one line"
        assert summary_rows(done.stdout)[0][-1] == "failed"
    finally:
        drop_database(postgres_server_url, url.render_as_string(hide_password=False))


@pytest.fixture()
def busy_first_node(tmp_path_factory, nodes):
    """Two jobs on the first node that take their time: a source that accepts connections and
    never answers (the jobs are killed afterwards)."""
    import socket

    folder = tmp_path_factory.mktemp("busy")
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/feed.xml"
        (folder / "passaparola.toml").write_text(
            f'[[brands]]\nname = "{expected.ROSSI}"\n\n[[sources]]\nkind = "feed"\nurl = "{url}"\n'
            '\n[crawl]\nuser_agent = "passaparola-test (+https://example.org/)"\ntimeout = 600\n',
            encoding="utf-8",
        )
        settings = f"PASSAPAROLA_CONFIG={folder / 'passaparola.toml'}"
        busy = [
            nodes[0].post(
                "schedule.json",
                [("project", "passaparola"), ("spider", "feed"), ("url", url),
                 ("setting", settings)],
            )["jobid"]
            for _ in range(2)
        ]  # fmt: skip
        yield nodes[0]
        for job in busy:
            nodes[0].post("cancel.json", [("project", "passaparola"), ("job", job),
                                          ("signal", "KILL")])  # fmt: skip


def test_jobs_go_to_the_node_with_the_fewest_pending_and_running(
    tmp_path, nodes, busy_first_node, demo_site
):
    project(tmp_path, demo_site.url, FOUR[:2])
    done = run_cli("crawl", *(f"--scrapyd={node.url}" for node in nodes), cwd=tmp_path)
    # The first node had two jobs of its own: both sources went to the idle second one.
    assert f"jobs per node: {nodes[1].url} 2\n" in done.stdout, done.stdout
    assert [status for _, _, status, _, _ in runs(tmp_path)] == ["finished", "finished"]
