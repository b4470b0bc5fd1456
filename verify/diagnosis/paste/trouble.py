"""The kind of MPS problem a paste shows where no message torch prints explains it (issue 12).

verify.diagnosis.behind reads it against the torch's age. The kinds, most telling first:

- a crash in MPS or Metal: a native crash ("zsh: bus error", "Segmentation fault", SIGABRT), a
  `failed assertion` of MPSNDArray / MPSGraph, MPSGraph's MLIR verifier, Metal's "command buffer
  exited with error status";
- a torch.compile / Inductor error (torch/_inductor/exc.py, torch/_dynamo/exc.py), or one said;
- an exception torch raises from a kernel (RuntimeError, IndexError,
  "INTERNAL ASSERT FAILED") in a paste that names MPS, or MPS said in words to fail ("doesn't
  work with device='mps'", "unable to run ... on MPS", "MPS ... crashes");
- values that differ from the CPU's ("much worse results than ... CPU", "Tensor-likes are not
  close!").

-> sign.mps_problem, value (kind, the words as pasted). Needs MPS named in the paste. A negation
between subject and verb ("MPS no longer crashes"), a negation just before, or a question
gives nothing. Pure: text in, clues out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verify.diagnosis.paste.clues import WEAK, Clue, clue, finditer, line_at, stated

CRASH = "crash"
COMPILE = "compile"
RUNTIME = "runtime"
VALUES = "values"

_I = re.IGNORECASE
# MPS named: the device string, the backend, Apple's frameworks under it - in any case, as an
# assertion's path is sometimes pasted lower-cased ("/appleinternal/library/buildroots/.../
# metalperformanceshadersgraph/mpsgraph/...: failed assertion": CompVis/stable-diffusion#745), or
# MPSGraph's own source file in C's assert() ("function getKernelAxes, file GPUReductionOps.mm":
# pytorch/pytorch#129960, whose paste names MPS nowhere else)
_MPS = re.compile(
    r"(?<![A-Za-z])MPS(?![a-z])|\bmps\b|\bMetal\b|"
    r"(?i:\bMPSGraph|\bMPSNDArray|\bMetalPerformanceShaders)|"
    r"\bfile GPU\w+Ops\.mm\b"
)
# a native crash of the process (the shell's or Python's words), and MPS' own failures:
# "MPSNDArray.mm:794: failed assertion `[MPSNDArray, initWithBuffer...` (pytorch/pytorch#92222),
# "/AppleInternal/Library/BuildRoots/.../MPSGraph/...: failed assertion", MPSGraph's MLIR
# verifier ("error: 'mps.matmul' op incompatible dimensions": Code-Amadeus/Amadeus#67) and its
# located form ('loc("mps_add"("(mpsFileLoc): .../MPSGraphUtilities.mm":228:0)): error: input
# types ... are not broadcast compatible' then "LLVM ERROR: Failed to infer result type(s).":
# hako-mikan/sd-webui-negpip#31; pytorch/pytorch#104642), Metal's "Error: command buffer exited
# with error status." (pytorch/pytorch#119968); C's assert() as macOS prints it ("Assertion
# failed: (0 <= mpsAxis && mpsAxis < 4 && ...), function encodeNDArrayOp, file
# GPUReductionOps.mm, line 76.": pytorch/pytorch#95538); MPSGraph's compiler giving up ("Error:
# MLIR pass manager failed": lllyasviel/Fooocus#3901's title, pytorch/pytorch#197796)
_CRASH = re.compile(
    r"\bfailed assertion\b[^\n]*|\bAssertion failed: \([^\n]*|\bMLIR pass manager failed\b[^\n]*|"
    r"\bloc\(\"mps_\w+\"[^\n]*?\): error: [^\n]*|\bLLVM ERROR: Failed to infer result type[^\n]*|"
    r"\bcommand buffer exited with error status\b[^\n]*|"
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
# calling code's as often as torch's: not read; a NotImplementedError is an operator missing,
# verify.known_errors' and verify.diagnosis.opsupport's, not a bug a release fixed); "INTERNAL
# ASSERT
# FAILED" is c10's TORCH_CHECK
_RAISED = re.compile(
    r"^[ \t>|]*(?:torch\.\w+\.)?(?:RuntimeError|IndexError)"
    r":[ \t]*\S[^\n]*|\bINTERNAL ASSERT FAILED\b[^\n]*",
    re.MULTILINE,
)
# a test's comparison failing: torch.testing's "Tensor-likes are not close!"
_NOT_CLOSE = re.compile(r"\bTensor-likes are not (?:close|equal)!?[^\n]*")
# said in words: "doesn't work with device='mps'" (pytorch/pytorch#92329's title), "unable to run
# whisper on MPS" (huggingface/transformers#31408), "Issue when training using MPS: ..."
# (ultralytics/yolov5#9107), "MPS acceleration fails for many commands"
_SAID = re.compile(
    # "GPT2LMHeadModel not working with mps device" (huggingface/transformers#20415's title)
    r"\b(?:doesn'?t|does[ \t]+not|won'?t|can'?t|cannot|unable[ \t]+to|fails?[ \t]+to|"
    r"failed[ \t]+to|not[ \t]+able[ \t]+to|not)[ \t]+(?:work|run|train|infer|generate)\w*\b"
    r"[^.\n]{0,60}?\b(?:on|with|using|via)[ \t]+(?:the[ \t]+)?(?:device[ \t]*=[ \t]*)?"
    r"['\"`]?mps\b[^\n]*|"
    r"\b(?:errors?|issues?|problems?|bugs?|crash(?:es|ed)?|failures?)\b[^.\n]{0,40}?"
    r"\b(?:on|with|using|via|when[ \t]+using)[ \t]+(?:the[ \t]+)?['\"`]?mps\b[^\n]*|"
    r"\bMPS\b(?P<gap>[^.\n]{0,60}?)\b(?:fails?|failing|crash(?:es|ed)?|breaks|broken)\b[^\n]*|"
    # the same in Chinese, as the threads of Chinese projects write it ("推理崩溃, 报 `mps.matmul
    # ...`": Code-Amadeus/Amadeus#67; said.py's failure words): MPS, then crash / error / fail
    r"(?<![A-Za-z])MPS(?![A-Za-z])(?P<gap2>[^。.\n]{0,30}?)(?:崩溃|报错|出错|失败)[^\n]*",
    _I,
)
# values that differ from the CPU's: "produces much worse results than ... CPU"
# (pytorch/pytorch#92615), "mps and cpu give far different results", "NaN loss"
# ("Unexpected Results of In-Place Zeroing on Sliced Tensor with MPS Device": pytorch/pytorch
# #114692's title; "a correctness issue with torch.compile ... on MPS": #170360)
_VALUES = re.compile(
    r"\b(?:wrong|incorrect|different|differs?|worse|garbage|nonsense|gibberish|noisy|black|"
    r"blank|NaNs?|inconsistent|mismatch(?:ed|es)?|corrupt(?:ed)?|unexpected)\b"
    r"(?P<gap>[^.\n]{0,60}?)"
    r"\b(?:results?|outputs?|values?|images?|predictions?|loss(?:es)?|logits|gradients?)\b|"
    r"\bcorrectness[ \t]+(?:issue|bug|problem|error)s?\b",
    _I,
)
_CPU = re.compile(r"\bCPU\b", _I)
# words between a subject and its verb that take it back: "MPS no longer crashes", "torch.compile
# does not fail"; a sentence that ends in "?" asks, it does not tell
_TAKEN_BACK = re.compile(r"\b(?:not|no[ \t]+longer|never|without)\b|n't\b|不|没|未|无", _I)
_SENTENCE_END = re.compile("[.!?\n\u3002\uff01\uff1f]")  # and the full-width ones


@dataclass(frozen=True)
class Problem:
    """The kind of MPS problem the paste shows, and the line that shows it."""

    kind: str  # CRASH | COMPILE | RUNTIME | VALUES
    line: str  # the pasted line, quoted (verify.diagnosis.paste.clues.quote)
    said: str  # the words that show it, as pasted


def _said(text: str, m: re.Match[str]) -> bool:
    """Stated of this paste: no negation just before it or between its subject and verb, and
    not a question."""
    if not stated(text, m, strict=False):
        return False
    gap = m.groupdict().get("gap") or m.groupdict().get("gap2")
    if gap and _TAKEN_BACK.search(gap):
        return False
    end = _SENTENCE_END.search(text, m.start())
    return not (end is not None and end.group(0) in "?\uff1f")


def problem(text: str) -> Problem | None:
    """The MPS problem the text shows, first the most telling kind; None when it shows none
    or never names MPS."""
    if not _MPS.search(text):
        return None
    for m in finditer(
        _CRASH, text, "ssert", "rror", "RROR", "ault", "SIG", "bort", "llegal", "mps"
    ):
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


# an exception that stopped the run, its own line cut from the paste: Python's traceback header,
# or the words that introduce one ("With current pip version of PyTorch (1.12), it raises the
# following exception:", then the traceback: DLR-RM/stable-baselines3#914) -> sign.raised, which
# verify.diagnosis.behind reads only on a torch of MPS's first releases
_RAISED_UNNAMED = re.compile(
    r"^[ \t>]*Traceback \(most recent call last\):|"
    r"\b(?:raises|raised|throws|threw|gets?|got|getting|gives?|gave|giving)[ \t]+"
    r"(?:the[ \t]+following|an?|this)[ \t]+(?:exception|error)\b[^\n]*",
    re.MULTILINE,
)


def read(text: str) -> list[Clue]:
    found = problem(text)
    if found is None:
        if not _MPS.search(text):
            return []
        needles = ("Traceback", "raise", "throw", "threw", "get", "got", "give", "gave", "giving")
        for m in finditer(_RAISED_UNNAMED, text, *needles):
            if _said(text, m):
                return [clue("sign.raised", m.group(0).strip(), text, m, WEAK)]
        return []
    return [Clue("sign.mps_problem", (found.kind, found.said), found.line, WEAK)]
