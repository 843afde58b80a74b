"""The word lists that clauses and questions are read with (``bot/data/clauses.yaml``), and a
question's negated words."""
from __future__ import annotations

import re
from functools import lru_cache

from bot.files import DATA, load_yaml

__all__ = ["clause_words", "negated_terms", "opening_connectives", "CONNECTIVES"]

# Words that join two clauses about two reports ("SOC 1 covers X and SOC 2 covers Y").
CONNECTIVES = frozenset({"and", "or", "nor"})

# Punctuation that ends a negation's reach in a question.
# (Not brackets: "can't be shared (without an NDA)" is still one negation cancelling another.)
_SCOPE_ENDS = re.compile(r"[,;:.!?\u2013\u2014]|\s-\s")
_LABEL_VALUE = re.compile(r"\s*[:=]\s*")


@lru_cache(maxsize=1)
def _word_lists() -> dict[str, tuple[str, ...]]:
    data = load_yaml(DATA / "clauses.yaml")
    return {key: tuple(str(w).lower() for w in words) for key, words in data.items()}


def opening_connectives() -> frozenset[str]:
    """Words that may open a clause only because a sentence was cut there ("while", "so", and
    "and"/"or"): a clause quoted on its own reads better without them."""
    return frozenset(_word_lists()["breaks"]) | CONNECTIVES


def clause_words(analyze) -> dict[str, frozenset[str]]:
    """The word lists of ``bot/data/clauses.yaml`` as terms of ``analyze`` (an analyzer's word ->
    terms function): made once per analyzer, by its owner, and passed to the functions here.
    Two unions the readers need are made here too: ``negating`` (negations and absences) and
    ``openers`` (words a clause may open on)."""
    def terms(listed) -> frozenset[str]:
        return frozenset(listed) | {t for w in listed for t in analyze(w)}

    lists = _word_lists()
    words = {key: terms(listed) for key, listed in lists.items()}
    words["negating"] = words["negation"] | words["absence"]
    words["openers"] = words["breaks"] | CONNECTIVES
    # Two-word negations of a question ("instead of"): their first and their second words.
    words["replaced"] = terms(phrase.split()[0] for phrase in lists["replaced"])
    words["replaced_next"] = terms(phrase.split()[-1] for phrase in lists["replaced"])
    words["refuting_phrases"] = frozenset(lists["refuting"])  # matched in the text, as written
    words["alike_phrases"] = frozenset(lists["alike"])
    words["case_refs"] = frozenset(lists["case_refs"])
    return words


def negated_terms(tokens, words, text: str, reach: int = 4, in_question: bool = True) -> frozenset[str]:
    """Content terms of a question said under a negation ("no NDA yet", "hasn't signed an NDA"):
    up to ``reach`` content words after an odd number of negations, up to the next punctuation
    mark of ``text`` (the tokens' text): "can't just hand them to anybody" negates "anybody",
    "w/o an NDA, like on our website" not "website". Two negations cancel: "can't be emailed
    without an NDA" asks for an NDA; "instead of AICPA criteria" negates "AICPA criteria".
    ``words``: see clause_words. In a document (``in_question`` false) "instead of" negates
    nothing: "Instead of security, it focuses on …" still says what the report does."""
    negation = words["negating"]
    out: set[str] = set()
    count, left, end = 0, 0, 0
    tokens = list(tokens)
    for k, t in enumerate(tokens):
        mark = _SCOPE_ENDS.search(text, end, t.start) if left else None
        # A negation that is a label ("Not for: uptime promises") negates the label's value.
        if mark and not (not in_question and left == reach and mark.group() == ":"):
            count, left = 0, 0
        end = t.end
        replaced = in_question and t.term in words["replaced"] and k + 1 < len(tokens) \
            and tokens[k + 1].term in words["replaced_next"]
        if t.term in negation or replaced:
            # A label whose value is a bare negation ("Covers availability: no", "public = no")
            # says its own words are not so.
            if not in_question and k and _LABEL_VALUE.fullmatch(text[tokens[k - 1].end:t.start]) \
                    and (k + 1 == len(tokens) or _SCOPE_ENDS.match(text, t.end)):
                out.update(x.term for x in tokens[max(0, k - 6):k] if not x.stop)
            count, left = count + 1, reach
            continue
        if left and t.term in words["breaks"]:  # "hasn't signed an NDA but wants something today"
            count, left = 0, 0
            continue
        if t.stop:
            continue
        if left and count % 2:
            out.add(t.term)
        left = max(0, left - 1)
        if not left:
            count = 0
    return frozenset(out)
