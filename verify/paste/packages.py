"""What package tools print: `pip list` / `pip freeze`, `conda list` / `conda info`, pip's and uv's
resolver errors, wheel file names, and the loader's architecture complaints.

What they give away about the interpreter:
- a wheel pip picked carries the interpreter's platform tag ("macosx_11_0_arm64",
  "macosx_10_9_x86_64"); uv names the tag it looked for ("(e.g., `macosx_14_0_x86_64`)");
- pip's "(from versions: ...)" lists what exists for this interpreter: on macOS a list that ends
  at 2.2.x is an x86_64 interpreter (PyPI's last macOS x86_64 wheel is torch 2.2.2; arm64 wheels
  go on: verify.compat.LAST_MACOS_X86_64_WHEEL); "from versions: none" is no wheel at all for it;
- `conda info`'s "platform : osx-64" and channel URLs ending in /osx-64 are an Intel (x86_64)
  conda; MKL / intel-openmp exist only for x86_64 (on a Mac: an osx-64 env);
- dyld's "(have 'x86_64', need 'arm64')": an arm64 process loading an x86_64 library (and the
  other way round), i.e. packages for the wrong architecture.
"""

from __future__ import annotations

import re

from packaging.version import InvalidVersion, Version

from verify.paste.clues import LISTED, STRONG, WEAK, Clue, clue, finditer

_M = re.MULTILINE
_SUBDIRS = r"(osx-arm64|osx-64|linux-64|linux-aarch64|win-64)"

PIP_FREEZE = re.compile(r"^[ \t>*-]*(?:\[pip3?\][ \t]+)?torch[ \t]*==[ \t]*(\d[\w.+]*)[ \t]*$", _M)
PIP_LIST = re.compile(r"^[ \t>]*torch[ \t]{2,}(\d[\w.+]*)(?:[ \t]+\S+)?[ \t]*$", _M)
CONDA_LIST = re.compile(
    r"^[ \t>]*(?:\[conda\][ \t]+)?(?:pytorch|torch)[ \t]+(\d[\w.+]*)[ \t]+(\S+)"
    r"(?:[ \t]+(\S+))?[ \t]*$",
    _M,
)
CONDA_PLATFORM = re.compile(r"^[ \t>]*platform[ \t]*:[ \t]*" + _SUBDIRS + r"\b", _M)
CONDA_OSX = re.compile(r"__osx=(\d+(?:\.\d+){0,2})")
CONDA_ARCHSPEC = re.compile(r"__archspec=1=(m[1-9]|arm64|aarch64)\b")
CHANNEL_SUBDIR = re.compile(
    r"(?:https?://|\bpkgs/\w+/|conda-forge/|pytorch/)\S*?/?" + _SUBDIRS + r"\b"
)
SOLVER_SUBDIR = re.compile(r"\b[\w-]+/" + _SUBDIRS + r"::(?:pytorch|torch)-(\d[\w.]*)")
X86_ONLY = re.compile(
    r"^[ \t>]*(?:\[conda\][ \t]+)?(mkl|mkl-service|mkl_fft|mkl_random|intel-openmp)[ \t]+\d", _M
)
WHEEL = re.compile(
    r"\btorch-(\d[\w.+]*?)-cp(3)(\d{1,2})-(?:cp3\d+|none|abi3)-macosx_(\d+)_(\d+)_(arm64|x86_64)"
    r"\.whl"
)
NO_MATCH = re.compile(
    r"Could not find a version that satisfies the requirement (torch\b[^\s(]*)"
    r"(?:[ \t]*\(from versions?:[ \t]*([^)]*)\))?"
)
NO_DIST = re.compile(r"No matching distribution found for (torch\b[^\s]*)")
UV_TAG = re.compile(
    r"(torch(?:==[\w.]+)?)[^\n]*?has no (?:wheels|(?:source distribution or )?wheels?) with a "
    r"matching platform tag(?: \(e\.g\., `(macosx_\d+_\d+_(arm64|x86_64))`\))?"
)
UV_NO_WHEEL = re.compile(
    r"Distribution `(torch==[\w.+]+)[^`\n]*` can't be installed because it doesn't have a source "
    r"distribution or wheel for the current platform"
)
UV_PY = re.compile(r"torch[^\n]*?has no wheels with a matching Python (?:ABI|version) tag")
DYLD = re.compile(
    r"(?:mach-o file, but is an incompatible architecture|incompatible architecture)"
    r"[^\n]*?\(have '?(arm64e?|x86_64)'?, need '?(arm64e?|x86_64)'?\)"
)


# pip refusing a wheel it was handed: "ERROR: torch-2.1.0-cp310-none-macosx_11_0_arm64.whl is not
# a supported wheel on this platform." - an arm64 wheel refused means an x86_64 interpreter (or
# another Python version: the cp tag says which it was built for)
UNSUPPORTED_WHEEL = re.compile(
    r"torch-[\w.+]+-cp3(\d+)-[\w]+-macosx_\d+_\d+_(arm64|x86_64)\.whl is not a supported wheel"
)


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(PIP_FREEZE, text, "torch=="):
        out.append(clue("torch_version", m.group(1), text, m, LISTED))
    for m in finditer(PIP_LIST, text, "torch "):
        out.append(clue("torch_version", m.group(1), text, m, LISTED))
    for m in finditer(CONDA_LIST, text, "torch "):
        out.append(clue("torch_version", m.group(1), text, m, LISTED))
        channel = m.group(3) or ""
        sub = re.search(_SUBDIRS + "$", channel.rstrip("/"))
        if sub:
            out.append(clue("conda_subdir", sub.group(1), text, m, STRONG))
    for m in finditer(CONDA_PLATFORM, text, "platform"):
        out.append(clue("conda_subdir", m.group(1), text, m, LISTED))
        out.extend(_subdir_facts(m.group(1), text, m))
    for m in finditer(CONDA_OSX, text, "__osx="):
        if m.group(1) != "10.16":
            out.append(clue("macos_version", m.group(1), text, m, LISTED))
            out.append(clue("os", "Darwin", text, m, LISTED))
    for m in finditer(CONDA_ARCHSPEC, text, "__archspec"):
        out.append(clue("hardware_arm64", True, text, m, LISTED))
    for m in finditer(SOLVER_SUBDIR, text, "::"):
        out.append(clue("conda_subdir", m.group(1), text, m, LISTED))
        out.extend(_subdir_facts(m.group(1), text, m))
    for m in finditer(CHANNEL_SUBDIR, text, "osx-"):
        out.append(clue("conda_subdir", m.group(1), text, m, WEAK))
        out.extend(_subdir_facts(m.group(1), text, m))
    for m in finditer(X86_ONLY, text, "mkl", "intel-openmp"):
        out.append(clue("sign.x86_only_conda", m.group(1), text, m, LISTED))
    for m in finditer(WHEEL, text, "macosx_"):
        if text.startswith(" is not a supported wheel", m.end()):
            continue  # refused: the interpreter is not what the wheel is for (below)
        out.append(clue("os", "Darwin", text, m, LISTED))
        out.append(clue("machine", m.group(6), text, m, LISTED))
        out.append(clue("python_version", f"3.{m.group(3)}", text, m, WEAK))
    for m in finditer(NO_MATCH, text, "Could not find a version"):
        out.extend(_no_match(m.group(1), m.group(2), text, m))
    for m in finditer(NO_DIST, text, "No matching distribution"):
        out.append(clue("sign.pip_no_torch", m.group(1), text, m, LISTED))
    for m in finditer(UV_TAG, text, "matching platform tag"):
        out.append(clue("sign.pip_no_torch", m.group(1), text, m, LISTED))
        if m.group(3):
            out.append(clue("os", "Darwin", text, m, LISTED))
            out.append(clue("machine", m.group(3), text, m, LISTED))
    for m in finditer(UV_NO_WHEEL, text, "can't be installed"):
        out.append(clue("sign.pip_no_torch", m.group(1), text, m, LISTED))
    for m in finditer(UV_PY, text, "matching Python"):
        out.append(clue("sign.pip_no_torch", "torch", text, m, LISTED))
    for m in finditer(DYLD, text, "incompatible architecture"):
        have, need = m.group(1).rstrip("e"), m.group(2).rstrip("e")
        out.append(clue("os", "Darwin", text, m, STRONG))
        out.append(clue("machine", need, text, m, STRONG))  # the process needs its own arch
        out.append(clue("sign.wrong_arch_library", have, text, m, STRONG))
        start = text.rfind("\n", 0, m.start()) + 1
        if "torch" in text[start : m.end()]:  # torch's own library: import torch failed
            error = f"incompatible architecture (have '{have}', need '{need}')"
            out.append(clue("torch_import_error", error, text, m, STRONG))
    for m in finditer(UNSUPPORTED_WHEEL, text, "not a supported wheel"):
        out.append(clue("os", "Darwin", text, m, LISTED))
        out.append(clue("sign.pip_no_torch", "torch", text, m, LISTED))
        if m.group(2) == "arm64":
            out.append(clue("machine", "x86_64", text, m, WEAK))
    return out


def _subdir_facts(subdir: str, text: str, m: re.Match[str]) -> list[Clue]:
    if subdir == "osx-64":
        return [clue("os", "Darwin", text, m, WEAK), clue("machine", "x86_64", text, m, WEAK)]
    if subdir == "osx-arm64":
        return [clue("os", "Darwin", text, m, WEAK), clue("machine", "arm64", text, m, WEAK)]
    return []


def _no_match(requirement: str, versions: str | None, text: str, m: re.Match[str]) -> list[Clue]:
    out = [clue("sign.pip_no_torch", requirement, text, m, LISTED)]
    listed = []
    for raw in (versions or "").split(","):
        try:
            listed.append(Version(raw.strip()))
        except InvalidVersion:
            continue
    if versions is not None:
        out.append(clue("sign.pip_versions", tuple(listed), text, m, LISTED))
    if not listed:
        return out
    newest = max(v for v in listed)
    if Version("2.2") <= newest < Version("2.3"):
        # PyPI's newest torch for this interpreter is 2.2.x: the macOS x86_64 wheels end there
        out.append(clue("sign.pip_x86_only", str(newest), text, m, LISTED))
    return out
