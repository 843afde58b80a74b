"""The restart cache: restored answerers answer exactly like built ones; any change to the
knowledge, the vocabulary or the code misses it; a damaged cache is ignored and rebuilt."""
from __future__ import annotations

import io
import logging
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

import bot.search.cache as cache
from bot.answers.answerer import Answerer
from bot.answers.evaluation import load_question_set
from bot.knowledge import DEFAULT_KNOWLEDGE
from bot.search.built import build_base

DATA = Path(__file__).parent / "data"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    """A copy of the bundled knowledge plus the plain-text article (tagged and untagged text)."""
    root = tmp_path / "kb"
    shutil.copytree(DEFAULT_KNOWLEDGE, root)
    shutil.copy(FIXTURES / "soc1-vs-soc2-article.txt", root / "articles.txt")
    return root


@pytest.fixture
def cache_root(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def questions() -> list[str]:
    cases = [c for name in ("questions.yaml", "holdout_questions.yaml") for c in load_question_set(DATA / name)]
    return [c.question for c in cases] + ["avalability of a data centre?", "finacial reporting soc"]


def outcome(answerer, question):
    a = answerer.answer(question)
    return (a.answered, a.reports, a.answer, a.examples,
            [(c.n, c.id, c.title, c.section, c.text, c.score, c.url, c.matches) for c in a.citations])


def restored(kb: Path, cache_root: Path):
    """The answerer on the base restored from the cache, or None if the cache does not hold it."""
    base = cache.restore(kb, cache.cache_key(kb), cache.cache_path(kb, cache_root))
    return None if base is None else Answerer(base)


def test_restored_answerer_answers_exactly_like_a_built_one(kb, cache_root):
    built = Answerer.from_directory(kb)
    Answerer.cached(kb, cache_root)  # builds and saves
    again = restored(kb, cache_root)
    assert again is not None
    assert again.passages == built.passages
    assert again.knowledge == built.knowledge and again.stats == built.stats
    assert again.domain_terms == built.domain_terms
    assert again.analyzer.stem_cache_items() == built.analyzer.stem_cache_items()  # spelling's lexicon
    for q in questions():
        assert outcome(again, q) == outcome(built, q), q


def test_restored_index_keeps_rank_bm25_statistics(kb, cache_root):
    built = Answerer.from_directory(kb).index
    Answerer.cached(kb, cache_root)
    index = restored(kb, cache_root).index
    assert index.bm25.idf == built.bm25.idf
    assert list(index.bm25.idf) == list(built.bm25.idf)  # same order: same average IDF
    assert index.bm25.average_idf == built.bm25.average_idf
    assert (index.bm25.doc_len, index.bm25.avgdl, index.bm25.corpus_size) == \
        (built.bm25.doc_len, built.bm25.avgdl, built.bm25.corpus_size)
    assert list(index.bm25.doc_freqs) == list(built.bm25.doc_freqs)
    query = ["soc2", "avail", "payrol"]
    np.testing.assert_array_equal(index.bm25.get_scores(query), built.bm25.get_scores(query))


def test_second_start_restores_instead_of_building(kb, cache_root):
    Answerer.cached(kb, cache_root)
    base = cache.load_base(kb, cache_root, build=lambda d: pytest.fail("rebuilt"))
    assert Answerer(base).answer("which report covers availability?").answered


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CHANGES = {
    "edit a passage": lambda kb: _edit(kb / "soc-reports.yaml", "text: >-", "text: >-\n      Zanzibar quokka."),
    "add a file": lambda kb: (kb / "new.md").write_text("# Quokka notes\n\nZanzibar quokka SOC 2.\n"),
    "remove a file": lambda kb: (kb / "articles.txt").unlink(),
    "add a vocabulary": lambda kb: (kb / "vocabulary.yaml").write_text("protected: [quokka]\n"),
    "same size, other bytes": lambda kb: _edit(kb / "soc-reports.yaml", "SOC 1 reports", "SOC 1 rEports"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_change_to_knowledge_or_vocabulary_misses_the_cache(kb, cache_root, change):
    Answerer.cached(kb, cache_root)
    before = cache.cache_key(kb)
    CHANGES[change](kb)
    assert cache.cache_key(kb) != before
    assert restored(kb, cache_root) is None  # stale: never served
    fresh = Answerer.cached(kb, cache_root)  # rebuilt and saved again
    assert fresh.passages == Answerer.from_directory(kb).passages
    assert restored(kb, cache_root).passages == fresh.passages


@pytest.mark.parametrize("edited", ["data/vocabulary.yaml", "search/analysis.py", "answers/clauses.py"])
def test_every_file_of_the_package_is_part_of_the_key(kb, tmp_path, edited):
    # No hand-kept list of the files that matter: any edit to the package's code or data counts.
    package = tmp_path / "bot"
    shutil.copytree(Path(cache.__file__).resolve().parents[1], package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    before = cache.cache_key(kb, package)
    with (package / edited).open("a", encoding="utf-8") as f:
        f.write("\n# edited\n")
    assert cache.cache_key(kb, package) != before


def test_the_format_is_part_of_the_key(kb, monkeypatch):
    before = cache.cache_key(kb)
    monkeypatch.setattr(cache, "CACHE_FORMAT", cache.CACHE_FORMAT + 1)
    assert cache.cache_key(kb) != before


def _truncate(path: Path, keep: float) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def _flip(path: Path, where: float) -> None:
    data = bytearray(path.read_bytes())
    data[int(len(data) * where)] ^= 0x5A
    path.write_bytes(bytes(data))


def _rewrite(path: Path, **replace: bytes) -> None:
    """Rewrite the cache's zip with some members replaced: a well-formed archive (its own
    checksums right) whose contents are not what was saved."""
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in {**members, **replace}.items():
            zf.writestr(name, data)


def _npz(path: Path, **arrays) -> None:
    with path.open("wb") as out:
        np.savez(out, **arrays)


def _edited_passage(path: Path) -> None:
    with zipfile.ZipFile(path) as zf:
        meta = zf.read("meta.json")
    _rewrite(path, **{"meta.json": meta.replace(b"SOC 2", b"SOC 3", 1)})


def _pickled_array(path: Path) -> None:
    out = io.BytesIO()
    np.save(out, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    _rewrite(path, **{"tfs.npy": out.getvalue()})


def _forged(path: Path) -> None:
    # Consistent to the last digest, as anyone able to write the file could make it, but
    # holding what no knowledge file can: a report that does not exist.
    from bot.search import cachefile as _cachefile

    meta, arrays = _cachefile.read(path, cache._ARRAYS)
    meta["reports"][0] = ["SOC 9"]
    path.unlink()
    _cachefile.write(path, meta, arrays)


DAMAGE = {
    "forged with a report that does not exist": _forged,
    "writable by others": lambda p: p.chmod(0o666),
    "empty": lambda p: p.write_bytes(b""),
    "truncated to a half": lambda p: _truncate(p, 0.5),
    "last bytes cut": lambda p: _truncate(p, 0.999),
    "garbled at 1%": lambda p: _flip(p, 0.01),
    "garbled in the middle": lambda p: _flip(p, 0.5),
    "garbled at 95%": lambda p: _flip(p, 0.95),
    "not a cache": lambda p: p.write_text("hello"),
    "an npz of other arrays": lambda p: _npz(p, meta=np.zeros(3, dtype=np.uint8)),
    "a passage edited inside": _edited_passage,
    "an array of pickled objects": _pickled_array,
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_cache_is_ignored_and_rebuilt(kb, cache_root, damage, caplog):
    Answerer.cached(kb, cache_root)
    path = cache.cache_path(kb, cache_root)
    DAMAGE[damage](path)
    with caplog.at_level(logging.WARNING, logger="bot.search.cache"):
        assert restored(kb, cache_root) is None
        answerer = Answerer.cached(kb, cache_root)
    assert "ignoring unreadable knowledge cache" in caplog.text
    assert outcome(answerer, "which report covers availability?") == \
        outcome(Answerer.from_directory(kb), "which report covers availability?")
    assert restored(kb, cache_root) is not None  # and written anew


def test_a_consistent_cache_for_other_contents_is_not_served(kb, tmp_path, cache_root):
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.yaml").write_text("passages:\n  - id: quokka\n    text: Quokkas are SOC 2 experts.\n")
    Answerer.cached(other, cache_root)
    shutil.copy(cache.cache_path(other, cache_root), cache.cache_path(kb, cache_root))
    assert restored(kb, cache_root) is None
    assert "quokka" not in {p.id for p in Answerer.cached(kb, cache_root).passages}


def test_cache_off_writes_nothing(kb, tmp_path, monkeypatch):
    monkeypatch.setenv("SOCBOT_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert Answerer.cached(kb).answer("which report covers availability?").answered
    assert not (tmp_path / "xdg").exists()


def test_unwritable_cache_still_answers(kb, tmp_path, caplog):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    with caplog.at_level(logging.WARNING, logger="bot.search.cache"):
        answerer = Answerer.cached(kb, blocker)
    assert answerer.answer("which report covers availability?").answered
    assert "cannot write knowledge cache" in caplog.text


def test_cache_file_holds_no_pickle_and_lives_outside_the_knowledge(kb, cache_root):
    Answerer.cached(kb, cache_root)
    path = cache.cache_path(kb, cache_root)
    assert path.parent == cache_root and not any("knowledge-" in p.name for p in kb.rglob("*"))
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["digest", "doc_len.npy", "meta.json", "offsets.npy", "term_ids.npy",
                                         "tfs.npy"]
        for name in zf.namelist():
            if name.endswith(".npy"):
                assert np.lib.format.read_array(zf.open(name), allow_pickle=False).dtype.kind == "i"


def test_simultaneous_starts_build_once_and_share_the_cache(kb, cache_root, monkeypatch):
    import threading
    import time

    built = []

    def slow_build(directory):
        built.append(directory)
        time.sleep(0.3)  # keeps the build going while the other start looks for the cache
        return build_base(directory)

    results = []
    starts = [threading.Thread(target=lambda: results.append(cache.load_base(kb, cache_root, build=slow_build)))
              for _ in range(2)]
    for t in starts:
        t.start()
    for t in starts:
        t.join()
    assert len(built) == 1  # the second start waited on the lock, then restored
    assert results[0].passages == results[1].passages
