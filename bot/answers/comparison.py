"""Side-by-side comparisons: "SOC 1 vs SOC 2?" answered as a table of aspects by compared things.

A cell is a clause about its column (the evidence machinery's clause focus: a sentence's subject,
a table cell's column, a heading that names one report, a pronoun's referent) that speaks to the
row's aspect (its phrases, data: ``bot/data/comparison.yaml``). The clause is quoted, shortened
at most, and cites its passage. Nothing else fills a cell: a cell no clause supports is left
empty, "not stated".

Two readers serve: the answerer's, whose clauses are about reports, and one of the same grammar
whose clauses are about Type 1 and Type 2.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.answers.clause_words import opening_connectives
from bot.answers.evidence import SentenceReader
from bot.answers.question import names_another_field
from bot.files import DATA, load_yaml
from bot.reports import REPORT_NUMBER, REPORT_TERMS, REPORTS, TYPE_TERMS, TYPES, number_of
from bot.search.analysis import Analyzer
from bot.search.index import PassageIndex

__all__ = ["ComparisonModel", "ComparisonReader", "Found", "MIN_ASPECTS"]

# A table shows at least MIN_ASPECTS rows: aspects nobody addresses are left out while that many
# remain, else the first of them are shown "not stated". Fewer than MIN_ADDRESSED addressed
# aspects is no comparison at all.
MIN_ASPECTS = 3
MIN_ADDRESSED = 2
MODEL_FILE = DATA / "comparison_model.json"
CANDIDATES_PER_ASPECT = 12
MAX_CELL_CHARS = 220
_NUMBER = REPORT_NUMBER
# "soc 1 vs 2", "type 1 and 2", "Type I or II": the family named once for two numbers.
_ELIDED = re.compile(rf"\b(soc|type)\W*{_NUMBER}\s*(?:,|&|/|\band\b|\bor\b|\bvs\b\.?|\bversus\b)\s*(?:\1\W*)?{_NUMBER}\b",
                     re.IGNORECASE)
# A cell opening with its own column's name as a label ("SOC 2: covers …") loses the label.
_COLUMN_LABEL = re.compile(rf"^[\W_]*(?:soc|type)[\s-]*{_NUMBER}\s*(?:report)?\s*[:\u2014\u2013-]\s+", re.IGNORECASE)


@dataclass(frozen=True)
class ComparisonModel:
    """How a clause earns a cell. Fitted by ``scripts/fit_comparison.py`` against the corpus's
    labelled comparisons (tuning split), stored in ``bot/data/comparison_model.json``."""

    # A clause counts for a column only when its focus on it is at least this: its own subject
    # (1.0), a table column or a heading naming that one report (0.8), a pronoun's referent (0.6),
    # an object (0.5), a heading naming several (0.4).
    min_focus: float = 0.6
    # A clause as much about another column ("whether the report is Type 1 or Type 2") tells the
    # two apart less than one about its column alone: its score is scaled by this.
    shared_weight: float = 0.5
    # An aspect phrase found only in the heading or the rest of the sentence (a table row's
    # first cell) counts this much of one in the clause itself.
    context_weight: float = 0.5
    min_score: float = 1.0  # a cell's least score: focus × matched aspect words
    notes: dict = field(default_factory=dict, compare=False)

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "ComparisonModel":
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2) + "\n"


@dataclass(frozen=True)
class Candidate:
    """A clause that could fill the cell (aspect, column), with what its score is made of."""

    aspect: int
    column: int
    doc: int
    start: int
    text: str
    focus: float  # its focus on the column
    shared: bool  # as much about another column
    own: float  # aspect words matched in the clause
    context: float  # aspect words matched only in its heading or row label

    def score(self, model: ComparisonModel) -> float:
        if self.focus < model.min_focus:
            return 0.0
        value = self.focus * (self.own + model.context_weight * self.context)
        return value * model.shared_weight if self.shared else value


@dataclass(frozen=True)
class Aspect:
    name: str
    phrases: tuple[tuple[str, ...], ...]  # each phrase's terms, matched as a run of the clause's terms


@dataclass(frozen=True)
class Found:
    """A cell's evidence: the passage and the clause's words as quoted."""

    doc: int
    text: str
    score: float


@lru_cache(maxsize=1)
def _data() -> dict:
    return load_yaml(DATA / "comparison.yaml")


class ComparisonReader:
    """Knows when a question asks for a comparison, and builds one from the passages."""

    def __init__(self, analyzer: Analyzer, index: PassageIndex, reader: SentenceReader, words,
                 model: ComparisonModel | None = None):
        """``reader``: the answerer's sentence reader (clauses about reports); ``words``: the
        clause word lists as analyzer terms, for the reader of clauses about types; ``model``:
        the fitted weights (the shipped ones unless given)."""
        self.model = model or ComparisonModel.load()
        data = _data()
        cues = "|".join(re.escape(str(c)).replace(r"\ ", r"\s+") for c in data["cues"])
        self._cues = re.compile(rf"(?<!\w)(?:{cues})(?!\w)", re.IGNORECASE)
        self._cue_terms = frozenset(t for c in data["cues"] for t in analyzer.analyze(str(c)))
        self._pronouns = words["anaphora"]
        self._analyzer = analyzer
        self._index = index
        self._readers = {"reports": reader,
                         "types": SentenceReader(analyzer, reader.passages, words, names=TYPE_TERMS, focus=reader.focus)}
        self._aspects = {kind: tuple(self._aspect(a) for a in data[kind]) for kind in ("reports", "types")}

    def _aspect(self, entry: dict) -> Aspect:
        phrases = {tuple(self._analyzer.analyze(str(p))) for p in entry["phrases"]}
        return Aspect(str(entry["aspect"]), tuple(sorted(p for p in phrases if p)))

    # -- when ---------------------------------------------------------------------------------
    def asked(self, q) -> tuple[str, ...] | None:
        """What the question (a read :class:`~bot.answers.question.Question`) asks to compare,
        or None. A which-question with a topic of its own ("soc1 vs soc2 for payroll?") asks
        for a verdict, not a table."""
        columns = self.columns(q.text, q.terms)
        if columns and q.which and any(t.word and t.term not in self._cue_terms for t in q.topic):
            return None
        # Another field's name that the knowledge never uses ("type 2 hypervisor", "ISO 27001")
        # is not compared here: whether the question is ours at all is the decline model's call.
        if columns and names_another_field(q, self._analyzer, self._index):
            return None
        return columns

    def columns(self, text: str, terms) -> tuple[str, ...] | None:
        """What a comparison question compares, in canonical order; None if it asks for none."""
        if not self._cues.search(text):
            return None
        named = {t.term for t in terms if t.word}
        types = {TYPE_TERMS[t] for t in named if t in TYPE_TERMS}
        reports = {REPORT_TERMS[t] for t in named if t in REPORT_TERMS}
        for m in _ELIDED.finditer(text):
            family = TYPES if m.group(1).lower() == "type" else REPORTS
            found = types if family is TYPES else reports
            for number in m.group(2, 3):
                index = number_of(number) - 1
                if index < len(family):
                    found.add(family[index])
        if len(types) >= 2:
            return TYPES
        if len(reports) >= 2:
            return tuple(r for r in REPORTS if r in reports)
        return None

    # -- what ---------------------------------------------------------------------------------
    def compare(self, columns: tuple[str, ...]) -> list[tuple[str, list[Found | None]]]:
        """Rows (aspect, one Found or None per column), in the aspects' order. Empty when fewer
        than MIN_ADDRESSED aspects are addressed."""
        return self.select(columns, self.candidates(columns), self.model)

    def select(self, columns, candidates: list[Candidate], model: ComparisonModel):
        """The best candidate per cell. A clause fills one cell of its column while other clauses
        can fill the rest; then the cells still empty may repeat a clause that speaks to their
        aspect too ("A Type 1 covers design at a point in time": what is tested, and timing)."""
        kind = "types" if columns == TYPES else "reports"
        scored = sorted(((c.score(model), c) for c in candidates), key=lambda x: (-x[0], x[1].doc, x[1].start, x[1].aspect))
        scored = [(score, c) for score, c in scored if score >= model.min_score]
        cells: dict[tuple[int, int], Found] = {}
        used: set[tuple[int, int, int]] = set()  # (column, doc, clause start)
        for repeat in (False, True):
            for score, c in scored:
                if (c.aspect, c.column) in cells or (not repeat and (c.column, c.doc, c.start) in used):
                    continue
                cells[c.aspect, c.column] = Found(c.doc, c.text, score)
                used.add((c.column, c.doc, c.start))
        rows = [(aspect.name, [cells.get((a, col)) for col in range(len(columns))])
                for a, aspect in enumerate(self._aspects[kind])]
        addressed = sum(1 for r in rows if any(r[1]))
        if addressed < MIN_ADDRESSED or any(all(r[1][col] is None for r in rows) for col in range(len(columns))):
            return []  # too little, or one side only: that compares nothing
        # Unaddressed aspects are left out while MIN_ASPECTS rows remain; else the first stay.
        spare = max(0, MIN_ASPECTS - addressed)
        out = []
        for row in rows:
            if any(row[1]) or spare:
                spare -= not any(row[1])
                out.append(row)
        return out

    def candidates(self, columns: tuple[str, ...]) -> list[Candidate]:
        """Every clause that could fill a cell, from the passages that the aspects' searches find."""
        kind = "types" if columns == TYPES else "reports"
        reader, aspects = self._readers[kind], self._aspects[kind]
        names = TYPE_TERMS if kind == "types" else REPORT_TERMS
        column_terms = {term for term, name in names.items() if name in columns}
        docs: dict[int, None] = {}
        for aspect in aspects:
            query = {t: 1.0 for phrase in aspect.phrases for t in phrase}
            query.update({t: 1.0 for t in column_terms})
            docs.update((hit.doc, None) for hit in self._index.top(query.items(), CANDIDATES_PER_ASPECT))
        return [c for doc in docs for c in self._clause_candidates(reader, doc, aspects, columns, column_terms, names)]

    def _opens_with_pronoun(self, clause: str) -> bool:
        """ "It corresponds to a SOC 2 Type 2 examination": its subject is elsewhere, whatever it names."""
        words = cell_text(clause).split(maxsplit=1)
        return bool(words) and words[0].lower().strip(",.;:") in self._pronouns

    def _clause_candidates(self, reader: SentenceReader, doc: int, aspects, columns, column_terms, names):
        clauses = reader.clauses(doc)
        sentences = reader.sentences(doc)
        passage = reader.passages[doc]
        text = passage.text
        analyze = self._analyzer.analyze
        heading = [analyze(passage.title), analyze(passage.section)]
        sequences = [analyze(text[c.start:c.end]) for c in clauses]  # each clause's terms, in order
        for c, terms in zip(clauses, sequences):
            if not c.terms - column_terms or sentences[c.sentence].text.rstrip().endswith("?"):
                continue  # names nothing but a column, or is a question (it heads an answer)
            if c.anaphoric and (not c.own or self._opens_with_pronoun(text[c.start:c.end])):
                continue  # "It is a general-use report": a cell must say what it is about itself
            focus = dict(c.focus)
            quoted = cell_text(text[c.start:c.end])
            if not quoted:
                continue
            own = [t for t in terms if t not in column_terms]
            named = {names[t] for t in terms if t in names}
            context = heading + [seq for o, seq in zip(clauses, sequences) if o.sentence == c.sentence and not o.own]
            matched = [_aspect_match(aspect, own, context) for aspect in aspects]
            for col, name in enumerate(columns):
                weight = focus.get(name, 0.0)
                others = max((w for r, w in focus.items() if r in columns and r != name), default=0.0)
                # Denied ("SOC 1 does not cover …"), unfocused, or more about another column: not its cell.
                if name in c.denied or weight == 0.0 or others > weight:
                    continue
                for a, (in_clause, in_context) in enumerate(matched):
                    if in_clause or in_context:
                        # Naming another compared thing ("a summary built on a SOC 2") blurs it too.
                        shared = others == weight or bool(named - {name})
                        yield Candidate(a, col, doc, c.start, quoted, weight, shared, in_clause, in_context)


def _aspect_match(aspect: Aspect, own: list[str], context: list[list[str]]) -> tuple[float, float]:
    """Words of the aspect's phrases found in the clause, and found only in its context."""
    in_clause = in_context = 0.0
    for phrase in aspect.phrases:
        if _holds(own, phrase):
            in_clause += len(phrase)
        elif any(_holds(seq, phrase) for seq in context):
            in_context += len(phrase)
    return in_clause, in_context


def _holds(terms: list[str], phrase: tuple[str, ...]) -> bool:
    """Whether ``phrase`` stands in ``terms`` as a run."""
    first, n = phrase[0], len(phrase)
    return any(terms[i:i + n] == list(phrase) for i, t in enumerate(terms) if t == first)


def cell_text(clause: str) -> str:
    """A clause as a cell: one line, without the connective it was cut at ("Or …", "while …")
    nor its own column label, at most MAX_CELL_CHARS."""
    text = " ".join(clause.split()).strip(" ,;:\u2014\u2013-*•|")
    first, _, rest = text.partition(" ")
    if rest and first.rstrip(",").lower() in opening_connectives():
        text = rest.lstrip(" ,")
    shorter = _COLUMN_LABEL.sub("", text)
    if len(shorter.split()) >= 2:
        text = shorter
    if len(text) > MAX_CELL_CHARS:
        text = text[:MAX_CELL_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
    elif text.count("(") > text.count(")"):  # a clause ends at its last word, before the ")"
        text += ")"
    return text[:1].upper() + text[1:] if text else text
