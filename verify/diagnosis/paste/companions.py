"""pip refusing torchvision / torchaudio, and `file` on the interpreter: what they give away.

torchvision and torchaudio are built for the same platforms and Pythons as the torch release
each pairs with, so pip's "(from versions: ...)" for them tells what torch's would (issue 12):

- the compiled releases listed end at torchvision 0.17.x / torchaudio 2.2.x, the pair of torch
  2.2.x, the last with macOS x86_64 wheels (dev-discuss.pytorch.org "PyTorch macOS x86 builds
  deprecation starting January 2024"; label-sleuth/label-sleuth#646 pins torchvision back with
  torch for Intel Macs), while a later one was asked for: an x86_64 macOS interpreter ->
  sign.pip_x86_only, os Darwin (verify.diagnosis.paste.packages reads the same from torch's own
  list);
- every compiled release listed is newer than the one asked for: that release has no wheel for
  this interpreter's Python (a Python newer than it supports: pytorch/vision#1780's "torchvision
  ==0.5 (from versions: 0.1.6, ..., 0.2.2.post3)" for Python 3.8) -> sign.no_wheel_for_python
  (verify.diagnosis.paste.pytags' sign, with the tag unknown). torchvision's releases before 0.3 and
  torchaudio's before 0.4 were pure Python (py2.py3-none-any) and are listed for any Python, so
  they are left out of both readings.

`file` on the interpreter ("/usr/local/bin/python3: Mach-O 64-bit executable x86_64", or a
"Python : Mach-O 64-bit executable x86_64" line: comfy-cli#568) names the architecture it was
built for; one architecture only is what runs (a universal binary says nothing) -> machine.
"""

from __future__ import annotations

import re

from packaging.version import InvalidVersion, Version

from verify.diagnosis.paste.clues import LISTED, Clue, clue, finditer

NO_MATCH = re.compile(
    r"Could not find a version that satisfies the requirement (torchvision|torchaudio)"
    r"([<>=!~]=?[\w.+*]+(?:,[<>=!~]=?[\w.+*]+)*)?"
    r"(?:[ \t]*\(from (?!versions?:)(?:[^()\n]|\([^()\n]*\))*\))*"
    r"[ \t]*\(from versions?:[ \t]*([^)\n]*(?:\n[ \t]*\d[^)\n]*)*)\)"
)
# the last releases with macOS x86_64 wheels, and the first compiled ones
LAST_X86_64 = {"torchvision": Version("0.17.2"), "torchaudio": Version("2.2.2")}
FIRST_COMPILED = {"torchvision": Version("0.3"), "torchaudio": Version("0.4")}
FILE_PYTHON = re.compile(
    r"(?:\bpython[\d.]*|^[ \t>]*Python)[ \t]*:[ \t]*Mach-O 64-bit executable (x86_64|arm64)\b",
    re.MULTILINE,
)
_ASKED = re.compile(r"(==|>=|~=|>)\s*(\d[\w.]*)")


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(NO_MATCH, text, "Could not find a version"):
        out.extend(_listed(m.group(1), m.group(2) or "", m.group(3), text, m))
    for m in finditer(FILE_PYTHON, text, "Mach-O 64-bit executable"):
        out.append(clue("os", "Darwin", text, m, LISTED))
        out.append(clue("machine", m.group(1), text, m, LISTED))
    return out


def _listed(package: str, spec: str, listed: str, text: str, m: re.Match[str]) -> list[Clue]:
    versions = []
    for raw in listed.split(","):
        try:
            v = Version(raw.strip())
        except InvalidVersion:
            continue
        if not v.local and not v.is_prerelease and v >= FIRST_COMPILED[package]:
            versions.append(v)
    asked = [_version(v) for op, v in _ASKED.findall(spec)]
    asked = [v for v in asked if v is not None]
    if not versions or not asked:
        return []
    wanted = max(asked)
    last = LAST_X86_64[package]
    if max(versions).release[:2] == last.release[:2] and wanted > last:
        return [
            clue("sign.pip_x86_only", f"{package}{spec}", text, m, LISTED),
            clue("os", "Darwin", text, m, LISTED),  # such a list exists only on macOS
        ]
    if "==" in spec and wanted < min(versions):
        value = (package, str(wanted), "", tuple(str(v) for v in sorted(versions)[:3]))
        return [clue("sign.no_wheel_for_python", value, text, m, LISTED)]
    return []


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None
