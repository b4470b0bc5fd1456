"""An MPS problem on a torch that later releases fixed: how far behind the paste's torch was
(issue 12). Pure: Pasted and the rows so far in, rows out; texts in verify.behind_messages.

A maintainer's first answer to an MPS crash, a wrong value, an error inside an MPS kernel or
MPSGraph, or a torch.compile failure on "mps" is "update torch / try the nightly", and the threads
bear it out: the MPS backend was a prototype in 1.12 and has had kernel, MPSGraph and
Inductor fixes in every release since (pytorch/pytorch#92329: cumsum's negative dim, fixed
by #94530 for 2.0; #92615: LSTM training results, fixed for 2.0; #152155: a torch.compile Metal
kernel on 2.7.0, "should be fixed in the 2.8 timeframe"; ultralytics/yolov5#9107: "unsupported
datatype for constant" on 1.12.1, gone on the nightly; huggingface/transformers#31408: Whisper on
MPS with torch 2.3.0, "Upgrade to the latest version of torch"). The reading:

1. the kind of MPS problem the paste shows (`problem`): a crash in MPS / Metal (a native
   crash, a failed assertion of MPSGraph / MPSNDArray, MPSGraph's verifier), a torch.compile
   / Inductor error, a runtime error raised while the code used MPS, values that differ from
   the CPU's - and nothing torch prints about a limit it knows (those are verify.known_errors'
   rows: an op without a kernel, float64, out of memory, a macOS floor ...);
2. the torch the paste shows and the day it was written at the earliest (verify.timeline):
   which releases were out then, how many came after it by then and since (`lag`);
3. a warning row, `error.mps.fixed_in_newer_torch`, whose cause says both and whose fix is to
   update (to the newest release this Mac's macOS and chip still get) and re-run before
   anything else.

Never where the environment explains the failure (a failing row, an MPS error torch
recognises, MPS unavailable or not built, a sandbox, VM, container or remote session, Linux,
an x86_64 interpreter, an Intel Mac): those rows say what to fix and stay first. A warning, never
a failure: a wrong-results or healthy paste gets no failing row from it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from packaging.version import Version

from verify import behind_messages as msg
from verify import compat, rules
from verify.envdump import Pasted
from verify.lag import finals, lag
from verify.model import Result, Status, warned
from verify.paste.clues import finditer, line_at, stated
from verify.timeline import Written

ROW_ID = "error.mps.fixed_in_newer_torch"  # verify.regressions' row: the same finding
TITLE = "Pasted failure: fixed in a newer PyTorch"
MAX_EVIDENCE = 6

CRASH = "crash"
COMPILE = "compile"
RUNTIME = "runtime"
VALUES = "values"

_I = re.IGNORECASE
# MPS named: the device string, the backend, Apple's frameworks under it
_MPS = re.compile(r"(?<![A-Za-z])MPS(?![a-z])|\bmps\b|\bMPSGraph|\bMPSNDArray|\bMetal\b")
# a native crash of the process (the shell's or Python's words), and MPS' own failures:
# "MPSNDArray.mm:794: failed assertion `[MPSNDArray, initWithBuffer...` (pytorch/pytorch#92222),
# "/AppleInternal/Library/BuildRoots/.../MPSGraph/...: failed assertion", MPSGraph's MLIR
# verifier ("error: 'mps.matmul' op incompatible dimensions": Code-Amadeus/Amadeus#67)
_CRASH = re.compile(
    r"\bfailed assertion\b[^\n]*|"
    r"\b(?:bus error|segmentation fault|segfault|SIGABRT|SIGSEGV|SIGBUS|abort trap|"
    r"illegal hardware instruction)\b[^\n]*|"
    r"\berror: '?mps\.\w+'? op\b[^\n]*|"
    r"\bmps\.\w+: (?:incompatible|invalid|unsupported)\b[^\n]*",
    _I,
)
# torch.compile / Inductor failing (torch/_inductor/exc.py, torch/_dynamo/exc.py), or said to
# ("torch.compile on MPS fails: generated Metal kernel ...": pytorch/pytorch#152155)
_COMPILE = re.compile(
    r"\btorch\._inductor\.exc\.\w+[^\n]*|\bInductorError\b[^\n]*|"
    r"\bBackendCompilerFailed\b[^\n]*|\btorch\._dynamo\.exc\.\w+Error\b[^\n]*|"
    r"\btorch\.compile\b(?P<gap>[^.\n]{0,80}?)\b(?:fails?|failed|failing|errors?|crash\w*|"
    r"broken)\b[^\n]*",
    _I,
)
# the exceptions torch raises from a kernel or its dispatch (a TypeError or ValueError is the
# calling code's as often as torch's: not read); "INTERNAL ASSERT FAILED" is c10's TORCH_CHECK
_RAISED = re.compile(
    r"^[ \t>|]*(?:torch\.\w+\.)?(?:RuntimeError|NotImplementedError|IndexError)"
    r":[ \t]*\S[^\n]*|\bINTERNAL ASSERT FAILED\b[^\n]*",
    re.MULTILINE,
)
# a test's comparison failing: torch.testing's "Tensor-likes are not close!"
_NOT_CLOSE = re.compile(r"\bTensor-likes are not (?:close|equal)!?[^\n]*")
# said in words: "doesn't work with device='mps'" (pytorch/pytorch#92329's title), "unable to run
# whisper on MPS" (huggingface/transformers#31408), "Issue when training using MPS: ..."
# (ultralytics/yolov5#9107), "MPS acceleration fails for many commands"
_SAID = re.compile(
    r"\b(?:doesn'?t|does[ \t]+not|won'?t|can'?t|cannot|unable[ \t]+to|fails?[ \t]+to|"
    r"failed[ \t]+to|not[ \t]+able[ \t]+to)[ \t]+(?:work|run|train|infer|generate)\w*\b"
    r"[^.\n]{0,60}?\b(?:on|with|using|via)[ \t]+(?:the[ \t]+)?(?:device[ \t]*=[ \t]*)?"
    r"['\"`]?mps\b[^\n]*|"
    r"\b(?:errors?|issues?|problems?|bugs?|crash(?:es|ed)?|failures?)\b[^.\n]{0,40}?"
    r"\b(?:on|with|using|via|when[ \t]+using)[ \t]+(?:the[ \t]+)?['\"`]?mps\b[^\n]*|"
    r"\bMPS\b(?P<gap>[^.\n]{0,60}?)\b(?:fails?|failing|crash(?:es|ed)?|breaks|broken)\b[^\n]*",
    _I,
)
# values that differ from the CPU's: "produces much worse results than ... CPU"
# (pytorch/pytorch#92615), "mps and cpu give far different results", "NaN loss"
_VALUES = re.compile(
    r"\b(?:wrong|incorrect|different|differs?|worse|garbage|nonsense|gibberish|noisy|black|"
    r"blank|NaNs?|inconsistent|mismatch(?:ed|es)?|corrupt(?:ed)?)\b(?P<gap>[^.\n]{0,60}?)"
    r"\b(?:results?|outputs?|values?|images?|predictions?|loss(?:es)?|logits|gradients?)\b",
    _I,
)
_CPU = re.compile(r"\bCPU\b", _I)
# words between a subject and its verb that take it back: "MPS no longer crashes", "torch.compile
# does not fail"; a sentence that ends in "?" asks, it does not tell
_TAKEN_BACK = re.compile(r"\b(?:not|no[ \t]+longer|never|without)\b|n't\b", _I)
_SENTENCE_END = re.compile(r"[.!?\n]")


@dataclass(frozen=True)
class Problem:
    """The kind of MPS problem the paste shows, and the line that shows it."""

    kind: str  # CRASH | COMPILE | RUNTIME | VALUES
    line: str  # the pasted line, quoted (verify.paste.clues.quote)
    said: str  # the words that show it, as pasted


def _said(text: str, m: re.Match[str]) -> bool:
    """Stated of this paste: no negation just before it or between its subject and verb, and
    not a question."""
    if not stated(text, m, strict=False):
        return False
    gap = m.groupdict().get("gap")
    if gap and _TAKEN_BACK.search(gap):
        return False
    end = _SENTENCE_END.search(text, m.start())
    return not (end is not None and end.group(0) == "?")


def problem(pasted: Pasted) -> Problem | None:
    """The MPS problem the paste shows, first the most telling kind; None when it shows none
    or never names MPS."""
    text = pasted.text
    if not _MPS.search(text):
        return None
    for m in finditer(_CRASH, text, "ssert", "rror", "ault", "SIG", "bort", "llegal", "mps."):
        if _said(text, m):
            return _found(CRASH, text, m)
    for m in finditer(_COMPILE, text, "nductor", "dynamo", "compile"):
        if _said(text, m):
            return _found(COMPILE, text, m)
    for m in finditer(_NOT_CLOSE, text, "Tensor-likes"):
        return _found(VALUES, text, m)
    for m in finditer(_RAISED, text, "Error", "ASSERT"):
        return _found(RUNTIME, text, m)
    for m in finditer(_SAID, text, "mps", "MPS", "Mps"):
        if _said(text, m):
            return _found(RUNTIME, text, m)
    if _CPU.search(text):
        for m in finditer(_VALUES, text):
            if _said(text, m):
                return _found(VALUES, text, m)
    return None


def _found(kind: str, text: str, m: re.Match[str]) -> Problem:
    return Problem(kind, line_at(text, m.start()), m.group(0).strip())


# where the environment explains an MPS failure: its own rows say what to fix
_ELSEWHERE = ("sign.sandbox", "sign.vm", "sign.container", "sign.linux_vm_on_mac", "sign.remote")


def rows(results: list[Result], pasted: Pasted, written: Written | None) -> list[Result]:
    """The warning row for an MPS problem no known message explains, on a torch that later
    releases followed; [] where the environment or a recognised message says more."""
    f = pasted.facts
    if pasted.errors or any(r.id == ROW_ID for r in results):
        return []
    if any(
        r.status is Status.FAIL or (r.id.startswith("error.") and r.status is Status.WARN)
        for r in results
    ):
        return []
    if f.os not in (None, "Darwin") or any(pasted.has(s) for s in _ELSEWHERE):
        return []
    if f.mps_available is False or f.mps_built is False or f.machine == "x86_64":
        return []
    if rules.apple_silicon(f) is False or pasted.has("sign.intel_cpu"):
        return []  # an Intel Mac: 2.2.2 is its last torch (verify.rules' row)
    found = problem(pasted)
    if found is None:
        return []
    where = lag(f.torch_version, written)
    target = _target(f.macos_version, f.python_version, where.newest_now)
    cause, fix = msg.fixed_in_newer_torch(found.kind, where, target)
    outcome = warned(
        cause, fix, detail=found.said, message=found.said, environment=False, said=True
    )
    row = Result.from_outcome(ROW_ID, TITLE, outcome, required=False)
    lines = [found.line, *pasted.evidence.get("torch_version", [])[:1]]
    if written is not None:
        lines.append(written.line)
    unique = [x for i, x in enumerate(lines) if x and x not in lines[:i]]
    return [dataclasses.replace(row, evidence=tuple(unique[:MAX_EVIDENCE]))]


def _target(macos: str | None, python: str | None, newest: Version) -> Version:
    """The newest release this Mac can take: its macOS still runs MPS there (verify.compat's
    floors) and its Python has a wheel; the newest release when neither is shown."""
    best = newest
    first_without = compat.newest_torch_for_macos(macos) if macos else None
    if first_without is not None:
        below = [v for v in finals() if v < first_without]
        if below:
            best = min(best, below[-1])
    for_python = compat.newest_release_for_python(python) if python else None
    if for_python is not None:
        best = min(best, for_python)
    return best
