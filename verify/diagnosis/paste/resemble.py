"""Which labelled reports a paste's wording resembles: a linear text model (issue 12).

The rules read facts and messages; a paste often has neither and still reads like a known cause
to a maintainer ("my M1 runs the Intel build", "pip says no matching distribution for torch 2.3
on my Mac"). This reader scores a paste against the cause categories of the real public reports
in tests/data (each labelled with the cause its thread established): TF-IDF over words and word
pairs, then multinomial logistic regression, fitted by scikit-learn in
scripts/triage/train.py and stored as plain numbers in verify/data/resemble_model.json (no
pickle; scikit-learn is needed only to fit it). Scoring here repeats scikit-learn's
`TfidfVectorizer(sublinear_tf=True)` + `LogisticRegression.predict_proba` in the standard
library; tests/test_resemble.py checks it against scikit-learn itself.

It states a likeness, not a fact: verify.diagnosis.resemble_rows turns it into a warning only
where the rules found no failure, with the lines that weigh most as its evidence.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

MODEL = Path(__file__).resolve().parents[2] / "data" / "resemble_model.json"
# scikit-learn's default token_pattern: words of two or more word characters
TOKEN = re.compile(r"(?u)\b\w\w+\b")
# the most lines one likeness quotes
MAX_LINES = 3


@dataclass(frozen=True)
class Model:
    labels: tuple[str, ...]
    intercept: tuple[float, ...]
    # term -> (idf, weight per label)
    terms: dict[str, tuple[float, tuple[float, ...]]]
    ngram_max: int
    reports: int  # how many labelled reports it was fitted on

    @classmethod
    def from_dict(cls, raw: dict) -> Model:
        labels = tuple(raw["labels"])
        terms = {t: (float(idf), tuple(map(float, w))) for t, (idf, w) in raw["terms"].items()}
        return cls(labels, tuple(raw["intercept"]), terms, int(raw["ngram_max"]), raw["reports"])


@dataclass(frozen=True)
class Resemblance:
    """The cause category a paste reads most like, how likely among all of them, and the
    paste's lines that weigh most toward it."""

    label: str
    probability: float
    lines: tuple[str, ...]
    reports: int
    terms: int  # how many of the model's terms the paste holds: how much there was to read


@functools.cache
def model() -> Model:
    return Model.from_dict(json.loads(MODEL.read_text(encoding="utf-8")))


def ngrams(text: str, ngram_max: int) -> list[str]:
    """scikit-learn's word n-grams of lower-cased text: tokens, then n tokens joined by spaces."""
    tokens = TOKEN.findall(text.lower())
    grams = list(tokens)
    for n in range(2, ngram_max + 1):
        grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return grams


def weights(text: str, m: Model) -> dict[str, float]:
    """The paste's TF-IDF vector: (1 + ln tf) x idf over the model's terms, L2-normalised."""
    counts: dict[str, int] = {}
    for gram in ngrams(text, m.ngram_max):
        if gram in m.terms:
            counts[gram] = counts.get(gram, 0) + 1
    vector = {t: (1 + math.log(n)) * m.terms[t][0] for t, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {t: v / norm for t, v in vector.items()} if norm else {}


def probabilities(text: str, m: Model | None = None) -> dict[str, float]:
    """Each label's probability for the text."""
    m = m or model()
    return _softmax(weights(text, m), m)


def resemblance(text: str, m: Model | None = None) -> Resemblance | None:
    """The likeliest label and the lines behind it; None for text with no term of the model."""
    m = m or model()
    vector = weights(text, m)
    if not vector:
        return None
    probs = _softmax(vector, m)
    label = max(probs, key=probs.__getitem__)
    lines = _lines(text, vector, m.labels.index(label), m)
    return Resemblance(label, probs[label], lines, m.reports, len(vector))


def _softmax(vector: dict[str, float], m: Model) -> dict[str, float]:
    """LogisticRegression.predict_proba: the softmax of the linear scores."""
    scores = list(m.intercept)
    for term, value in vector.items():
        for i, w in enumerate(m.terms[term][1]):
            scores[i] += value * w
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return {label: e / total for label, e in zip(m.labels, exps, strict=True)}


def _lines(text: str, vector: dict[str, float], label: int, m: Model) -> tuple[str, ...]:
    """The lines whose terms push the paste most toward the label (each term counted once, in
    the first line it appears in)."""
    seen: set[str] = set()
    scored = []
    for line in text.splitlines():
        terms = {g for g in ngrams(line, m.ngram_max) if g in vector} - seen
        seen |= terms
        push = sum(vector[t] * m.terms[t][1][label] for t in terms)
        if push > 0:
            scored.append((push, line.strip()))
    best = sorted(scored, key=lambda p: -p[0])[:MAX_LINES]
    return tuple(line for _, line in best)
