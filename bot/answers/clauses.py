"""Clauses and their focus: which report each part of a sentence is about.

A sentence is cut into clauses at contrast words ("SOC 1 focuses on X, while SOC 2 addresses Y"),
semicolons and dashes (a table row "Focus — SOC 1: X; SOC 2: Y"), and at "and"/"or" before a
second report once something is said of the first ("SOC 1 covers X and SOC 2 covers Y", but
"Both SOC 1 and SOC 2 are …" is one subject). Each clause's focus is the report it is about:

- the report it names as its subject: "SOC 2 evaluates …", "SOC 1: …" (a table cell);
- not one named in contrast ("Unlike SOC 1, SOC 2 …", "a SOC 1, not a SOC 2") nor, unless
  nothing else is named, one named as an object ("a summary of a SOC 2 report");
- a report followed by a negation is *denied* the clause ("SOC 1 does not cover Y"), unless
  it is a particular one ("a security-only SOC 2 won't cover availability");
- a clause naming none takes the focus of the other clauses of its sentence (a table row's
  aspect cell); "both reports" the last two named; else, through a pronoun, of an earlier
  sentence naming another report than the heading ("SOC 1, by contrast, … It is read by …"
  under "SOC 2"); else of its heading when that names one report ("What is SOC 1?" and the
  list under it); else, through a pronoun, of the nearest earlier sentence that names one ("It
  covers uptime."); else of the next one on its line ("Vendor touches our numbers? Ask for
  SOC 1.", a glossary entry; a question's answer weighs more), unless it names a report
  itself; else of the line just above (a rule further down a list is its own); else of a
  heading that names several ("SOC 1 vs SOC 2"); else of the line below (a section's opening
  line). Each weighs less than a report named as subject (FocusWeights, fitted);
- "Unlike SOC 1, SOC 2 does not …" is about SOC 1: what the subject is denied, the contrast has;
- a pronoun subject under a negation ("…, so it doesn't go on the website") denies the report it
  refers to: its sentence's other clauses', else the earlier sentence's.

The word lists are data (``bot/data/clauses.yaml``), read by :mod:`bot.answers.clause_words`.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

from bot.answers.clause_words import CONNECTIVES
from bot.reports import REPORT_TERMS

__all__ = ["Clause", "FocusWeights", "DEFAULT_FOCUS", "read_clauses"]


class FocusWeights(NamedTuple):
    """How much a clause is about a report it does not name as its subject. Fitted with the
    answer model (bot/answers/fitting.py, stored in bot/data/answer_model.json); these defaults
    are only where a fit starts."""

    object: float = 0.5  # named as an object: "a summary of a SOC 2"
    # Taken from elsewhere: the sentence's other clauses, the heading naming one report, an
    # earlier sentence (through a pronoun, or on the same line), the next one on its line, any
    # earlier one, a heading naming several.
    sentence: float = 0.8
    heading: float = 0.8
    earlier: float = 0.6
    later: float = 0.6
    earlier_plain: float = 0.4
    headings: float = 0.4
    title: float = 0.5  # a document title's reports, beside a section heading's (1.0)
    answer: float = 0.6  # a question's: the report that the rest of its line answers with


DEFAULT_FOCUS = FocusWeights()
_BREAK_CHARS = (";", " — ", " – ", " -- ", " - ")
# A line that opens with a short label (three words at most) and a colon (or an arrow): a glossary
# entry, a "Focus: …" line, a cheat sheet's "finance -> soc1". Its report does not carry over to
# the next line, which is another entry. A longer lead-in ("Check categories in scope: …") is a
# sentence with a colon, and continues what stands above it.
_LABEL = re.compile(r"\W{0,3}[^\W\d][^:.!?\n\s]*(?:\s[^:.!?\n\s]+){0,2}?(?::|\s(?:->|\u2192|=>|=))\s")


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


def read_clauses(tokens, text: str, sentence_spans, heading_focus, words,
                 names: dict[str, str] = REPORT_TERMS, weights: FocusWeights = DEFAULT_FOCUS,
                 named_before: tuple[str, ...] = ()) -> list[Clause]:
    """Clauses of a passage from its tokens (stopwords included) and sentence spans.

    ``heading_focus``: (report, weight) pairs its heading names, comparison not discounted.
    ``words``: the word lists as the analyzer's terms (clause_words). ``names``: the subjects a
    clause can be about, term -> name: the reports, or the report types for a Type 1 vs Type 2
    comparison (the same grammar serves both). ``weights``: see FocusWeights. ``named_before``:
    the last two reports named before the passage in its document ("Both reports …" there).
    """
    raw: list[tuple[int, list]] = []  # (sentence index, tokens of the clause)
    i, count = 0, len(tokens)
    # Words that may open a clause: most words cannot, and are passed over at once.
    openers = words["openers"]
    for n, (start, end) in enumerate(sentence_spans):
        current: list = []
        while i < count and tokens[i].start < start:
            i += 1
        while i < count and tokens[i].start < end:
            tok = tokens[i]
            if current:
                last = current[-1].end
                plain = tok.start - last == 1 and text[last] == " "  # one space: no mark between
                if (not plain or tok.term in openers) and _breaks_before(tok, current, tokens, i, text, words, names):
                    raw.append((n, current))
                    current = []
            current.append(tok)
            i += 1
        if current:
            raw.append((n, current))
    # Each line's number and whether it opens with a label, found once per line.
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    labels = [bool(_LABEL.match(text, start)) for start in line_starts]
    clauses = [_clause(n, toks, words, text, line_starts, labels, names, weights.object) for n, toks in raw]
    asked = [text[a:b].rstrip().endswith("?") for a, b in sentence_spans]  # each sentence, once
    return _inherit(clauses, heading_focus, [text.startswith(":", c.end) for c in clauses],
                    [asked[c.sentence] for c in clauses], weights, named_before)


def _breaks_before(tok, current, tokens, i, text, words, names) -> bool:
    end = current[-1].end
    if tok.start - end > 1 or text[end] != " ":  # most words stand one space apart: no mark
        gap = text[end:tok.start]
        if any(mark in gap for mark in _BREAK_CHARS):
            return True
    if tok.term in words["breaks"]:
        return True
    if tok.term in CONNECTIVES and i + 1 < len(tokens):
        nxt = tokens[i + 1] if tokens[i + 1].term not in words["skip"] else (
            tokens[i + 2] if i + 2 < len(tokens) else tokens[i + 1])
        if nxt.term not in names:
            return False
        # "SOC 1 covers X and SOC 2 covers Y" is two clauses; in "Both SOC 1 and SOC 2 are …"
        # nothing is said of the first report yet: one subject, one clause.
        last = max((k for k, t in enumerate(current) if t.term in names), default=None)
        return last is not None and any(not t.stop for t in current[last + 1:])
    return False


def _clause(n: int, toks, words, text: str, line_starts, line_labels, names, object_weight: float) -> Clause:
    def text_between(a, b) -> str:
        return text[a.end:b.start]

    subjects: dict[str, float] = {}
    objects: dict[str, float] = {}
    labels: set[str] = set()
    contrasted: set[str] = set()
    denied = set()
    positions = [k for k, t in enumerate(toks) if t.term in names]
    for m, k in enumerate(positions):
        report = names[toks[k].term]
        previous = positions[m - 1] + 1 if m else 0
        before = [t.term for t in toks[max(previous, k - 3):k]]
        stop = positions[m + 1] if m + 1 < len(positions) else len(toks)
        # "a SOC 1, not a SOC 2": a negation right before the next report contrasts that one.
        if stop < len(toks):
            j = stop - 1
            while j > k and toks[j].term in words["skip"]:
                j -= 1
            if j > k and toks[j].term in words["contrast"] and any(m in text[toks[j - 1].end:toks[j].start] for m in ",;(\u2013\u2014"):
                stop = j
        after = {t.term for t in toks[k + 1:min(stop, k + 7)]}
        # An object's negation is its subject's: "a summary of a SOC 2 that omits the tests".
        if set(before) & words["object"] or _after_subject(toks, k, subjects, positions, words, text, names):
            objects[report] = object_weight  # "of a SOC 2"; "SOC 3 is issued alongside a SOC 2"
        elif (after & words["negation"] and not _qualified(toks, k, words, text, names)) or set(before) & words["denying"]:
            denied.add(report)
        elif set(before) & words["contrast"]:
            contrasted.add(report)
        else:
            subjects[report] = max(subjects.get(report, 0.0), 1.0)
            if k + 1 < len(toks) and ":" in text_between(toks[k], toks[k + 1]) and m + 1 < len(positions):
                labels.add(report)
    # A table cell's column ("SOC 2: A SOC 3 report gives …") yields to the report it names itself.
    for report in labels:
        if any(r not in labels for r in subjects):
            subjects[report] = object_weight
    # "Unlike SOC 1, SOC 2 does not let you …": what SOC 2 is denied, SOC 1 has.
    if denied and contrasted:
        subjects.update({r: 1.0 for r in contrasted if r not in denied})
    terms = frozenset(t.term for t in toks if not t.stop)
    every = {t.term for t in toks}
    anaphoric = not every.isdisjoint(words["anaphora"])
    negative = not every.isdisjoint(words["negating"])
    line = bisect_right(line_starts, toks[0].start) - 1
    if subjects or denied:
        return Clause(n, toks[0].start, toks[-1].end, terms, tuple(subjects.items()), frozenset(denied),
                      line=line, label=line_labels[line], anaphoric=anaphoric, negative=negative)
    # Reports named only as objects ("as a SOC 2") count a little, beside what the clause inherits.
    objects = tuple((r, w) for r, w in objects.items())
    # "it doesn't …": a pronoun with a negation within the next three words; or a clause that
    # opens on a negation ("…, but omits the tests", "…, but no detailed controls").
    refuted = any(t.term in words["anaphora"] and any(x.term in words["negation"] for x in toks[k + 1:k + 4])
                  for k, t in enumerate(toks))
    opening = next((t.term for t in toks if t.term not in words["openers"]), "")
    refuted = refuted or opening in words["negating"]
    return Clause(n, toks[0].start, toks[-1].end, terms, objects, frozenset(), own=False, line=line,
                  label=line_labels[line], anaphoric=anaphoric, negative=negative, refuted=refuted,
                  pair=_pair(toks, words))


def _pair(toks, words) -> bool:
    """Whether a clause speaks of two reports without naming them: "both reports", "neither
    report", "either of them" (not "either way")."""
    return any(t.term in words["pairs"] and k + 1 < len(toks) and toks[k + 1].term in words["pair_nouns"]
               for k, t in enumerate(toks))


def _qualified(toks, k: int, words, text: str, names) -> bool:
    """Whether the report at ``toks[k]`` is a particular one ("a security-only SOC 2", "a Type 1
    SOC 2"): what it lacks, the report as such may still have."""
    if k == 0:
        return False
    word = toks[k - 1]
    if text[word.end:toks[k].start] not in (" ", "-"):
        return False
    # "security-only": a compound's last part may be a stopword.
    first = k - 1
    while first > 0 and text[toks[first - 1].end:toks[first].start] == "-":
        first -= 1
    compound = first < k - 1
    # Only between an article or possessive and the report ("a security-only SOC 2"): a sentence's
    # first word ("Typically SOC 3 does not …") qualifies nothing, and a report qualifies a type
    # ("a SOC 2 Type 1 report does not test …" denies Type 1).
    return (first > 0 and toks[first - 1].term in words["skip"] and (compound or not word.stop)
            and word.term not in names and word.term not in REPORT_TERMS
            and not any(word.term in words[key] for key in ("skip", "object", "contrast", "joins", "negating")))


def _after_subject(toks, k: int, subjects, positions, words, text: str, names) -> bool:
    """Whether the report at ``toks[k]`` stands in the predicate of a subject report named before
    it in the same stretch ("SOC 3 is normally issued alongside a SOC 2"). A report joined to it
    ("SOC 1 and SOC 2 are …") or after a comma ("X calls for SOC 1, Y for SOC 2") is not."""
    before = [p for p in positions if p < k and names[toks[p].term] in subjects]
    if not before:
        return False
    j = k - 1
    while j >= 0 and toks[j].term in words["skip"]:
        j -= 1
    if j < 0 or j in positions or toks[j].term in words["joins"]:
        return False
    return not any(mark in text[toks[before[-1]].end:toks[k].start] for mark in ",/&")


def _inherit(clauses: list[Clause], heading_focus, lead_ins, asks, weights: FocusWeights,
             named_before: tuple[str, ...] = ()) -> list[Clause]:
    """``lead_ins``: per clause, whether it ends in a colon that opens the lines below it;
    ``asks``: whether its sentence is a question."""
    named = [r for r, _ in heading_focus]
    # A section heading naming one report speaks for its lines; a document title (weighed under
    # 1 by the caller) only where nothing nearer does.
    single = heading_focus if len(set(named)) == 1 and all(w >= 1.0 for _, w in heading_focus) else ()
    out: list[Clause] = []
    withheld: tuple[int, frozenset[str]] = (-1, frozenset())  # (line, reports) of "It omits:"
    for k, c in enumerate(clauses):
        if c.own:
            out.append(c)
            withheld = (c.line, c.denied) if c.denied and lead_ins[k] else (-1, frozenset())
            continue
        objects, focus = c.focus, ()
        if withheld[1] and c.line > withheld[0]:  # an item of a list that a denial opened
            out.append(c._replace(denied=withheld[1]))
            continue
        siblings = [o for o in clauses if o.sentence == c.sentence and o.own and o.focus]
        # A clause continues the nearest one before it in its sentence ("SOC 3 draws on …, but
        # omits …"); one that opens the sentence (a table row's aspect) belongs to all of them,
        # unless it names a report itself ("ISAE 3402 is the counterpart of SOC 1; …").
        before = [o for o in siblings if o.start < c.start]
        siblings = before[-1:] or ([] if objects else siblings)
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
        elif earlier and single and {r for r, _ in earlier[-1].focus} != {r for r, _ in single} and c.anaphoric:  # "It": what was just named
            focus = _scaled(earlier[-1].focus, weights.earlier)
        elif single:
            focus = _scaled(single, weights.heading)
        else:
            later = [o for o in clauses[k + 1:] if o.own and o.focus and o.line == c.line and not objects]
            if earlier and (c.anaphoric or (earlier[-1].line == c.line and not asks[k])):
                # "It covers uptime."; "SOC 3 is a summary. Opinion, short description." A
                # question looks ahead instead: "Vendor touches our numbers? Ask for SOC 1."
                focus = _scaled(earlier[-1].focus, weights.earlier)
            elif later:  # "Vendor touches our numbers? Ask for SOC 1." / a glossary entry
                # A question is answered by what follows it; other text only leads into it.
                focus = _scaled(later[0].focus, weights.answer if asks[k] else weights.later)
            elif earlier and earlier[-1].line >= c.line - 1:
                # The line just above goes on ("SOC 2 covers security." / "Customers read it
                # under NDA."); a line further down a list of rules is a rule of its own.
                focus = _scaled(earlier[-1].focus, weights.earlier_plain)
            elif heading_focus:
                focus = _scaled(_union([heading_focus]), weights.headings)
            elif below := [o for o in clauses[k + 1:] if o.own and o.focus and o.line == c.line + 1]:
                # A section's opening line naming nothing ("Payroll, billing, payments." then
                # "Request the SOC 1."): what the next line names.
                focus = _scaled(below[0].focus, weights.later)
        out.append(c._replace(focus=_union([focus, objects]), own=False))
    return out


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


def _union(foci) -> tuple[tuple[str, float], ...]:
    best: dict[str, float] = {}
    for focus in foci:
        for r, w in focus:
            best[r] = max(best.get(r, 0.0), w)
    return tuple(best.items())


def _scaled(focus, factor: float) -> tuple[tuple[str, float], ...]:
    return tuple((r, w * factor) for r, w in focus)
