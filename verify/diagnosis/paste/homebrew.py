"""Homebrew's own lines: `brew config` and the prefix a Homebrew Python lives under.

- `brew config` (Library/Homebrew/extend/os/mac/system_config.rb, dump_verbose_config) prints
  "macOS: 14.2.1-arm64" (MacOS.full_version, then `uname -m` of brew's own process: the shell's
  architecture, x86_64 in a Rosetta Terminal) and, only on Apple silicon hardware
  (Hardware::CPU.physical_cpu_arm64?), "Rosetta 2: true|false" (whether brew itself runs
  translated); "HOMEBREW_PREFIX: /opt/homebrew" is the Apple silicon default, /usr/local the
  Intel one (Homebrew/brew#9117, docs.brew.sh/Installation).
- A Python that imports torch from under /opt/homebrew is an arm64 Homebrew's Python (its
  bottles are arm64 only), so that interpreter runs natively; from /usr/local/Cellar or
  /usr/local/opt it is an Intel Homebrew's Python, x86_64 (under Rosetta on an Apple chip). Only
  paths into torch's own package count (a traceback's, or `pip show torch`'s Location): a paste
  lists many paths that are not the interpreter's. A traceback frame inside the Homebrew
  Python's own files ('File "/usr/local/Cellar/python@3.10/.../lib/python3.10/subprocess.py"')
  is the running interpreter's too.
"""

from __future__ import annotations

import re

from verify.diagnosis.paste.clues import LISTED, STRONG, WEAK, Clue, clue, finditer

_M = re.MULTILINE
BREW_MACOS = re.compile(r"^[ \t>]*macOS:[ \t]*(\d+(?:\.\d+){0,2})-(arm64|x86_64)\b", _M)
BREW_ROSETTA = re.compile(r"^[ \t>]*Rosetta 2:[ \t]*(true|false)\b", _M)
BREW_PREFIX = re.compile(r"^[ \t>]*HOMEBREW_PREFIX:[ \t]*(/opt/homebrew|/usr/local)[ \t]*$", _M)
# torch imported from a Homebrew Python's site-packages (tracebacks, pip show's Location)
ARM_BREW_TORCH = re.compile(
    r"/opt/homebrew/(?:lib|Cellar/python@3\.\d+/[^\s/]+/Frameworks|opt/python@3\.\d+/Frameworks)"
    r"/[^\s'\"]*?python3\.\d+/site-packages/torch\b"
)
# `pip show torch`'s Location: the site-packages torch is in
PIP_SHOW_LOCATION = re.compile(
    r"^[ \t>]*Name:[ \t]*torch[ \t]*\n(?:[^\n]*\n){0,12}?[ \t>]*Location:[ \t]*(\S+)", _M
)
INTEL_BREW_TORCH = re.compile(
    r"/usr/local/(?:Cellar|opt)/python(?:@3\.\d+)?/[^\s'\"]*?python3\.\d+/site-packages/torch\b"
)

# a traceback frame in a Homebrew Python's own files (its stdlib or site-packages): the frames of a
# traceback are the running interpreter's, so this one is that Homebrew's Python
BREW_FRAME = re.compile(
    r"File \"(/usr/local|/opt/homebrew)/(?:Cellar|opt)/python(?:@3\.\d+)?/[^\"\n]*?"
    r"/lib/python3\.\d+/[^\"\n]+\.py\""
)


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(BREW_MACOS, text, "macOS:"):
        out.append(clue("os", "Darwin", text, m, STRONG))
        out.append(clue("macos_version", m.group(1), text, m, STRONG))
        out.append(clue("machine", m.group(2), text, m, WEAK))  # brew's shell
    for m in finditer(BREW_ROSETTA, text, "Rosetta 2:"):
        out.append(clue("os", "Darwin", text, m, LISTED))
        out.append(clue("hardware_arm64", True, text, m, STRONG))
        out.append(clue("translated", m.group(1) == "true", text, m, WEAK))
    for m in finditer(BREW_PREFIX, text, "HOMEBREW_PREFIX"):
        out.append(clue("os", "Darwin", text, m, LISTED))
        if m.group(1) == "/opt/homebrew":
            out.append(clue("hardware_arm64", True, text, m, LISTED))
    for m in finditer(ARM_BREW_TORCH, text, "/opt/homebrew/"):
        out.extend(_native(text, m))
    for m in finditer(PIP_SHOW_LOCATION, text, "Location:"):
        where = m.group(1).rstrip("/") + "/torch"
        if ARM_BREW_TORCH.search(where):
            out.extend(_native(text, m))
        elif INTEL_BREW_TORCH.search(where):
            out.append(clue("os", "Darwin", text, m, LISTED))
            out.append(clue("machine", "x86_64", text, m, LISTED))
    for m in finditer(BREW_FRAME, text, "/Cellar/python", "/opt/python"):
        if m.group(1) == "/opt/homebrew":
            out.extend(_native(text, m))
        else:
            out.append(clue("os", "Darwin", text, m, LISTED))
            out.append(clue("machine", "x86_64", text, m, LISTED))
    for m in finditer(INTEL_BREW_TORCH, text, "/usr/local/"):
        out.append(clue("os", "Darwin", text, m, LISTED))
        out.append(clue("machine", "x86_64", text, m, LISTED))
    return out


def _native(text: str, m: re.Match[str]) -> list[Clue]:
    """An arm64 Homebrew's Python: macOS, Apple silicon, an arm64 process."""
    return [
        clue("os", "Darwin", text, m, LISTED),
        clue("hardware_arm64", True, text, m, LISTED),
        clue("machine", "arm64", text, m, LISTED),
    ]
