"""Where a clause's focus comes from when it names no report: its sentence, its heading, its
neighbours (see bot.answers.clauses for the whole grammar). The weights are fitted.
"""
from __future__ import annotations

from typing import NamedTuple

__all__ = ["Clause", "FocusWeights", "DEFAULT_FOCUS", "inherit_focus"]


class FocusWeights(NamedTuple):
    """How much a clause is about a report it does not name as its subject. Fitted with the
    answer model (bot/answers/fitting.py, stored in bot/data/answer_model.json); these defaults
    are only where a fit starts."""

    object: float = 0.5  # named as an object: "a summary of a SOC 2"
    # Taken from elsewhere: the sentence's other clauses, the heading naming one report, an
    # earlier sentence (through a pronoun, or on the same line), the next one on its line, the
    # line just above, a heading naming several; a section's opening line, the line below.
    sentence: float = 0.8
    heading: float = 0.8
    earlier: float = 0.6
    later: float = 0.6
    earlier_plain: float = 0.4
    headings: float = 0.4
    title: float = 0.5  # a document title's reports, beside a section heading's (1.0)
    answer: float = 0.6  # a question's: the report that the rest of its line answers with


DEFAULT_FOCUS = FocusWeights()


class Clause(NamedTuple):
    """A clause and the report it is about (a tuple: made by the thousand, per question)."""

    sentence: int  # index of its sentence in the passage
    start: int
    end: int
    terms: frozenset[str]
    focus: tuple[tuple[str, float], ...]  # (report, weight)
    denied: frozenset[str] = frozenset()
    own: bool = True  # the focus is named in the clause itself (not inherited)
    line: int = 0  # the line of the passage it stands on (a paragraph, list item or label line)
    label: bool = False  # its line opens with a label ("Availability: …", a glossary entry)
    anaphoric: bool = False  # it refers back ("It covers …", "This report …")
    negative: bool = False  # it holds a negation ("no NDA needed", "without the test results")
    refuted: bool = False  # its pronoun subject is negated ("it doesn't go on the website")
    pair: bool = False  # it speaks of two reports without naming them ("Both reports use …")
    bare: bool = False  # it says nothing but report names: a term its line defines ("SOC 3. A …")
    # Its terms under a negation, where it names no report ("for readers who do not need the detail").
    negated: frozenset[str] = frozenset()
    pointer: str = ""  # the word after an opening "That", "These" ("That detail …"): what it points at


def inherit_focus(clauses: list[Clause], heading_focus, lead_ins, asks, weights: FocusWeights,
                  named_before: tuple[str, ...] = ()) -> list[Clause]:
    """``lead_ins``: per clause, whether it ends in a colon that opens the lines below it;
    ``asks``: whether its sentence is a question."""
    named = [r for r, _ in heading_focus]
    # A section heading naming one report speaks for its lines; a document title (weighed under
    # 1 by the caller) only where nothing nearer does.
    single = heading_focus if len(set(named)) == 1 and all(w >= 1.0 for _, w in heading_focus) else ()
    out: list[Clause] = []
    withheld: tuple[int, frozenset[str]] = (-1, frozenset())  # (line, reports) of "It omits:"
    opened: tuple = ()  # the focus of the last line that opened a list ("Optional toppings:")
    # A question denies nothing: "so a SOC 2 doesn't say anything about uptime?" asks about the
    # SOC 2, and the reply on the next line answers it.
    clauses = [c._replace(denied=frozenset(), focus=_union([c.focus, [(r, 1.0) for r in sorted(c.denied)]]))
               if c.own and asks[k] and c.denied else c for k, c in enumerate(clauses)]
    for k, c in enumerate(clauses):
        if c.own:
            out.append(c)
            withheld = (c.line, c.denied) if c.denied and lead_ins[k] else (-1, frozenset())
            if lead_ins[k] and c.focus:
                opened = c.focus
            continue
        objects, focus = c.focus, ()
        if withheld[1] and c.line > withheld[0]:  # an item of a list that a denial opened
            out.append(c._replace(denied=withheld[1]))
            continue
        if c.pointer and out and out[-1].denied and not out[-1].focus and out[-1].sentence < c.sentence \
                and c.pointer in out[-1].terms:
            # "…, but it omits the detailed tests. That detail is what a risk team needs": what
            # was denied (not "That means …", which speaks of the whole).
            out.append(c._replace(denied=out[-1].denied))
            continue
        siblings = [o for o in clauses if o.sentence == c.sentence and o.own and o.focus]
        # A clause continues the nearest one before it in its sentence ("SOC 3 draws on …, but
        # omits …"); one that opens the sentence (a table row's aspect) belongs to all of them,
        # unless it names a report itself ("ISAE 3402 is the counterpart of SOC 1; …").
        before = [o for o in siblings if o.start < c.start]
        # …except a pronoun, which refers back: "It contains the opinion, but omits the tests
        # found in the SOC 2 report" is about the report named before it.
        opens_back = c.anaphoric and not before and any(
            o.own and o.focus and o.sentence < c.sentence for o in clauses[:k])
        # A row's aspect is denied to the reports whose cells say no ("Covers availability —
        # SOC 1: No; SOC 2: Yes"), and belongs to the rest.
        row_denied = frozenset().union(*(o.denied for o in clauses if o.sentence == c.sentence and o.own
                                         and o.denied and not o.focus)) if not before and not objects else frozenset()
        siblings = before[-1:] or ([] if objects or opens_back else siblings)
        earlier = [o for o in clauses[:k] if o.own and o.focus and o.sentence < c.sentence
                   and (o.line == c.line or not (c.label or o.label))]
        # A pronoun refers back: to a clause before it in its sentence, else to an earlier sentence.
        referent = before[-1:] if before else (earlier[-1:] if c.anaphoric else siblings[-1:])
        # "…, but omits the tests" continues the clause before it, whatever that is about.
        previous = out[-1:] if out and out[-1].sentence == c.sentence and out[-1].focus else []
        if c.refuted and (referent or previous):  # "… so it doesn't go on the website": denied what it refers to
            about = (referent or previous)[0].focus
            out.append(c._replace(focus=objects, denied=frozenset(r for r, _ in about)))
            if lead_ins[k]:  # "It does not include the following:" and a list
                withheld = (c.line, out[-1].denied)
            continue
        pair = _last_two(earlier, heading_focus, named_before) if c.pair and not siblings else ()
        if pair and (c.negative or c.refuted):  # "Neither report is meant for the public"
            out.append(c._replace(focus=objects, denied=frozenset(pair)))
            continue
        if pair:  # "Both reports use the carve-out method"
            focus = tuple((r, weights.earlier) for r in pair)
        elif siblings:
            focus = _scaled(_union(s.focus for s in siblings), weights.sentence)
        elif earlier and single and {r for r, _ in earlier[-1].focus} != {r for r, _ in single} and c.anaphoric:
            # "It": what was just named, unless the sentence before went on with a pronoun of
            # its own and named that report only in passing ("It omits the tests in a SOC 2.")
            head = _chained(out, c.sentence, earlier[-1].sentence)
            focus = _scaled(head.focus if head else earlier[-1].focus, weights.earlier)
        elif single:
            focus = _scaled(single, weights.heading)
        else:
            if earlier and earlier[-1].bare and earlier[-1].line == c.line:
                # "3.4.4.3 SOC 3. A general-use report from a SOC 2-type examination …": a
                # definition is about its term, as a heading's lines are.
                focus = _scaled(earlier[-1].focus, weights.heading)
            elif earlier and c.anaphoric and (head := _chained(out, c.sentence, earlier[-1].sentence)):
                # "It contains the opinion, but not the tests found in a SOC 2. You may post it
                # anywhere": a pronoun goes on with the sentence before's subject, itself a pronoun.
                focus = tuple((r, weights.earlier) for r, _ in head.focus)
            elif earlier and (c.anaphoric or (earlier[-1].line == c.line and not asks[k])):
                # "It covers uptime."; "SOC 3 is a summary. Opinion, short description." A
                # question looks ahead instead: "Vendor touches our numbers? Ask for SOC 1."
                focus = _scaled(earlier[-1].focus, weights.earlier)
            elif c.label and (asked := _asked_above(clauses, k, c.line, asks)):
                # "Front: SOC 1 — typical services?" / "Back: Payroll, billing …": a labelled
                # line answering the question on the line above is about what that names.
                focus = _scaled(asked.focus, weights.answer)
            elif c.label and asks[k] and (reply := _next_named(clauses, k, c.line + 1)) and reply.label:
                # "Q: Which report can go on a website?" / "A: SOC 3.": answered on the next line.
                focus = _scaled(reply.focus, weights.answer)
            elif not objects and (later := _next_named(clauses, k, c.line)):
                # "Vendor touches our numbers? Ask for SOC 1." / a glossary entry. A question is
                # answered by what follows it; other text only leads into it.
                focus = _scaled(later.focus, weights.answer if asks[k] else weights.later)
            elif earlier and earlier[-1].line >= c.line - 1:
                # The line just above goes on ("SOC 2 covers security." / "Customers read it
                # under NDA."); a line further down a list of rules is a rule of its own.
                focus = _scaled(earlier[-1].focus, weights.earlier_plain)
            elif heading_focus:
                focus = _scaled(_union([heading_focus]), weights.headings)
            elif below := _next_named(clauses, k, c.line + 1):
                # A section's opening line naming nothing ("Payroll, billing, payments." then
                # "Request the SOC 1."): what the next line names.
                focus = _scaled(below.focus, weights.later)
        if not focus and opened:
            # An item of a list whose opening line is about a report, however far down the list.
            focus = _scaled(opened, weights.earlier_plain)
        focus = _union([focus, objects])
        if lead_ins[k] and focus:
            opened = focus
        out.append(c._replace(focus=focus, own=False, denied=row_denied if siblings else c.denied))
    return out


def _asked_above(clauses: list[Clause], k: int, line: int, asks) -> Clause | None:
    """The clause naming its report in a question that stands alone on the line above the
    ``k``-th clause's (nothing of it on the ``k``-th's own line before it)."""
    if k == 0 or clauses[k - 1].line != line - 1 or not asks[k - 1]:
        return None
    return next((o for o in reversed(clauses[:k]) if o.line == line - 1 and o.own and o.focus), None)


def _next_named(clauses: list[Clause], k: int, line: int) -> Clause | None:
    """The first clause after the ``k``-th, on ``line``, that names its report itself."""
    return next((o for o in clauses[k + 1:] if o.own and o.focus and o.line == line), None)


def _last_two(earlier: list[Clause], heading_focus, named_before) -> tuple[str, ...]:
    """The last two reports named as subjects before a clause, else its heading's (or title's),
    else the last two named before its passage."""
    named: list[str] = []
    for o in reversed(earlier):
        for r, w in o.focus:
            if w >= 1.0 and r not in named:
                named.append(r)
        if len(named) >= 2:
            return tuple(named[:2])
    heading = tuple(dict.fromkeys(r for r, _ in heading_focus))
    return heading if len(heading) >= 2 else (tuple(named_before) if len(named_before) == 2 else ())


def _chained(out: list[Clause], sentence: int, named: int) -> Clause | None:
    """The first clause of the sentence before ``sentence``, where it opens on a pronoun that
    took its report from further back than the report ``named`` there (in sentence ``named``)."""
    before = [o for o in out if o.sentence == sentence - 1]
    head = before[0] if before else None
    if head is None or head.own or not head.anaphoric or not head.focus or named != sentence - 1:
        return None
    return head


def _union(foci) -> tuple[tuple[str, float], ...]:
    best: dict[str, float] = {}
    for focus in foci:
        for r, w in focus:
            best[r] = max(best.get(r, 0.0), w)
    return tuple(best.items())


def _scaled(focus, factor: float) -> tuple[tuple[str, float], ...]:
    return tuple((r, w * factor) for r, w in focus)
