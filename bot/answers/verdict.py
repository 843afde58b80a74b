"""The verdict: which SOC report(s) the evidence for an answer points to.

Tagged passages (the YAML ``reports`` field) vote with their tags. Untagged text votes clause by
clause (:mod:`bot.answers.clauses`): each clause that holds the question's topic votes for the report it
is about, as strongly as it matches, and against a report it denies ("SOC 1 does not cover …").
A passage gives each report its strongest clause's vote; passages are heard in proportion to
their score (to the power ``sharpness``), and a report's support is the sum of their votes or
the strongest of them (``aggregate``). "Both" only when the second report's support nearly
equals the first's (``both_ratio``). Those parameters are fitted (:mod:`bot.answers.params`).
"""
from __future__ import annotations

from collections import defaultdict

from bot.answers.evidence import SentenceReader
from bot.answers.params import PARAMS, AnswerModel
from bot.knowledge import Passage
from bot.reports import REPORTS

__all__ = ["VerdictReader"]

# Heading words count for a clause at this share: "### Does SOC 2 cover uptime?" then "Yes, …".
HEADING_MATCH = 0.5
VOTING_PASSAGES = 5  # the passages heard
TAGGED_SHARPNESS = 4  # tags are curated: the best tagged passages decide


class VerdictReader:
    def __init__(self, passages: tuple[Passage, ...], reader: SentenceReader,
                 model: AnswerModel = PARAMS) -> None:
        self.passages = passages
        self._reader = reader
        self.model = model  # the fitted parameters (bot.answers.params)

    def votes(self, hits, weights, negated=frozenset()) -> dict[str, float]:
        votes: dict[str, float] = defaultdict(float)
        best = hits[0].score
        for hit in hits[:VOTING_PASSAGES]:
            tagged = bool(self.passages[hit.doc].reports)
            share = (hit.score / best) ** (TAGGED_SHARPNESS if tagged else self.model.sharpness)
            for report, weight in self.passage_reports(hit.doc, weights, negated).items():
                if self.model.aggregate == "max" and weight > 0:
                    votes[report] = max(votes[report], share * weight)
                else:
                    votes[report] += share * weight
        return votes

    def verdict(self, hits, weights, plural: bool = False, negated=frozenset(),
                had=frozenset()) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Reports the evidence points to, strongest first, and those that lead the answer.
        ``plural``: the question asks for one or more reports ("which reports …"); ``negated``:
        topic terms the question says under a negation ("no NDA yet"); ``had``: a report the
        asker has and doubts ("they only sent a SOC 3"), which is not the answer."""
        # A negated word takes its expansions with it: "can't hand it to anybody" is not "general use".
        groups = {weights[t][0] for t in negated if t in weights}
        negated = frozenset(t for t, (group, _) in weights.items() if group in groups)
        votes = self.votes(hits, weights, negated)
        ranked = sorted((r for r in votes if votes[r] > 0 and r not in had), key=lambda r: (-votes[r], REPORTS.index(r)))
        if not ranked:
            return (), ()
        top = votes[ranked[0]]
        ratio = self.model.both_ratio_plural if plural else self.model.both_ratio
        lead = tuple(r for r in ranked[:2] if votes[r] >= ratio * top)
        # A third only where the question asks for any number ("which reports …") and the third
        # is as close to the first as "both" needs the second to be.
        if plural and len(lead) == 2 and len(ranked) > 2 and votes[ranked[2]] >= self.model.both_ratio * top:
            lead += (ranked[2],)
        return lead, tuple(sorted(lead, key=REPORTS.index))

    def passage_reports(self, doc: int, weights, negated=frozenset()) -> dict[str, float]:
        """Each report's support in one passage: tags, or its best clause's match × focus.

        A topic term the question negates ("no NDA yet") agrees with a clause that negates it
        too ("no NDA needed") and counts against one that asserts it ("shared under NDA"). A
        clause that says, of the report it inherits, that much of the question is not so ("for
        readers who do not need the detail a vendor review requires") counts against it."""
        passage = self.passages[doc]
        tagged = {r: 1.0 / len(passage.reports) for r in passage.reports}
        if len(tagged) == 1:
            return tagged
        total = _total(weights)
        if not total:
            return tagged
        if tagged:
            # A passage tagged with several reports says which of them its sentences are about
            # ("a request from the finance team usually means a SOC 1"): its clauses decide
            # among its tags, and the tags stand where they say nothing of the question.
            read = {r: v for r, v in self._clause_support(doc, weights, negated, total).items() if r in tagged}
            return read if any(v > 0 for v in read.values()) else tagged
        return self._clause_support(doc, weights, negated, total)

    def _clause_support(self, doc: int, weights, negated, total: float) -> dict[str, float]:
        passage = self.passages[doc]
        heading = self._reader.heading_terms(doc)
        clauses = self._reader.clauses(doc)
        # (A clause that denies a report by name says so through ``denied``, not its words.)
        asked = passage.section.rstrip().endswith("?")  # "Who writes the criteria?" says nothing of them
        matches = [_match(c.terms, heading, weights, negated, c.negative, () if c.denied else c.negated, asked) / total
                   for c in clauses]
        top = max(matches, default=0.0)
        # A report's strongest support and strongest denial in the passage: the stronger stands,
        # whichever clause comes first.
        support: dict[str, float] = {}
        denial: dict[str, float] = {}
        for clause, m in zip(clauses, matches):
            if m < 0 and clause.negated and not clause.denied and -m < self.model.clause_share:
                continue  # says that a little of the question is not so: too little to count against
            if m < 0:  # the clause asserts what the question lacks: not its report
                for report, w in clause.focus:
                    denial[report] = max(denial.get(report, 0.0), -m * w)
                continue
            if top <= 0 or m < self.model.clause_share * top:
                continue
            for report, w in clause.focus:
                support[report] = max(support.get(report, 0.0), m * w)
            # "SOC 3 doesn't need an NDA" answers "which one without an NDA?": two negations agree.
            agrees = clause.negative and not negated.isdisjoint(clause.terms)
            for report in clause.denied:
                side = support if agrees else denial
                side[report] = max(side.get(report, 0.0), m)
        return {r: support.get(r, 0.0) if support.get(r, 0.0) > denial.get(r, 0.0) else -denial.get(r, 0.0)
                for r in support.keys() | denial.keys()}


def _total(weights) -> float:
    best: dict[int, float] = {}
    for group, value in weights.values():
        best[group] = max(best.get(group, 0.0), value)
    return sum(best.values())


def _match(terms, heading, weights, negated=frozenset(), negative: bool = False, unsaid=(),
           asked: bool = False) -> float:
    """How much of the question a clause holds (a sum of IDF weights, one per group); negative
    when the clause speaks against it. ``unsaid``: the clause's terms under its negation, where
    it denies no report by name ("readers who do not need the detail")."""
    best: dict[int, float] = {}
    sign: dict[int, float] = {}
    for term, (group, value) in weights.items():
        if term in terms:
            got = value
        elif term in heading and not (asked and term in negated):  # a question heading asserts nothing
            got = HEADING_MATCH * value
        else:
            continue
        if got > best.get(group, 0.0):
            best[group] = got
            sign[group] = -1.0 if term in negated and not negative else (0.0 if term in unsaid and term not in negated else 1.0)
    against = sum(v for g, v in best.items() if sign[g] < 0)
    # A clause that asserts what the question lacks ("shared only under an NDA" for "no NDA
    # yet") speaks against its report, however much else of the question it holds.
    if against:
        return -against
    said = sum(v for g, v in best.items() if sign[g] > 0)
    unsaid_sum = sum(v for g, v in best.items() if sign[g] == 0)
    # One that says the question's words are not so speaks against it where they are most of
    # what it holds of the question; else it counts for what it does say.
    return -unsaid_sum if unsaid_sum > said else said
