"""One decline policy: a small logistic regression over named features of the evidence.

Whether the knowledge base holds an answer is decided by :class:`~bot.answers.params.AnswerModel`
(fitted by ``scripts/fit_answer_model.py``; its threshold chosen by leave-one-document-out
cross-validation) from these features of the question's topic (its words less the frame and,
for which-questions, the report names) and the top passages:

- ``topic_share`` — the share of the topic (term groups weighted by IDF; a word the base has
  never seen weighs the most a word can) that the best of the top passages holds;
- ``clause_share`` — the same for the best single clause (heading words count half);
- ``unknown_share`` — the share of the topic's words the base has never seen;
- ``strongest_idf`` — the rarest matched topic term's IDF, over the largest IDF possible;
- ``named`` — 1 when the question names a SOC term (a report, "Type II", "CUEC"…);
- ``score_ratio`` — the top score over the best score the question could reach in this base;
- ``domain`` — 1 when a matched word is a heading word of the base or a vocabulary term;
- ``matched_idf`` — the IDF the best passage matches, summed over topic groups, over the largest
  IDF possible: evidence in absolute terms (three matched words outweigh chatter around them);
- ``asks_which`` — 1 for a which-question ("soc 1 or soc 2?"): it is about SOC reports by
  its very form;
- ``choice`` — 1 for a which-question that names two reports or more ("payroll - soc1 or soc2?"):
  the asker offers the candidates, so the best guess between them beats a decline more often;
- ``focused_share`` — for a which-question, ``clause_share`` of the best clause times how surely
  that clause is about a report (its focus weight; 1 for a denial): the topic held where a
  report is named or inherited is an answer by its very form ("… on the website? → SOC 3");
- ``homonym_only`` — 1 when every SOC term the question names is one that other fields use too
  (bot/data/question_frame.yaml ``homonyms``: a bare "SOC", "Type 2"), so it may mean a chip, an
  operations centre or a diabetes type;
- ``homonym_unknown`` — ``homonym_only`` times ``unknown_share``: a bare "Type 1 vs Type 2" among
  words the base has never seen ("… hypervisor, esxi or virtualbox?") is likelier another
  field's than the same words among familiar ones, which the two features apart cannot say to
  a linear model. (Fitted, it weighs little, and such hypervisor questions are still answered
  on a document that compares the types; the model with it cross-validates a little better.);
- ``foreign_name`` — 1 when the question names a standard of another field (ISO 27001, PCI DSS,
  a security operations centre: the vocabulary's ``other_fields``) that the base never mentions;
- ``answer_type`` — 0 when the question asks for a kind of value (an amount of money, a length of
  time: ``bot/data/answer_types.yaml``) that none of the top passages holds, else 1. A 0 also
  declines outright (AnswerModel.answerable).
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from bot.answers.question import Question, names_another_field
from bot.answers.verdict import HEADING_MATCH
from bot.files import DATA, load_yaml
from bot.search.analysis import QueryTerm, search_weights

__all__ = ["FEATURES", "features"]

FEATURES = ("topic_share", "clause_share", "unknown_share", "strongest_idf", "named", "score_ratio",
            "domain", "answer_type", "asks_which", "matched_idf", "choice", "focused_share", "foreign_name",
            "homonym_only", "homonym_unknown")
COVERAGE_HITS = 3  # the passages whose coverage counts


def features(answerer, q: Question, hits) -> dict[str, float]:
    """The features of question ``q`` (bot.answers.question) against its top passages ``hits``."""
    index = answerer.index
    topic = q.topic
    unseen = index.bm25.unseen_idf()
    groups: dict[int, list[QueryTerm]] = defaultdict(list)
    for t in topic:
        groups[t.group].append(t)
    own_groups = {g: ms for g, ms in groups.items() if any(t.weight >= 1.0 or t.word for t in ms)}
    weight = {g: max(index.content_idf(t.term) if t.term in index else unseen for t in ms) for g, ms in own_groups.items()}
    total = sum(weight.values())
    unknown = sum(all(t.term not in index for t in ms) for ms in own_groups.values())
    best_share = best_clause = best_focused = strongest = matched_idf = 0.0
    domain = 0.0
    for hit in hits[:COVERAGE_HITS]:
        present = index.doc_terms(hit.doc)
        heading = answerer._reader.heading_terms(hit.doc)
        covered = 0.0
        for g, ms in own_groups.items():
            matched = [t for t in ms if t.term in present]
            if matched:
                covered += weight[g] * max(min(1.0, t.weight) for t in matched)
                strongest = max(strongest, max(index.content_idf(t.term) for t in matched))
                domain = max(domain, float(any(t.term in answerer.domain_terms for t in matched)))
        best_share = max(best_share, covered / total if total else 0.0)
        matched_idf = max(matched_idf, covered)
        # Per group, what each of its terms is worth: in a clause in full, in the heading in part.
        worth = [(weight[g], [(t.term, min(1.0, t.weight), t.term in heading) for t in ms])
                 for g, ms in own_groups.items()]
        for clause in answerer._reader.clauses(hit.doc):
            got = 0.0
            terms = clause.terms
            for group_weight, members in worth:
                value = 0.0
                for term, w, in_heading in members:
                    if term in terms:
                        value = max(value, w)
                    elif in_heading:
                        value = max(value, w * HEADING_MATCH)
                got += group_weight * value
            if total:
                best_clause = max(best_clause, got / total)
                sure = max((w for _, w in clause.focus), default=1.0 if clause.denied else 0.0)
                best_focused = max(best_focused, got / total * min(1.0, sure))
    possible = sum(w * index.max_contribution(term) for term, w in search_weights(q.search).items())
    unknown_share = unknown / len(own_groups) if own_groups else 1.0
    homonym_only = bool(q.named) and q.named <= _homonyms()
    return {
        "topic_share": best_share,
        "clause_share": best_clause,
        "unknown_share": unknown_share,
        "strongest_idf": strongest / unseen if unseen else 0.0,
        "named": float(bool(q.named)),
        "score_ratio": (hits[0].score / possible) if hits and possible else 0.0,
        "domain": domain,
        "answer_type": answer_type_found(answerer, q, hits),
        "asks_which": float(q.which),
        "matched_idf": matched_idf / unseen if unseen else 0.0,
        "choice": float(q.which and len(q.reports) > 1),
        "focused_share": best_focused if q.which else 0.0,
        "foreign_name": float(names_another_field(q, answerer.analyzer, index)),
        "homonym_only": float(homonym_only),
        "homonym_unknown": float(homonym_only) * unknown_share,
    }


@lru_cache(maxsize=1)
def _homonyms() -> frozenset[str]:
    return frozenset(str(t).lower() for t in load_yaml(DATA / "question_frame.yaml")["homonyms"])


@lru_cache(maxsize=1)
def _answer_types() -> list[tuple[re.Pattern, re.Pattern]]:
    out = []
    for spec in load_yaml(DATA / "answer_types.yaml").values():
        cues = "|".join(re.escape(str(c)).replace(r"\ ", r"\s+") for c in spec["cues"])
        evidence = "|".join(f"(?:{e})" for e in spec["evidence"])
        out.append((re.compile(rf"\b(?:{cues})\b", re.I), re.compile(evidence, re.I)))
    return out


def answer_type_found(answerer, q, hits) -> float:
    """1.0 unless the question asks for a kind of value that no sentence of the top passages
    holds next to what the question is about (a word of its topic other than the cue itself, in
    the sentence or the one before it):
    "how many days to notify after a HIPAA breach?" is not answered by a passage that mentions
    HIPAA in one sentence and a number of years in another."""
    for cue, evidence in _answer_types():
        found = cue.search(q.text)
        if found:
            cue_terms = set(answerer.analyzer.analyze(found.group(0)))
            about = {t.term for t in q.terms if t.word} - cue_terms
            for h in hits[:COVERAGE_HITS]:
                text = answerer.passages[h.doc].text
                before: frozenset[str] = frozenset()
                for s in answerer._reader.sentences(h.doc):
                    # …or next to one that does: "Bramblewood completed its SOC 2. The examination
                    # was performed by Halvorsen & Pike LLP."
                    if (not about or (s.terms | before) & about) and evidence.search(text, s.start, s.end):
                        return 1.0
                    before = s.terms
            return 0.0
    return 1.0
