"""The language model is unpacked once into the user's cache; a damaged cache is never trusted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import py3langid.langid as langid
import pytest

from crawler.sentiment.language_model import ARRAYS, MANIFEST, cache_root, load_identifier

TEXTS = (
    "Servizio lento, pane raffermo.",
    "The bread was stale and nobody said sorry.",
    "Le pain était rassis et le service lent.",
    "Das Brot war alt.",
    "ok",
)


@pytest.fixture(scope="module")
def packaged() -> langid.LanguageIdentifier:
    """py3langid's own loader, straight from its wheel: what the cache must agree with."""
    return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=False)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "passaparola"


def ranks(identifier: langid.LanguageIdentifier) -> list[list[tuple[str, float]]]:
    return [identifier.rank(text) for text in TEXTS]


def model_folder(cache: Path) -> Path:
    (folder,) = cache.glob("langid-*")
    return folder


def test_the_cache_is_under_the_xdg_cache_home(cache: Path) -> None:
    assert cache_root() == cache


def test_the_first_load_fills_the_cache_and_the_next_reads_it_as_it_is(cache, packaged) -> None:
    assert ranks(load_identifier()) == ranks(packaged)
    folder = model_folder(cache)
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [MANIFEST, *(f"{name}.npy" for name in ARRAYS)]
    )
    written = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    assert ranks(load_identifier()) == ranks(packaged)
    assert {path.name: path.stat().st_mtime_ns for path in folder.iterdir()} == written
    assert list(cache.iterdir()) == [folder]  # no staging folder left behind


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "missing file", "no manifest"])
def test_a_damaged_cache_is_not_used_and_is_written_again(cache, packaged, damage) -> None:
    load_identifier()
    folder = model_folder(cache)
    table = folder / "nextmove.npy"
    good = table.read_bytes()
    if damage == "flipped byte":
        middle = len(good) // 2
        table.write_bytes(good[:middle] + bytes([good[middle] ^ 0xFF]) + good[middle + 1 :])
    elif damage == "truncated":
        table.write_bytes(good[: len(good) // 3])
    elif damage == "missing file":
        table.unlink()
    else:
        (folder / MANIFEST).unlink()
    assert ranks(load_identifier()) == ranks(packaged)
    assert table.read_bytes() == good


def test_a_cache_that_cannot_be_written_only_means_unpacking_each_time(
    tmp_path, monkeypatch, packaged
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert ranks(load_identifier()) == ranks(packaged)
    assert blocked.read_text(encoding="utf-8").startswith("a file")


def test_workers_starting_at_once_on_an_empty_cache_leave_one_good_copy(cache, packaged) -> None:
    """A crawl's workers all start on the first crawl: each unpacks, one copy is kept."""
    load = (
        "import json; from crawler.sentiment.language_model import load_identifier; "
        f"print(json.dumps(load_identifier().rank({TEXTS[0]!r})))"
    )
    workers = [
        subprocess.Popen([sys.executable, "-c", load], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    answers = [json.loads(worker.communicate(timeout=120)[0]) for worker in workers]
    expected = [[lang, score] for lang, score in packaged.rank(TEXTS[0])]
    assert answers == [expected] * 3
    folder = model_folder(cache)
    assert list(cache.iterdir()) == [folder]  # no staging folder left behind
    assert ranks(load_identifier()) == ranks(packaged)
