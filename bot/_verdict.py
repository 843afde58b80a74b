"""The verdict: which SOC report(s) the evidence for an answer points to.

Tagged passages (the YAML ``reports`` field) vote with their tags. Untagged text (a pasted
article) votes with the report names in its best-matching sentences, discounted where a name
stands in contrast ("unlike SOC 1, …") and weaker when taken from an earlier sentence or the
heading rather than the matching sentence itself.
"""
from __future__ import annotations

from collections import defaultdict

from ._evidence import REPORT_TERMS, SentenceReader, sentence_score
from .knowledge import REPORTS, Passage

__all__ = ["VerdictReader"]

VERDICT_MIN_FRACTION = 0.6  # a report joins the verdict with this share of the leader's votes
# Untagged text: evidence for a report from a sentence that names none is weaker when taken from
# an earlier sentence of the passage, and weaker still from the heading.
CARRIED_SUBJECT_WEIGHT = 0.7
HEADING_SUBJECT_WEIGHT = 0.5
# The verdict names a second report only when it is nearly as strong as the first ("both").
BOTH_MIN_FRACTION = 0.85
# A passage's vote is (its score / the best score) to a power. Tags are curated, so the best
# tagged passages decide (a runner-up at 80% of the best score votes 0.41); report names read
# from untagged text are noisier, so more of the top passages are heard (0.64).
TAGGED_SHARPNESS = 4
TEXT_SHARPNESS = 2
VOTING_PASSAGES = 5  # the passages heard (fewer lost verdicts on untagged text)


class VerdictReader:
    def __init__(self, passages: tuple[Passage, ...], reader: SentenceReader, doc_terms) -> None:
        self.passages = passages
        self._reader = reader
        self._doc_terms = doc_terms  # doc -> its terms, title and section included (a callable)

    def verdict(self, hits, weights) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Reports the evidence points to, strongest first, and those close enough to lead."""
        votes: dict[str, float] = defaultdict(float)
        best = hits[0].score
        for hit in hits[:VOTING_PASSAGES]:
            # Sharpened, so the passages that match best speak loudest: a passage saying "you need
            # both" is not outvoted by several weaker ones about one report.
            tagged = bool(self.passages[hit.doc].reports)
            share = (hit.score / best) ** (TAGGED_SHARPNESS if tagged else TEXT_SHARPNESS)
            for report, weight in self.passage_reports(hit.doc, weights):
                votes[report] += share * weight
        if not votes:
            return (), ()
        top = max(votes.values())
        ranked = sorted(votes, key=lambda r: (-votes[r], REPORTS.index(r)))
        reports = tuple(r for r in ranked if votes[r] >= VERDICT_MIN_FRACTION * top)
        # The verdict leads with the reports the best passage is tagged with ("you need both"
        # names both); for untagged text, with those nearly as strong as the first.
        tags = self.passages[hits[0].doc].reports
        lead = tuple(r for r in reports if r in tags) if tags else ()
        lead = lead or tuple(r for r in ranked[:2] if votes[r] >= BOTH_MIN_FRACTION * top)
        return reports, tuple(sorted(lead, key=REPORTS.index))

    def passage_reports(self, doc: int, weights) -> list[tuple[str, float]]:
        """(report, weight) evidence of one passage, weights summing to at most 1.

        Tagged passages give their tags. Untagged text gives the reports named in its
        best-matching sentences; a sentence that names none ("It covers uptime.") takes its
        subject from the nearest earlier sentence that does, then from its heading, with less
        weight the further the evidence is from the matching words.
        """
        passage = self.passages[doc]
        if passage.reports:
            return [(r, 1.0 / len(passage.reports)) for r in passage.reports]
        terms = self._doc_terms(doc)
        if not any(t in terms for t in REPORT_TERMS):
            return []  # names no report anywhere, headings included: no need to read it
        sentences = self._reader.sentences(doc)
        scores = [sentence_score(s, weights) for s in sentences]
        top = max(scores, default=0.0)
        votes: dict[str, float] = defaultdict(float)
        counted = 0
        for i, (score, s) in enumerate(zip(scores, sentences)):
            if top <= 0 or score < 0.8 * top:
                continue
            found, factor = s.mentions, 1.0
            earlier = [e.mentions for e in sentences[:i] if e.mentions]
            if not found and earlier:
                found, factor = earlier[-1], CARRIED_SUBJECT_WEIGHT
            if not found:
                found, factor = self._reader.heading_mentions(doc), HEADING_SUBJECT_WEIGHT
            total = sum(w for _, w in found)
            for report, w in found:
                votes[report] += factor * w / total
            counted += bool(found)
        return [(r, v / counted) for r, v in votes.items()] if counted else []
