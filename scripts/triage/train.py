"""Fit the model behind verify.diagnosis.paste.resemble on the labelled real reports (issue 12).

Every report in tests/data (the development corpus and the held-out sets: text copied verbatim
from a public thread, labelled with the cause the thread established; tests/corpus.py reads
them) trains a scikit-learn pipeline: TfidfVectorizer over words and word pairs (sublinear tf,
terms in at least two reports, the most frequent MAX_FEATURES of them) and a multinomial
LogisticRegression with balanced class weights. The fitted numbers go to
verify/data/resemble_model.json (written atomically), which verify reads with the standard
library alone: scikit-learn is needed here only.

    python -m scripts.triage.train                     # all labelled reports -> the model
    python -m scripts.triage.train --exclude holdout40 # leave a sealed set out (blind scoring)
    python -m scripts.triage.train --check             # exit 1 if the stored model is stale
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from verify import atomic
from verify.diagnosis.paste import resemble

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
MAX_FEATURES = 8000
NGRAM_MAX = 2
C = 30.0  # inverse regularisation: chosen on the reports collected before each blind set
DIGITS = 4  # decimals kept in the JSON: probabilities agree with scikit-learn's to 1e-3


def labelled_reports(exclude: Iterable[str] = ()) -> list[tuple[str, str, str]]:
    """(relative path, text as diagnosed, label) for every labelled report in tests/data."""
    if str(ROOT / "tests") not in sys.path:
        sys.path.insert(0, str(ROOT / "tests"))
    import corpus  # the report files' reader (header lines, title + body)

    skip = set(exclude)
    folders = [corpus.CORPUS_DIR, *sorted(DATA.glob("holdout*"))]
    out = []
    for folder in folders:
        if folder.name in skip:
            continue
        for path in sorted(folder.glob("*.txt")):
            case = corpus.load(path)
            if case.label in corpus.LABELS:
                out.append((str(path.relative_to(DATA)), case.text, case.label))
    return out


def digest(reports: Sequence[tuple[str, str, str]]) -> str:
    """sha256 over the reports' paths, labels and texts: which data a model was fitted on."""
    h = hashlib.sha256()
    for path, text, label in reports:
        h.update(f"{path}\0{label}\0{text}\0".encode())
    return h.hexdigest()


def fitted(reports: Sequence[tuple[str, str, str]]):
    """scikit-learn's fitted (TfidfVectorizer, LogisticRegression) for these reports."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(
        ngram_range=(1, NGRAM_MAX),
        min_df=2,
        max_features=MAX_FEATURES,
        sublinear_tf=True,
        token_pattern=resemble.TOKEN.pattern,
    )
    x = vectorizer.fit_transform([text for _, text, _ in reports])
    classifier = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    classifier.fit(x, [label for _, _, label in reports])
    return vectorizer, classifier


def fit(reports: Sequence[tuple[str, str, str]]) -> dict:
    """The model JSON for these reports (scikit-learn's fitted numbers, rounded)."""
    vectorizer, classifier = fitted(reports)
    coef = classifier.coef_
    terms = {
        term: [
            round(float(vectorizer.idf_[j]), DIGITS),
            [round(float(w), DIGITS) for w in coef[:, j]],
        ]
        for term, j in sorted(vectorizer.vocabulary_.items())
    }
    return {
        "format": 1,
        "reports": len(reports),
        "reports_sha256": digest(reports),
        "ngram_max": NGRAM_MAX,
        "labels": [str(c) for c in classifier.classes_],
        "intercept": [round(float(b), DIGITS) for b in classifier.intercept_],
        "terms": terms,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.triage.train", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--exclude", nargs="*", default=[], metavar="FOLDER", help="tests/data folders to leave out"
    )
    parser.add_argument(
        "--out", type=Path, default=resemble.MODEL, help="where to write the model JSON"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if --out was fitted on other reports"
    )
    args = parser.parse_args(argv)
    reports = labelled_reports(args.exclude)
    if args.check:
        stored = json.loads(args.out.read_text(encoding="utf-8")).get("reports_sha256")
        if stored != digest(reports):
            print(
                f"{args.out}: stale (tests/data changed): run python -m scripts.triage.train",
                file=sys.stderr,
            )
            return 1
        print(f"{args.out}: fitted on the {len(reports)} labelled reports in tests/data")
        return 0
    model = fit(reports)
    atomic.write_text(args.out, json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n")
    print(
        f"{args.out}: {len(model['terms'])} terms, {len(model['labels'])} labels, "
        f"fitted on {len(reports)} reports"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
