"""Answers on documents other people wrote: the generalization corpus, each document alone.

The documents under tests/data/corpus were written by independent helpers in different styles
and formats; each question set by another helper who saw only its document. The held-out split
is never tuned against. Floors, not perfect scores: these guard how the engine generalizes.
The seed article stays outside the repository (../shared/data) and is skipped where absent.
"""
import re
from pathlib import Path

import pytest

from bot.answers.answerer import Answerer
from bot.answers.evaluation import (
    build_alone,
    evaluate,
    evaluate_corpus,
    format_corpus_table,
    load_corpus,
    load_question_set,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"
# Measured floors per split (see the README's "Answers on any document" for the figures): a
# change that makes answers on other people's documents worse fails here.
FLOORS = {
    "tuning": {"which": 0.92, "fact": 0.95, "out_of_scope": 0.98},
    "heldout": {"which": 0.80, "fact": 0.92, "out_of_scope": 0.97},
}
# Markdown, HTML, AsciiDoc (|=== tables, <<xref>>, :attribute:) and ASCII boxes (+----+).
MARKUP = re.compile(r"(\*\*|__|\|\s*-{3}|^\s*#{1,6}\s|^\s*[-*+]\s|</?[a-z][^>]*>|\|===|<<[\w-]+>>|^:\w+:|\+-{3})",
                    re.MULTILINE)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(CORPUS, ROOT)


@pytest.fixture(scope="module")
def answerers(corpus):
    return {d.name: Answerer.from_directory(d.path) for d in corpus.documents if d.path.is_dir()}


@pytest.fixture(scope="module")
def results(corpus, answerers):
    return evaluate_corpus(corpus, lambda path: answerers[path.name], ("tuning", "heldout"))


def test_corpus_is_large_varied_and_split(corpus):
    splits = {s: [d for d in corpus.documents if d.split == s] for s in ("tuning", "heldout")}
    assert len(splits["tuning"]) + len(splits["heldout"]) >= 12
    # About a third held out, drawn before any result was seen.
    assert len(splits["heldout"]) * 3 >= len(splits["tuning"]) + len(splits["heldout"]) - 3
    suffixes = {p.suffix for d in corpus.documents if d.path.is_dir() for p in d.path.iterdir()}
    assert {".md", ".txt", ".html", ".yaml"} <= suffixes
    for doc in corpus.documents:
        cases = load_question_set(doc.questions)
        # 12-18 from the document's own helper; the off-topic ones (about no SOC report at all)
        # were written later, for the decline model, and come on top.
        own = [c for c in cases if not c.off_topic]
        assert 12 <= len(own) <= 18, doc.name
        assert {c.kind for c in own} == {"which", "fact", "out_of_scope"}, doc.name
        assert all(c.kind == "out_of_scope" for c in cases if c.off_topic), doc.name


@pytest.mark.parametrize("split", ["tuning", "heldout"])
def test_each_split_stays_above_its_floors(corpus, results, split):
    names = [d.name for d in corpus.documents if d.split == split]
    rs = [r for name in names for r in results[name].results]
    table = format_corpus_table(corpus, results)
    for kind, floor in FLOORS[split].items():
        mine = [r for r in rs if r.case.kind == kind]
        accuracy = sum(r.correct for r in mine) / len(mine)
        assert accuracy >= floor, f"{split} {kind}: {accuracy:.1%} < {floor:.0%}\n{table}"


def test_availability_is_soc_2_on_the_documents_that_mention_it(answerers):
    asked, wrong = 0, []
    for name, answerer in answerers.items():
        if not any("availab" in p.text.lower() for p in answerer.passages):
            continue
        asked += 1
        a = answerer.answer("Which report covers availability?")
        if not (a.answered and "SOC 2" in a.reports and "SOC 1" not in a.reports):
            wrong.append((name, a.reports, a.answer[:120]))
    # A floor, not every document (the target): see the README for the misses, which
    # are "SOC 3" on a document centred on SOC 3 and "SOC 1 and SOC 2" where a pronoun's
    # antecedent is unclear.
    assert asked >= 20 and len(wrong) <= 0.12 * asked, wrong


def test_answers_and_citations_show_no_markup(corpus, results):
    for name, summary in results.items():
        for r in summary.results:
            if r.answer.answered:
                for text in (r.answer.answer, *(c.text for c in r.answer.citations)):
                    assert not MARKUP.search(text), (name, r.case.question, text[:200])


def test_a_verdict_names_one_report_where_the_document_gives_one(results):
    # Of the which-questions whose document gives one report, almost none may be answered
    # "SOC 1 and SOC 2": the clause-level verdict does not hedge.
    single = [r for s in results.values() for r in s.by_kind("which") if len(r.case.reports) == 1 and r.answer.answered]
    hedged = [r for r in single if len(r.answer.reports) > 1]
    assert len(hedged) <= 0.1 * len(single), [(r.case.question, r.answer.reports) for r in hedged]


def test_seed_article(corpus):
    seed = next((d for d in corpus.documents if d.name == "seed"), None)
    if seed is None:
        pytest.skip(f"the seed article is not here ({'; '.join(corpus.missing)}): it lives in ../shared/data")
    answerer = build_alone(seed.path, Answerer.from_directory)
    summary = evaluate(answerer, load_question_set(seed.questions), top_k=3)
    assert summary.accuracy("which") == 1.0 and summary.accuracy("out_of_scope") == 1.0, summary.failures()
    assert summary.accuracy() >= 0.9, [(r.case.question, r.answer.answer[:80]) for r in summary.failures()]


def test_stored_answer_model_is_what_the_fitting_script_gives():
    # The decline model and the verdict's parameters are data written by a script; a change of
    # code or labelled questions that moves them must come with the refit.
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "fit_answer_model.py"), "--check"],
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
