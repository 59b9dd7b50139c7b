"""py3langid's language model, decompressed once into the user's cache and mapped from there.

py3langid ships its model as an LZMA-compressed npz (4.5 MB, 68 MB unpacked): every process that
loads it spends ~0.5 s CPU decompressing it, and each scoring worker holds its own 68 MB copy.
The first load writes the arrays as plain `.npy` files to a folder named after the packaged
file's SHA-256 (`$XDG_CACHE_HOME/passaparola`, else `~/.cache/passaparola`); later loads map
them read-only (no copy: the workers of a crawl share the pages) after checking each file's
CRC-32 against the manifest written last. A folder that is missing, partial, damaged or from
another model version is never used: the model is then read from the package, as before, and
the cache written again if it can be. Nothing is downloaded; the cache holds only what the
installed py3langid wheel already has.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import lzma
import os
import shutil
import tempfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import py3langid.langid as langid

FORMAT = 1  # bump when the cached layout changes: older folders are then ignored
ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")
MANIFEST = "manifest.json"


def cache_root() -> Path | None:
    """Where passaparola keeps files it can rebuild (XDG base directories); None without a
    home folder to put them in."""
    given = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(given):
        return Path(given) / "passaparola"
    try:
        return Path.home() / ".cache" / "passaparola"
    except RuntimeError:
        return None


def load_identifier() -> langid.LanguageIdentifier:
    """py3langid's identifier (raw scores, not probabilities), from the cache when it holds
    this model, else from the package, filling the cache for the next process."""
    import py3langid.langid as langid

    packaged = langid.MODEL_DIR / langid.MODEL_FILE
    root = cache_root()
    if root is None:
        return _identifier(langid, _decompress(packaged))
    folder = root / f"langid-{FORMAT}-{_digest(packaged)[:20]}"
    arrays = _read_cached(folder)
    if arrays is None:
        arrays = _decompress(packaged)
        _write_cache(folder, arrays)
    return _identifier(langid, arrays)


def _identifier(langid: Any, arrays: dict[str, Any]) -> langid.LanguageIdentifier:
    # The DFA tables are only ever indexed item by item: a memoryview over the (mapped) array
    # does that as fast as the `array.array` copy py3langid's own loader makes.
    return langid.LanguageIdentifier(
        arrays["ptc"],
        arrays["pc"],
        arrays["classes"].tolist(),
        memoryview(arrays["nextmove"]),
        arrays["out_feat"].tolist(),
        norm_probs=False,
        tk_row=memoryview(arrays["nextmove_row"]),
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _decompress(packaged: Path) -> dict[str, Any]:
    """The arrays of py3langid's packaged model (its npz, unpacked from LZMA)."""
    import numpy as np

    with tempfile.TemporaryFile(suffix=".npz") as unpacked:
        with lzma.open(packaged) as source:
            shutil.copyfileobj(source, unpacked, length=1 << 20)
        unpacked.seek(0)
        with np.load(unpacked, allow_pickle=False) as data:
            missing = set(ARRAYS).difference(data.files)
            if missing:
                raise ValueError(f"{packaged}: not the model layout expected, no {sorted(missing)}")
            return {name: np.ascontiguousarray(data[name]) for name in ARRAYS}


def _read_cached(folder: Path) -> dict[str, Any] | None:
    """The cached arrays, mapped read-only, if every file is there and has its checksum."""
    import numpy as np

    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        arrays = {}
        for name in ARRAYS:
            array = np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False))
            if _checksum(array) != manifest[name]:
                return None
            arrays[name] = array
        return arrays
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _checksum(array: Any) -> int:
    """CRC-32 of an array's bytes: ~35 ms for the whole model, against ~500 ms to unpack it."""
    return zlib.crc32(memoryview(array.reshape(-1).view("u1")))


def _write_cache(folder: Path, arrays: dict[str, Any]) -> None:
    """Publish the arrays as `folder` in one rename, so no reader ever sees half of it; a cache
    that cannot be written (read-only home, full disk) only means the next start decompresses."""
    import numpy as np

    staging = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".langid-", dir=folder.parent))
        manifest = {}
        for name, array in arrays.items():
            np.save(staging / f"{name}.npy", array, allow_pickle=False)
            manifest[name] = _checksum(array)
        (staging / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        try:
            os.rename(staging, folder)
        except OSError:  # the folder is there: another worker's (kept) or a damaged one
            if _read_cached(folder) is not None:
                return
            shutil.rmtree(folder, ignore_errors=True)
            os.rename(staging, folder)
        staging = None
    except OSError:
        pass
    finally:
        if staging is not None:
            with contextlib.suppress(OSError):
                shutil.rmtree(staging)
