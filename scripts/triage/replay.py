"""How well the text model reads reports it was not fitted on (issue 12).

tests/data's held-out folders are numbered in the order they were collected. For each folder
from holdout20 on, this fits the model (scripts.triage.train) on the development corpus and the
folders collected before it only, and scores that folder: how often the likeliest label is the
thread's, against always answering the commonest label, and how many warnings
verify.diagnosis.resemble_rows' thresholds would allow (before any rule has its say) and how
many of those name the thread's cause. Prints a table; writes nothing.

    python -m scripts.triage.replay                  # every folder from holdout20 on
    python -m scripts.triage.replay holdout40        # one
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from scripts.triage import train
from verify.diagnosis import resemble_rows
from verify.diagnosis.paste import resemble

FIRST = 20  # the first folder scored: before it, too few reports to fit on


@dataclass(frozen=True)
class Round:
    folder: str
    fitted_on: int
    reports: int
    right: int  # the likeliest label is the thread's
    commonest: int  # reports whose label is the training set's commonest
    warnings: int  # likenesses the row's thresholds let through
    warnings_right: int


def number(folder: str) -> int:
    """holdout -> 1, holdout12 -> 12 (the collection order)."""
    return int(folder.removeprefix("holdout") or 1)


def folders() -> list[str]:
    found = {p.name for p in train.DATA.glob("holdout*") if p.is_dir()}
    return sorted(found, key=number)


def replay(folder: str) -> Round:
    every = train.labelled_reports()
    later = {f for f in folders() if number(f) >= number(folder)}
    fitted_on = [r for r in every if _folder(r) not in later]
    model = resemble.Model.from_dict(train.fit(fitted_on))
    scored = [r for r in every if _folder(r) == folder]
    commonest = Counter(label for _, _, label in fitted_on).most_common(1)[0][0]
    right = warnings = warnings_right = 0
    for _, text, label in scored:
        found = resemble.resemblance(text[: resemble_rows.MAX_CHARS], model)
        if found is None:
            continue
        right += found.label == label
        if resemble_rows.warns(found):
            warnings += 1
            warnings_right += found.label == label
    return Round(
        folder,
        len(fitted_on),
        len(scored),
        right,
        sum(label == commonest for _, _, label in scored),
        warnings,
        warnings_right,
    )


def _folder(report: tuple[str, str, str]) -> str:
    """The tests/data folder a labelled report (its path relative to tests/data) is in."""
    return report[0].split("/")[0]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.triage.replay", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("folders", nargs="*", help="held-out folders (default: holdout20 on)")
    args = parser.parse_args(argv)
    chosen = args.folders or [f for f in folders() if number(f) >= FIRST]
    unknown = sorted(set(chosen) - set(folders()))
    if unknown:
        parser.error(f"no such folder in tests/data: {', '.join(unknown)}")
    print("| folder | fitted on | reports | likeliest right | commonest label | warnings (right) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for folder in chosen:
        r = replay(folder)
        print(
            f"| {r.folder} | {r.fitted_on} | {r.reports} | {r.right} | {r.commonest} "
            f"| {r.warnings} ({r.warnings_right}) |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
