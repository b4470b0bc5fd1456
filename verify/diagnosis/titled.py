"""The pasted error a report's first line names (issue 12).

An issue's title (the paste's first line, "title, blank line, body") names what the thread is
about; where the paste shows several errors, the one its title quotes is the one to fix first
("MAC M1 AssertionError: Torch not compiled with CUDA enabled" above a device mismatch in its
traceback: smthemex/ComfyUI_StoryDiffusion#47, the node's hard-coded "cuda").
Pure: the rows and the text in, the rows out, an error row whose evidence shares a long run of
characters with that line marked `titled` (verify.diagnosis.diagnose.first_cause reads it).
Only a row's evidence is compared: a title quoting a line the row does not quote goes unmarked
(Stability-AI/generative-models#107: "LLVM ERROR: Failed to infer result type(s)" in the title,
the half-precision row quoting MPSGraph's broadcast error above it).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Sequence

from verify.diagnosis.paste.logprefix import unprefix
from verify.model import Result, Status

# the shortest shared run that counts: an error's words, not a common phrase ("on MPS device")
MIN_SHARED = 24
_SPACE = re.compile(r"\s+")


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            # as the rows' evidence reads it: a reply's "> " and a log's stamps cut
            return _SPACE.sub(" ", unprefix(line.strip()).strip())
    return ""


def _shares(title: str, line: str) -> bool:
    line = _SPACE.sub(" ", line.strip())
    if not line or line == title:
        return False  # the first line quoted as its own evidence says nothing of the title
    match = difflib.SequenceMatcher(None, title, line, autojunk=False).find_longest_match()
    return match.size >= MIN_SHARED


def mark(results: Sequence[Result], text: str) -> list[Result]:
    """The rows, a pasted error's marked where the paste's first line quotes it; only where the
    paste shows more than one error row (one alone needs no tie broken)."""
    errors = [
        r for r in results if r.id.startswith("error.") and r.status in (Status.FAIL, Status.WARN)
    ]
    title = _first_line(text)
    if len(errors) < 2 or len(title) < MIN_SHARED:
        return list(results)
    titled = {id(r) for r in errors if any(_shares(title, e) for e in r.evidence)}
    if not titled or len(titled) == len(errors):
        return list(results)
    return [
        dataclasses.replace(r, data={**r.data, "titled": True}) if id(r) in titled else r
        for r in results
    ]
