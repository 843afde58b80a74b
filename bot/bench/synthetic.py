"""A synthetic knowledge base of N passages in socbot's YAML format, and questions about it.

For benchmarks (scripts/bench.py) and scale tests. Deterministic for a given seed.

Vocabulary, named choices:
- **Words** — the bundled knowledge's own words (so SOC terms, "availability", "payroll"… occur
  as in real material) plus 50,000 pronounceable made-up words, drawn with a Zipfian law
  (weight 1/rank^1.07), so a few words are in most passages and most words are rare, as in text.
  The words a base actually uses then grow with it as real text's do (Heaps' law): about 9k,
  33k and 50k distinct words at 1k, 10k and 100k passages. (A few thousand words in all would
  flatter the spelling corrector, whose cost grows with the base's vocabulary.)
- **Report names** — "SOC 1/2/3", "Type 1/2" are mixed in at about one a sentence, as in SOC
  material, so the analyzer's joined terms (``soc2``) have the long postings they have for real.
- **Stopwords** — about a third of the tokens, as in English prose; the analyzer drops them.
- **Passages** — about 60 tokens in 3 to 5 sentences; 250 passages a file, a title a file and a
  section a passage; 40% tagged with a report.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

from bot.knowledge import DEFAULT_KNOWLEDGE
from bot.reports import REPORTS

__all__ = ["write_base", "questions", "vocabulary", "PASSAGES_PER_FILE"]
PASSAGES_PER_FILE = 250
MADE_UP_WORDS = 50_000
ZIPF_EXPONENT = 1.07
STOPWORDS = ("the", "of", "and", "a", "to", "in", "is", "for", "that", "with", "on", "as", "by",
             "its", "are", "be", "an", "or", "from", "this", "it", "which", "their", "at", "can")
REPORT_NAMES = (*REPORTS, REPORTS[1], "Type 1", "Type 2", f"{REPORTS[1]} Type 2")  # SOC 2 twice as often
_ONSETS = ("b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "pr", "tr", "st", "gr", "pl")
_VOWELS = ("a", "e", "i", "o", "u", "io", "ea")
_CODAS = ("", "n", "r", "s", "l", "t", "m", "nd", "st")
_TEMPLATES = (
    "which report covers {a} and {b}?",
    "what is {a} {b}?",
    "do we need soc 1 or soc 2 for {a} {b} {c}?",
    "how does {a} affect {b} in a type 2 report",
    "{a} {b} {c}",
    "what does the auditor check about {a} {b}?",
)


def vocabulary(seed: int = 7) -> list[str]:
    """Content words, most frequent first."""
    rng = random.Random(seed)
    known = set()
    for path in sorted(DEFAULT_KNOWLEDGE.glob("*.yaml")):
        known.update(w for w in re.findall(r"[a-z]{4,}", path.read_text(encoding="utf-8").lower()))
    made = set()
    while len(made) < MADE_UP_WORDS:
        syllables = rng.randint(2, 4)
        made.add("".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))
                 + rng.choice(_CODAS))
    words = sorted(known - set(STOPWORDS)) + sorted(made - known)
    rng.shuffle(words)  # the bundled words are spread over every rank, not all common
    return words


class _Draw:
    def __init__(self, words: list[str], rng: random.Random) -> None:
        self.words, self.rng = words, rng
        weights = [1.0 / (r + 1) ** ZIPF_EXPONENT for r in range(len(words))]
        total, acc = sum(weights), 0.0
        self.cum = []
        for w in weights:
            acc += w / total
            self.cum.append(acc)

    def word(self) -> str:
        return self.rng.choices(self.words, cum_weights=self.cum)[0]


def _sentence(draw: _Draw, rng: random.Random, length: int) -> list[str]:
    out = []
    for _ in range(length):
        r = rng.random()
        if r < 0.33:
            out.append(rng.choice(STOPWORDS))
        elif r < 0.38:
            out.append(rng.choice(REPORT_NAMES))
        else:
            out.append(draw.word())
    return out


def _passage_text(draw: _Draw, rng: random.Random, tokens: int = 60) -> str:
    sentences, left = [], tokens
    while left > 0:
        n = min(left, rng.randint(10, 18))
        words = _sentence(draw, rng, n)
        sentences.append(" ".join(words).capitalize() + ".")
        left -= n
    return " ".join(sentences)


def _fold(text: str, width: int = 90) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line] if line else lines


def write_base(directory: Path, n: int, seed: int = 7) -> list[str]:
    """Write ``n`` passages as YAML files under ``directory``; return the passage texts."""
    rng = random.Random(seed)
    draw = _Draw(vocabulary(seed), rng)
    directory.mkdir(parents=True, exist_ok=True)
    texts = []
    for f, start in enumerate(range(0, n, PASSAGES_PER_FILE)):
        title = " ".join(draw.word() for _ in range(rng.randint(2, 4))).capitalize()
        out = [f"title: {title}", f"source: synthetic base, file {f}", "passages:"]
        for i in range(start, min(n, start + PASSAGES_PER_FILE)):
            text = _passage_text(draw, rng)
            texts.append(text)
            out.append(f"  - id: p{i}")
            out.append(f"    section: {' '.join(draw.word() for _ in range(rng.randint(2, 3))).capitalize()}")
            if rng.random() < 0.4:
                out.append(f"    reports: [\"{rng.choice((*REPORTS, REPORTS[1]))}\"]")
            out.append("    text: >-")
            out.extend(f"      {line}" for line in _fold(text))
        (directory / f"synthetic-{f:04d}.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return texts


def questions(texts: list[str], count: int, seed: int = 11) -> list[str]:
    """Questions about random passages (their own words), some with a typo, some off topic."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        if i % 10 == 9:
            out.append(rng.choice(("what's the capital of france?", "who won the football match",
                                   "recipe for banana bread please")))
            continue
        text = rng.choice(texts).lower()
        words = sorted({w for w in re.findall(r"[a-z]{4,}", text) if w not in STOPWORDS})
        a, b, c = (rng.sample(words, 3) + ["report"] * 3)[:3] if len(words) >= 3 else ("report",) * 3
        if i % 10 == 4 and len(a) >= 6:  # a typo: two neighbouring letters swapped
            j = rng.randrange(1, len(a) - 2)
            a = a[:j] + a[j + 1] + a[j] + a[j + 2:]
        out.append(rng.choice(_TEMPLATES).format(a=a, b=b, c=c))
    return out
