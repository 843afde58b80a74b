"""The analyzer's word lists, read from data files rather than written in code."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import KnowledgeError
from bot.files import DATA, load_yaml
from bot.knowledge import VOCABULARY_FILENAME

__all__ = ["Vocabulary", "load_vocabulary", "BUNDLED_VOCABULARY", "VOCABULARY_FILENAME"]

BUNDLED_VOCABULARY = DATA / "vocabulary.yaml"
STOPWORDS = DATA / "stopwords.txt"

_LIST_KEYS = ("protected", "abbreviations", "stopwords", "fillers")
_MAP_KEYS = ("terms", "expand", "other_fields")
_KEYS = frozenset((*_LIST_KEYS, *_MAP_KEYS, "equivalent", "short_forms"))


@dataclass
class Vocabulary:
    terms: dict[str, list[str]] = field(default_factory=dict)
    protected: list[str] = field(default_factory=list)
    expand: dict[str, list[str]] = field(default_factory=dict)
    equivalent: list[list[str]] = field(default_factory=list)
    abbreviations: list[str] = field(default_factory=list)
    stopwords: list[str] = field(default_factory=list)
    # Hedges a question may put inside a phrase ("who actually audits"): passed over when
    # matching the phrases of ``expand``.
    fillers: list[str] = field(default_factory=list)
    # Names in other fields that share a word with ours ("soc analyst": a security operations
    # centre's): read whole like terms, but never a name of our subject.
    other_fields: dict[str, list[str]] = field(default_factory=dict)
    short_forms: dict[str, str] = field(default_factory=dict)  # "s2" -> "soc2", if adopted
    adopted: tuple[str, ...] = ()  # the short forms this base's text uses (bot/search/short_forms.py)

    def merge(self, other: "Vocabulary") -> "Vocabulary":
        terms = {k: list(v) for k, v in self.terms.items()}
        for key, forms in other.terms.items():
            terms.setdefault(key, []).extend(forms)
        expand = {k: list(v) for k, v in self.expand.items()}
        for key, targets in other.expand.items():
            expand.setdefault(key, []).extend(targets)
        other_fields = {k: list(v) for k, v in self.other_fields.items()}
        for key, forms in other.other_fields.items():
            other_fields.setdefault(key, []).extend(forms)
        return Vocabulary(
            terms=terms,
            protected=[*self.protected, *other.protected],
            expand=expand,
            other_fields=other_fields,
            equivalent=[*self.equivalent, *other.equivalent],
            abbreviations=[*self.abbreviations, *other.abbreviations],
            stopwords=[*self.stopwords, *other.stopwords],
            fillers=[*self.fillers, *other.fillers],
            short_forms={**self.short_forms, **other.short_forms},
        )


def _strings(path: Path, key: str, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise KnowledgeError(path, None, f"'{key}' must be a list of words")
    return [str(v).lower() for v in value]


def _parse(path: Path, data: object) -> Vocabulary:
    if data is None:
        return Vocabulary()
    if not isinstance(data, dict):
        raise KnowledgeError(path, 1, "a vocabulary file must be a mapping")
    unknown = set(data) - _KEYS
    if unknown:
        raise KnowledgeError(path, None, f"unknown vocabulary key(s): {', '.join(sorted(map(str, unknown)))}")
    vocab = Vocabulary()
    for key in _MAP_KEYS:
        value = data.get(key) or {}
        if not isinstance(value, dict):
            raise KnowledgeError(path, None, f"'{key}' must be a mapping")
        setattr(vocab, key, {str(k).lower(): _strings(path, f"{key}.{k}", v) for k, v in value.items()})
    for key in _LIST_KEYS:
        setattr(vocab, key, _strings(path, key, data.get(key) or []))
    groups = data.get("equivalent") or []
    if not isinstance(groups, list):
        raise KnowledgeError(path, None, "'equivalent' must be a list of lists")
    vocab.equivalent = [_strings(path, "equivalent", g) for g in groups]
    forms = data.get("short_forms") or {}
    if not isinstance(forms, dict) or not all(isinstance(v, str) for v in forms.values()):
        raise KnowledgeError(path, None, "'short_forms' must map a short form to one term")
    vocab.short_forms = {str(k).lower(): v.lower() for k, v in forms.items()}
    return vocab


def load_vocabulary(directory: Path | None = None) -> Vocabulary:
    """The bundled vocabulary and stopwords, extended by ``directory``'s own file if it has one."""
    vocab = _parse(BUNDLED_VOCABULARY, load_yaml(BUNDLED_VOCABULARY))
    words = [w.strip().lower() for w in STOPWORDS.read_text(encoding="utf-8").splitlines()]
    vocab.stopwords = [w for w in words if w and not w.startswith("#")]
    if directory is not None:
        extra = Path(directory) / VOCABULARY_FILENAME
        if extra.is_file():
            vocab = vocab.merge(_parse(extra, load_yaml(extra)))
    return vocab
