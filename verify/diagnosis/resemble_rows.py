"""A warning for the cause a paste reads most like, where no check failed (issue 12).

Many real reports hold no fact or message the rules can settle and still read like a known cause
("M1, pip says no matching distribution", "torch 1.13, the op works for others"). Where no row
failed and the paste shows no known error message, verify.diagnosis.paste.resemble's text model
names the cause category the paste's wording is most like; at THRESHOLD or more (and with
MIN_TERMS to read), its row warns with that category's cause, the check that settles it on the
machine, and the paste's lines that weigh most as evidence. The row:
- is the check that states the category (LIKENESSES): it replaces that check's row when the
  rules could not settle it (skipped: not in the text) and never overrides a check the paste's
  own facts pass (an arm64 Python shown is no Rosetta, whatever the words);
- ranks after every other finding, a cause stated in a sentence included, and before only
  host.python's advice (verify.diagnosis.diagnose.first_cause reads data["likeness"]): wording
  is weaker evidence than anything the paste shows or says.
THRESHOLD, MIN_TERMS and the guards were chosen on the reports collected before each blind set,
scored at that set's blind commit (docs/diagnose.md#a-cause-the-wording-resembles). Pure: rows
and Pasted in, rows out; texts in verify.diagnosis.resemble_messages.
"""

from __future__ import annotations

from collections.abc import Sequence

from verify.diagnosis import claim_rows
from verify.diagnosis import resemble_messages as msg
from verify.diagnosis.envdump import Pasted
from verify.diagnosis.paste import mpswork, resemble
from verify.known_errors import BY_ID
from verify.model import Result, Status, warned

THRESHOLD = 0.3
# a paste holding fewer of the model's words and word pairs is too short to resemble anything
# ("model.to('mps')" alone reads like nothing in particular)
MIN_TERMS = 30
# the head of a long paste is what the model reads: about 0.1 s of scoring at most
MAX_CHARS = 100_000
# the rows a paste's facts settle: a pass there is a fact the wording cannot outweigh
FACT_ROWS = frozenset(
    {
        "host.os",
        "host.arch",
        "host.macos",
        "host.python",
        "mps.built",
        "mps.available",
        # the torch the paste shows, weighed by the rules (an MPS fix already in it: told_rows,
        # behind): its pass outweighs words that read like an old torch
        "torch.version",
    }
)


def likeness(row: Result) -> bool:
    """Is this row a likeness, not a finding?"""
    return "likeness" in row.data


def rows(
    results: Sequence[Result], pasted: Pasted, model: resemble.Model | None = None
) -> list[Result]:
    """The rows with the likeness warning added (or put in its check's place), where it holds;
    `model`: the stored one unless given."""
    results = list(results)
    if pasted.report is not None or any(_finding(r) for r in results):
        return results
    if mpswork.NVIDIA_MPS.search(pasted.text) and not pasted.from_a_mac():
        return results  # NVIDIA's Multi-Process Service: no Mac's cause to resemble
    found = resemble.resemblance(pasted.text[:MAX_CHARS], model)
    if found is None or not warns(found):
        return results
    like = msg.LIKENESSES[found.label]
    place = next((i for i, r in enumerate(results) if r.id == like.row_id), None)
    held = results[place] if place is not None else None
    if held is not None and (
        held.status is Status.WARN or (held.status is Status.PASS and held.id in FACT_ROWS)
    ):
        return results  # named already, or settled by the paste's facts
    shown = held.detail if held is not None and held.status is Status.PASS else ""
    outcome = warned(
        msg.cause(like, found.probability, found.reports, shown),
        msg.fix(like),
        likeness=found.label,
        probability=round(found.probability, 2),
    )
    title = held.title if held is not None else _error_title(like.row_id)
    row = Result.from_outcome(like.row_id, title, outcome, required=False).with_evidence(
        found.lines
    )
    if place is None:
        return [*results, row]
    return [*results[:place], row, *results[place + 1 :]]


def warns(found: resemble.Resemblance) -> bool:
    """Is the likeness strong enough, read from enough of the paste and of a cause a row can
    state, to warn (before the rows' own guards)?"""
    return (
        found.probability >= THRESHOLD
        and found.terms >= MIN_TERMS
        and found.label in msg.LIKENESSES
    )


def _finding(row: Result) -> bool:
    """A failure, an error message the paste shows (a warning row of its own), or a cause the
    paste states in a sentence (verify.diagnosis.claim_rows): a likeness adds nothing to it
    (runpod-workers/worker-a1111#49: a Docker build on an M1 Max, the container's row)."""
    if row.status is Status.FAIL or claim_rows.claimed(row):
        return True
    return row.status is Status.WARN and row.id.startswith("error.")


def _error_title(row_id: str) -> str:
    return BY_ID[row_id.removeprefix("error.")].title
