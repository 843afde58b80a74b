"""Text analysis: one analyzer turns passages and questions alike into BM25 terms.

Steps: Unicode NFKC and case folding; domain names kept whole as one token each (``SOC 2``,
``soc-2``, ``SOC II`` and ``SOC2`` all become ``soc2``); words split on anything that is not a letter
or digit; stopwords dropped; Snowball stemming, except for protected words. Question-only
steps (phrase expansion from the vocabulary) live in :meth:`Analyzer.query_terms`.

Nothing here needs nltk's downloadable data: the Snowball stemmer is pure code, and sentences are
split by a pattern that knows the vocabulary's abbreviations (:meth:`Analyzer.sentences`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from bot.search.nltk_imports import SnowballStemmer
from bot.search.sentences import sentence_spans
from bot.search.vocabulary import Vocabulary

__all__ = ["Analyzer", "QueryTerm", "Token", "search_weights"]

_WORD = r"[^\W_]+(?:'[^\W_]+)*"
# Characters allowed between the parts of a multi-part term (SOC 2, soc-2, at-c 205).
_JOINER = r"[\s\-\u2010-\u2015_./]*"
_ASIDE_JOINER = rf"{_JOINER}(?:\([^()\n]{{1,16}}\){_JOINER})?"
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


# Weight of a term the question did not say but the vocabulary adds (uptime -> availability).
EXPANSION_WEIGHT = 0.6


class Token(NamedTuple):
    """An analyzed term with the character span of the word it came from (a tuple: passages
    are tokenized by the thousand, and tuples are several times cheaper to make than objects)."""

    term: str
    start: int
    end: int
    stop: bool


@dataclass(frozen=True)
class QueryTerm:
    """A term to search for. ``group`` ties expansions to the question word they stand for."""

    term: str
    weight: float
    group: int
    word: str = ""  # the word as asked, for spelling correction (empty for expansions)


def search_weights(terms: list[QueryTerm]) -> dict[str, float]:
    """Each term once, with its highest weight (a term may stand in several groups)."""
    weights: dict[str, float] = {}
    for t in terms:
        weights[t.term] = max(t.weight, weights.get(t.term, 0.0))
    return weights


def _casings(head: str) -> set[str]:
    """Every upper/lower casing of a short word head that lowers back to it: "so" -> so, So,
    sO, SO (not "St" for a head "ſt": the lookup stands for ``head.lower() in starts``)."""
    out = {""}
    for ch in head:
        out = {o + c for o in out for c in {ch.lower(), ch.upper()}}
    return {v for v in out if v.lower() == head}


def _spelling_pattern(spelling: str) -> str:
    parts = re.findall(r"[^\W_]+", spelling.lower())
    # A name of words may be interrupted by a short aside: "a bridge (or gap) letter".
    joiner = _ASIDE_JOINER if len(parts) > 1 and all(p.isalpha() for p in parts) else _JOINER
    return joiner.join(re.escape(p) for p in parts)


class Analyzer:
    """Analyzes text for the index and for questions, with the same rules for both."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._stemmer = SnowballStemmer("english")
        self._stem_cache: dict[str, str] = {}
        self._word_cache: dict[str, tuple[str, bool]] = {}
        self._stopwords = frozenset(vocabulary.stopwords)
        self._protected = frozenset(vocabulary.protected)
        # Longest spellings first, so "soc ii" wins over "soc i".
        spellings = sorted(
            ((s, term) for names in (vocabulary.terms, vocabulary.other_fields)
             for term, forms in names.items() for s in (term, *forms)),
            key=lambda pair: -len(pair[0]),
        )
        self._term_of = {}
        alternatives = []
        for spelling, term in spellings:
            key = re.sub(r"[^a-z0-9]", "", spelling.lower())
            self._term_of.setdefault(key, term)
            alternatives.append(_spelling_pattern(spelling))
        named = "|".join(alternatives) or r"(?!x)x"
        self._named = re.compile(rf"(?:{named})(?![^\W_])", re.IGNORECASE)
        self._word = re.compile(_WORD)
        # Words are found by the plain word pattern, eight times faster than one with the names'
        # alternation in it; the alternation is tried only at a word whose first two letters (one,
        # for a one-letter first word) begin a name, found by a set lookup. Non-ASCII letters
        # always try it, since IGNORECASE folds a few of them onto ASCII ones (the Kelvin sign).
        firsts = [re.findall(r"[^\W_]+", s.lower()) for s, _ in spellings]
        starts = {w[0][:2] for w in firsts if w}
        # Every ASCII casing of each start, so a word's head is looked up as it stands, unlowered.
        self._name_starts = frozenset(v for s in starts for v in _casings(s))
        self._one_letter_starts = frozenset(v for s in starts if len(s) == 1 for v in _casings(s))
        self._abbreviations = frozenset(vocabulary.abbreviations)
        self._fillers = frozenset(t for w in vocabulary.fillers for t in (w, self.stem(w)))
        self._phrases = self._compile_phrases()

    # -- the analyzer proper -------------------------------------------------------------------
    def normalize(self, text: str) -> str:
        return unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)

    def tokens(self, text: str) -> list[Token]:
        """Every word of ``text`` as a term, stopwords included but flagged.

        Spans index into ``text`` itself; normalization is applied word by word so that they do.
        """
        cache = self._word_cache  # surface word -> (term, stop): a pure function of the word
        make = tuple.__new__  # Token(...) without its keyword handling: passages are long
        out: list[Token] = []
        add = out.append
        for start, end, name in self._spans(text):
            raw = text[start:end]
            if name:
                add(make(Token, (self._named_term(self.normalize(raw).casefold()), start, end, False)))
            else:
                hit = cache.get(raw) or self._read_word(raw)
                add(make(Token, (hit[0], start, end, hit[1])))
        return out

    def analyze(self, text: str) -> list[str]:
        """The terms of ``text`` for the index: stopwords dropped, stems kept (as :meth:`tokens`,
        without spans or token objects: the index build analyzes every passage)."""
        text = self.normalize(text)
        cache = self._word_cache
        out = []
        add = out.append
        for start, end, name in self._spans(text):
            if name:
                add(self._named_term(text[start:end].casefold()))
            else:
                raw = text[start:end]
                hit = cache.get(raw) or self._read_word(raw)
                if not hit[1]:
                    add(hit[0])
        return out

    def _spans(self, text: str) -> list[tuple[int, int, bool]]:
        """(start, end, is a name) of each word or vocabulary name, left to right."""
        starts, one_letter, named, word_pattern = self._name_starts, self._one_letter_starts, self._named, self._word
        odd_letters = not text.isascii()
        out: list[tuple[int, int, bool]] = []
        add = out.append
        position = 0
        while True:
            for match in word_pattern.finditer(text, position):
                start, end = match.span()
                head = text[start:start + 2]
                if head in starts or head[:1] in one_letter or odd_letters and (
                        head.lower() in starts or head[:1].lower() in one_letter or not head.isascii()):
                    found = named.match(text, start)
                    if found:
                        add((start, found.end(), True))
                        if found.end() != end:  # the name ran past this word: read on from its end
                            position = found.end()
                            break
                        continue
                add((start, end, False))
            else:
                return out

    def _read_word(self, raw: str) -> tuple[str, bool]:
        word = self.normalize(raw).casefold()
        hit = (self.stem(word), word in self._stopwords)
        if len(self._word_cache) < 200_000:  # bounded: a flood of unique words cannot grow it
            self._word_cache[raw] = hit
        return hit

    def _named_term(self, word: str) -> str:
        key = re.sub(r"[^a-z0-9]", "", re.sub(r"\([^()]*\)", "", word) if "(" in word else word)
        return self._term_of.get(key, key)  # a spelling that differs only in joiners: its letters

    def stem(self, word: str) -> str:
        cached = self._stem_cache.get(word)
        if cached is not None:
            return cached
        base = word.replace("'", "")
        if base.endswith("s") and base[:-1] in self._protected:
            base = base[:-1]
        stem = base if base in self._protected or base.isdigit() else self._stemmer.stem(word)
        if len(self._stem_cache) < 200_000:  # bounded: a flood of unique words cannot grow it
            self._stem_cache[word] = stem
        return stem

    def vocabulary_terms(self) -> set[str]:
        """The terms the vocabulary names: its whole-name terms and every expansion's terms."""
        out = set(self.vocabulary.terms)
        for _, expansions in self._phrases:
            for expansion in expansions:
                out.update(expansion)
        return out

    def named_terms(self) -> frozenset[str]:
        """Terms that by themselves mark a question as on the base's subject ("soc2", "icfr").

        The vocabulary's whole-name terms and the one-word members of its equivalence groups.
        """
        names = set(self.vocabulary.terms)
        for group in self.vocabulary.equivalent:
            for member in group:
                terms = self.analyze(member)
                if len(terms) == 1:
                    names.update(terms)
        return frozenset(names)

    def lexicon_terms(self, text: str) -> list[str]:
        """:meth:`analyze` for the entries of a word list, leaving no trace in the stem cache:
        the cache holds the base's own words, from which spelling suggestions are drawn."""
        before = len(self._stem_cache)
        terms = self.analyze(text)
        for word in list(self._stem_cache)[before:]:  # dicts keep insertion order
            self._stem_cache.pop(word, None)
        return terms

    def stem_cache_items(self) -> list[tuple[str, str]]:
        """The (word, stem) pairs seen so far: after indexing, the base's own words."""
        return list(self._stem_cache.items())

    def remember_stems(self, pairs) -> None:
        """Put (word, stem) pairs saved by :meth:`stem_cache_items` back (the restart cache):
        spelling correction reads them as the base's words, and stemming 50,000 words again
        took 1 s of a 2 s restart at 100k passages."""
        for word, stem in pairs:
            self._stem_cache.setdefault(str(word), str(stem))

    def sentences(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans of ``text`` (bot/search/sentences.py), with the vocabulary's abbreviations."""
        return sentence_spans(text, self._abbreviations)

    # -- questions --------------------------------------------------------------------------
    def query_terms(self, question: str) -> list[QueryTerm]:
        """The question's own terms, each once, plus the vocabulary's expansions of them.

        An expansion joins the group of the word it expands, even when the question also says
        it: "SaaS startup" covers "startup" through its expansion to "saas". A term may thus
        appear in more than one group; searches use its highest weight.
        """
        tokens = list(self.tokens(self.normalize(question)))
        own: dict[str, QueryTerm] = {}
        for token in tokens:
            if not token.stop and token.term not in own:
                word = self.normalize(question[token.start:token.end]).casefold()
                own[token.term] = QueryTerm(token.term, 1.0, len(own), word)
        terms = list(own.values())
        seen = {(t.term, t.group) for t in terms}
        group = len(own)
        seq = [t.term for t in tokens if t.term not in self._fillers]
        present = set(seq)
        for phrase, expansions in self._phrases:
            if phrase[0] not in present or _find(seq, phrase) < 0:  # the set test: most phrases at once
                continue
            anchors = [own[t].group for t in phrase if t in own]
            if anchors:
                anchor = anchors[0]
            else:  # a phrase of stopwords ("how long"): its expansion is a group of its own
                anchor, group = group, group + 1
            for expansion in expansions:
                for term in expansion:
                    if (term, anchor) not in seen and term not in self._stopwords:
                        seen.add((term, anchor))
                        terms.append(QueryTerm(term, EXPANSION_WEIGHT, anchor))
        return terms

    def _compile_phrases(self) -> list[tuple[tuple[str, ...], list[tuple[str, ...]]]]:
        def seq(text: str) -> tuple[str, ...]:
            return tuple(t.term for t in self.tokens(self.normalize(text)))

        def content(text: str) -> tuple[str, ...]:
            return tuple(self.analyze(text))

        phrases: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for phrase, targets in self.vocabulary.expand.items():
            phrases.setdefault(seq(phrase), []).extend(content(t) for t in targets)
        for group in self.vocabulary.equivalent:
            for member in group:
                others = [content(o) for o in group if o != member]
                phrases.setdefault(seq(member), []).extend(others)
        return [(p, e) for p, e in phrases.items() if p]


def _find(seq: list[str], phrase: tuple[str, ...]) -> int:
    n = len(phrase)
    for i in range(len(seq) - n + 1):
        if tuple(seq[i : i + n]) == phrase:
            return i
    return -1
