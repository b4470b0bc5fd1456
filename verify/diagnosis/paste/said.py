"""A workload limit of MPS told in words, with no torch message pasted (issue 12).

- float64 said to be unsupported on MPS ("as MPS doesn't support float64": invoke-ai/InvokeAI#7063;
  "float64 is not supported on MPS"; "MPS only supports float32") -> sign.float64_said, which
  verify.diagnosis.diagnose turns into the float64 row (the refusal torch prints is
  verify.known_errors');
- macOS killing the process for memory while it ran on MPS: the kernel's jetsam line
  ("kernel: memorystatus: killing largest compressed process python3.11 [5844] 43350 MB":
  aedocw/epub2tts-chatterbox#19) or the MPS allocator's own counters said to grow
  (torch.mps.driver_allocated_memory() climbing until the kill) -> sign.mps_memory_said, the
  out-of-memory row. Needs the word MPS in the paste: a Python killed for memory on a Mac
  that never used MPS is not this. The shell's "Killed: 9" / "zsh: killed" counts too (nothing
  but macOS's memory killer sends SIGKILL to a training run unasked: gensyn-ai/rl-swarm#59).

Also what a regression report tells (verify.diagnosis.regressions reads them against the torch
version):
- MPS said to fail or crash ("zsh: bus error", "(SIGABRT)", "MPS acceleration fails for many
  commands") -> sign.mps_failure_said;
- one torch release said to fail and a later one to work, line by line -> sign.newer_torch_works.

Pure: text in, clues out. A negation or a condition before the phrase ("if MPS doesn't support
float64 ...", "it is not that MPS lacks float64") gives nothing.
"""

from __future__ import annotations

import re

from verify.diagnosis.paste.clues import MPS_NAMED, WEAK, Clue, asked, clue, finditer, stated

_I = re.IGNORECASE
_F64 = (
    r"(?:float64s?|f64s?|fp64|torch\.float64|torch\.double|doubles?(?:[ \t]+precision)?|"
    r"64[- \t]?bit[ \t]+floats?)"
)
FLOAT64_SAID = re.compile(
    # "MPS doesn't support float64", "MPS does not support double precision"
    r"\bMPS\b[^.\n]{0,40}?\b(?:doesn'?t|does[ \t]+not|can'?t|cannot|won'?t)[ \t]+(?:yet[ \t]+)?"
    r"(?:support|handle|work[ \t]+with)[ \t]+(?:the[ \t]+)?" + _F64 + r"\b|"
    # "MPS has no float64 type implemented" (descriptinc/audiotools#103)
    r"\bMPS\b[^.\n]{0,40}?\bhas[ \t]+no[ \t]+" + _F64 + r"\b|"
    # "Fix MPS issue with lack of f64 support" (beyarkay/latent-space-explorer#2's title)
    r"\bMPS\b[^.\n]{0,40}?\black[ \t]+of[ \t]+" + _F64 + r"[ \t]+support\b|"
    # "float64 is not supported on MPS", "float64 isn't supported by the MPS backend"
    r"\b" + _F64 + r"\b[^.\n]{0,30}?\b(?:is|are)(?:[ \t]+not|n't)[ \t]+(?:yet[ \t]+)?supported"
    r"[ \t]+(?:on|by|in)[ \t]+(?:the[ \t]+)?MPS\b|"
    # "training on mps must occur with float32. Currently, the library supplies data in float64"
    # (etna-team/etna#612), "MPS requires float32"
    r"\bMPS\b[^.\n]{0,40}?\b(?:must|needs?|requires?|has[ \t]+to|have[ \t]+to)\b[^.\n]{0,25}?"
    r"\bfloat32\b|"
    # "It seems that MPS can only accept float32 tensors" (thu-ml/tianshou#1237)
    r"\bMPS\b[^.\n]{0,20}?\b(?:can|does)[ \t]+only[ \t]+(?:accept|use|handle|support)[ \t]+"
    r"float32\b|"
    # "MPS only supports float32", "pytorch only supports float32 for MPS"
    r"\b(?:MPS|pytorch|torch)\b[^.\n]{0,20}?\bonly[ \t]+supports?[ \t]+float32\b"
    r"(?:[^.\n]{0,20}?\bMPS\b)?|"
    # the float64 refusal named as an error of MPS or the Mac's chip: "Fix float64 error on
    # apple silicons." (Tiger14n/RVC-GUI#4), "an MPS float64 error"
    r"\b" + _F64 + r"[ \t]+(?:errors?|issues?|problems?|bugs?)[ \t]+(?:on|with|for|in)[ \t]+"
    r"(?:the[ \t]+)?(?:MPS|apple[ \t]+silicons?|M[1-5](?:[ \t]+Macs?)?)\b|"
    # "to avoid MPS float64 failures" (a note on Docling's `--device cpu` workaround:
    # context-infrastructure#29)
    r"\b(?:MPS|apple[ \t]+silicon)[ \t]+"
    + _F64
    + r"[ \t]+(?:errors?|issues?|problems?|failures?)\b|"
    # torch's refusal (a TypeError) said to come from float64 on MPS: "Helios schedulers raise
    # `TypeError` on MPS: `float64` without the device guard" (huggingface/diffusers#14367)
    r"\bTypeError`?[ \t]+on[ \t]+MPS\b[^.\n]{0,60}?`?" + _F64 + r"\b",
    _I,
)
# macOS's jetsam kill line (the kernel log, `log show`): the process killed for memory
JETSAM = re.compile(
    r"\bmemorystatus:[ \t]+kill(?:ing|ed)[^\n]*?\b(?:python|Python)[\w.]*[^\n]*", re.MULTILINE
)
# jetsam named in words as what killed the process: "macOS Jetsam (memory-pressure killer) was
# terminating the MPS-based Chatterbox sidecar" (opendigitalproductfactory#1322, an M5 Max)
JETSAM_SAID = re.compile(
    r"\bJetsam\b[^.\n]{0,40}?\b(?:kill(?:s|ed|ing)?|terminat(?:es|ed|ing))\b[^\n]*|"
    r"\b(?:killed|terminated)[ \t]+by[ \t]+(?:macOS(?:'s)?[ \t]+)?Jetsam\b[^\n]*",
    _I,
)
# the shell's word for a SIGKILL: "zsh: killed python ...", bash's "line 142: 33551 Killed: 9
# python -m ..." (gensyn-ai/rl-swarm#59: a training run on a 16 GB Mac, "likely an OoM"), fish's
# "terminated by signal SIGKILL"; on macOS nothing but jetsam sends it unasked
# Only a Python process counts: macOS also SIGKILLs a binary whose code signature is invalid
# ("zsh: killed ./ffmpeg" on Apple silicon), which is no memory matter.
SHELL_KILLED = re.compile(
    r"(?:\bzsh:[ \t]+killed\b|\bKilled:[ \t]*9\b|terminated by signal SIGKILL)"
    r"(?=[^\n]*\b(?:python[\d.]*|Python)\b)(?![^\n]*code.?sign)[^\n]*"
)
# the MPS allocator's counters said to grow without bound
MPS_MEMORY_GROWS = re.compile(
    r"\b(?:torch\.mps\.)?driver_allocated_memory\(\)[^.\n]{0,40}?"
    r"\b(?:climbs|grows|keeps[ \t]+growing|increases|goes[ \t]+up)\b[^\n]*",
    _I,
)


# MPS said to fail or crash: a native crash the shell or Python reports ("zsh: bus error",
# "Segmentation fault", "(SIGABRT)", "failed assertion"), or "fails" / "crashes" in a sentence
# that names MPS ("MPS acceleration fails for many commands": pytorch/pytorch#117465)
CRASH = re.compile(
    r"\b(?:bus error|segmentation fault|segfault|SIGABRT|SIGSEGV|SIGBUS|abort trap|"
    r"illegal hardware instruction|failed assertion)\b[^\n]*|"
    # the MPS framework's assertion on a tensor's buffer, pasted without its "-[MPSNDArray
    # initWithBufferImpl:...]" head: "Error: buffer is not large enough. Must be 29000 bytes"
    # (pytorch/pytorch#87351 on the 1.14.0.dev20221019 nightly, fixed in later releases)
    r"\bbuffer is not large enough\. Must be \d+ bytes[^\n]*",
    re.IGNORECASE,
)
MPS_FAILS = re.compile(
    r"\bMPS\b[^.\n]{0,60}?\b(?:fails?|failing|crash(?:es|ed)?|breaks|broke(?:n)?)\b[^.\n]*",
    re.IGNORECASE,
)
# one torch release said to fail and a later one to work, each on its own line (a comparison
# users write after trying two: "- **Torch/Torchaudio 2.5.1**: inference crashes ... (SIGABRT)",
# "- **Torch/Torchaudio 2.7.0**: recognised correctly twice": Code-Amadeus/Amadeus#67, in
# Chinese). The words are checked on the release's own line.
_TORCH_ON_LINE = re.compile(
    r"^[^\n]*?\b(?:Py)?Torch\b[^\n\d]{0,25}?(\d\.\d{1,2}(?:\.\d{1,2})?)(?:\.dev\d{8})?(?![\d.])"
    r"[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)
_FAIL_WORDS = re.compile(
    r"\b(?:crash(?:es|ed)?|fails?|failed|broken|error|SIGABRT|SIGSEGV|segfault|abort(?:s|ed)?)\b|"
    r"崩溃|报错|失败|错误",
    re.IGNORECASE,
)
_WORK_WORDS = re.compile(
    r"\b(?:works?|worked|working|fixed|fine|correct(?:ly)?|no (?:crash|error)s?)\b|"
    r"正确|正常|成功|可以",
    re.IGNORECASE,
)


def _newer_torch_works(text: str) -> list[Clue]:
    fails: list[tuple[str, re.Match[str]]] = []
    works: list[tuple[str, re.Match[str]]] = []
    for m in finditer(_TORCH_ON_LINE, text, "orch", "ORCH"):
        line = m.group(0)
        bad, good = _told(line)
        if not bad and not good:
            # the words under the release's line, up to the next release named (ultralytics/
            # yolov5#11320: "Inference with torch 2.0.0, ..." / an image / "It just didn't work")
            after = []
            for below in text[m.end() :].split("\n", 7)[1:7]:
                if _TORCH_ON_LINE.match(below):
                    break
                after.append(below)
            bad, good = _told("\n".join(after))
        if bad and not good:
            fails.append((m.group(1), m))
        elif good and not bad:
            works.append((m.group(1), m))
    fails.extend(f for f in _compared_in_a_line(text, works) if f)
    for old, om in fails:
        for new, nm in works:
            if _version(new) > _version(old):
                said = (old, new, om.group(0).strip())
                return [
                    clue("sign.newer_torch_works", said, text, om, WEAK),
                    clue("sign.newer_torch_works", said, text, nm, WEAK),
                ]
    return []


# one line that compares two releases clause by clause ("It's pretty bad in PyTorch 2.1, but it
# gets almost the same loss than on CPU and cuda devices in PyTorch 2.4": rasbt/LLMs-from-scratch
# #324, on MPS): each clause naming one release is judged by its own words
_CLAUSE_END = re.compile(r",[ \t]*(?:but|while|whereas)\b|;|\.[ \t]+|\b(?:while|whereas)\b", re.I)
_TORCH_IN_CLAUSE = re.compile(
    r"\b(?:Py)?Torch\b[^\n\d]{0,25}?(\d\.\d{1,2}(?:\.\d{1,2})?)(?!\d|\.\d)", re.IGNORECASE
)
_LINE = re.compile(r"[^\n]*")
# how a comparison says a release is bad or fine: worse / the same as the CPU's
_BAD = re.compile(r"\b(?:bad|worse|wrong|garbage|unusable)\b", re.IGNORECASE)
_SAME = re.compile(
    r"\b(?:usable|(?:the[ \t]+)?same[ \t]+(?:loss|results?|outputs?|values?)|matches)\b",
    re.IGNORECASE,
)


def _compared_in_a_line(
    text: str, works: list[tuple[str, re.Match[str]]]
) -> list[tuple[str, re.Match[str]]]:
    """Releases said bad in a clause of a line that names two (the fails); the ones said fine
    there are added to `works`."""
    fails: list[tuple[str, re.Match[str]]] = []
    lines: dict[int, int] = {}  # a line's start -> how many releases it names
    for m in finditer(_TORCH_IN_CLAUSE, text, "orch", "ORCH"):
        at = text.rfind("\n", 0, m.start()) + 1
        lines[at] = lines.get(at, 0) + 1
    for at in (at for at, n in lines.items() if n >= 2):
        end_of_line = text.find("\n", at)
        line = _LINE.match(text, at, end_of_line if end_of_line >= 0 else len(text))
        if line is None:
            continue
        named = list(_TORCH_IN_CLAUSE.finditer(line.group(0)))
        start = 0
        for cut in [*_CLAUSE_END.finditer(line.group(0)), None]:
            end = cut.start() if cut is not None else len(line.group(0))
            inside = [m for m in named if start <= m.start() < end]
            clause = line.group(0)[start:end]
            start = cut.end() if cut is not None else end
            if len(inside) != 1:
                continue
            bad, good = _told(clause)
            bad, good = bad or bool(_BAD.search(clause)), good or bool(_SAME.search(clause))
            if bad and not good:
                fails.append((inside[0].group(1), line))
            elif good and not bad:
                works.append((inside[0].group(1), line))
    return fails


# "didn't work", "does not work", "not working": a failure, whatever "work" says alone
_NOT_WORKING = re.compile(
    r"\b(?:didn'?t|did[ \t]+not|doesn'?t|does[ \t]+not|don'?t|do[ \t]+not|isn'?t|not)[ \t]+"
    r"(?:\w+[ \t]+)?work(?:s|ed|ing)?\b",
    re.IGNORECASE,
)


def _told(words: str) -> tuple[bool, bool]:
    """(said to fail, said to work) of the words about one release."""
    negated = _NOT_WORKING.search(words)
    rest = _NOT_WORKING.sub(" ", words)
    return bool(negated or _FAIL_WORDS.search(rest)), bool(_WORK_WORDS.search(rest))


def _version(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in v.split("."))


# code that makes a float64 tensor and moves it to MPS, which torch refuses ("Cannot convert a MPS
# Tensor to float64 dtype as the MPS framework doesn't support float64", aten/src/ATen/mps/
# EmptyTensor.cpp): pytorch/pytorch#122602 pasted `tensor = torch.tensor(img_data).type(
# torch.float64)` and `return tensor.to('mps')` with the error only as a screenshot. Read: one
# line that casts to float64 (and to nothing after it), the same expression or its variable
# moved to a literal 'mps' within the next 3 lines, the variable not assigned again between.
_F64_TYPE = r"(?:torch\.float64|torch\.double|\.double\(\))"
_TO_MPS = r"\.to\([ \t]*(?:device[ \t]*=[ \t]*)?['\"]mps(?::\d+)?['\"]"
_F64_AT = re.compile(_F64_TYPE)
F64_CAST = re.compile(
    rf"[ \t>]*(?:(?P<var>\w+)[ \t]*=[ \t]*)?[^\n]*?{_F64_TYPE}\)*(?P<moved>[ \t]*{_TO_MPS})?"
    r"(?P<rest>[^\n]*)"
)
_CAST_AGAIN = re.compile(r"float32|float16|bfloat16|\.float\(\)|\.half\(\)|\.to\(torch\.")


def _float64_to_mps(text: str) -> list[Clue]:
    for at in finditer(_F64_AT, text, "float64", "double"):
        start = text.rfind("\n", 0, at.start()) + 1
        end = text.find("\n", at.end())
        end = len(text) if end < 0 else end
        m = F64_CAST.fullmatch(text, start, end)
        if not m or _CAST_AGAIN.search(m.group("rest")):
            continue
        if m.group("moved"):
            return [clue("sign.float64_said", m.group(0).strip(), text, m, WEAK)]
        var = m.group("var")
        if not var:
            continue
        for line in text[end:].split("\n", 4)[1:4]:
            if re.match(rf"[ \t>]*{var}[ \t]*=(?!=)", line):
                break
            if re.search(rf"\b{var}{_TO_MPS}", line):
                return [clue("sign.float64_said", m.group(0).strip(), text, m, WEAK)]
    return []


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(FLOAT64_SAID, text, "loat", "LOAT", "FP64", "fp64", "f64", "ouble", "64-bit"):
        if stated(text, m, strict=False) and not asked(text, m):
            out.append(clue("sign.float64_said", m.group(0).strip(), text, m, WEAK))
            break
    if not out and "mps" in text:
        out.extend(_float64_to_mps(text))
    out.extend(_newer_torch_works(text))
    for found in (
        finditer(CRASH, text, "rror", "ault", "SIG", "bort", "llegal", "ssertion", "large enough"),
        finditer(MPS_FAILS, text, "MPS", "mps"),
    ):
        for m in found:
            if stated(text, m, strict=False):
                out.append(clue("sign.mps_failure_said", m.group(0).strip(), text, m, WEAK))
                break
    if MPS_NAMED.search(text):
        for found in (
            finditer(JETSAM, text, "memorystatus"),
            finditer(JETSAM_SAID, text, "etsam"),
            finditer(MPS_MEMORY_GROWS, text, "driver_allocated_memory"),
            finditer(SHELL_KILLED, text, "killed", "Killed", "SIGKILL"),
        ):
            for m in found:
                out.append(clue("sign.mps_memory_said", m.group(0).strip(), text, m, WEAK))
                break
    return out
