"""Which wheels exist (torch's, a pinned release's), said in words by users and maintainers
(issue 12).

An installer's refusal is often not pasted at all: the thread says in a sentence what it
established. These sentences carry the cause of a failed install:

- no wheels for a Python: "https://download.pytorch.org/whl/torch_stable.html does not include
  pre-compiled wheels for 2.1.0 with Python 3.12" (EveryVoiceTTS/EveryVoice#329), "there are no
  binary builds for Python-3.12 yet" (malfet in pytorch/pytorch#112478), "There is no torch linux
  version for python 3.12" (pytorch/pytorch#113787), "On PyPI, there is no wheel for Python 3.10
  yet" (pytorch/pytorch#71112), "`torch==3.1.0` has a wheel for py3.11, but NOT py3.12"
  (Woolverine94/biniou#62), "Pytorch for Python 3.12 not available" (pytorch/pytorch#110436's
  title), "torch does not support Python 3.13 yet" -> sign.python_said_no_wheels (the release
  when named, the Python) and python_version (WEAK: the Python the thread is about). Where a
  release is named, verify.compat's release table must agree that it has no wheel for that
  Python on some platform, or the sentence gives nothing (a claim the wheels contradict is not
  the cause).
- no macOS x86_64 (Intel Mac) builds: "PyTorch 2.3.0 doesn't support Intel Macs"
  (i-dot-ai/redbox#345), "Pytorch has deprecated support for intel macs" (climatepolicyradar/
  knowledge-graph#55), "PyTorch officially dropped macOS x86_64 (Intel) binary support after
  v2.2.2" (langflow-ai/langflow#12469), "No PyTorch Build Distribution for Intel Macs"
  (pytorch/pytorch#131766's title), "version 2.2.2 is last version for Intel Mac"
  (mindverse/Second-Me#32), "PyTorch macOS x86 builds were deprecated" (everycure-org/matrix#932),
  and the same in Chinese, "torch2.4.1没有mac intel处理器版本" (torch 2.4.1 has no Mac Intel
  version: FunAudioLLM/CosyVoice#501) -> sign.x86_64_said_dropped (the release named, if any
  past 2.2.2), with os Darwin and sign.intel_cpu (WEAK): a thread says so because its Mac is an
  Intel one. PyTorch's macOS x86_64 builds end at 2.2.2 (verify.compat.LAST_MACOS_X86_64_WHEEL),
  so a release named at or below it makes the sentence about something else. A release's macOS
  wheels said to be arm64 only ("`torch==2.4.1` provide supports for macOS, but only for the arm
  architecture": astral-sh/uv#7557, on an x86 Mac) is the same sign, and so is what the project
  runs said not to work there ("incompatible with intel based mac architectures":
  sktime/sktime#8495, whose x86_64 workers were stuck at torch 2.2.2).

- any package's install said to fail because of one pinned release ("The current requirements
  won't install with MacOS 15 Python 3.12 because numpy==1.23.5 requirement.": SWivid/F5-TTS#95)
  -> sign.pin_said_failing (the release, as an installer's refusal of it would name it), which
  verify.diagnosis.package_wheels weighs against that release's macOS wheels.

A question ("Are there no wheels for Python 3.13?"), a condition ("if there are no wheels for
your Python") or a negation before the phrase gives nothing (verify.diagnosis.paste.clues).
"""

from __future__ import annotations

import re

from verify import compat
from verify.diagnosis.paste.clues import WEAK, Clue, asked, clue, finditer, stated
from verify.diagnosis.paste.gpuonly import NoRelease

_I = re.IGNORECASE
_REL = r"v?(\d\.\d{1,2}(?:\.\d{1,2})?)"
_PY = r"(?:C?Python|py)[- ]?v?(3\.\d{1,2})(?![\d.]*\d)"
_TORCH = r"(?:py)?torch"
# "no pre-compiled wheels", "no torch linux version", "no binary builds", "not any wheels"
_NONE = (
    r"(?:\bno|\bnot\s+any|does\s?n[o']t\s+(?:include|have|provide|ship|offer)(?:\s+any)?|"
    r"do\s?n[o']t\s+(?:have|provide|ship)(?:\s+any)?|\black(?:s|ing)?)\s+"
)
_KIND = (
    r"(?:(?:pre-?compiled|pre-?built|official|binary|compiled|torch|pytorch|pypi|linux|mac(?:OS)?|"
    r"windows|arm64|cpu|stable)\s+){0,3}"
    r"(?:wheels?|whl|binar(?:y|ies)|builds?|versions?|releases?|packages?|distributions?)"
)
NO_WHEELS_FOR_PYTHON = re.compile(
    _NONE
    + _KIND
    + r"(?:\s+(?:of|for)\s+(?:"
    + _TORCH
    + r"\s*)?(?:==\s*)?"
    + _REL
    + r")?\s+(?:available\s+)?(?:for|with|on|supporting)\s+"
    + _PY,
    _I,
)
# "`torch==3.1.0` has a wheel for py3.11, but NOT py3.12"
BUT_NOT = re.compile(
    r"(?:" + _TORCH + r"[ \t]*(?:==|[ \t])[ \t]*" + _REL + r"`?[ \t]+)?"
    r"(?:has|have|ships?|provides?)[ \t]+(?:a[ \t]+)?(?:wheels?|builds?|binar(?:y|ies))[ \t]+"
    r"for[ \t]+" + _PY + r",?[ \t]+but[ \t]+not[ \t]+(?:for[ \t]+)?" + _PY,
    _I,
)
# "PyTorch does not support Python 3.13 yet", "torch 2.1 isn't available for Python 3.12",
# "Pytorch for Python 3.12 not available"
NOT_FOR_PYTHON = re.compile(
    r"\b" + _TORCH + r"(?:[ \t]*(?:==|[ \t])[ \t]*" + _REL + r")?[ \t]+"
    r"(?:(?:is|are|does|do)[ \t]*n[o']t|(?:is|are|does|do)[ \t]+not|has[ \t]+not[ \t]+been|"
    r"has[ \t]*n't[ \t]+been)[ \t]+(?:yet[ \t]+)?"
    r"(?:support(?:ed)?|available|compatible|released|built|out)[ \t]+(?:yet[ \t]+)?"
    r"(?:(?:for|with|on|in)[ \t]+)?" + _PY + r"|"
    r"\b" + _TORCH + r"[ \t]+(?:wheels?[ \t]+)?for[ \t]+" + _PY + r"[ \t]+(?:is[ \t]+|are[ \t]+)?"
    r"not[ \t]+(?:yet[ \t]+)?(?:available|supported|released|out)",
    _I,
)

# "Wheel binaries are not available for Python 3.11 Windows x86-64" (pytorch/pytorch#92826),
# "PyTorch builds again python-3.10 are not yet supported for 1.10" (malfet in
# pytorch/pytorch#67669): the wheels / builds themselves the subject, named as torch's or by no
# package at all (another package's "sentencepiece wheels are not available ..." is not torch's)
WHEELS_NOT_FOR_PYTHON = re.compile(
    r"(?:(?<![\w.-])(?:(?:py)?torch|the|official|wheel|binary|\A|(?<=\n)|(?<=[.!?][ \t]))[ \t]*)"
    r"(?:wheels?|wheel[ \t]+binaries|binar(?:y|ies)|builds?)[ \t]+"
    r"(?:(?:again|against|for|with)[ \t]+" + _PY + r"[ \t]+)?"
    r"(?:are|is)[ \t]+not[ \t]+(?:yet[ \t]+)?(?:available|supported|published|released)"
    r"(?:[ \t]+(?:for|on)[ \t]+" + _PY + r")?"
    r"(?:[ \t]+for[ \t]+(?:(?:py)?torch[ \t]+)?" + _REL + r")?",
    _I,
)
# the CUDA / ROCm index told to be what an install on macOS uses: "`uv sync` on macOS tries to
# pull wheels from the cu126 (CUDA-only) PyTorch index" (nikopueringer/CorridorKey#82)
CUDA_INDEX_ON_MAC = re.compile(
    r"\bon[ \t]+(?:mac[ \t]?OS|(?:an?[ \t]+|my[ \t]+)?Mac|Apple[ \t]+Silicon)\b[^.\n]{0,60}?"
    r"\b(?:pull|install|fetch|download|resolv|sync|tak|get)\w*\b[^.\n]{0,40}?"
    r"\b(cu\d{2,3}|rocm\d[\d.]*)\b[^.\n]{0,30}?\bindex\b",
    _I,
)
# a CUDA / ROCm build of torch told to be what an install puts on a Mac that cannot run it:
# "Line 54 installs cu117 pytorch, which is also incompatible (apple silicon)"
# (IAHispano/Applio#303: the macOS install script's CUDA 11.7 wheels), "installs the CUDA version
# of torch, which does not work on Mac"
CUDA_BUILD_ON_MAC = re.compile(
    r"\b(?:install|pull|download|fetch)(?:s|ed|ing)?[ \t]+(?:the[ \t]+|a[ \t]+)?"
    r"(cu\d{2,3}|rocm[\d.]*|CUDA)[ \t]+(?:(?:build|version|wheels?)[ \t]+(?:of[ \t]+)?)?"
    + _TORCH
    + r"\b[^.\n]{0,40}?\b(?:incompatible|not[ \t]+compatible|does[ \t]*n[o']t[ \t]+work|"
    r"not[ \t]+supported)\b[^.\n]{0,30}?\b(?:Apple[ \t]+Silicon|mac(?:OS)?|M[1-9])\b",
    _I,
)

# the Intel Mac: "Intel Mac(s)", "intel macs", "macOS x86_64", "x86 macOS", "Mac x86", "OSX64"
_INTEL_MAC = (
    r"(?:(?:Intel|x86(?:[_-]64)?|x64|AMD64)(?:[ \t]*\([^)\n]{0,20}\))?[- \t]*(?:based[ \t]+)?"
    r"(?:Mac(?:Book(?:[ \t]?(?:Pro|Air))?|s|OS|[ \t]OS(?:[ \t]?X)?)?|iMacs?|OSX(?:[ \t-]?64)?)|"
    r"mac[ \t]?OS(?:[ \t]?X)?[ \t]*\(?(?:Intel|x86(?:[_-]64)?|x64|AMD64)\)?|"
    r"Mac[ \t]+(?:Intel|x86(?:[_-]64)?)|osx-64|OSX64)\b"
)
DROPPED = re.compile(
    # "PyTorch 2.3.0 doesn't support Intel Macs", "Pytorch has deprecated support for intel
    # macs", "PyTorch officially dropped macOS x86_64 (Intel) binary support after v2.2.2"
    r"\b" + _TORCH + r"(?:[ \t]*(?:==|[ \t])[ \t]*" + _REL + r")?[ \t]+(?:has[ \t]+|have[ \t]+)?"
    r"(?:officially[ \t]+)?(?:does[ \t]*n[o']t[ \t]+support|no[ \t]+longer[ \t]+"
    r"(?:supports?|builds?|publishes|ships?|provides?)|(?:dropped|deprecated|stopped|ended|"
    r"discontinued|removed)(?:[ \t]+(?:official[ \t]+)?(?:support|builds|wheels|binaries)"
    r"(?:[ \t]+for)?)?)[ \t]+" + _INTEL_MAC + r"|"
    # "No PyTorch Build Distribution for Intel Macs", "no torch wheels for macOS x86_64"
    r"\bno[ \t]+(?:official[ \t]+)?" + _TORCH + r"[ \t]+(?:[\w.]+[ \t]+){0,2}?"
    r"(?:builds?|wheels?|binar(?:y|ies)|distributions?|releases?)[ \t]+for[ \t]+"
    + _INTEL_MAC
    + r"|"
    # "PyTorch macOS x86 builds were deprecated"
    r"\b" + _TORCH + r"[ \t]+" + _INTEL_MAC + r"[ \t]+(?:builds?|wheels?|binaries|support)[ \t]+"
    r"(?:(?:was|were|has[ \t]+been|have[ \t]+been|is|are)[ \t]+)?(?:deprecated|dropped|"
    r"discontinued|ended|removed)|"
    # "version 2.2.2 is last version for Intel Mac", "2.2.2 was the last release supporting
    # macOS x86_64"
    r"\b(2\.2(?:\.[0-2])?)[ \t]+(?:is|was)[ \t]+(?:the[ \t]+)?last[ \t]+(?:\w+[ \t]+)?"
    r"(?:version|release|build)[ \t]+(?:for|supporting|that[ \t]+supports|with)[ \t]+"
    + _INTEL_MAC
    + r"|"
    # the Intel Mac as the subject, the torch release after: "Macos x86 has been deprecated by
    # since `torch==2.2.2 `" (e2b-dev/desktop#5)
    + _INTEL_MAC
    + r"[ \t]+(?:support[ \t]+)?(?:has[ \t]+been|have[ \t]+been|was|were|is|are)[ \t]+"
    r"(?:deprecated|dropped|discontinued)\b[^\n.]{0,20}?\b(?:since|after|from)[ \t]+`?"
    + _TORCH
    + r"[ \t]*(?:==|[ \t])[ \t]*"
    + _REL,
    _I,
)
# what a project runs said not to work on Intel Macs: "`ChronosForecaster` and
# `TinyTimeMixerForecaster` are incompatible with intel based mac architectures"
# (sktime/sktime#8495: the x86_64 workers stuck at torch 2.2.2), "does not work on Intel Macs"
INCOMPATIBLE = re.compile(
    r"\b(?:(?:is|are)[ \t]+(?:not[ \t]+compatible|incompatible)[ \t]+with|"
    r"(?:does|do)[ \t]*(?:not|n't)[ \t]+(?:work|run|install)[ \t]+on|"
    r"(?:is|are)[ \t]+not[ \t]+supported[ \t]+on|fails?[ \t]+(?:to[ \t]+install[ \t]+)?on)"
    r"[ \t]+(?:the[ \t]+|an?[ \t]+|my[ \t]+)?" + _INTEL_MAC + r"(?:[ \t]+architectures?)?",
    _I,
)
# the x86_64 ceiling said as what the user can get, beside an Intel Mac named near it: "i can only
# install versions up to 2.2.2. Is there a workaround to get PyTorch 2.6 on an Intel based Mac?"
# (resemble-ai/chatterbox#277), "stuck at torch 2.2.2"
CEILING_SAID = re.compile(
    r"\b(?:can|could)[ \t]+only[ \t]+(?:install|get|find|use)[^.\n]{0,25}?\bup[ \t]+to[ \t]+"
    r"(?:torch[ \t]+|pytorch[ \t]+|v)?2\.2(?:\.2)?\b|"
    r"\bstuck[ \t]+(?:at|on|with)[ \t]+(?:torch[ \t]+|pytorch[ \t]+|v)?2\.2\.2\b",
    _I,
)
_NEAR = 200  # characters either side where the Intel Mac must be named
# an Intel Mac said unable to install a release past 2.2.2: "any mac running on Intel CPU will not
# be able to install torch 2.6" (alp-data/alp-data#15)
CANNOT_INSTALL = re.compile(
    r"\b(?:macs?|macbooks?|imacs?)[ \t]+(?:running[ \t]+)?(?:on|with)[ \t]+(?:an[ \t]+)?Intel"
    r"(?:[ \t]+(?:CPU|chip|processor)s?)?[^.\n]{0,20}?(?:will[ \t]+not|won't|cannot|can't|can[ \t]+"
    r"not)[ \t]+(?:be[ \t]+able[ \t]+to[ \t]+)?(?:install|get|run|use)[ \t]+(?:torch|pytorch)[ \t]*"
    r"v?(\d\.\d{1,2}(?:\.\d{1,2})?)",
    _I,
)
# "`torch==2.4.1` provide supports for macOS, but only for the arm architecture" (astral-sh/uv#7557
# on an x86 Mac): a release's macOS wheels said to be arm64 only
ARM_ONLY = re.compile(
    r"\b" + _TORCH + r"`?[ \t]*(?:==|[ \t])[ \t]*" + _REL + r"`?[^.\n]{0,60}?\bmac[ \t]?OS\b"
    r"[^.\n]{0,30}?\bonly[ \t]+(?:for[ \t]+|on[ \t]+)?(?:the[ \t]+)?(?:arm(?:64)?|aarch64|"
    r"Apple[ \t]+Silicon|M[1-9])\b",
    _I,
)
# the install of a requirement said to fail because of one pinned release: "The current
# requirements won't install with MacOS 15 Python 3.12 because numpy==1.23.5 requirement."
# (SWivid/F5-TTS#95) -> sign.pin_said_failing, which verify.diagnosis.package_wheels weighs
# against that release's macOS wheels, as it does an installer's refusal of it
PIN_SAID_FAILING = re.compile(
    r"\b(?:won'?t|will[ \t]+not|does(?:n'?t|[ \t]+not)|can'?t|cannot|could(?:n'?t|[ \t]+not)|"
    r"fails?[ \t]+to|failed[ \t]+to)[ \t]+(?:be[ \t]+)?install(?:ed)?\b(?:[^.\n]|\.(?=\w)){0,80}?"
    r"\b(?:because[ \t]+(?:of[ \t]+)?|due[ \t]+to[ \t]+)(?:the[ \t]+)?[`'\"]?"
    r"(?P<name>[A-Za-z][\w.-]*)==(?P<version>\d[\w.]*\w)",
    _I,
)
# "torch2.4.1没有mac intel处理器版本": no (Mac) Intel version of a torch release
CJK_NO_INTEL_BUILD = re.compile(
    r"(?i:(?:py)?torch)[ \t]*(?:==)?[ \t]*(\d\.\d{1,2}(?:\.\d{1,2})?)[ \t]*"
    r"(?:没有|沒有|不支持|不支援)[ \t]*(?i:mac(?:os)?)?[ \t]*(?i:intel|x86(?:_64)?)"
    r"[^\n。\uff0c,]{0,6}?(?:版本|版|包|轮子|wheel)"
)


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(NO_WHEELS_FOR_PYTHON, text, "ython", "py", "PY"):
        out.extend(_no_wheels(m.group(1), m.group(2), text, m))
    for m in finditer(BUT_NOT, text, "but", "BUT"):
        out.extend(_no_wheels(m.group(1), m.group(3), text, m))
    for m in finditer(NOT_FOR_PYTHON, text, "orch", "ORCH"):
        release, python = (m.group(1), m.group(2)) if m.group(2) else (None, m.group(3))
        out.extend(_no_wheels(release, python, text, m))
    for m in finditer(WHEELS_NOT_FOR_PYTHON, text, "not", "NOT"):
        python = m.group(1) or m.group(2)
        if python:
            out.extend(_no_wheels(m.group(3), python, text, m))
    for m in finditer(CUDA_INDEX_ON_MAC, text, "cu", "rocm"):
        if stated(text, m, strict=False):
            index = f"PyTorch's {m.group(1)} index"
            out.append(clue("sign.gpu_index", index, text, m, WEAK))
            out.append(clue("sign.pip_no_torch", "torch", text, m, WEAK))
            out.append(clue("sign.mac_hint", True, text, m, WEAK))
            out.append(clue("os", "Darwin", text, m, WEAK))
    for m in finditer(CUDA_BUILD_ON_MAC, text, "ompatible", "work", "supported"):
        if stated(text, m, strict=False):
            build = m.group(1).lower() if m.group(1).lower() != "cuda" else "CUDA"
            out.append(clue("sign.gpu_index", f"PyTorch's {build} index", text, m, WEAK))
            out.append(clue("sign.pip_no_torch", "torch", text, m, WEAK))
            out.append(clue("sign.mac_hint", True, text, m, WEAK))
            out.append(clue("os", "Darwin", text, m, WEAK))
    for m in finditer(DROPPED, text, "ntel", "x86", "x64", "AMD64", "osx", "OSX"):
        release = next((g for g in m.groups() if g), None)
        out.extend(_dropped(release, text, m))
    for m in finditer(INCOMPATIBLE, text, "ntel", "x86", "x64", "AMD64", "osx", "OSX"):
        out.extend(_dropped(None, text, m))
    for m in finditer(CEILING_SAID, text, "2.2"):
        near = text[max(0, m.start() - _NEAR) : m.end() + _NEAR]
        if re.search(_INTEL_MAC, near, _I):
            out.extend(_dropped(None, text, m))
    for m in finditer(CANNOT_INSTALL, text, "ntel"):
        out.extend(_dropped(m.group(1), text, m))
    for m in finditer(ARM_ONLY, text, "only", "ONLY"):
        out.extend(_dropped(m.group(1), text, m))
    for m in finditer(CJK_NO_INTEL_BUILD, text, "没有", "沒有", "不支"):
        out.extend(_dropped(m.group(1), text, m, cjk=True))
    for m in finditer(PIN_SAID_FAILING, text, "install"):
        if stated(text, m, strict=False) and not asked(text, m):
            name, version = m.group("name"), m.group("version")
            refusal = NoRelease(name, f"{name}=={version}")
            out.append(clue("sign.pin_said_failing", refusal, text, m, WEAK))
            break
    return out


# the subject just before "has no ..." / "does not have ...": another package's wheels
# ("numpy has no Python 3.13 wheels") are not torch's
_SUBJECT = re.compile(
    r"([A-Za-z][\w.-]*)[`'\"]?[ \t]+(?:has|have|ships?|provides?|offers?|publish(?:es)?)[ \t]+$"
)


def _other_package(text: str, m: re.Match[str]) -> bool:
    start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 60)
    subject = _SUBJECT.search(text, start, m.start())
    return (
        subject is not None
        and "torch" not in subject.group(1).lower()
        and (subject.group(1).lower() not in ("it", "this", "that", "which", "pypi", "they", "we"))
    )


def _no_wheels(release: str | None, python: str, text: str, m: re.Match[str]) -> list[Clue]:
    if not stated(text, m, strict=False) or asked(text, m) or _other_package(text, m):
        return []
    if release is not None and not _lacks(release, python):
        return []  # the wheels contradict the sentence: it is about something else
    known = release if release and _known(release) else ""
    return [
        clue("sign.python_said_no_wheels", (known, python), text, m, WEAK),
        clue("python_version", python, text, m, WEAK),
    ]


def _known(release: str) -> bool:
    named = compat.release_of(release)
    return named is not None and named <= compat.latest_release()


def _lacks(release: str, python: str) -> bool:
    """Does the release lack wheels for this Python on macOS or Linux (verify.compat)?"""
    if not _known(release):
        return True  # "torch==3.1.0" (no such release: a typo): the table cannot say otherwise
    answers = [compat.supports_python(release, python, platform=p) for p in ("macos", "linux")]
    return False in answers or all(a is None for a in answers)


def _dropped(release: str | None, text: str, m: re.Match[str], cjk: bool = False) -> list[Clue]:
    if not cjk and (not stated(text, m, strict=False) or asked(text, m)):
        return []
    named = compat.release_of(release) if release else None
    if named is not None and named <= compat.LAST_MACOS_X86_64_WHEEL and not _is_last(m):
        return []  # a release that has x86_64 wheels: not what the sentence is about
    value = release if named is not None and named > compat.LAST_MACOS_X86_64_WHEEL else ""
    out = [
        clue("sign.x86_64_said_dropped", value, text, m, WEAK),
        clue("sign.intel_cpu", True, text, m, WEAK),
        clue("sign.mac_hint", True, text, m, WEAK),
        clue("os", "Darwin", text, m, WEAK),
    ]
    if value:
        out.append(clue("sign.torch_requested", value, text, m, WEAK))
    return out


def _is_last(m: re.Match[str]) -> bool:
    """The "2.2.2 is the last version for Intel Macs" and "deprecated since torch==2.2.2" forms
    name the last release itself."""
    return re.search(r"\b(?:last|since|after|from)\b", m.group(0), _I) is not None
