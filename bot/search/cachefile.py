"""The restart cache's file: one JSON document and some numpy arrays in an uncompressed zip.

Members: ``meta.json``; one ``<name>.npy`` per array (numpy's format, read with
``allow_pickle=False``, so object arrays are refused and nothing is ever unpickled); ``digest``,
a BLAKE2 hash of the JSON bytes and of every array's data. The zip's own CRCs catch most damage;
the digest catches the rest (a file rewritten piecemeal, or by another version).

The JSON is written in pieces as it is encoded and read back in one go: at 100k passages it is
about 60 MB, and holding it whole next to the index while saving cost 120 MB of peak memory.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

__all__ = ["write", "read"]

_META = "meta.json"
_DIGEST = "digest"
_CHUNK = 1 << 20


def write(path: Path, meta: dict, arrays: dict[str, np.ndarray]) -> None:
    """Write atomically: readers see the previous file or this one, never a part."""
    digest = hashlib.blake2b(digest_size=32)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
            with zf.open(_META, "w", force_zip64=True) as member:
                pending: list[str] = []
                size = 0
                for piece in json.JSONEncoder(ensure_ascii=False).iterencode(meta):
                    pending.append(piece)
                    size += len(piece)
                    if size >= _CHUNK:
                        _put(member, digest, "".join(pending).encode())
                        pending, size = [], 0
                _put(member, digest, "".join(pending).encode())
            for name in sorted(arrays):
                array = np.ascontiguousarray(arrays[name])
                if array.dtype.hasobject:
                    raise TypeError(f"array {name} holds Python objects")
                with zf.open(f"{name}.npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, array, allow_pickle=False)
                digest.update(memoryview(array).cast("B"))
            zf.writestr(_DIGEST, digest.hexdigest())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _put(member, digest, data: bytes) -> None:
    digest.update(data)
    member.write(data)


def read(path: Path, names: tuple[str, ...]) -> tuple[dict, dict[str, np.ndarray]]:
    """The JSON document and the named arrays; ValueError (or OSError, zipfile.BadZipFile)
    when the file is damaged, incomplete or not one of ours."""
    digest = hashlib.blake2b(digest_size=32)
    with zipfile.ZipFile(path) as zf:
        data = zf.read(_META)  # zipfile checks the CRC of what it reads whole
        digest.update(data)
        text = data.decode("utf-8")
        del data  # peak memory: the bytes, the text and the parsed JSON are never all alive
        arrays = {}
        for name in sorted(names):
            with zf.open(f"{name}.npy") as member:
                array = np.lib.format.read_array(member, allow_pickle=False)
                if member.read(1):  # also reaches the end, where the member's CRC is checked
                    raise ValueError(f"array {name} has trailing data")
            digest.update(memoryview(np.ascontiguousarray(array)).cast("B"))
            arrays[name] = array
        if zf.read(_DIGEST).decode("ascii") != digest.hexdigest():
            raise ValueError("digest does not match the contents")
    return json.loads(text), arrays
