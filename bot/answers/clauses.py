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
from functools import lru_cache

from bot.answers.clause_words import CONNECTIVES, negated_terms
from bot.answers.focus import DEFAULT_FOCUS, Clause, FocusWeights, inherit_focus
from bot.reports import REPORT_TERMS

__all__ = ["Clause", "FocusWeights", "DEFAULT_FOCUS", "read_clauses"]


_BREAK_CHARS = (";", " — ", " – ", " -- ", " - ")
_HYPHENS = ("-", "\u2010", "\u2011", "\u2013")  # "a SOC 2-type examination", "SOC 2\u2013flavored"
# A line that opens with a short label (three words at most) and a colon (or an arrow): a glossary
# entry, a "Focus: …" line, a cheat sheet's "finance -> soc1". Its report does not carry over to
# the next line, which is another entry. A longer lead-in ("Check categories in scope: …") is a
# sentence with a colon, and continues what stands above it.
_LABEL = re.compile(r"\W{0,3}[^\W\d][^:.!?\n\s]*(?:\s[^:.!?\n\s]+){0,2}?(?::|\s(?:->|\u2192|=>|=))\s")


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
    read = inherit_focus(clauses, heading_focus, [text.startswith(":", c.end) for c in clauses],
                         [asked[c.sentence] for c in clauses], weights, named_before)
    return _refute_reported(_said_alike(read, words, names, text), raw, words, names, text)


def _said_alike(clauses: list[Clause], words, names, text: str) -> list[Clause]:
    """"The same rules apply to the SOC 1": a clause saying only that its report is alike takes
    the words of the clause before it."""
    out = list(clauses)
    alike = _listed_pattern(words["alike_phrases"])
    case = _listed_pattern(words["case_refs"])
    for k in range(1, len(out)):
        c = out[k]
        if c.own and c.focus and c.terms - names.keys() <= words["sameness"] and alike.search(text, c.start, c.end):
            said = out[k - 1]  # …what it said, and how: "Never email it. The same rules apply to SOC 1."
            out[k] = c._replace(terms=c.terms | said.terms, negative=said.negative,
                                negated=said.negated | (said.terms if said.denied or said.refuted else frozenset()))
        elif case.search(text, c.start, c.end):  # "in such cases the SOC 2 should be obtained"
            out[k] = c._replace(terms=c.terms | out[k - 1].terms)
        elif c.own and c.denied and c.terms - names.keys() <= words["negating"]:
            # "The infobox calls all SOC reports confidential. SOC 3 isn't.": denied what was said.
            out[k] = c._replace(terms=c.terms | out[k - 1].terms)
    return out


def _refute_reported(clauses: list[Clause], raw, words, names, text: str) -> list[Clause]:
    """A sentence that the next one calls wrong ("The table puts availability under SOC 1. I
    think that's backwards."): what it said of its reports is denied them."""
    said: dict[int, list] = {}
    for n, toks in raw:
        said.setdefault(n, []).extend(toks)
    refuting = _refuting_pattern(words["refuting_phrases"])
    refuted = set()
    for n, toks in said.items():
        if n and sum(not t.stop for t in toks) <= 6 and all(t.term not in names for t in toks) \
                and refuting.match(text, toks[0].start, toks[-1].end):
            refuted.add(n - 1)
    if not refuted:
        return clauses
    return [c._replace(focus=(), denied=c.denied | {r for r, _ in c.focus})
            if c.sentence in refuted and c.focus and not c.negative else c for c in clauses]


@lru_cache(maxsize=8)
def _listed_pattern(listed: frozenset[str]) -> re.Pattern:
    """Any of ``listed`` as whole words, case ignored."""
    return re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(listed)) + r")\b",
                      re.IGNORECASE)


@lru_cache(maxsize=4)
def _refuting_pattern(listed: frozenset[str]) -> re.Pattern:
    """A sentence saying the one before is wrong: "That's backwards", "I think this is wrong",
    "Agreed, it's incorrect", or the word alone ("Not quite.", "Wrong.")."""
    said = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(listed))
    return re.compile(rf"\W*(?:(?:\w+\W+){{0,3}}?(?:that|this|it)\s*(?:'s|\u2019s|is|was|seems|sounds|looks)\s+"
                      rf"(?:\w+\s+){{0,2}}?)?(?:{said})\b", re.IGNORECASE)


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
        lo = max(previous, k - 3)
        # Words before a comma or dash are not the report's: "Because of that, a SOC 1 is …".
        lo = max([lo] + [j for j in range(lo + 1, k + 1) if any(m in text[toks[j - 1].end:toks[j].start] for m in ",;:()\u2013\u2014")])
        before = [t.term for t in toks[lo:k]]
        stop = positions[m + 1] if m + 1 < len(positions) else len(toks)
        # "a SOC 1, not a SOC 2": a negation right before the next report contrasts that one.
        if stop < len(toks):
            j = stop - 1
            while j > k and toks[j].term in words["skip"]:
                j -= 1
            if j > k and toks[j].term in words["contrast"] and any(m in text[toks[j - 1].end:toks[j].start] for m in ",;(\u2013\u2014"):
                stop = j
        reach = min(stop, k + 7)
        reach = next((j for j in range(k + 1, reach) if toks[j].term in words["subordinators"]), reach)
        after = {t.term for t in toks[k + 1:reach]}
        # An object's negation is its subject's: "a summary of a SOC 2 that omits the tests".
        modifier = k + 1 < len(toks) and toks[k + 1].term in words["likeness"] and text_between(toks[k], toks[k + 1]) in _HYPHENS
        if modifier or (set(before) & words["object"] and not _equated(before, words)) \
                or _after_subject(toks, k, subjects, positions, words, text, names):
            objects[report] = object_weight  # "of a SOC 2"; "SOC 3 is issued alongside a SOC 2"
        elif (after & words["negation"] and not _qualified(toks, k, words, text, names)) or set(before) & words["denying"] \
                or set(before[-2:]) & words["negation"] - words["contrast"]:
            denied.add(report)  # "SOC 1 does not cover uptime"; "uptime isn't a SOC 1 thing"
        elif k + 1 < len(toks) and toks[k + 1].term in words["negating"] and ":" in text_between(toks[k], toks[k + 1]):
            denied.add(report)  # a feature matrix's "SOC 2: No"
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
    terms = frozenset([t.term for t in toks if not t.stop])
    every = {t.term for t in toks}
    anaphoric = not every.isdisjoint(words["anaphora"])
    negative = not every.isdisjoint(words["negating"])
    line = bisect_right(line_starts, toks[0].start) - 1
    if subjects or denied:
        # "SOC 1 is scoped to financial reporting and does not answer security questions": a
        # negation past the reach of denial still says, of the subject, what is not so (unless
        # a subordinate clause has a subject of its own: "…, when auditors cannot test them").
        last = positions[-1]
        tail = toks[last + 1:]
        own_negation = negative and not denied and not any(t.term in words["subordinators"] for t in tail)
        negated = negated_terms(tail, words, text, in_question=False) if own_negation else frozenset()
        return Clause(n, toks[0].start, toks[-1].end, terms, tuple(subjects.items()), frozenset(denied),
                      line=line, label=line_labels[line], anaphoric=anaphoric, negative=negative,
                      negated=negated, bare=terms <= names.keys())
    # Reports named only as objects ("as a SOC 2") count a little, beside what the clause inherits.
    objects = tuple((r, w) for r, w in objects.items())
    # "it doesn't …": a pronoun with a negation within the next three words; or a clause that
    # opens on a negation ("…, but omits the tests", "…, but no detailed controls").
    refuted = anaphoric and any(t.term in words["anaphora"] and any(x.term in words["negation"] for x in toks[k + 1:k + 4])
                                for k, t in enumerate(toks))
    opening = next((t.term for t in toks if t.term not in words["openers"]), "")
    refuted = refuted or opening in words["negating"]
    # What it says is not so, of the report it inherits: "readers who do not need the detail".
    negated = negated_terms(toks, words, text, in_question=False) if negative else frozenset()
    opens = next((k for k, t in enumerate(toks) if t.term not in words["openers"]), len(toks))
    pointer = toks[opens + 1].term if opening in words["demonstratives"] and opens + 1 < len(toks) else ""
    return Clause(n, toks[0].start, toks[-1].end, terms, objects, frozenset(), own=False, line=line,
                  label=line_labels[line], anaphoric=anaphoric, negative=negative, negated=negated, refuted=refuted,
                  pair=not every.isdisjoint(words["pairs"]) and _pair(toks, words), pointer=pointer)


def _equated(before: list[str], words) -> bool:
    """Whether the words before a report equate it ("the counterpart of SOC 1")."""
    return len(before) >= 2 and before[-1] in words["object"] and before[-2] in words["equivalence"] or (
        len(before) >= 3 and before[-2] in words["object"] and before[-3] in words["equivalence"]
        and before[-1] in words["skip"]) or (
        len(before) >= 3 and before[-1] in words["object"] and before[-2] in words["versions"]
        and before[-3] in words["regional"])


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
