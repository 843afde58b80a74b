"""The restart cache: a built knowledge base saved to disk, so a restart skips loading and analysis.

Named choices:

- **Key** — a BLAKE2 hash of every knowledge file (its path in the directory and its bytes), the
  directory's own ``vocabulary.yaml``, socbot's version and every file of the installed ``bot``
  package (its code and its data: no hand-kept list of the modules that matter), rank-bm25's
  source, nltk's and Unicode's versions, and :data:`CACHE_FORMAT`. Contents, not modification
  times: a copy or a checkout that keeps the bytes keeps the cache; any edit, to knowledge,
  vocabulary or code, misses it.
- **Format** — one uncompressed zip per knowledge directory (:mod:`bot.search.cachefile`): a JSON
  document (passages, terms, heading terms, the base's words) and integer ``.npy`` arrays
  (document lengths, each document's term ids and frequencies) read with
  ``allow_pickle=False``. No pickle, so a tampered file can at worst give wrong answers, never
  run code.
- **Never trusted** — the file carries a BLAKE2 digest of its contents; a file that is
  truncated, garbled, of another format or for other contents is ignored (logged) and rebuilt.
  It is written to a temporary file and renamed, so readers see an old or a new file, never a
  half-written one; a lock file lets one process build while others wait and then read it.
- **Where** — the configured directory (:mod:`bot.config`: ``$SOCBOT_CACHE_DIR``, else
  ``$XDG_CACHE_HOME/socbot``, else ``~/.cache/socbot``; ``off`` turns the cache off). Never
  inside the knowledge directory, which may be read-only or under version control. One file
  per knowledge directory, replaced on change.
"""
from __future__ import annotations

import hashlib
import logging
import math
import os
import unicodedata
import zipfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np

import bot.search.cachefile as _cachefile
from bot import __version__
from bot.config import cache_dir
from bot.knowledge import VOCABULARY_FILENAME, KnowledgeBase, Passage, knowledge_dir, knowledge_files
from bot.reports import REPORTS
from bot.search.analysis import Analyzer
from bot.search.built import BuiltBase, build_base
from bot.search.docfreqs import DocFreqs
from bot.search.gcpause import paused_gc
from bot.search.index import CompactLuceneBM25, PassageIndex
from bot.search.short_forms import with_short_forms
from bot.search.vocabulary import load_vocabulary

__all__ = ["CACHE_FORMAT", "cache_key", "cache_path", "load_base", "restore", "save"]

log = logging.getLogger(__name__)

CACHE_FORMAT = 3
_ARRAYS = ("doc_len", "offsets", "term_ids", "tfs")
_PASSAGE_FIELDS = ("id", "text", "title", "section", "url", "source", "line")
_PACKAGE = Path(__file__).resolve().parents[1]  # the installed bot package


def cache_path(directory: Path, root: Path) -> Path:
    """The cache file for one knowledge directory (named by a hash of its resolved path)."""
    name = hashlib.blake2b(str(Path(directory).resolve()).encode(), digest_size=10).hexdigest()
    return Path(root) / f"knowledge-{name}.zip"


def cache_key(directory: Path, package: Path = _PACKAGE) -> str:
    """A hash of everything the built index depends on (see the module notes)."""
    import nltk
    import rank_bm25

    h = hashlib.blake2b(digest_size=20)

    def add(label: str, data: bytes) -> None:
        h.update(f"{label}\0{len(data)}\0".encode())
        h.update(data)

    add("format", str(CACHE_FORMAT).encode())
    add("versions", f"socbot {__version__} nltk {nltk.__version__} unicode {unicodedata.unidata_version}".encode())
    add("package", _package_digest(package))
    add("code rank_bm25", _read(Path(rank_bm25.__file__)))
    own = Path(directory) / VOCABULARY_FILENAME
    add("own vocabulary", _read(own) if own.is_file() else b"(none)")
    for path in knowledge_files(Path(directory)):
        add(f"file {path.relative_to(directory).as_posix()}", _read(path))
    return h.hexdigest()


def _package_digest(package: Path) -> bytes:
    """A digest of every source and data file of the package. Compiled files, the Slack layer
    (which builds nothing here) and the bundled knowledge (hashed as knowledge) are left out.
    The files are read again only when their sizes or modification times change: not at every
    build and reload of a running process."""
    files = [p for p in sorted(package.rglob("*")) if p.suffix != ".pyc" and p.is_file()
             and not {"__pycache__", "slack", "bundled"} & set(p.relative_to(package).parts)]
    stamp = tuple((str(p), _stamp(p)) for p in files)
    found = _PACKAGE_DIGESTS.get(stamp)
    if found is None:
        h = hashlib.blake2b(digest_size=20)
        for path in files:
            data = _read(path)
            h.update(f"{path.relative_to(package).as_posix()}\0{len(data)}\0".encode())
            h.update(data)
        found = _PACKAGE_DIGESTS[stamp] = h.digest()
    return found


_PACKAGE_DIGESTS: dict[tuple, bytes] = {}


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"(unreadable)"  # the loader will report it, with the file name


# -- saving -----------------------------------------------------------------------------------
def save(base: BuiltBase, key: str, path: Path) -> None:
    """Write a built base to ``path``: call it right after the build.

    The base's words are read from the analyzer's stem cache, which holds exactly the words met
    while indexing until the first question is asked.
    """
    root = Path(base.knowledge.directory)
    passages = base.passages
    bm25 = base.index.bm25
    freqs: DocFreqs = bm25.doc_freqs
    files = sorted({p.path for p in passages})
    file_no = {f: i for i, f in enumerate(files)}
    meta = {
        "format": CACHE_FORMAT, "key": key, "documents": base.knowledge.documents,
        "avgdl": bm25.avgdl, "k1": bm25.k1, "b": bm25.b,
        "files": [Path(f).relative_to(root).as_posix() for f in files],
        "passages": {name: [getattr(p, name) for p in passages] for name in _PASSAGE_FIELDS},
        "file": [file_no[p.path] for p in passages],
        "reports": [list(p.reports) for p in passages],
        "terms": freqs.terms,
        "domain_terms": sorted(base.domain_terms),
        "short_forms": list(base.analyzer.vocabulary.adopted),
        "title_only": base.index.title_only,
        "words": [w for w, _ in base.analyzer.stem_cache_items()],
        "stems": [s for _, s in base.analyzer.stem_cache_items()],
    }
    arrays = {
        "doc_len": np.asarray(bm25.doc_len, dtype=np.int64),
        "offsets": freqs.offsets, "term_ids": freqs.term_ids, "tfs": freqs.tfs,
    }
    _cachefile.write(path, meta, arrays)


# -- restoring --------------------------------------------------------------------------------
def restore(root: Path, key: str, path: Path) -> BuiltBase | None:
    """The base saved in ``path`` if it is intact and was built for ``key``, else None."""
    try:
        _check_owner(path)
        meta, arrays = _cachefile.read(path, _ARRAYS)
        if meta.get("format") != CACHE_FORMAT or meta.get("key") != key:
            log.info("knowledge cache %s is for other contents; rebuilding", path)
            return None
        knowledge, freqs, doc_len = _knowledge(root, meta, arrays)
        avgdl, k1, b = float(meta["avgdl"]), float(meta["k1"]), float(meta["b"])
        if not all(math.isfinite(v) and v > 0 for v in (avgdl, k1)) or not 0 <= b <= 1:
            raise ValueError("BM25 parameters out of range")
        bm25 = CompactLuceneBM25.restore(freqs, doc_len, avgdl, k1, b)
        title_only = {str(t): int(n) for t, n in meta["title_only"].items()}
        index = PassageIndex(bm25=bm25, title_only=title_only)
        analyzer = Analyzer(with_short_forms(load_vocabulary(root), map(str, meta["short_forms"])))
        if len(meta["words"]) != len(meta["stems"]):
            raise ValueError("words and stems of different lengths")
        analyzer.remember_stems(zip(meta["words"], meta["stems"]))
        return BuiltBase(knowledge, analyzer, index, frozenset(str(t) for t in meta["domain_terms"]))
    except FileNotFoundError:
        return None
    except (OSError, EOFError, ValueError, KeyError, TypeError, IndexError, AttributeError,
            UnicodeError, OverflowError, zipfile.BadZipFile) as err:
        log.warning("ignoring unreadable knowledge cache %s (%s: %s); rebuilding", path,
                    type(err).__name__, err)
        return None


def _check_owner(path: Path) -> None:
    """Refuse a cache file that someone else could have written: ours, and not group- or
    world-writable (POSIX; elsewhere the check is skipped)."""
    if not hasattr(os, "getuid"):
        return
    st = path.stat()  # FileNotFoundError: no cache yet
    if st.st_uid != os.getuid() or st.st_mode & 0o022:
        raise PermissionError(f"not owned by this user or writable by others (mode {st.st_mode & 0o777:o})")


def _knowledge(root: Path, meta: dict, arrays: dict) -> tuple[KnowledgeBase, DocFreqs, list[int]]:
    fields = meta["passages"]
    n = len(fields["id"])
    columns = [fields[name] for name in _PASSAGE_FIELDS] + [meta["file"], meta["reports"]]
    if any(len(c) != n for c in columns) or not n:
        raise ValueError("passage fields of different lengths")
    files = [str(root / f) for f in meta["files"]]
    # One object per distinct title, source, url and report list, shared by the passages that
    # repeat it (as after loading the files): JSON gives each occurrence its own copy.
    same: dict = {}
    passages = tuple(
        Passage(id=i, text=text, title=same.setdefault(title, title), section=section,
                reports=same.setdefault(tuple(reports), tuple(reports)), url=same.setdefault(url, url),
                source=same.setdefault(source, source), path=files[f], line=line)
        for i, text, title, section, url, source, line, f, reports in zip(*columns)
    )
    if not all(isinstance(v, str) for name in ("id", "text", "title", "section") for v in fields[name]):
        raise ValueError("passage fields of the wrong type")
    # Everything else a loaded passage could hold, and nothing more: a cache edited by hand
    # (or by anyone) can at worst say what a knowledge file could say.
    for p in passages:
        if (not set(p.reports) <= set(REPORTS) or not isinstance(p.line, (int, type(None)))
                or not all(isinstance(v, (str, type(None))) for v in (p.url, p.source))):
            raise ValueError(f"passage {p.id!r} holds values no knowledge file can give")
    doc_len = arrays["doc_len"]
    if doc_len.dtype != np.int64 or len(doc_len) != n:
        raise ValueError("document lengths do not match the passages")
    freqs = DocFreqs.from_arrays([str(t) for t in meta["terms"]], arrays["offsets"],
                                 arrays["term_ids"], arrays["tfs"])
    totals = np.concatenate([[0], np.cumsum(freqs.tfs, dtype=np.int64)])
    if len(freqs) != n or not np.array_equal(totals[freqs.offsets[1:]] - totals[freqs.offsets[:-1]], doc_len):
        raise ValueError("term frequencies do not match the document lengths")
    unsupported: list[Path] = []
    knowledge_files(root, unsupported)  # files left out are listed anew: cheap, and always current
    skipped = tuple(f"skipped {p.relative_to(root).as_posix()}: unsupported type" for p in unsupported)
    return KnowledgeBase(root, passages, int(meta["documents"]), skipped), freqs, doc_len.tolist()


# -- the entry point --------------------------------------------------------------------------
def load_base(directory=None, cache_root: Path | None | str = "env", build=build_base) -> BuiltBase:
    """The built base for ``directory``: restored from the cache when it is intact and current,
    else made by ``build(directory)`` (and saved for the next start). ``cache_root=None`` turns
    the cache off."""
    root = knowledge_dir(directory)
    cache_root = cache_dir() if cache_root == "env" else cache_root
    if cache_root is None:
        return build(root)
    path = cache_path(root, Path(cache_root))
    key = cache_key(root)
    seen = _stamp(path)
    with paused_gc():
        found = restore(root, key, path)
    if found is not None:
        return found
    with _build_lock(path):
        if _stamp(path) != seen:  # another process wrote it meanwhile
            with paused_gc():
                found = restore(root, key, path)
            if found is not None:
                return found
        base = build(root)
        try:
            if cache_key(root) == key:  # files changed during the build: do not save
                save(base, key, path)
        except OSError as err:
            log.warning("cannot write knowledge cache %s: %s", path, err)
        return base


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


@contextmanager
def _build_lock(path: Path):
    """An exclusive lock on ``<cache file>.lock`` (none where locking is unavailable)."""
    try:
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle = open(path.with_suffix(".lock"), "a+b")
    except (ImportError, OSError):
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
